/**
 * Worker thread of `communitiesAside`: the communities of one account graph, with the pair columns it was lent
 * sent back, all transferred.
 */
import { parentPort } from "node:worker_threads";
import { seededRng } from "../detectors/detector.js";
import { communities } from "./cluster.js";
import type { CommunitiesReply, CommunitiesTask } from "./communities-thread.js";

const port = parentPort;
if (port === null) throw new Error("campaign/communities-worker: must run as a worker thread");
port.on("message", (task: CommunitiesTask) => {
  const { graph } = task;
  const pairs = { a: graph.a, b: graph.b, weight: graph.weight };
  let reply: CommunitiesReply;
  try {
    const found = communities(graph, seededRng(task.seed));
    const community = Int32Array.from(graph.nodes, (n) => found.get(n)!);
    reply = { community, pairs };
  } catch (err) {
    reply = { error: (err as Error).stack ?? String(err), pairs };
  }
  const buffers = [...new Set([pairs.a.buffer, pairs.b.buffer, pairs.weight.buffer])] as ArrayBuffer[];
  if ("community" in reply) buffers.push(reply.community.buffer as ArrayBuffer);
  port.postMessage(reply, buffers);
});

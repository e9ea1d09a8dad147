/**
 * The account graph's communities found beside other work. Louvain is pure computation on one core (at 10M posts,
 * 7-9 s on 14.6M tied pairs); the analysis starts it in a worker thread once the detectors are done, and saves the
 * run's findings and ties in DuckDB meanwhile, instead of one after the other.
 */
import { seededRng } from "../detectors/detector.js";
import { coresToUse, startWorker } from "../threads.js";
import { communities, type LouvainGraph } from "./cluster.js";

/** Below this many tied pairs, Louvain runs in the calling thread: a worker would cost more than it saves. */
export const MIN_PAIRS_FOR_THREAD = 200_000;

type PairColumns = Pick<LouvainGraph, "a" | "b" | "weight">;

export interface CommunitiesTask {
  graph: LouvainGraph;
  seed: number;
}

/** The community of each node, in the graph's node order, with the pair columns the worker was lent. */
export type CommunitiesReply =
  { community: Int32Array; pairs: PairColumns } | { error: string; pairs: PairColumns };

/**
 * The communities that `communities(graph, seededRng(seed))` finds, computed in a worker thread when the graph has
 * at least `minPairs` tied pairs and more than one core is to be used (`CHORUS_THREADS`), else in this thread
 * before the promise is made. While the worker runs, the graph's pair columns are lent to it (transferred, not
 * copied: `graph.a`, `graph.b` and `graph.weight` are empty); they are put back before the promise settles.
 * `stop` ends the thread when the communities are no longer wanted (the promise then rejects).
 */
export function communitiesAside(
  graph: LouvainGraph,
  seed: number,
  minPairs = MIN_PAIRS_FOR_THREAD,
): { found: Promise<Map<string, number>>; stop: () => void } {
  if (graph.a.length < minPairs || coresToUse().cores < 2) {
    let found: Promise<Map<string, number>>;
    try {
      found = Promise.resolve(communities(graph, seededRng(seed)));
    } catch (err) {
      found = Promise.reject(err as Error);
    }
    return { found, stop: () => {} };
  }
  const worker = startWorker("communities-worker", import.meta.url);
  const found = new Promise<Map<string, number>>((resolve, reject) => {
    const settle = (done: () => void): void => {
      worker.removeAllListeners();
      // an error the thread reports while it stops is of no use now, and must not end the process
      worker.on("error", () => {});
      void worker.terminate();
      done();
    };
    worker.on("message", (reply: CommunitiesReply) => {
      Object.assign(graph, reply.pairs);
      settle(() => {
        if ("error" in reply) reject(new Error(`campaigns: Louvain failed in its thread: ${reply.error}`));
        else resolve(mapOf(graph.nodes, reply.community));
      });
    });
    worker.on("error", (err) => settle(() => reject(err)));
    worker.on("messageerror", (err) => settle(() => reject(err)));
    worker.on("exit", (code) =>
      settle(() => reject(new Error(`campaigns: Louvain's thread stopped (exit code ${code})`))),
    );
    // only what Louvain reads: the account graph also holds its tie tables, which do not go to a thread
    const task: CommunitiesTask = {
      graph: { nodes: graph.nodes, a: graph.a, b: graph.b, weight: graph.weight },
      seed,
    };
    worker.postMessage(task, lent(graph));
  });
  return { found, stop: () => void worker.terminate() };
}

/** The buffers of the pair columns, each once (columns may share one). */
function lent(g: PairColumns): ArrayBuffer[] {
  return [...new Set([g.a.buffer, g.b.buffer, g.weight.buffer])] as ArrayBuffer[];
}

/** Node -> community, in the nodes' sorted order as `communities` gives it. */
function mapOf(nodes: readonly string[], community: Int32Array): Map<string, number> {
  const at = new Map(nodes.map((n, i) => [n, i]));
  const out = new Map<string, number>();
  for (const n of [...nodes].sort()) out.set(n, community[at.get(n)!]!);
  return out;
}

/**
 * Worker thread of `runLayers`: runs the layers it is sent, one at a time, and posts each outcome back, with the
 * layer's shares it was lent, all transferred. Its scratch columns are reused from one layer to the next, as in
 * one thread.
 */
import { parentPort } from "node:worker_threads";
import { WalkScratch } from "./account-walk.js";
import {
  columnBuffers,
  outcomeBuffers,
  runLayer,
  type LayerColumns,
  type LayerOutcome,
  type LayerSpec,
} from "./layer.js";

export interface LayerTask {
  index: number;
  cols: LayerColumns;
  spec: LayerSpec;
  /** A part of the layer: the pairs whose smaller account is in this range (`runLayer`). */
  range?: readonly [number, number];
}

/** A layer's outcome, the shares it was lent, and the seconds the layer took in the thread. */
export type LayerReply =
  | { index: number; outcome: LayerOutcome; cols: LayerColumns; seconds: number }
  | { index: number; error: string };

const port = parentPort;
if (port === null) throw new Error("co-share/layer-worker: must run as a worker thread");
const scratch = new WalkScratch();
port.on("message", (task: LayerTask) => {
  let reply: LayerReply;
  try {
    const start = performance.now();
    const outcome = runLayer(task.cols, task.spec, scratch, task.range);
    const seconds = (performance.now() - start) / 1000;
    // the shares go back to their owner with the outcome, both transferred
    const buffers = new Set([...outcomeBuffers(outcome), ...columnBuffers(task.cols)]);
    port.postMessage({ index: task.index, outcome, cols: task.cols, seconds } satisfies LayerReply, [
      ...buffers,
    ]);
    return;
  } catch (err) {
    reply = { index: task.index, error: (err as Error).stack ?? String(err) };
  }
  port.postMessage(reply);
});

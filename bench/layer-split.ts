/**
 * Benchmark: co-share's layers on two threads with the layer that would take more than half the work split
 * between them by ranges of accounts (src/detectors/co-share/layers.ts), against every layer run whole, on the
 * shares of an existing case, in the same process. Both must give the same outcome, column for column (checked by
 * hash).
 *
 *   npx tsx bench/layer-split.ts --case /tmp/chorus-bench-analyze/case.duckdb [--runs 2] [--threads 2]
 *
 * The case is the one that `npx tsx bench/analyze.ts --posts 10000000` leaves (its 10M posts, whose repost layer is
 * two thirds of the layers' work); it is copied first, since the shares are numbered in temporary tables of a
 * writable case. The runs alternate, split first, so that both meet the machine in the same state. It prints each
 * run's time and the peak RSS while it ran, and the ratio of the medians.
 */
import { copyFileSync, rmSync } from "node:fs";
import { createHash } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { coShareParams, layerSpec } from "../src/detectors/co-share/index.js";
import { runLayers } from "../src/detectors/co-share/layers.js";
import type { LayerOutcome } from "../src/detectors/co-share/layer.js";
import { loadLayer, type LayerShares } from "../src/detectors/co-share/load.js";
import { SettingsLease } from "../src/store/bulk-settings.js";
import { CaseStore } from "../src/store/case.js";
import { buildShares } from "../src/store/shares.js";
import { OBJECT_KINDS } from "../src/model/index.js";

const { values } = parseArgs({
  options: {
    case: { type: "string" },
    runs: { type: "string", default: "2" },
    threads: { type: "string", default: "2" },
  },
});
if (!values.case) throw new Error("give --case: a case with shares, such as the one bench/analyze.ts leaves");
const runs = Number(values.runs);
const threads = Number(values.threads);

const copy = join(tmpdir(), `chorus-bench-layer-split-${process.pid}.duckdb`);
copyFileSync(values.case, copy);
const store = await CaseStore.open(copy);
const params = coShareParams.parse({});
let loaded: LayerShares[] = [];
let accounts = 0;
await SettingsLease.during(
  store.conn,
  { spareThreads: 0, memoryShare: 1 / 3 },
  () => {},
  async () => {
    const dict = await buildShares(store, OBJECT_KINDS);
    accounts = dict.accounts;
    for (const layer of OBJECT_KINDS) {
      const l = await loadLayer(store, layer);
      if (l.rows > 1) loaded.push(l);
    }
  },
);
store.close();
rmSync(copy, { force: true });
rmSync(`${copy}.wal`, { force: true });
console.log(
  `${loaded.reduce((n, l) => n + l.rows, 0)} shares in ${loaded.length} layers, ${threads} threads`,
);

// the detector's defaults: a window of 60 s and a fast core of 10 s
const spec = layerSpec(params, 60, 10, accounts);

function digest(outcomes: LayerOutcome[]): string {
  const h = createHash("sha256");
  for (const o of outcomes) {
    for (const c of [
      o.a,
      o.b,
      o.sharePairs,
      o.objects,
      o.exObject,
      o.exPostA,
      o.exPostB,
      o.expected,
      o.logP,
    ]) {
      h.update(new Uint8Array(c.buffer, c.byteOffset, c.byteLength));
    }
    h.update(new Uint8Array(o.fastLogP.buffer, o.fastLogP.byteOffset, o.fastLogP.byteLength));
    h.update(new Uint8Array(o.fastOf.buffer, o.fastOf.byteOffset, o.fastOf.byteLength));
    h.update(JSON.stringify([o.pairsMet, o.fastPairsMet, o.totals, o.fit]));
  }
  return h.digest("hex");
}

async function timed(split: boolean): Promise<{ seconds: number; peakMiB: number; hash: string }> {
  let peak = 0;
  const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const start = performance.now();
  const outcomes = await runLayers(loaded, spec, threads, undefined, split);
  const seconds = (performance.now() - start) / 1000;
  clearInterval(sample);
  const hash = digest(outcomes);
  return { seconds, peakMiB: peak / 2 ** 20, hash };
}

const times: Record<"split" | "whole", number[]> = { split: [], whole: [] };
const hashes = new Set<string>();
for (let r = 0; r < runs; r++) {
  for (const split of [true, false]) {
    const t = await timed(split);
    const name = split ? "split" : "whole";
    times[name].push(t.seconds);
    hashes.add(t.hash);
    console.log(
      `${name.padEnd(5)} ${t.seconds.toFixed(2)} s  peak RSS while it ran ${t.peakMiB.toFixed(0)} MiB`,
    );
  }
}
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
if (hashes.size !== 1) throw new Error("the split and the whole layers gave different outcomes");
console.log(
  `same outcome; split ${median(times.split).toFixed(2)} s against whole ${median(times.whole).toFixed(2)} s: ` +
    `${(median(times.split) / median(times.whole)).toFixed(2)}x`,
);
loaded = [];

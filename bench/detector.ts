/**
 * Benchmark: one detector (or several) on an existing case, timed, with a hash of what it found, to compare two
 * commits of a detector on the same case: run it at each commit, alternating, in the same hour; the hashes say
 * whether the outputs are the same.
 *
 *   npx tsx bench/detector.ts --case /tmp/chorus-bench-analyze/case.duckdb --detector automation [--runs 3]
 *
 * The case is the one that `npx tsx bench/analyze.ts --posts 10000000` leaves; it is copied first (a detector may
 * write temporary tables, and the copy leaves the benchmark's own case as it was). The detector runs with its
 * default parameters and DuckDB at the analysis's share of memory, as `chorus analyze` runs it. It prints each
 * run's time, the peak RSS while it ran, and the hash of its counts, findings and details.
 *
 * With `--save`, each run's ties are then written into the case as the runner writes them (in a transaction, with
 * DuckDB's memory while saving), timed, and rolled back; with `--hash-ties` too, they are committed instead (to the
 * copy) and read back through the `edges` view (keys, layer, weight and JSON evidence), hashed in any order, to
 * check that two commits save the same ties:
 *
 *   npx tsx bench/detector.ts --case /tmp/chorus-bench-analyze/case.duckdb --detector co-share --save --hash-ties
 */
import { copyFileSync, rmSync } from "node:fs";
import { createHash } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { seededRng } from "../src/detectors/detector.js";
import { DETECTORS } from "../src/detectors/registry.js";
import { parseParams } from "../src/detectors/run.js";
import { SettingsLease } from "../src/store/bulk-settings.js";
import { CaseStore } from "../src/store/case.js";

const { values } = parseArgs({
  options: {
    case: { type: "string" },
    detector: { type: "string", multiple: true },
    runs: { type: "string", default: "3" },
    save: { type: "boolean", default: false },
    "hash-ties": { type: "boolean", default: false },
  },
});
if (!values.case) throw new Error("give --case: a case, such as the one bench/analyze.ts leaves");
const ids = values.detector ?? ["automation"];
const copy = join(tmpdir(), `chorus-bench-detector-${process.pid}.duckdb`);
copyFileSync(values.case, copy);
const store = await CaseStore.open(copy);

/**
 * Writes a run's ties as the runner does (src/detectors/run.ts: one transaction, DuckDB at 640 MiB), prints the
 * time and the peak RSS, optionally a hash of the ties as the `edges` view reads them, and rolls the write back.
 */
async function saveTies(writeEdges: (runId: number) => Promise<void>): Promise<void> {
  const runId = 1_000_000 + Math.floor(performance.now());
  await SettingsLease.during(
    store.conn,
    { spareThreads: 0, memoryLimit: "640MiB" },
    () => {},
    async () => {
      await store.conn.run("BEGIN TRANSACTION");
      let done = false;
      try {
        let peak = 0;
        const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
        const start = performance.now();
        await writeEdges(runId);
        const seconds = (performance.now() - start) / 1000;
        clearInterval(sample);
        const ties = await store.scalar<number>(
          "SELECT count(*)::INTEGER FROM edge_rows WHERE run_id = $run",
          { run: runId },
        );
        console.log(
          `  saved ${ties} ties in ${seconds.toFixed(2)} s  peak RSS ${(peak / 2 ** 20).toFixed(0)} MiB`,
        );
        // the ties are kept (in the benchmark's copy of the case) only to be read back
        if (values["hash-ties"]) {
          await store.conn.run("COMMIT");
          done = true;
        }
      } finally {
        if (!done) await store.conn.run("ROLLBACK");
      }
    },
  );
  if (!values["hash-ties"]) return;
  const t = performance.now();
  const hash = await store.scalar<bigint>(
    `SELECT bit_xor(hash(layer, a, b, weight, evidence::VARCHAR))::UBIGINT FROM edges WHERE run_id = $run`,
    { run: runId },
  );
  const took = ((performance.now() - t) / 1000).toFixed(1);
  console.log(`  ties as the view reads them: hash ${hash?.toString(16)} (read in ${took} s)`);
}

try {
  await SettingsLease.during(
    store.conn,
    { spareThreads: 0, memoryShare: 1 / 3 },
    () => {},
    async () => {
      for (let r = 0; r < Number(values.runs); r++) {
        for (const id of ids) {
          const d = DETECTORS.find((x) => x.id === id);
          if (!d) throw new Error(`no detector '${id}' (${DETECTORS.map((x) => x.id).join(", ")})`);
          let peak = 0;
          const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
          const start = performance.now();
          const result = await d.run({
            store,
            params: parseParams(d, {}) as never,
            rng: seededRng(1),
            seed: 1,
            now: () => new Date(0),
            log: { info() {}, warn() {} },
            progress() {},
          });
          const seconds = (performance.now() - start) / 1000;
          clearInterval(sample);
          const hash = createHash("sha256")
            .update(JSON.stringify([result.counts, result.findings, result.details ?? null]))
            .digest("hex")
            .slice(0, 16);
          console.log(
            `${id} ${result.status} ${seconds.toFixed(2)} s  peak RSS ${(peak / 2 ** 20).toFixed(0)} MiB  output ${hash}`,
          );
          if (values.save && result.writeEdges !== undefined) await saveTies(result.writeEdges);
        }
      }
    },
  );
} finally {
  store.close();
  rmSync(copy, { force: true });
  rmSync(`${copy}.wal`, { force: true });
}

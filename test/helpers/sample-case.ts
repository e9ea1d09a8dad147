/**
 * The bundled sample ingested and analysed into a case file in a temporary directory, with a fixed clock so that
 * every test that builds it sees the same run. The caller closes the store and cleans the directory.
 */
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll } from "vitest";
import { ingestFile } from "../../src/ingest/ingest.js";
import type { FindingsDoc } from "../../src/report/findings.js";
import { analyzeCase } from "../../src/report/pipeline.js";
import { CaseStore } from "../../src/store/case.js";
import { tempDir } from "./tmp.js";

export const SAMPLE = fileURLToPath(new URL("../../sample/posts.jsonl", import.meta.url));

export async function analysedSample(
  tmp: ReturnType<typeof tempDir>,
): Promise<{ store: CaseStore; doc: FindingsDoc; runId: number }> {
  const store = await CaseStore.open(tmp.path("case.duckdb"));
  await ingestFile(store, SAMPLE);
  const res = await analyzeCase(store, {
    outDir: tmp.path("out"),
    report: false,
    now: new Date("2026-01-01T00:00:00Z"),
  });
  return { store, doc: res.findings, runId: res.runId };
}

/**
 * The analysed sample for one suite: built in a directory of its own before the suite's tests (then `ready` is
 * given it, to keep what it needs and build on it), closed and removed after them.
 */
export function analysedSampleSuite(
  ready: (
    sample: Awaited<ReturnType<typeof analysedSample>> & { tmp: ReturnType<typeof tempDir> },
  ) => void | Promise<void>,
): void {
  let tmp: ReturnType<typeof tempDir> | undefined;
  let store: CaseStore | undefined;
  beforeAll(async () => {
    tmp = tempDir();
    const sample = await analysedSample(tmp);
    store = sample.store;
    await ready({ ...sample, tmp });
  }, 120_000);
  afterAll(() => {
    store?.close();
    tmp?.cleanup();
  });
}

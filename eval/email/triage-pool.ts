/**
 * Triage of many messages in worker threads that are replaced every few dozen messages with attachments.
 *
 * Why: the YARA scan (libyara-wasm, src/email/yara.ts) grows the WebAssembly heap on every call and, after about
 * 130 scans in one process (RSS near 1.6 GB), returns no matches without an error, so later messages in a long
 * run would be triaged without YARA and silently. A fresh thread per batch gives every message the analysers as a
 * single `chorus email` run would. The benchmark (bench/email.ts) measures the process as it is instead.
 */
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import type { Verdict } from "../../src/email/index.js";

const require = createRequire(import.meta.url);

export interface TriageSummary {
  verdict: Verdict;
  score: number;
  /** Codes of the reasons with a weight, strongest first. */
  codes: string[];
}

/** Messages with attachments per worker: well under the ~130 scans after which YARA stops matching. */
const SCANS_PER_WORKER = 60;
const MESSAGES_PER_WORKER = 1500;

const WORKER_CODE = (tsxApi: string, triageModule: string): string => `
(async () => {
  const { register } = await import(${JSON.stringify(tsxApi)});
  register();
  const { parentPort, workerData } = await import("node:worker_threads");
  const { triage } = await import(${JSON.stringify(triageModule)});
  const out = [];
  for (const job of workerData.jobs) {
    const r = await triage(Buffer.from(job.raw), job.options);
    out.push({ verdict: r.verdict, score: r.score, codes: r.reasons.filter((x) => x.weight > 0).map((x) => x.code) });
  }
  parentPort.postMessage(out);
})().catch((err) => { throw err; });
`;

const hasAttachment = (raw: Buffer): boolean =>
  /^content-disposition:\s*(attachment|inline)\s*;\s*filename|^content-type:\s*multipart\/mixed/im.test(
    raw.subarray(0, 256 * 1024).toString("latin1"),
  );

function runBatch(
  code: string,
  jobs: Array<{ raw: Buffer; options: Record<string, unknown> }>,
): Promise<TriageSummary[]> {
  return new Promise((resolve, reject) => {
    const w = new Worker(code, {
      eval: true,
      workerData: { jobs: jobs.map((j) => ({ raw: new Uint8Array(j.raw), options: j.options })) },
    });
    w.once("message", (out: TriageSummary[]) => {
      resolve(out);
      void w.terminate();
    });
    w.once("error", reject);
  });
}

/** Triage every job, in order; `onBatch` reports progress. */
export async function triageInBatches(
  jobs: Array<{ raw: Buffer; options: Record<string, unknown> }>,
  onBatch?: (done: number) => void,
): Promise<TriageSummary[]> {
  const tsxApi = require.resolve("tsx/esm/api").replace(/\.cjs$/, ".mjs");
  const code = WORKER_CODE(tsxApi, new URL("../../src/email/index.ts", import.meta.url).href);
  const out: TriageSummary[] = [];
  let start = 0;
  while (start < jobs.length) {
    let end = start;
    let scans = 0;
    while (end < jobs.length && scans < SCANS_PER_WORKER && end - start < MESSAGES_PER_WORKER) {
      if (hasAttachment(jobs[end]!.raw)) scans++;
      end++;
    }
    out.push(...(await runBatch(code, jobs.slice(start, end))));
    start = end;
    onBatch?.(start);
  }
  return out;
}

/**
 * `report.html`: the case report, written by `chorus analyze` beside findings.json and rebuilt from a case by
 * `chorus report`. See render.ts for what it holds and data.ts for what it reads.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { writeWhole } from "../write-whole.js";
import { fileURLToPath } from "node:url";
import type { CaseStore } from "../../store/case.js";
import { loadReportData, ReportError, type ReportLimits } from "./data.js";
import { renderReport } from "./render.js";

export { ReportError, DEFAULT_LIMITS, loadReportData, type ReportLimits } from "./data.js";

/** The report's browser script, bundled by `npm run build` (from src/ or dist/, the package root is three up). */
const CLIENT_BUNDLE = new URL("../../../dist/report-client.js", import.meta.url);

let cachedScript: string | undefined;

export function reportScript(): string {
  if (cachedScript === undefined) {
    const path = fileURLToPath(CLIENT_BUNDLE);
    if (!existsSync(path)) {
      throw new ReportError(
        `the report's script is missing (${path}): run 'npm run build' in the Chorus folder`,
      );
    }
    cachedScript = readFileSync(path, "utf8").trimEnd();
  }
  return cachedScript;
}

export interface WriteReportOptions {
  runId?: number;
  limits?: Partial<ReportLimits>;
  casePath?: string;
}

/** Write the report for a run of the case (default: the latest analysis) to `outPath`, atomically. */
export async function writeReport(
  store: CaseStore,
  outPath: string,
  opts: WriteReportOptions = {},
): Promise<string> {
  // before any work: a folder in the way would fail only at the rename
  if (statSync(outPath, { throwIfNoEntry: false })?.isDirectory()) {
    throw new ReportError(`${outPath} is a directory: the report is a file, name it (e.g. report.html)`);
  }
  const data = await loadReportData(store, {
    ...(opts.runId !== undefined ? { runId: opts.runId } : {}),
    ...(opts.limits ? { limits: opts.limits } : {}),
  });
  const page = renderReport(data, {
    script: reportScript(),
    ...(opts.casePath ? { casePath: opts.casePath } : {}),
  });
  writeWhole(outPath, page);
  return outPath;
}

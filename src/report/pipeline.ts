/**
 * The analysis pipeline after ingest: detectors -> campaigns -> findings.json and report.html, all
 * recorded in the case. The CLI's `analyze` and `detect` are thin wrappers around this.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildCampaigns, DEFAULT_CAMPAIGN_OPTIONS, type Campaign, type RuledOut } from "../campaign/index.js";
import { lapLogger, seededRng } from "../detectors/detector.js";
import { runDetectors, type DetectorRun, type RunOptions } from "../detectors/run.js";
import type { CaseStore } from "../store/case.js";
import { buildFindings, type FindingsDoc } from "./findings.js";
import { writeReport } from "./html/index.js";

export interface AnalysisOptions extends RunOptions {
  outDir: string;
  /** Also write DIR/report.html (default true). */
  report?: boolean;
  /** The case file's path, named in the report's provenance. */
  casePath?: string;
  minMembers?: number;
  minExclusivity?: number;
}

export interface AnalysisResult {
  runId: number;
  runs: DetectorRun[];
  campaigns: Campaign[];
  ruledOut: RuledOut[];
  findings: FindingsDoc;
  files: string[];
}

export async function analyzeCase(store: CaseStore, opts: AnalysisOptions): Promise<AnalysisResult> {
  const seed = opts.seed ?? 1;
  const { runId, runs } = await runDetectors(store, { ...opts, seed });
  // each detector's ties, as columns where it holds them so (never asking for its edge objects then)
  const ties = runs.filter((r) => r.status === "ok").map((r) => r.result.ties ?? r.result.edges);
  const coShare = runs.find((r) => r.id === "co-share");
  const windowSec = Number(coShare?.result.details?.["window_seconds"] ?? 60);
  const { campaigns, ruledOut } = await buildCampaigns(store, ties, {
    windowSec,
    minMembers: opts.minMembers ?? DEFAULT_CAMPAIGN_OPTIONS.minMembers,
    minExclusivity: opts.minExclusivity ?? DEFAULT_CAMPAIGN_OPTIONS.minExclusivity,
    maxOneWay: DEFAULT_CAMPAIGN_OPTIONS.maxOneWay,
    rng: seededRng(seed ^ 0x5eed),
    runId,
    ...(opts.log ? { log: opts.log } : {}),
  });
  const step = lapLogger((m) => opts.log?.info(m));
  await saveCampaigns(store, runId, campaigns);
  step("saved the campaigns");
  const params = {
    seed,
    detectors: Object.fromEntries(runs.map((r) => [r.id, r.params])),
    campaigns: {
      min_members: opts.minMembers ?? DEFAULT_CAMPAIGN_OPTIONS.minMembers,
      min_exclusivity: opts.minExclusivity ?? DEFAULT_CAMPAIGN_OPTIONS.minExclusivity,
      max_one_way: DEFAULT_CAMPAIGN_OPTIONS.maxOneWay,
    },
  };
  const findings = await buildFindings(store, runs, campaigns, ruledOut, params);
  await store.conn.run(`INSERT OR REPLACE INTO analyses VALUES ($run, $doc::JSON)`, {
    run: runId,
    doc: JSON.stringify(findings),
  });
  mkdirSync(opts.outDir, { recursive: true });
  const findingsPath = join(opts.outDir, "findings.json");
  writeFileSync(findingsPath, JSON.stringify(findings, null, 2) + "\n");
  step("findings.json");
  const files = [findingsPath];
  if (opts.report !== false) {
    files.push(
      await writeReport(store, join(opts.outDir, "report.html"), {
        runId,
        ...(opts.casePath ? { casePath: opts.casePath } : {}),
      }),
    );
    step("report.html");
  }
  return { runId, runs, campaigns, ruledOut, findings, files };
}

async function saveCampaigns(store: CaseStore, runId: number, campaigns: Campaign[]): Promise<void> {
  await store.transaction(async () => {
    const c = await store.conn.createAppender("campaigns");
    const m = await store.conn.createAppender("campaign_members");
    try {
      for (const camp of campaigns) {
        c.appendInteger(runId);
        c.appendVarchar(camp.id);
        c.appendDouble(camp.score);
        c.appendVarchar(camp.summary);
        c.appendVarchar(
          JSON.stringify({
            layers: camp.layers,
            density: camp.density,
            ties: camp.ties,
            facts: camp.facts,
            examples: camp.examples,
            basis: camp.basis,
            tie_notes: camp.tieNotes,
          }),
        );
        c.endRow();
        for (const mem of camp.members) {
          m.appendInteger(runId);
          m.appendVarchar(camp.id);
          m.appendVarchar(mem.platform);
          m.appendVarchar(mem.accountId);
          m.appendVarchar(mem.role);
          m.appendDouble(mem.score);
          m.endRow();
        }
      }
    } finally {
      c.closeSync();
      m.closeSync();
    }
  });
}

/**
 * The analysis pipeline after ingest: detectors -> campaigns -> findings.json and report.html, all
 * recorded in the case. The CLI's `analyze` and `detect` are thin wrappers around this.
 */
import { mkdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  buildCampaigns,
  DEFAULT_CAMPAIGN_OPTIONS,
  isTieTable,
  prepareGraph,
  type Campaign,
  type PreparedGraph,
  type RuledOut,
} from "../campaign/index.js";
import { collectGarbage, lapLogger, seededRng, type DetectorResult } from "../detectors/detector.js";
import type { Edge, TieTable } from "../model/index.js";
import { runDetectors, type DetectorRun, type RunOptions } from "../detectors/run.js";
import { SettingsLease } from "../store/bulk-settings.js";
import type { CaseStore } from "../store/case.js";
import { dropShares } from "../store/shares.js";
import { buildFindings, type FindingsDoc } from "./findings.js";
import { ReportError, writeReport } from "./html/index.js";

export interface AnalysisOptions extends RunOptions {
  outDir: string;
  /** Also write DIR/report.html (default true). */
  report?: boolean;
  /** The case file's path, named in the report's provenance. */
  casePath?: string;
  minMembers?: number;
  minExclusivity?: number;
  /** The campaign step's bound for a conversation among the members (`CampaignOptions.minConversationOwn`). */
  minConversationOwn?: number;
  /** The campaign step's bound for friends who repost one another (`CampaignOptions.minAnswerRatio`). */
  minAnswerRatio?: number;
  /** The campaign step's bound for a bloc that works over minutes (`CampaignOptions.minBlocParticipation`). */
  minBlocParticipation?: number;
  /**
   * Keep every run's ties (`result.edges`, `result.ties`) after the campaign step. By default they are let go once
   * the campaigns are built: nothing after that step reads them, every tie is in the case's `edges` table, and at
   * 10M posts their columns take gigabytes through findings.json and the report. An evaluation that compares the
   * ties with the truth keeps them.
   */
  keepTies?: boolean;
}

export interface AnalysisResult {
  runId: number;
  runs: DetectorRun[];
  campaigns: Campaign[];
  ruledOut: RuledOut[];
  findings: FindingsDoc;
  files: string[];
}

/**
 * DuckDB's memory while the detectors and the campaign step run: a third of the case's limit (src/store/case.ts),
 * at least 1 GiB. Ingest stages whole files in DuckDB and is faster with more (10M posts: 75-77 s at 3 GiB against
 * 84-86 s at 1.5); what follows reads and writes in streams while the detectors hold their ties in JavaScript, and
 * DuckDB's cache of the case's blocks only added to the peak: at 10M posts, 4.3 GiB with a third (1 GiB) and 4.4
 * GiB with half against 5.7-5.9 GiB, in no more time (docs/design-choices.md).
 */
const ANALYSIS_SETTINGS = { spareThreads: 0, memoryShare: 1 / 3 };

export async function analyzeCase(store: CaseStore, opts: AnalysisOptions): Promise<AnalysisResult> {
  return SettingsLease.during(
    store.conn,
    ANALYSIS_SETTINGS,
    (why) => opts.log?.warn(`DuckDB's memory limit stays as it is for the analysis: ${why}`),
    () => analyze(store, opts),
  );
}

async function analyze(store: CaseStore, opts: AnalysisOptions): Promise<AnalysisResult> {
  const seed = opts.seed ?? 1;
  const campaignSeed = seed ^ 0x5eed;
  // the campaign graph's communities are found in a thread while the run is saved (campaign/communities-thread.ts)
  const early: { graph?: PreparedGraph } = {};
  let runId: number;
  let runs: DetectorRun[];
  try {
    ({ runId, runs } = await runDetectors(store, {
      ...opts,
      seed,
      beforeSave: (done) => {
        opts.beforeSave?.(done);
        early.graph = prepareGraph(tiesOf(done), campaignSeed, opts.log);
      },
    }));
  } catch (err) {
    early.graph?.stop();
    throw err;
  }
  const coShare = runs.find((r) => r.id === "co-share");
  const windowSec = Number(coShare?.result.details?.["window_seconds"] ?? 60);
  // each detector's ties, as columns where it holds them so (never asking for its edge objects then); passed
  // without a local name, so that nothing here holds them once the runs let them go
  const { campaigns, ruledOut } = await buildCampaigns(store, tiesOf(runs), {
    ...DEFAULT_CAMPAIGN_OPTIONS,
    windowSec,
    ...(typeof coShare?.result.details?.["compat"] === "string"
      ? { compat: coShare.result.details["compat"] }
      : {}),
    minMembers: opts.minMembers ?? DEFAULT_CAMPAIGN_OPTIONS.minMembers,
    minExclusivity: opts.minExclusivity ?? DEFAULT_CAMPAIGN_OPTIONS.minExclusivity,
    minConversationOwn: opts.minConversationOwn ?? DEFAULT_CAMPAIGN_OPTIONS.minConversationOwn,
    minAnswerRatio: opts.minAnswerRatio ?? DEFAULT_CAMPAIGN_OPTIONS.minAnswerRatio,
    minBlocParticipation: opts.minBlocParticipation ?? DEFAULT_CAMPAIGN_OPTIONS.minBlocParticipation,
    rng: seededRng(campaignSeed),
    ...(early.graph ? { prepared: early.graph } : {}),
    runId,
    ...(opts.log ? { log: opts.log } : {}),
    ...(coShare?.result.shares ? { shares: coShare.result.shares } : {}),
  });
  // it holds the ties' tables, which are let go below
  delete early.graph;
  // the shares as numbers (store/shares.ts) served the detectors and the campaign step; nothing after reads them
  await dropShares(store);
  const step = lapLogger((m) => opts.log?.info(m));
  if (opts.keepTies !== true) {
    const released = tiesHeld(runs);
    for (const r of runs) r.result = withoutTies(r.id, r.result);
    if (released >= COLLECT_AFTER_TIES) {
      collectGarbage();
      step(`let go of ${released} ties`);
    }
  }
  await saveCampaigns(store, runId, campaigns);
  step("saved the campaigns");
  const params = {
    seed,
    detectors: Object.fromEntries(runs.map((r) => [r.id, r.params])),
    campaigns: {
      min_members: opts.minMembers ?? DEFAULT_CAMPAIGN_OPTIONS.minMembers,
      min_exclusivity: opts.minExclusivity ?? DEFAULT_CAMPAIGN_OPTIONS.minExclusivity,
      max_one_way: DEFAULT_CAMPAIGN_OPTIONS.maxOneWay,
      max_idol_share: DEFAULT_CAMPAIGN_OPTIONS.maxIdolShare,
      min_bloc: DEFAULT_CAMPAIGN_OPTIONS.minBloc,
      min_bloc_participation: opts.minBlocParticipation ?? DEFAULT_CAMPAIGN_OPTIONS.minBlocParticipation,
      min_group_bursts: DEFAULT_CAMPAIGN_OPTIONS.minGroupBursts,
      min_audience_share: DEFAULT_CAMPAIGN_OPTIONS.minAudienceShare,
      min_repost_participation: DEFAULT_CAMPAIGN_OPTIONS.minRepostParticipation,
      max_loose_burst_share: DEFAULT_CAMPAIGN_OPTIONS.maxLooseBurstShare,
      min_split_share: DEFAULT_CAMPAIGN_OPTIONS.minSplitShare,
      min_fringe_occasions: DEFAULT_CAMPAIGN_OPTIONS.minFringeOccasions,
      min_fringe_share: DEFAULT_CAMPAIGN_OPTIONS.minFringeShare,
      min_conversation_own: opts.minConversationOwn ?? DEFAULT_CAMPAIGN_OPTIONS.minConversationOwn,
      min_answer_ratio: opts.minAnswerRatio ?? DEFAULT_CAMPAIGN_OPTIONS.minAnswerRatio,
    },
  };
  const findings = await buildFindings(store, runs, campaigns, ruledOut, params);
  await store.conn.run(`INSERT OR REPLACE INTO analyses VALUES ($run, $doc::JSON)`, {
    run: runId,
    doc: JSON.stringify(findings),
  });
  if (statSync(opts.outDir, { throwIfNoEntry: false })?.isDirectory() === false) {
    throw new ReportError(
      `${opts.outDir} is not a directory: findings.json and report.html cannot be written there`,
    );
  }
  mkdirSync(opts.outDir, { recursive: true });
  const findingsPath = join(opts.outDir, "findings.json");
  writeFileSync(findingsPath, JSON.stringify(findings, null, 2) + "\n");
  step("findings.json");
  const files = [findingsPath];
  const reportPath = join(opts.outDir, "report.html");
  if (opts.report !== false) {
    files.push(
      await writeReport(store, reportPath, {
        runId,
        ...(opts.casePath ? { casePath: opts.casePath } : {}),
      }),
    );
    step("report.html");
  } else if (statSync(reportPath, { throwIfNoEntry: false })?.isFile()) {
    // an earlier run's report beside this run's findings.json would be taken for this run's
    rmSync(reportPath);
    const rebuild = opts.casePath
      ? `; 'chorus report --case ${opts.casePath} -o ${reportPath}' rebuilds it`
      : "";
    opts.log?.warn(`removed ${reportPath}: it showed an earlier run, not the new findings.json${rebuild}`);
  }
  return { runId, runs, campaigns, ruledOut, findings, files };
}

/**
 * Ties let go of past which a full collection right away is worth its time. The ties' columns live outside the
 * JavaScript heap and are freed only by a full collection, which nothing may trigger before findings.json and the
 * report have allocated their own (at 10M posts, 3-4 GiB of columns for a collection of 0.4-0.5 s).
 */
const COLLECT_AFTER_TIES = 1_000_000;

/** Ties the runs hold, counted without building any detector's edge objects. */
function tiesHeld(runs: DetectorRun[]): number {
  return tiesOf(runs).reduce((n, t) => n + (isTieTable(t) ? t.layer.length : t.length), 0);
}

function tiesOf(runs: readonly DetectorRun[]): Array<TieTable | readonly Edge[]> {
  return runs.filter((r) => r.status === "ok").map((r) => r.result.ties ?? r.result.edges);
}

/**
 * The run's result without its ties: the same status, message, counts, findings, warnings and details. `edges`
 * is never read here (a detector may build its objects on first read, millions of them); reading it afterwards is
 * a mistake that names the way out.
 */
function withoutTies(id: string, result: DetectorResult): DetectorResult {
  const { status, message, counts, findings, warnings, details } = result;
  return {
    status,
    message,
    counts,
    findings,
    warnings,
    ...(details !== undefined ? { details } : {}),
    get edges(): Edge[] {
      throw new Error(
        `${id}: the run's ties were let go after the campaign step; read them from the case's edges table, ` +
          `or pass keepTies to analyzeCase`,
      );
    },
  };
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

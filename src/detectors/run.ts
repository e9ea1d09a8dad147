/**
 * Running detectors over a case: parameters validated against each detector's schema (unknown ones rejected), a
 * seeded RNG and a fixed clock per run, failures contained (a detector that throws is recorded as `error` and the
 * run goes on), and everything written to the case under one run id in one transaction. Objects a detector derives
 * (near-duplicate texts) are the exception: they are stored as soon as that detector returns, in a transaction of
 * their own, so that the detectors after it can read them.
 */
import type { DuckDBAppender } from "@duckdb/node-api";
import { z } from "zod";
import type { DetectorStatus } from "../model/index.js";
import type { CaseStore } from "../store/case.js";
import {
  CO_SHARE_EVIDENCE_COLUMNS,
  EDGE_ROWS,
  SYNC_EVIDENCE_COLUMNS,
  TIE_EXAMPLE_REF_COLUMNS,
  TIE_REF_COLUMNS,
} from "../store/edges.js";
import { TOOL_VERSION } from "../version.js";
import {
  collectGarbage,
  lapLogger,
  seededRng,
  type DerivedObjects,
  type Detector,
  type DetectorResult,
  type Logger,
} from "./detector.js";
import { DETECTORS } from "./registry.js";
import { fnv1a } from "../stats/hash.js";
import { SettingsLease } from "../store/bulk-settings.js";

/**
 * Columns of `edge_rows` after `fast_core`, in table order: evidence stored as columns by co-share and sync, then
 * the two account numbers (version 9) and the example's numbers (version 10), all NULL for a tie that keeps its
 * JSON evidence and its keys.
 */
const COLUMNS_AFTER_FAST_CORE =
  CO_SHARE_EVIDENCE_COLUMNS.length +
  SYNC_EVIDENCE_COLUMNS.length +
  TIE_REF_COLUMNS.length +
  TIE_EXAMPLE_REF_COLUMNS.length;

export class ParamError extends Error {
  override name = "ParamError";
}

export interface DetectorRun {
  id: string;
  version: string;
  status: DetectorStatus;
  message: string;
  params: Record<string, unknown>;
  result: DetectorResult;
  seconds: number;
}

export interface RunOptions {
  /** Detector ids to run (default: all). */
  only?: string[];
  /** Parameters per detector id. */
  params?: Record<string, Record<string, unknown>>;
  seed?: number;
  now?: Date;
  log?: Logger;
  progress?: (done: number, total: number, label?: string) => void;
  /**
   * Called once every detector has run, before their findings and ties are saved: work that reads the runs in
   * memory can start beside the save (the analysis starts its campaign graph's Louvain in a thread).
   */
  beforeSave?: (runs: readonly DetectorRun[]) => void;
}

/** Validate parameters for a detector; unknown keys and bad values are errors naming the detector. */
export function parseParams(d: Detector<never>, raw: Record<string, unknown>): Record<string, unknown> {
  const r = (d.params as unknown as z.ZodType<Record<string, unknown>>).safeParse(raw);
  if (!r.success) {
    const shape = (d.params as unknown as { shape?: Record<string, { description?: string }> }).shape ?? {};
    const issues = r.error.issues
      .map((i) => {
        const top = i.path[0];
        const given = typeof top === "string" ? raw[top] : undefined;
        // a union's failure says only "Invalid input": what the parameter takes says the rest
        const what =
          i.message === "Invalid input" && typeof top === "string" ? shape[top]?.description : undefined;
        return (
          `${i.path.join(".") || "(params)"}: ${i.message}` +
          (given === undefined || i.code === "unrecognized_keys" ? "" : ` (got ${shownValue(given)})`) +
          (what ? `; ${top as string} is: ${what}` : "")
        );
      })
      .join("; ");
    throw new ParamError(`${d.id}: ${issues}`);
  }
  return r.data;
}

/** A parameter's value as an error shows it: JSON, cut at 100 characters. */
function shownValue(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 100 ? `${s.slice(0, 100)}…` : s;
}

/**
 * Check the detectors named in `only` (default: all) and every detector's parameters, as `runDetectors` will:
 * an unknown detector or a bad value is an error naming it. Returns the selected detectors with their parameters.
 */
export function checkParams(
  params: RunOptions["params"],
  only?: readonly string[],
): Array<{ d: Detector<never>; params: Record<string, unknown> }> {
  const detectors = DETECTORS.map((d) => d.id).join(", ");
  for (const id of only ?? []) {
    if (!DETECTORS.some((d) => d.id === id))
      throw new ParamError(`unknown detector '${id}' (detectors: ${detectors})`);
  }
  for (const id of Object.keys(params ?? {})) {
    if (!DETECTORS.some((d) => d.id === id)) {
      throw new ParamError(`parameters for unknown detector '${id}' (detectors: ${detectors})`);
    }
  }
  const selected = only ? DETECTORS.filter((d) => only.includes(d.id)) : [...DETECTORS];
  return selected.map((d) => ({ d, params: parseParams(d, params?.[d.id] ?? {}) }));
}

export async function runDetectors(
  store: CaseStore,
  opts: RunOptions = {},
): Promise<{ runId: number; runs: DetectorRun[] }> {
  const parsed = checkParams(opts.params, opts.only);
  const order = runOrder(parsed.map((p) => p.d.id));
  const seed = opts.seed ?? 1;
  const now = opts.now ?? new Date();
  const log: Logger = opts.log ?? { info() {}, warn() {} };
  // listed, saved and reported in the registry's order, whatever order they run in
  const runs = new Array<DetectorRun>(parsed.length);
  // one writer per case: the id this run will be saved under, known before the first detector runs so that
  // derived objects can name it
  const runId = ((await store.scalar<number>("SELECT coalesce(max(id), 0)::INTEGER FROM runs")) ?? 0) + 1;
  for (const i of order) {
    const { d, params } = parsed[i]!;
    const t0 = performance.now();
    let result: DetectorResult;
    try {
      result = await d.run({
        store,
        params: params as never,
        rng: seededRng(seed ^ fnv1a(d.id)),
        seed,
        now: () => now,
        log,
        progress: opts.progress ?? (() => {}),
      });
    } catch (err) {
      const msg = (err as Error).message ?? String(err);
      log.warn(`${d.id}: failed: ${msg}`);
      result = { status: "error", message: msg, counts: {}, findings: [], edges: [], warnings: [] };
    }
    await saveDerivedObjects(store, runId, d.id, result.status === "ok" ? result.derivedObjects : undefined);
    runs[i] = {
      id: d.id,
      version: d.version,
      status: result.status,
      message: result.message,
      params,
      result,
      seconds: (performance.now() - t0) / 1000,
    };
  }
  const saved = lapLogger((m) => log.info(m));
  // what the last detector read and worked on is garbage now, in typed arrays a full collection alone frees (at 10M
  // posts, sync's posts, reposts and bursts: about 475 MiB, held through the save beside the ties)
  if (process.memoryUsage().arrayBuffers >= COLLECT_BEFORE_SAVE_BYTES) {
    collectGarbage();
    saved("collected the detectors' garbage");
  }
  opts.beforeSave?.(runs);
  await saveRun(
    store,
    runId,
    runs,
    seed,
    now,
    lapLogger((m) => log.info(m), "  saving: "),
    log,
  );
  saved("saved the run's findings and ties");
  return { runId, runs };
}

/**
 * Detectors that hold large results until the run is saved, in the order they run, after every other detector:
 * co-share's and sync's ties, millions of them as columns (at 10M posts, 14.7M and 4.4M ties, about 1.6 GiB of
 * arrays). Run before them, the others' own peaks (automation sorts every post: 1.35 GiB alone) no longer stack on
 * those ties: the 10M-post analysis peaked while automation ran after sync (3,890-4,029 MiB).
 */
const RUNS_LAST: readonly string[] = ["co-share", "sync"];

/** Bytes of typed arrays beyond which the runner collects the garbage before it saves a run (see runDetectors). */
const COLLECT_BEFORE_SAVE_BYTES = 256 * 2 ** 20;

/**
 * The order to run detectors in, as indexes into `ids` (the registry's order): those of RUNS_LAST last, in that
 * order, the others as listed. Near-duplicate, which derives the text objects co-share compares, stays before it.
 */
export function runOrder(ids: readonly string[]): number[] {
  const rank = (id: string): number => RUNS_LAST.indexOf(id) + 1;
  return ids.map((_, i) => i).sort((x, y) => rank(ids[x]!) - rank(ids[y]!) || x - y);
}

/** JSON text of a value; JSON.stringify itself writes NaN and ±Infinity as null, which the JSON columns need. */
function json(v: unknown): string {
  return JSON.stringify(v);
}

/** A tie's tier: the one its evidence states, else significant or chance by its flag (as store/schema.ts reads it). */
function edgeTier(stated: unknown, significant: boolean): string {
  if (typeof stated === "string") return stated;
  if (stated !== null && stated !== undefined) return JSON.stringify(stated);
  return significant ? "significant" : "chance";
}

function num(app: DuckDBAppender, v: number | null): void {
  if (v === null || !Number.isFinite(v)) app.appendNull();
  else app.appendDouble(v);
}

/**
 * Replaces the derived objects of detector `detector` with this run's (none when it was skipped or failed): the
 * table always holds the output of each detector's latest run, so analysing a case again never piles up copies.
 */
async function saveDerivedObjects(
  store: CaseStore,
  runId: number,
  detector: string,
  derived: DerivedObjects | undefined,
): Promise<void> {
  const has = (await store.scalar<number>(
    "SELECT count(*)::INTEGER FROM (SELECT 1 FROM derived_objects WHERE detector = $d LIMIT 1)",
    { d: detector },
  ))!;
  if (!has && !derived?.postId.length) return;
  await store.transaction(async () => {
    await store.conn.run("DELETE FROM derived_objects WHERE detector = $d", { d: detector });
    if (!derived) return;
    const app = await store.conn.createAppender("derived_objects");
    try {
      for (let i = 0; i < derived.postId.length; i++) {
        app.appendInteger(runId);
        app.appendVarchar(detector);
        app.appendVarchar(derived.platform[i]!);
        app.appendVarchar(derived.postId[i]!);
        app.appendVarchar(derived.kind);
        app.appendVarchar(derived.values[derived.value[i]!]!);
        app.endRow();
      }
    } finally {
      app.closeSync();
    }
  });
}

async function saveRun(
  store: CaseStore,
  runId: number,
  runs: DetectorRun[],
  seed: number,
  now: Date,
  step: (what: string) => void,
  log: Logger,
): Promise<void> {
  const write = (): Promise<void> =>
    store.transaction(async () => {
      const params = Object.fromEntries(runs.map((r) => [r.id, r.params]));
      const statuses = Object.fromEntries(runs.map((r) => [r.id, { status: r.status, message: r.message }]));
      const status = runs.some((r) => r.status === "error") ? "partial" : "ok";
      await store.conn.run(
        `INSERT INTO runs VALUES ($id, $started::TIMESTAMPTZ, now(), $ver, $params::JSON, $status)`,
        {
          id: runId,
          started: now.toISOString(),
          ver: TOOL_VERSION,
          params: json({ seed, detectors: params, status: statuses }),
          status,
        },
      );
      const findings = await store.conn.createAppender("findings");
      let count = 0;
      try {
        for (const r of runs) {
          for (const f of r.result.findings) {
            findings.appendInteger(runId);
            findings.appendVarchar(f.detector);
            findings.appendVarchar(f.subject);
            findings.appendVarchar(f.strength);
            findings.appendDouble(f.score);
            findings.appendVarchar(f.explanation);
            findings.appendVarchar(json(f.evidence));
            findings.endRow();
          }
          count += r.result.findings.length;
        }
      } finally {
        findings.closeSync();
      }
      step(`${count} findings`);
      for (const r of runs) {
        if (await saveEdges(store, runId, r.result)) step(`${r.id}'s ties`);
      }
    });
  // DuckDB's memory limit while the run is written (set before its transaction, as SET must be): see SAVE_SETTINGS
  await SettingsLease.during(
    store.conn,
    SAVE_SETTINGS,
    (why) => log.warn(`DuckDB's memory limit stays as it is while the run is saved: ${why}`),
    write,
  );
}

/**
 * While a run's findings and ties are written: at most 640 MiB. What DuckDB held beyond its limit while it wrote
 * co-share's 14.7M ties at 10M posts varied from run to run at 1 GiB (the writer's peak 0.63-1.35 GiB above where it
 * began, in 21.6-25.3 s) and far less at 640 MiB (0.62-0.68 GiB, in 20.1-21.1 s); at 384 MiB it was lower still
 * (0.37-0.48 GiB) but the write took 30.6-32.5 s. Without the checkpoints' vacuum (`CaseStore.checkpointAppends`):
 * the transaction only appends, and the checkpoint at its commit spent its time rewriting the partly filled row
 * groups its inserts leave (10M posts: the commit 2.3 s against 3.5 s, one run each, findings.json the same bytes).
 */
const SAVE_SETTINGS = { spareThreads: 0, memoryLimit: "640MiB", vacuum: false } as const;

/**
 * Append a detector's edges to `edges` (the table `edge_rows` behind it): by its own SQL when it writes them itself
 * (`writeEdges`, evidence from columns), else from its edge objects through the appender. The rows land in no
 * particular order (every reader of `edges` orders its rows). Says whether the detector had ties to save.
 */
async function saveEdges(store: CaseStore, runId: number, result: DetectorResult): Promise<boolean> {
  if (result.writeEdges !== undefined) {
    await result.writeEdges(runId);
    return true;
  }
  if (result.edges.length === 0) return false;
  const app = await store.conn.createAppender(EDGE_ROWS);
  try {
    for (const e of result.edges) {
      app.appendInteger(runId);
      app.appendVarchar(String(e.layer));
      app.appendVarchar(e.a);
      app.appendVarchar(e.b);
      app.appendDouble(e.weight);
      app.appendBigInt(BigInt(e.nObjects));
      num(app, e.lift);
      num(app, e.pValue);
      const significant = Boolean(e.evidence["significant"]);
      const evidence = json(e.evidence);
      app.appendBoolean(significant);
      app.appendVarchar(evidence);
      // tier and fast_core (schema version 6): what EVIDENCE_TIER_SQL and EVIDENCE_FAST_CORE_SQL read out of the
      // evidence, stored so that views need not parse every tie's JSON
      app.appendVarchar(edgeTier(e.evidence["tier"], significant));
      app.appendBoolean(evidence.includes('"fast_core":true'));
      // the columns of co-share's and sync's evidence (src/store/edges.ts): this tie's evidence is its JSON, and
      // its accounts are named by their keys, not by number
      for (let c = 0; c < COLUMNS_AFTER_FAST_CORE; c++) app.appendNull();
      app.endRow();
    }
  } finally {
    app.closeSync();
  }
  return true;
}

/**
 * The one detector interface. A detector is a declarative descriptor: its parameters are a zod schema (defaults,
 * ranges and help text, from which CLI flags and UI forms come), it names the evidence it needs, and `run` turns
 * the case into findings and edges. Detectors never import each other and do no I/O of their own: the store, a
 * seeded RNG, a clock, a logger and progress come through the run context. Bad data is never an exception: a
 * detector that cannot apply returns `skipped` with the reason.
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import type { ZodType } from "zod";
import type { DetectorStatus, Edge, Finding, ObjectKind, TieTable } from "../model/index.js";
import type { ShareTables } from "../store/shares.js";
import type { CaseStore } from "../store/case.js";

export type Need = "posts" | "objects" | "accounts" | "messages";

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
}

/**
 * A full garbage collection, for where gigabytes of typed arrays have just become garbage: they live outside the
 * JavaScript heap, only a full collection frees them, and nothing may trigger one before the next step allocates
 * as much again. Node exposes it only behind a flag, which V8 also accepts once running; the function is then
 * fetched from a fresh context (the way test runners' leak detectors do it).
 */
export function collectGarbage(): void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed();
  setFlagsFromString("--expose-gc");
  (runInNewContext("gc") as () => void)();
}

/**
 * A lap timer for logs: each call logs `<prefix><what> in <seconds since the previous call> s` and starts the next
 * lap (the first lap starts when the timer is made).
 */
export function lapLogger(info: (message: string) => void, prefix = ""): (what: string) => void {
  let lap = performance.now();
  return (what) => {
    const now = performance.now();
    info(`${prefix}${what} in ${((now - lap) / 1000).toFixed(2)} s`);
    lap = now;
  };
}

export interface RunContext<P> {
  store: CaseStore;
  params: P;
  /** Seeded uniform [0, 1) generator; the same seed gives the same run. */
  rng: () => number;
  seed: number;
  /** The run's clock (fixed in tests). */
  now: () => Date;
  log: Logger;
  progress: (done: number, total: number, label?: string) => void;
}

export interface DetectorResult {
  status: DetectorStatus;
  /** Why it was skipped or failed; for `ok`, a one-line statement of what was found (or that nothing was). */
  message: string;
  counts: Record<string, number>;
  findings: Finding[];
  /**
   * The ties as objects. A detector that sets `ties` may build these only when they are first read (a getter):
   * the steps after the detectors read `ties` instead.
   */
  edges: Edge[];
  /** The same ties as `edges`, as columns: set by detectors with millions of ties (see TieTable). */
  ties?: TieTable;
  /** Counted warnings a report must state (e.g. viral objects capped). */
  warnings: string[];
  /** Detector-specific facts for the report and findings.json (e.g. the window it chose and why). */
  details?: Record<string, unknown>;
  /**
   * Objects the detector derived from the posts (near-duplicate texts become `text` objects). The runner stores
   * them in `derived_objects` as soon as the detector returns, replacing that detector's earlier ones, so that
   * detectors registered after it (co-share) read them like ingested objects.
   */
  derivedObjects?: DerivedObjects;
  /**
   * Ties written to the case by the detector's own SQL: the runner calls it, inside the run's transaction and with
   * the run's id, instead of serialising `edges`. It must insert into `edges` the same ties as `edges` with their
   * full evidence; `edges` may then leave out evidence that only the case holds (examples). A detector with
   * millions of ties uses it so that their evidence is written by SQL from columns, never as JSON text by
   * JavaScript; whoever needs that evidence after the run reads it from the case.
   */
  writeEdges?: (runId: number) => Promise<void>;
  /**
   * The case's shares as numbers that the detector left in the store's temporary tables (src/store/shares.ts):
   * the campaign step reads its members' shares from them rather than numbering the case again.
   */
  shares?: ShareTables;
}

/**
 * Derived objects, column-wise: row i says that post (`platform[i]`, `postId[i]`) shares the object
 * `values[value[i]]` of kind `kind`. Values are dictionary-encoded because many posts share one value.
 */
export interface DerivedObjects {
  kind: ObjectKind;
  platform: string[];
  postId: string[];
  value: Int32Array;
  values: string[];
}

export interface Detector<P = Record<string, unknown>> {
  id: string;
  version: string;
  summary: string;
  params: ZodType<P>;
  needs: Need[];
  run(ctx: RunContext<P>): Promise<DetectorResult>;
}

export function skipped(message: string): DetectorResult {
  return { status: "skipped", message, counts: {}, findings: [], edges: [], warnings: [] };
}

/** mulberry32: a small, fast, seeded PRNG; good enough for sampling and tie-breaking, not for cryptography. */
export function seededRng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

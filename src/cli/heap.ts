/**
 * How the heavy verbs' process is started. Node's default heap limit is about 4 GiB whatever the machine has; an
 * analysis keeps every tie of every detector in memory until it is saved (co-share and sync as columns, the others
 * as objects with their evidence), and on a few million posts that passes 4 GiB: Node then stops with "JavaScript
 * heap out of memory" after minutes of work. The `chorus` command therefore starts the heavy verbs in a Node with a
 * larger limit, half of the machine's memory, unless the user set one. DuckDB takes its own memory outside that
 * heap, an eighth of the machine's (src/store/case.ts).
 *
 * The second process no longer asks glibc's malloc for transparent huge pages (`glibc.malloc.hugetlb=1`), as it
 * once did: on the VM we measure on, first writes to fresh arrays went from 0.56-0.72x the time of 4 KiB pages to
 * 4.4-13x it (bench/fresh-memory.ts), the kernel's time in co-share's repost layer at 10M posts from 7 s to 25 s,
 * and the analysis of 10M posts was faster without them (docs/design-choices.md). Whether huge pages pay depends on
 * the kernel's settings and on how fragmented the machine's memory is, so the system's default is kept; a user who
 * measures a gain can still set GLIBC_TUNABLES, which the second process inherits.
 *
 * It also gets a young generation of 32 MiB semi-spaces instead of V8's 16 MiB: ingest and the detectors make
 * millions of short-lived objects (parsed records, rows, strings), and with twice the room fewer of them live long
 * enough to be copied by a scavenge (analysis of 1M posts 0.97x the time, its ingest 0.93x; ingest of 10M posts
 * 0.95x the time and CPU; docs/design-choices.md). A semi-space size the user set is kept.
 */

import { totalmem } from "node:os";
import { getHeapStatistics } from "node:v8";

/** Verbs that hold analysis results in memory. */
export const HEAVY_VERBS: ReadonlySet<string> = new Set(["analyze", "detect", "report", "export", "serve"]);

/** Never ask for more than this (MiB). */
const MAX_HEAP_MIB = 64 * 1024;
/** The semi-space size (MiB) the second process is given (V8's default on 64-bit systems is 16). */
export const SEMI_SPACE_MIB = 32;

export interface HeapSituation {
  /** The machine's memory, bytes. */
  totalMemBytes: number;
  /** The heap limit this process has, bytes. */
  heapLimitBytes: number;
  /** Node's own flags and NODE_OPTIONS: a user who set a heap size is obeyed. */
  execArgv: readonly string[];
  nodeOptions: string;
  /** Already started in a second process (never start twice). */
  relaunched: boolean;
  /** The command's arguments. */
  args: readonly string[];
}

/** Whether the command's arguments run a heavy verb (not its help). */
function runsHeavyVerb(args: readonly string[]): boolean {
  const verb = args.find((a) => !a.startsWith("-"));
  if (verb === undefined || !HEAVY_VERBS.has(verb)) return false;
  return !args.includes("--help") && !args.includes("-h");
}

/** The heap limit (MiB) to start the command with, or null to run it in this process as it is. */
export function heapToAsk(s: HeapSituation): number | null {
  if (s.relaunched || !runsHeavyVerb(s.args)) return null;
  const setByUser = (flags: string): boolean => /--max[-_]old[-_]space[-_]size/.test(flags);
  if (setByUser(s.execArgv.join(" ")) || setByUser(s.nodeOptions)) return null;
  const want = Math.min(MAX_HEAP_MIB, Math.floor(s.totalMemBytes / 2 / 2 ** 20));
  const have = Math.floor(s.heapLimitBytes / 2 ** 20);
  // only worth a second process when it buys a clearly larger heap
  return want >= have * 1.25 ? want : null;
}

/** The semi-space size (MiB) to give the second process, or null when the user set one. */
export function semiSpaceToAsk(s: Pick<HeapSituation, "execArgv" | "nodeOptions">): number | null {
  const setByUser = (flags: string): boolean => /--max[-_]semi[-_]space[-_]size/.test(flags);
  return setByUser(s.execArgv.join(" ")) || setByUser(s.nodeOptions) ? null : SEMI_SPACE_MIB;
}

/** This process's situation, for `relaunchPlan`: the machine, Node's heap and flags, the environment. */
export function currentSituation(args: readonly string[], relaunched: boolean): HeapSituation {
  return {
    totalMemBytes: totalmem(),
    heapLimitBytes: getHeapStatistics().heap_size_limit,
    execArgv: process.execArgv,
    nodeOptions: process.env["NODE_OPTIONS"] ?? "",
    relaunched,
    args,
  };
}

/** What the second process is given: a heap limit (MiB) and a semi-space size (MiB, null when the user set one). */
export interface RelaunchPlan {
  heapMib: number;
  semiSpaceMib: number | null;
}

/**
 * How to start the command in a second process, or null to run it in this one: the heavy verbs get the heap of
 * `heapToAsk` unless the user set one or it would change nothing, and when they are started again for it, the
 * semi-spaces of `semiSpaceToAsk` (not worth a second process on their own).
 */
export function relaunchPlan(s: HeapSituation): RelaunchPlan | null {
  const heapMib = heapToAsk(s);
  if (heapMib === null) return null;
  return { heapMib, semiSpaceMib: semiSpaceToAsk(s) };
}

/** The Node flags that start the second process as `plan` says. */
export function relaunchSettings(plan: RelaunchPlan): string[] {
  const flags = [`--max-old-space-size=${plan.heapMib}`];
  if (plan.semiSpaceMib !== null) flags.push(`--max-semi-space-size=${plan.semiSpaceMib}`);
  return flags;
}

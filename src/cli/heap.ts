/**
 * How the heavy verbs' process is started. Node's default heap limit is about 4 GiB whatever the machine has; an
 * analysis keeps every tie of every detector in memory until it is saved (co-share and sync as columns, the others
 * as objects with their evidence), and on a few million posts that passes 4 GiB: Node then stops with "JavaScript
 * heap out of memory" after minutes of work. The `chorus` command therefore starts the heavy verbs in a Node with a
 * larger limit, half of the machine's memory, unless the user set one. DuckDB takes its own memory outside that
 * heap, an eighth of the machine's (src/store/case.ts).
 *
 * The same second process asks glibc's malloc for transparent huge pages (`glibc.malloc.hugetlb=1` in
 * GLIBC_TUNABLES, glibc 2.35 and later). The detectors' typed arrays are allocated by malloc, hundreds of MB at a
 * time, and first writing fresh memory is a page fault per 4 KiB page: on the 2-core VM we measure on, touching
 * 2 GiB of new arrays took 11.3-13.1 s with 4 KiB pages and 7.1-9.1 s with 2 MiB ones (bench/fresh-memory.ts), and
 * an analysis of 10M posts 0.93x the time at a 7% higher peak (docs/design-choices.md). Where the system gives
 * huge pages only on request (`madvise`, the usual setting) the tunable asks for them; where it gives them always
 * or never, and on other C libraries and systems, it changes nothing. A value the user set for the tunable is kept.
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

/** The glibc tunable that makes malloc ask for transparent huge pages (see the top of this file). */
export const HUGE_PAGES_TUNABLE = "glibc.malloc.hugetlb=1";

/**
 * GLIBC_TUNABLES for a process that should have huge pages: `current` (the environment's value, colon-separated
 * `name=value` pairs) with `HUGE_PAGES_TUNABLE` added, or null when there is nothing to add: not Linux, or the
 * user already set `glibc.malloc.hugetlb` to something, which is kept.
 */
export function hugePageTunables(current: string | undefined, platform: string): string | null {
  if (platform !== "linux") return null;
  const set = (current ?? "").split(":").filter((t) => t !== "");
  if (set.some((t) => t.split("=")[0] === "glibc.malloc.hugetlb")) return null;
  return [...set, HUGE_PAGES_TUNABLE].join(":");
}

export interface LaunchSituation extends HeapSituation {
  /** `process.platform`. */
  platform: string;
  /** GLIBC_TUNABLES in the environment, if any. */
  glibcTunables: string | undefined;
}

/** This process's situation, for `relaunchPlan`: the machine, Node's heap and flags, the environment. */
export function currentSituation(args: readonly string[], relaunched: boolean): LaunchSituation {
  return {
    totalMemBytes: totalmem(),
    heapLimitBytes: getHeapStatistics().heap_size_limit,
    execArgv: process.execArgv,
    nodeOptions: process.env["NODE_OPTIONS"] ?? "",
    relaunched,
    args,
    platform: process.platform,
    glibcTunables: process.env["GLIBC_TUNABLES"],
  };
}

/**
 * What the second process is given: a heap limit (MiB), a semi-space size (MiB) and GLIBC_TUNABLES, each null when
 * left as it is.
 */
export interface RelaunchPlan {
  heapMib: number | null;
  semiSpaceMib: number | null;
  glibcTunables: string | null;
}

/**
 * How to start the command in a second process, or null to run it in this one: the heavy verbs get the heap of
 * `heapToAsk` and huge pages for malloc, each unless the user set it or it would change nothing, and when they are
 * started again for either, the semi-spaces of `semiSpaceToAsk` (not worth a second process on their own).
 */
export function relaunchPlan(s: LaunchSituation): RelaunchPlan | null {
  if (s.relaunched || !runsHeavyVerb(s.args)) return null;
  const heapMib = heapToAsk(s);
  const glibcTunables = hugePageTunables(s.glibcTunables, s.platform);
  if (heapMib === null && glibcTunables === null) return null;
  return { heapMib, semiSpaceMib: semiSpaceToAsk(s), glibcTunables };
}

/** The Node flags and the environment variables to add that start the second process as `plan` says. */
export function relaunchSettings(plan: RelaunchPlan): { flags: string[]; env: Record<string, string> } {
  const flags: string[] = [];
  if (plan.heapMib !== null) flags.push(`--max-old-space-size=${plan.heapMib}`);
  if (plan.semiSpaceMib !== null) flags.push(`--max-semi-space-size=${plan.semiSpaceMib}`);
  return {
    flags,
    env: plan.glibcTunables !== null ? { GLIBC_TUNABLES: plan.glibcTunables } : {},
  };
}

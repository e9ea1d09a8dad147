/**
 * How much JavaScript heap the heavy verbs ask for. Node's default heap limit is about 4 GiB whatever the machine
 * has; an analysis keeps every tie of every detector in memory until it is saved (co-share and sync as columns,
 * the others as objects with their evidence), and on a few million posts that passes 4 GiB: Node then stops with
 * "JavaScript heap out of memory" after minutes of work. The `chorus` command therefore starts the heavy verbs in a
 * Node with a larger limit, half of the machine's memory, unless the user set one. DuckDB takes its own memory
 * outside that heap, an eighth of the machine's (src/store/case.ts).
 */

/** Verbs that hold analysis results in memory. */
export const HEAVY_VERBS: ReadonlySet<string> = new Set(["analyze", "detect", "report", "export", "serve"]);

/** Never ask for more than this (MiB). */
const MAX_HEAP_MIB = 64 * 1024;

export interface HeapSituation {
  /** The machine's memory, bytes. */
  totalMemBytes: number;
  /** The heap limit this process has, bytes. */
  heapLimitBytes: number;
  /** Node's own flags and NODE_OPTIONS: a user who set a heap size is obeyed. */
  execArgv: readonly string[];
  nodeOptions: string;
  /** Already started with a larger heap (never start twice). */
  relaunched: boolean;
  /** The command's arguments. */
  args: readonly string[];
}

/** The heap limit (MiB) to start the command with, or null to run it in this process as it is. */
export function heapToAsk(s: HeapSituation): number | null {
  if (s.relaunched) return null;
  const verb = s.args.find((a) => !a.startsWith("-"));
  if (verb === undefined || !HEAVY_VERBS.has(verb)) return null;
  if (s.args.includes("--help") || s.args.includes("-h")) return null;
  const setByUser = (flags: string): boolean => /--max[-_]old[-_]space[-_]size/.test(flags);
  if (setByUser(s.execArgv.join(" ")) || setByUser(s.nodeOptions)) return null;
  const want = Math.min(MAX_HEAP_MIB, Math.floor(s.totalMemBytes / 2 / 2 ** 20));
  const have = Math.floor(s.heapLimitBytes / 2 ** 20);
  // only worth a second process when it buys a clearly larger heap
  return want >= have * 1.25 ? want : null;
}

/** Small helpers shared by the commands: option parsing, input expansion, number formatting. */
import { readdirSync, statSync, type BigIntStats, type Stats } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { InvalidArgumentError } from "commander";

export class UsageError extends Error {
  override name = "UsageError";
}

/** `--map field=column`, repeatable. */
export function collectMap(value: string, prev: Record<string, string> | undefined): Record<string, string> {
  const eq = value.indexOf("=");
  if (eq <= 0 || eq === value.length - 1) {
    throw new InvalidArgumentError(`expected field=column, got '${value}'`);
  }
  const field = value.slice(0, eq).trim();
  const column = value.slice(eq + 1).trim();
  // a second column for one field would silently win over the first
  const before = prev !== undefined && Object.hasOwn(prev, field) ? prev[field] : undefined;
  if (before !== undefined && before !== column) {
    throw new InvalidArgumentError(
      `${field} is mapped twice (to ${before} and to ${column}): map each field once`,
    );
  }
  return { ...prev, [field]: column };
}

export function parseBytes(value: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([kmg]i?b?|b)?$/i.exec(value.trim());
  if (!m) throw new InvalidArgumentError(`expected a size like 16MB, got '${value}'`);
  const n = Number(m[1]);
  const unit = (m[2] ?? "b").toLowerCase()[0];
  const mult = unit === "k" ? 1024 : unit === "m" ? 1024 ** 2 : unit === "g" ? 1024 ** 3 : 1;
  const bytes = Math.round(n * mult);
  // no record fits in nothing: a size of 0 would reject every row
  if (bytes < 1) throw new InvalidArgumentError(`expected a size of at least 1 byte, got '${value}'`);
  return bytes;
}

const INPUT_TYPES = ["jsonl", "ndjson", "json", "csv", "tsv", "txt", "eml", "mbox", "mbx", "msg"];
export const INPUT_EXTENSIONS = new RegExp(`\\.(${INPUT_TYPES.join("|")})(\\.gz)?$`, "i");
/** The file types a directory is read for, in words (help and messages). */
export const INPUT_NAMES = INPUT_TYPES.map((t) => `.${t}`).join(", ");

/**
 * Files named on the command line; a directory stands for the files inside it whose names match `extensions`
 * (recursively, sorted, hidden ones skipped; `onSkipped` hears of the others). A path that does not exist is kept
 * for the caller to report, unless `onMissing` says otherwise (e.g. by throwing).
 */
export function expandInputs(
  paths: string[],
  opts: { extensions?: RegExp; onMissing?: (path: string) => void; onSkipped?: (path: string) => void } = {},
): string[] {
  const extensions = opts.extensions ?? INPUT_EXTENSIONS;
  const out: string[] = [];
  // directories and files by device and inode (as big integers: some file systems number past 2^53): a symbolic
  // link back up the tree is read once, not until the path is too long, and a file reached twice is listed once
  const seen = new Set<string>();
  const first = (st: BigIntStats): boolean => {
    const id = `${st.dev}:${st.ino}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  };
  const walk = (dir: string, st: BigIntStats): void => {
    if (!first(st)) return;
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch (e) {
      throw new UsageError(
        `cannot read the directory ${dir}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`,
      );
    }
    for (const name of names) {
      if (name.startsWith(".")) continue;
      const p = join(dir, name);
      let entry: BigIntStats;
      try {
        entry = statSync(p, { bigint: true });
      } catch {
        // a broken link (or one that loops) named like an input: the ingest step refuses it with the reason
        if (extensions.test(name)) out.push(p);
        continue;
      }
      if (entry.isDirectory()) walk(p, entry);
      else if (entry.isFile() && extensions.test(name) && first(entry)) out.push(p);
      else if (entry.isFile() && !extensions.test(name)) opts.onSkipped?.(p);
    }
  };
  for (const p of paths) {
    let st: BigIntStats;
    try {
      st = statSync(p, { bigint: true });
    } catch {
      if (opts.onMissing) opts.onMissing(p);
      else out.push(p); // reported by the ingest step with the reason
      continue;
    }
    if (st.isDirectory()) walk(p, st);
    else {
      // a file named on the command line is listed each time it is named (the ingest says it has it already)
      first(st);
      out.push(p);
    }
  }
  return out;
}

export const fmt = (n: number): string => n.toLocaleString("en-US");

/**
 * A count with its noun, the noun in the plural unless the count is one (`plural` when it is not the noun and "s").
 *
 * @example
 * count(1, "post"); // "1 post"
 * count(4802, "post"); // "4,802 posts"
 */
export const count = (n: number, noun: string, plural = `${noun}s`): string =>
  `${fmt(n)} ${n === 1 ? noun : plural}`;

/** An integer option at least `min`; anything else is a usage error naming the option. */
export function intOption(name: string, min: number): (value: string) => number {
  return (value: string) => {
    if (!/^-?\d+$/.test(value.trim()))
      throw new InvalidArgumentError(`${name} must be a whole number, got '${value}'`);
    const n = Number(value);
    if (n < min) throw new InvalidArgumentError(`${name} must be at least ${min}, got ${n}`);
    return n;
  };
}

/** A number option within [min, max]. */
export function numberOption(name: string, min: number, max: number): (value: string) => number {
  return (value: string) => {
    const n = Number(value);
    if (value.trim() === "" || !Number.isFinite(n))
      throw new InvalidArgumentError(`${name} must be a number, got '${value}'`);
    if (n < min || n > max)
      throw new InvalidArgumentError(`${name} must be between ${min} and ${max}, got ${n}`);
    return n;
  };
}

function statOrNull(path: string): Stats | null {
  try {
    return statSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return null;
    throw err;
  }
}

/** The nearest folder above `path` that exists, and whether it is a folder (a file there stops every write below). */
function nearestExisting(path: string): { path: string; isDirectory: boolean } {
  let p = path;
  for (;;) {
    const st = statOrNull(p);
    if (st) return { path: p, isDirectory: st.isDirectory() };
    const up = dirname(p);
    if (up === p) return { path: p, isDirectory: true };
    p = up;
  }
}

/**
 * Refuse an `-o` folder that cannot be one (an existing file, or a path under a file) before any work is done, so
 * that a long run does not fail at its last step. `what` says what is written there.
 *
 * @example checkOutDir(flags.out, "detect writes findings.json and report.html there")
 */
export function checkOutDir(path: string, what = "the files are written there"): void {
  const st = statOrNull(path);
  if (st && !st.isDirectory()) throw new UsageError(`-o ${path}: not a directory (${what})`);
  if (!st) {
    const above = nearestExisting(path);
    if (!above.isDirectory) throw new UsageError(`-o ${path}: ${above.path} is a file, not a directory`);
  }
}

/** A file a command reads and must not write over: the case, its write-ahead log, an input. */
export interface KeptFile {
  path: string;
  /** What it is, for the message: "the case file". */
  what: string;
}

/**
 * Refuse to write `out` when it is one of `kept` (the same path, or another name of the same file): writing a
 * report or an export over the case it reads would destroy the case. `label` names what gives `out` in the message.
 *
 * @example checkNotOverwriting(flags.out, caseFiles(flags.case))
 */
export function checkNotOverwriting(out: string, kept: readonly KeptFile[], label = `-o ${out}`): void {
  const st = statOrNull(out);
  for (const k of kept) {
    const other = statOrNull(k.path);
    const same =
      resolve(out) === resolve(k.path) ||
      (st !== null && other !== null && st.dev === other.dev && st.ino === other.ino);
    if (same) {
      throw new UsageError(
        `${label}: that is ${k.what} (${k.path}); writing there would destroy it: name another`,
      );
    }
  }
}

/** The files of a case that no output may replace: the case file and DuckDB's write-ahead log beside it. */
export function caseFiles(casePath: string): KeptFile[] {
  return [
    { path: casePath, what: "the case file" },
    { path: `${casePath}.wal`, what: "the case's write-ahead log" },
  ];
}

/** Refuse an `-o` file that cannot be written as one (an existing folder, or a path under a file) before any work. */
export function checkOutFile(path: string, example: string): void {
  const st = statOrNull(path);
  if ((st && st.isDirectory()) || /[\\/]$/.test(path)) {
    throw new UsageError(`-o ${path}: a directory; name the file to write, e.g. ${join(path, example)}`);
  }
  if (!st) {
    const above = nearestExisting(dirname(path));
    if (!above.isDirectory) throw new UsageError(`-o ${path}: ${above.path} is a file, not a directory`);
  }
}

/**
 * `s` as one word of a shell command a user can paste: as it is when it holds only characters no shell reads
 * specially, else in single quotes (a quote inside written as '\'').
 *
 * @example shellWord("my case.duckdb"); // "'my case.duckdb'"
 */
export function shellWord(s: string): string {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * The files of input directories that were not read, in words: how many, by extension ("2 .xlsx, 1 .zip"), or null
 * for none.
 */
export function skippedNote(paths: readonly string[]): string | null {
  if (paths.length === 0) return null;
  const byExt = new Map<string, number>();
  for (const p of paths) {
    const ext = /(\.[^./\\]+)$/.exec(p)?.[1]?.toLowerCase() ?? "(no extension)";
    byExt.set(ext, (byExt.get(ext) ?? 0) + 1);
  }
  const kinds = [...byExt]
    .sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))
    .map(([e, n]) => `${n} ${e}`)
    .join(", ");
  return (
    `${paths.length} file${paths.length === 1 ? "" : "s"} in the directories ${paths.length === 1 ? "was" : "were"} ` +
    `not read (${kinds}): a directory is read for ${INPUT_NAMES}, optionally .gz; unzip archives and save ` +
    `spreadsheets as CSV UTF-8 to read them`
  );
}

const INTERRUPTS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

/**
 * Until the returned function is called, an interruption (Ctrl-C, SIGTERM, SIGHUP) first prints `notice()` on
 * stderr, then ends the process as the signal would have (exit status 128 + its number), so that a person who
 * stops a long ingest or analysis is told what the case holds. Other listeners for the signal (the scratch folders'
 * removal) still run.
 */
export function noticeOnInterrupt(io: { err(line: string): void }, notice: () => string): () => void {
  const onSignal = (signal: NodeJS.Signals): void => {
    stop();
    io.err(notice());
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };
  const stop = (): void => {
    for (const s of INTERRUPTS) process.off(s, onSignal);
  };
  for (const s of INTERRUPTS) process.on(s, onSignal);
  return stop;
}

/** `chorus ingest`: read input files into a case. */
import { lstatSync, rmSync } from "node:fs";
import { Command, InvalidArgumentError, Option } from "commander";
import { OBJECT_KINDS, type InputSummary, type ObjectKind } from "../model/index.js";
import { ingestFile, DEFAULT_MAX_RECORD_BYTES } from "../ingest/ingest.js";
import { ADAPTERS } from "../ingest/registry.js";
import { timeZone } from "../normalize/time.js";
import { IngestError } from "../ingest/types.js";
import { commonRejects, type RejectReason } from "../report/html/data.js";
import { CaseStore } from "../store/case.js";
import { makeProgress } from "./progress.js";
import { oneLine } from "./terminal.js";
import {
  collectMap,
  count,
  expandInputs,
  fmt,
  INPUT_NAMES,
  noticeOnInterrupt,
  skippedNote,
  parseBytes,
  shellWord,
  UsageError,
} from "./util.js";
import type { Io } from "./main.js";

export const DEFAULT_CASE = "./chorus-case.duckdb";

export interface IngestFlags {
  case: string;
  format?: string;
  map?: Record<string, string>;
  platform?: string;
  objectKind?: ObjectKind;
  delimiter?: string;
  timeZone?: string;
  maxRecordBytes: number;
  json?: boolean;
  progress: boolean;
}

export interface IngestRun {
  case: string;
  inputs: InputSummary[];
  failed: Array<{ path: string; error: string }>;
}

/** Add the ingest options shared by `ingest` and `analyze`. */
export function addIngestOptions(cmd: Command): Command {
  return cmd
    .addOption(
      new Option("--format <name>", "force the input format instead of sniffing it").choices(
        ADAPTERS.map((a) => a.id),
      ),
    )
    .option(
      "--map <field=column>",
      "csv: name the column that holds a field (repeatable); implies --format csv",
      collectMap,
    )
    .option(
      "--platform <name>",
      "platform to record when the input does not say (csv, coortweet): letters, digits, '_', '.', '-'",
      (v: string) => {
        if (!/^[A-Za-z0-9_.-]{1,64}$/.test(v)) {
          throw new InvalidArgumentError(
            "a platform name is ASCII letters, digits, '_', '.' and '-', at most 64 (e.g. facebook, vk)",
          );
        }
        return v.toLowerCase();
      },
    )
    .addOption(
      new Option("--object-kind <kind>", "coortweet: what object_id holds (default repost)").choices([
        ...OBJECT_KINDS,
      ]),
    )
    .option("--delimiter <char>", "csv: field delimiter (sniffed by default)")
    .option(
      "--time-zone <zone>",
      "the zone of times written without one (csv, native JSONL, twitter-v2's created_at re-saved without its Z, Telegram's `date`): UTC, +03:30, Asia/Tehran; " +
        "without it such times are refused (Telegram's `date` is read as UTC)",
      (v: string) => {
        if (timeZone(v) === null) {
          throw new InvalidArgumentError(
            "not a time zone: UTC, an offset such as +03:30, or a name such as Asia/Tehran",
          );
        }
        return v;
      },
    )
    .option(
      "--max-record-bytes <size>",
      "longest record accepted; longer ones are rejected",
      parseBytes,
      DEFAULT_MAX_RECORD_BYTES,
    );
}

/**
 * The format forced on every input: --format, else csv when --map names columns (only the csv format reads
 * them; sniffing a table whose columns are not named as ours would not recognise it, and the --map given would be
 * ignored).
 */
function forcedFormat(flags: Pick<IngestFlags, "format" | "map">): string | undefined {
  const mapped = Object.keys(flags.map ?? {}).length > 0;
  if (mapped && flags.format !== undefined && flags.format !== "csv") {
    throw new UsageError(
      `--map names the columns of the csv format; it cannot be used with --format ${flags.format}`,
    );
  }
  return flags.format ?? (mapped ? "csv" : undefined);
}

export async function runIngest(paths: string[], flags: IngestFlags, io: Io): Promise<IngestRun> {
  const format = forcedFormat(flags);
  const skipped: string[] = [];
  const files = expandInputs(paths, { onSkipped: (p) => skipped.push(p) });
  const note = skippedNote(skipped);
  if (note) io.err(`chorus: note: ${note}`);
  if (files.length === 0) {
    throw new IngestError(
      `no input files found in ${paths.join(", ")} (a directory is read for ${INPUT_NAMES}, optionally .gz)`,
    );
  }
  // a case this run creates is removed again when no input was stored in it: a refused input (a mistyped path, say)
  // leaves the directory as it was, without an empty case file in it
  const created = lstatSync(flags.case, { throwIfNoEntry: false }) === undefined;
  const store = await CaseStore.open(flags.case);
  const run: IngestRun = { case: flags.case, inputs: [], failed: [] };
  const progress = makeProgress(flags.progress && !flags.json);
  let reading = "";
  const stopNotice = noticeOnInterrupt(io, () => {
    progress.stop();
    const kept = run.inputs.filter((i) => !i.skipped).length;
    return (
      `chorus: interrupted while reading ${oneLine(reading)}: nothing of it was stored (an input is stored whole ` +
      `or not at all)${kept > 0 ? `; the ${count(kept, "input")} read before it ${kept === 1 ? "is" : "are"} in ${oneLine(flags.case)}` : ""}. ` +
      `Run the same command again to go on: inputs already in the case are skipped.`
    );
  });
  try {
    for (const path of files) {
      reading = path;
      progress.start(path, 1);
      try {
        const summary = await ingestFile(store, path, {
          ...(format ? { format } : {}),
          map: flags.map ?? {},
          ...(flags.platform ? { platform: flags.platform } : {}),
          ...(flags.objectKind ? { objectKind: flags.objectKind } : {}),
          ...(flags.delimiter ? { delimiter: flags.delimiter } : {}),
          ...(flags.timeZone ? { timeZone: flags.timeZone } : {}),
          maxRecordBytes: flags.maxRecordBytes,
          onProgress: (p) => {
            progress.start(path, p.bytesTotal);
            progress.update(p.bytesRead, `${fmt(p.rows)} rows`);
          },
        });
        progress.stop();
        run.inputs.push(summary);
        if (!flags.json) {
          const rejects =
            !summary.skipped && summary.rowsRejected > 0
              ? await commonRejects(store, { inputId: summary.id, reasons: REJECT_REASONS_SHOWN, lines: 3 })
              : [];
          io.out(describeInput(summary, rejects));
        }
      } catch (err) {
        progress.stop();
        if (!(err instanceof IngestError)) throw err;
        run.failed.push({ path, error: err.message });
        io.err(`chorus: refused ${oneLine(err.message)}`);
      }
    }
  } finally {
    stopNotice();
    progress.stop();
    store.close();
    if (created && run.inputs.length === 0) removeCaseFile(flags.case);
  }
  if (flags.json) io.out(JSON.stringify(run, null, 2));
  else io.out(describeTotals(run));
  return run;
}

/** Remove a case file and its write-ahead log. */
function removeCaseFile(path: string): void {
  for (const f of [path, `${path}.wal`]) rmSync(f, { force: true });
}

/** Reasons for rejecting rows listed under an input, commonest first. */
const REJECT_REASONS_SHOWN = 3;

/**
 * What reading an input did, and under it why rows were rejected (the commonest reasons of `rejects`, with their
 * first lines) and a warning when most were: a whole file rejected for one reason is usually a misread format or
 * column, which the user can fix only by seeing the reason.
 */
export function describeInput(s: InputSummary, rejects: readonly RejectReason[] = []): string {
  if (s.skipped) {
    // the rows it could not read then are still not read: a larger --max-record-bytes or a fixed --map now changes
    // nothing, which the user must be told
    const rejected =
      s.rowsRejected > 0
        ? `; the ${count(s.rowsRejected, "row")} it rejected then ${s.rowsRejected === 1 ? "stays" : "stay"} ` +
          `rejected ('chorus rejects' lists ${s.rowsRejected === 1 ? "it" : "them"}; to read the file again with ` +
          `other options, ingest it into a new case)`
        : "";
    const line = `= ${oneLine(s.path)}: already in the case (same sha256), nothing to do${rejected}`;
    if (s.earlierOptions === undefined) return line;
    // a corrected --map or --platform would otherwise be ignored without a word
    return (
      `${line}\n  warning: it was read before with ${oneLine(s.earlierOptions)}; the options given now are not ` +
      `applied. To read it with them, ingest it into a new case (--case)`
    );
  }
  const parts = [
    count(s.postsStored, "post"),
    count(s.accountsStored, "new account"),
    count(s.objectsStored, "shared object"),
  ];
  if (s.postsDuplicate) parts.push(`${count(s.postsDuplicate, "duplicate post")} skipped`);
  if (s.rowsRejected) parts.push(`${count(s.rowsRejected, "row")} rejected`);
  if (s.fieldsDropped) parts.push(`${count(s.fieldsDropped, "profile field")} left out (posts kept)`);
  const lines = [`+ ${oneLine(s.path)} [${s.format}] ${count(s.rowsRead, "row")}: ${parts.join(", ")}`];
  if (s.rowsRejected && rejects.length > 0) {
    const head = `  ${fmt(s.rowsRejected)} rejected: `;
    const shown = rejects.slice(0, REJECT_REASONS_SHOWN);
    shown.forEach((r, i) => {
      const more = r.n > r.first.length ? ", …" : "";
      const where = `line${r.first.length === 1 ? "" : "s"} ${r.first.map((f) => f.line).join(", ")}${more}`;
      lines.push(`${i === 0 ? head : " ".repeat(head.length)}${fmt(r.n)} × "${r.reason}" (${where})`);
    });
    const rest = s.rowsRejected - shown.reduce((n, r) => n + r.n, 0);
    if (rest > 0)
      lines.push(
        `${" ".repeat(head.length)}and ${fmt(rest)} more for other reasons (in the case's rejects table: see below)`,
      );
  } else if (s.rowsRejected) lines[0] += " (see the case's rejects table)";
  for (const reason of s.fieldReasons ?? []) lines.push(`  ${reason}`);
  const other = otherAccountWarning(s);
  if (other) lines.push(`  warning: ${other}`);
  // a row of some formats holds many posts (a page of an API response), each rejected on its own: the posts read
  // are then more than the rows ("4 of 3 rows were rejected")
  const read = Math.max(s.rowsRead, s.rowsRejected + s.postsStored + s.postsDuplicate);
  if (s.rowsRejected * 2 > read) {
    const unit = read > s.rowsRead ? "posts" : "rows";
    lines.push(
      `  warning: ${fmt(s.rowsRejected)} of ${fmt(read)} ${unit} were rejected: if the input was read as the ` +
        `wrong format, name it with --format; if its columns were misread, name them with --map ` +
        `(see 'chorus formats')`,
    );
  }
  return lines.join("\n");
}

/**
 * The warning for an input's posts dropped as repeats of a stored post's id by another account (two sources' ids
 * meeting, not a post read twice), or null when there were none. Said by `ingest` under the input and by
 * `analyze` on its own line.
 */
export function otherAccountWarning(s: InputSummary): string | null {
  if (!s.duplicatesOtherAccount) return null;
  return (
    `${fmt(s.duplicatesOtherAccount)} of the duplicate posts were by another account than the post stored under ` +
    `their id: these may be two sources' posts whose ids meet (two platforms' posts under one platform name), ` +
    `dropped as repeats; if so, name each input's platform with --platform`
  );
}

/** Where to read the rejected rows of a case: the command to run, for a summary line. */
export function rejectsHint(casePath: string, rejected: number): string {
  return rejected > 0 ? ` (list them: chorus rejects --case ${oneLine(shellWord(casePath))})` : "";
}

function describeTotals(run: IngestRun): string {
  const posts = run.inputs.reduce((n, s) => n + s.postsStored, 0);
  const rejected = run.inputs.reduce((n, s) => n + (s.skipped ? 0 : s.rowsRejected), 0);
  const failed = run.failed.length ? `, ${run.failed.length} refused` : "";
  return `case ${run.case}: ${count(run.inputs.length, "file")} read${failed}; ${count(posts, "post")} added, ${count(rejected, "row")} rejected${rejectsHint(run.case, rejected)}`;
}

export function ingestCommand(io: Io): Command {
  const cmd = new Command("ingest")
    .summary("read input files into a case")
    .description(
      "Read posts from input files (or directories of them) into a case file. The format of each file is sniffed; " +
        "each file is stored in one transaction, the same bytes are never read twice, and posts already in the case " +
        "are not duplicated. Malformed rows are kept in the case's rejects table with their line and reason " +
        "('chorus rejects' lists them).",
    )
    .argument("<inputs...>", `files or directories (a directory is read for ${INPUT_NAMES}, optionally .gz)`)
    .option("--case <path>", "the case file", DEFAULT_CASE)
    .option("--json", "print a machine-readable summary")
    .option("--no-progress", "never show a progress bar");
  addIngestOptions(cmd);
  cmd.addHelpText(
    "after",
    `
Examples:
  $ chorus ingest tweets.jsonl
  $ chorus ingest --case iran.duckdb exports/ telegram/result.json
  $ chorus ingest --map post_id=ID --map account_id=Author --map ts=Date --platform facebook posts.csv
  $ chorus ingest --format coortweet --object-kind url shares.csv.gz --json`,
  );
  cmd.action(async (inputs: string[], flags: IngestFlags) => {
    const run = await runIngest(inputs, flags, io);
    // as analyze: every input refused is nothing done (2), some refused is done in part (1)
    if (run.failed.length > 0) io.setExitCode(run.inputs.length === 0 ? 2 : 1);
  });
  return cmd;
}

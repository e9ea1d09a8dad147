/**
 * `chorus rejects`: the rows that ingest could not read, listed from the case's `rejects` table with their file,
 * row and reason and the start of the row itself, so that an investigator can find and mend them without SQL. The
 * ingest summary names only the commonest reasons and their first rows.
 */
import { Command } from "commander";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { csvRows, csvTable } from "../report/export/csv.js";
import { writeWholeBy } from "../report/write-whole.js";
import { CaseStore } from "../store/case.js";
import { caseFiles, checkNotOverwriting, checkOutFile, fmt, intOption, UsageError } from "./util.js";
import { oneLine } from "./terminal.js";
import type { Io } from "./main.js";

/** The columns of `--csv`. */
const CSV_HEADER = ["input_id", "path", "row", "reason", "raw"];

/** Rows listed on the terminal unless `--limit` says otherwise. */
const DEFAULT_SHOWN = 50;
/** Characters of a row's text shown under it on the terminal (the case keeps up to 2,048). */
const RAW_SHOWN = 200;

export interface RejectRow {
  input_id: number;
  path: string;
  row: number;
  reason: string;
  raw: string | null;
}

export interface RejectFilter {
  /** An input's id, or its path as ingest stored it, or the end of that path ("posts.csv"). */
  input?: string;
  /** Text the reason contains, in any case. */
  reason?: string;
}

/**
 * The inputs that `input` names: the id when it is a number that is one, else the inputs whose stored path is it or
 * ends with it after a slash. A name that matches no input is a `UsageError` that lists the inputs.
 */
async function inputIds(store: CaseStore, input: string): Promise<number[]> {
  const inputs = await store.all<{ id: number; path: string }>("SELECT id, path FROM inputs ORDER BY id");
  const byId = /^[0-9]+$/.test(input) ? inputs.filter((i) => i.id === Number(input)) : [];
  if (byId.length > 0) return byId.map((i) => i.id);
  const tail = input.replace(/^\.\//, "");
  const named = inputs.filter((i) => i.path === input || i.path === tail || i.path.endsWith(`/${tail}`));
  if (named.length > 0) return named.map((i) => i.id);
  const known = inputs.map((i) => `${i.id} ${oneLine(i.path)}`);
  throw new UsageError(
    `--input ${oneLine(input)}: no input of the case has that id or path` +
      (known.length === 0 ? " (the case has no inputs)" : `; its inputs: ${known.slice(0, 20).join(", ")}`) +
      (known.length > 20 ? `, and ${known.length - 20} more` : ""),
  );
}

/** Rows read from the case per query when every rejected row is written out: memory stays a page's. */
const PAGE = 5_000;

/** The SQL condition (on `rejects r`) and parameters that `filter` makes. */
async function filterSql(
  store: CaseStore,
  filter: RejectFilter,
): Promise<{ cond: string; params: Record<string, string | number> }> {
  const where: string[] = [];
  const params: Record<string, string | number> = {};
  if (filter.input !== undefined) {
    const ids = await inputIds(store, filter.input);
    where.push(`r.input_id IN (${ids.join(", ")})`);
  }
  if (filter.reason !== undefined) {
    where.push("contains(lower(r.reason), lower($reason))");
    params["reason"] = filter.reason;
  }
  return { cond: where.length === 0 ? "true" : where.join(" AND "), params };
}

/**
 * The rejected rows that `filter` picks, in input and row order (then as stored), the first `limit` of them (all
 * when undefined), a page at a time: a case may hold millions of rejects of 2 KiB each, more than one string or
 * one array of objects can hold.
 */
export async function* rejectPages(
  store: CaseStore,
  filter: RejectFilter,
  limit?: number,
): AsyncGenerator<RejectRow[]> {
  const { cond, params } = await filterSql(store, filter);
  let after = { input: -1, row: -1, id: -1 };
  let left = limit ?? Number.POSITIVE_INFINITY;
  while (left > 0) {
    const rows = await store.all<RejectRow & { rid: number }>(
      `SELECT r.input_id, coalesce(i.path, '?') AS path, r.source_row::DOUBLE AS row, r.reason, r.raw,
              r.rowid::DOUBLE AS rid
         FROM rejects r LEFT JOIN inputs i ON i.id = r.input_id
        WHERE ${cond}
          AND (r.input_id > $ai OR (r.input_id = $ai AND (r.source_row > $ar
               OR (r.source_row = $ar AND r.rowid > $aid))))
        ORDER BY r.input_id, r.source_row, r.rowid
        LIMIT $page`,
      { ...params, ai: after.input, ar: after.row, aid: after.id, page: Math.min(PAGE, left) },
    );
    if (rows.length === 0) return;
    const last = rows[rows.length - 1]!;
    after = { input: last.input_id, row: last.row, id: last.rid };
    left -= rows.length;
    yield rows.map(({ rid: _rid, ...r }) => r);
  }
}

/** How many rejected rows `filter` picks. */
export async function countRejects(store: CaseStore, filter: RejectFilter): Promise<number> {
  const { cond, params } = await filterSql(store, filter);
  return (await store.scalar<number>(`SELECT count(*)::DOUBLE FROM rejects r WHERE ${cond}`, params)) ?? 0;
}

/** The rejected rows that `filter` picks, the first `limit` of them (all when undefined), and how many match. */
export async function listRejects(
  store: CaseStore,
  filter: RejectFilter,
  limit?: number,
): Promise<{ rows: RejectRow[]; total: number }> {
  const rows: RejectRow[] = [];
  for await (const page of rejectPages(store, filter, limit)) rows.push(...page);
  return { rows, total: await countRejects(store, filter) };
}

/** The start of a rejected row on one line: line breaks and tabs written as `\n`, `\r`, `\t`, cut at `max`. */
function rawLine(raw: string | null, max: number): string {
  if (raw === null || raw === "") return "(no text kept)";
  const one = oneLine(raw).replace(/\t/g, "\\t");
  const chars = Array.from(one);
  return chars.length <= max ? one : `${chars.slice(0, max).join("")}…`;
}

export function rejectsCommand(io: Io): Command {
  return new Command("rejects")
    .summary("list the rows ingest could not read, with their file, row and reason")
    .description(
      "List the rows of a case's inputs that ingest rejected (malformed lines, missing ids, unreadable times, " +
        "...), each with its input file, its row (the line in JSON Lines and CSV, the record's place in a JSON " +
        "document), the reason, and the start of the row as it was read (the case keeps its first 2,048 " +
        "characters). Filter by input and by reason; save them all as CSV to mend them in a spreadsheet.",
    )
    .requiredOption("--case <path>", "the case file")
    .option("--input <file-or-id>", "only this input: its id, or its path as ingest read it (or its end)")
    .option("--reason <text>", "only rows whose reason contains this text (any case)")
    .option("--limit <n>", `rows to list (default ${DEFAULT_SHOWN}; 0 for all)`, intOption("--limit", 0))
    .option("--csv <file>", "write every matching row to a CSV file (input_id, path, row, reason, raw)")
    .option("--json", "print the matching rows as JSON (all of them unless --limit is given)")
    .addHelpText(
      "after",
      "\nExamples:\n  $ chorus rejects --case out/case.duckdb\n" +
        "  $ chorus rejects --case out/case.duckdb --input posts.csv --reason time\n" +
        "  $ chorus rejects --case out/case.duckdb --csv out/rejects.csv",
    )
    .action(
      async (flags: {
        case: string;
        input?: string;
        reason?: string;
        limit?: number;
        csv?: string;
        json?: boolean;
      }) => {
        if (flags.csv !== undefined) {
          checkOutFile(flags.csv, "rejects.csv");
          checkNotOverwriting(flags.csv, caseFiles(flags.case), `--csv ${flags.csv}`);
        }
        const filter: RejectFilter = {
          ...(flags.input !== undefined ? { input: flags.input } : {}),
          ...(flags.reason !== undefined ? { reason: flags.reason } : {}),
        };
        const store = await CaseStore.open(flags.case, { readOnly: true });
        try {
          if (flags.csv !== undefined) {
            mkdirSync(dirname(flags.csv), { recursive: true });
            // written a page at a time beside the file, which it replaces once whole
            let n = 0;
            await writeWholeBy(flags.csv, async (write) => {
              write(csvTable(CSV_HEADER, []));
              for await (const page of rejectPages(store, filter)) {
                write(csvRows(page.map((r) => [r.input_id, r.path, r.row, r.reason, r.raw])));
                n += page.length;
              }
            });
            io.out(`Wrote ${flags.csv}: ${fmt(n)} rejected row${n === 1 ? "" : "s"}`);
            return;
          }
          if (flags.json) {
            // an object whose rows come a page at a time, one row to a line
            const total = await countRejects(store, filter);
            io.out(`{"case": ${JSON.stringify(flags.case)}, "total": ${total}, "rows": [`);
            let first = true;
            for await (const page of rejectPages(
              store,
              filter,
              flags.limit === 0 ? undefined : flags.limit,
            )) {
              for (const r of page) {
                io.out(`${first ? "" : ","}${JSON.stringify(r)}`);
                first = false;
              }
            }
            io.out("]}");
            return;
          }
          const limit = flags.limit === 0 ? undefined : (flags.limit ?? DEFAULT_SHOWN);
          const { rows, total } = await listRejects(store, filter, limit);
          const which = flags.input !== undefined || flags.reason !== undefined ? " that match" : "";
          if (total === 0) {
            io.out(`case ${flags.case}: no rejected rows${which}`);
            return;
          }
          io.out(`case ${flags.case}: ${fmt(total)} rejected row${total === 1 ? "" : "s"}${which}`);
          for (const r of rows) {
            io.out(`${oneLine(r.path)} row ${r.row}: ${oneLine(r.reason)}`);
            io.out(`    ${rawLine(r.raw, RAW_SHOWN)}`);
          }
          if (rows.length < total) {
            io.out(
              `listed ${fmt(rows.length)} of ${fmt(total)}: --limit 0 lists them all, --csv FILE saves them all`,
            );
          }
        } finally {
          store.close();
        }
      },
    );
}

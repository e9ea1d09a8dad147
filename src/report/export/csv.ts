/**
 * CSV tables for spreadsheets, R and pandas: accounts, ties, campaigns, campaign members and findings, one file
 * each. Text that a spreadsheet would run as a formula (a cell starting with =, +, -, @, tab or carriage return,
 * which a hostile handle or post can do) is prefixed with an apostrophe, as spreadsheet-injection advice
 * recommends, and a cell holding a line break, a semicolon or a tab is quoted (other locales' field separators);
 * numbers are written as numbers.
 */
import { mkdirSync } from "node:fs";
import { writeWhole } from "../write-whole.js";
import { join } from "node:path";
import { stringify } from "csv-stringify/sync";
import type { ExportGraph } from "./graph.js";

type Cell = string | number | boolean | null | undefined;

/**
 * Cells quoted beside those with a comma or quote: a line break (see `csvTable`), and a semicolon or tab, the field
 * separators of spreadsheets in many locales (a handle `x;=cmd|...` opened where `;` separates fields made a cell
 * `=cmd|...` that the apostrophe at the start of the whole cell no longer guarded).
 */
const QUOTED = /[\r\n;\t]/;

/** A cell made safe to open in a spreadsheet. */
export function csvCell(v: Cell): string | number {
  if (v === null || v === undefined) return "";
  if (typeof v === "number") return Number.isFinite(v) ? v : "";
  if (typeof v === "boolean") return v ? "true" : "false";
  return /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
}

/** CSV rows without a header, every cell made safe (`csvCell`): the rows of a table written a page at a time. */
export function csvRows(rows: Cell[][]): string {
  return rows.length === 0
    ? ""
    : stringify(
        rows.map((r) => r.map(csvCell)),
        { bom: false, record_delimiter: "unix", quoted_match: QUOTED },
      );
}

/** A CSV table (a header and rows) with every cell made safe (`csvCell`). */
export function csvTable(header: string[], rows: Cell[][]): string {
  // every cell with a line break is quoted: the writer quotes a line feed, its record delimiter, but not a carriage
  // return alone, which spreadsheets and Python's csv read as the end of a row (a handle "a\r=cmd|..." then made a
  // row of its own whose first cell was a live formula)
  return stringify([header, ...rows.map((r) => r.map(csvCell))], {
    bom: false,
    record_delimiter: "unix",
    quoted_match: QUOTED,
  });
}

export function csvTables(g: ExportGraph): Record<string, string> {
  const campaigns = g.doc.campaigns;
  const byKey = new Map(g.doc.accounts.map((a) => [`${a.platform}:${a.id}`, a]));
  return {
    "accounts.csv": csvTable(
      [
        "platform",
        "account_id",
        "handle",
        "display_name",
        "created_at",
        "followers",
        "score",
        "campaign",
        "role",
        "findings",
        "strongest_finding",
      ],
      g.nodes.map((n) => {
        const f = byKey.get(n.key)?.findings[0];
        return [
          n.platform,
          n.account_id,
          n.handle,
          n.display_name,
          n.created_at,
          n.followers,
          n.score,
          n.campaign,
          n.role,
          n.findings,
          f ? `${f.detector} (${f.strength}): ${f.explanation}` : "",
        ];
      }),
    ),
    "edges.csv": csvTable(
      [
        "a",
        "b",
        "layer",
        "weight",
        "n_objects",
        "lift",
        "p_value",
        "significant",
        "tier",
        "example_object",
        "first_post",
        "first_ts",
        "second_post",
        "second_ts",
        "gap_seconds",
      ],
      g.edges.map((e) => [
        e.a,
        e.b,
        e.layer,
        e.weight,
        e.n_objects,
        e.lift,
        e.p_value,
        e.significant,
        e.tier,
        e.example?.object,
        e.example?.first_post,
        e.example?.first_ts,
        e.example?.second_post,
        e.example?.second_ts,
        e.example?.gap_seconds,
      ]),
    ),
    "campaigns.csv": csvTable(
      ["id", "score", "accounts", "ties", "density", "layers", "first_seen", "last_seen", "summary"],
      campaigns.map((c) => [
        String(c["id"]),
        Number(c["score"]),
        (c["accounts"] as unknown[]).length,
        Number(c["ties"] ?? 0),
        Number(c["density"] ?? 0),
        ((c["layers"] as string[]) ?? []).join(";"),
        c["first_seen"] as string | null,
        c["last_seen"] as string | null,
        String(c["summary"] ?? ""),
      ]),
    ),
    "campaign_members.csv": csvTable(
      ["campaign", "platform", "account_id", "handle", "role", "score", "ties"],
      campaigns.flatMap((c) =>
        (
          c["accounts"] as Array<{
            platform: string;
            id: string;
            handle: string | null;
            role: string;
            score: number;
            ties: number;
          }>
        ).map((m) => [String(c["id"]), m.platform, m.id, m.handle, m.role, m.score, m.ties]),
      ),
    ),
    "findings.csv": csvTable(
      ["platform", "account_id", "handle", "detector", "strength", "score", "explanation"],
      g.doc.accounts.flatMap((a) =>
        a.findings.map((f) => [a.platform, a.id, a.handle, f.detector, f.strength, f.score, f.explanation]),
      ),
    ),
  };
}

/**
 * Write the tables into `dir` (created if needed); each file is written whole, then renamed into place (a failed
 * write leaves no partial file behind). `check`, when given, sees every path before any is written, and may throw
 * to write none (the CLI refuses a path that is the case file).
 */
export function writeCsvTables(g: ExportGraph, dir: string, check?: (path: string) => void): string[] {
  const tables = Object.entries(csvTables(g)).map(([name, body]) => ({ path: join(dir, name), body }));
  for (const t of tables) check?.(t.path);
  mkdirSync(dir, { recursive: true });
  for (const t of tables) writeWhole(t.path, t.body);
  return tables.map((t) => t.path);
}

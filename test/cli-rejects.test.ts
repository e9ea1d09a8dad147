import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readFileSync, writeFileSync } from "node:fs";
import { parse } from "csv-parse/sync";
import { runCli } from "./helpers/cli.js";
import { tempDir } from "./helpers/tmp.js";

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => (tmp = tempDir()));
afterEach(() => tmp.cleanup());

const post = (id: string, extra: Record<string, unknown> = {}): string =>
  JSON.stringify({
    platform: "x",
    post_id: id,
    account_id: "a1",
    ts: "2024-03-01T10:00:00Z",
    text: "t",
    ...extra,
  });

/** Two inputs with rejects of several kinds, one of them a formula-shaped line, ingested into a fresh case. */
async function caseWithRejects(): Promise<{ casePath: string; first: string; second: string }> {
  const first = tmp.path("first.jsonl");
  const second = tmp.path("second.jsonl");
  writeFileSync(
    first,
    [
      post("1"),
      post("2", { ts: "yesterday" }),
      JSON.stringify({ platform: "x", post_id: "3", ts: "2024-03-01T10:00:00Z" }),
      '{"platform":"x","post_id":"4"',
      post("5"),
    ].join("\n") + "\n",
  );
  writeFileSync(
    second,
    [post("6"), '=HYPERLINK("http://evil.example")', post("7", { ts: "later" })].join("\n"),
  );
  const casePath = tmp.path("case.duckdb");
  const r = await runCli(["ingest", "--case", casePath, first, second]);
  expect(r.code).toBe(0);
  // the summary points to the command that lists them
  expect(r.out).toContain(`5 rows rejected (list them: chorus rejects --case ${casePath})`);
  return { casePath, first, second };
}

describe("chorus rejects", () => {
  it("lists every rejected row with its file, row, reason and text, in file and row order", async () => {
    const { casePath } = await caseWithRejects();
    const r = await runCli(["rejects", "--case", casePath]);
    expect(r.code).toBe(0);
    const heads = r.out.split("\n").filter((l) => / row \d+: /.test(l));
    expect(heads.map((l) => l.replace(/: .*/, ""))).toEqual([
      `${tmp.path("first.jsonl")} row 2`,
      `${tmp.path("first.jsonl")} row 3`,
      `${tmp.path("first.jsonl")} row 4`,
      `${tmp.path("second.jsonl")} row 2`,
      `${tmp.path("second.jsonl")} row 3`,
    ]);
    expect(r.out).toContain("5 rejected rows");
    expect(heads[0]).toContain("'yesterday'");
    expect(heads[1]).toContain("missing account_id");
    // the row's own text is shown under its reason
    expect(r.out).toContain('    {"platform":"x","post_id":"4"');
  });

  it("filters by input (id, path or its end) and by reason, and says how many it left out", async () => {
    const { casePath, second } = await caseWithRejects();
    const bySuffix = await runCli(["rejects", "--case", casePath, "--input", "second.jsonl"]);
    const byPath = await runCli(["rejects", "--case", casePath, "--input", second]);
    const byId = await runCli(["rejects", "--case", casePath, "--input", "2"]);
    expect(bySuffix.out).toContain("2 rejected rows that match");
    expect(byPath.out).toBe(bySuffix.out);
    expect(byId.out).toBe(bySuffix.out);
    expect(bySuffix.out).not.toContain("first.jsonl");

    const times = await runCli(["rejects", "--case", casePath, "--reason", "TIMESTAMP"]);
    expect(times.out).toContain("2 rejected rows that match");
    expect(times.out).toContain("'yesterday'");
    expect(times.out).toContain("'later'");

    const one = await runCli(["rejects", "--case", casePath, "--limit", "1"]);
    expect(one.out.split("\n").filter((l) => / row \d+: /.test(l))).toHaveLength(1);
    expect(one.out).toContain("listed 1 of 5");

    const none = await runCli(["rejects", "--case", casePath, "--reason", "no such reason"]);
    expect(none.code).toBe(0);
    expect(none.out).toContain("no rejected rows that match");
  });

  it("names the inputs when --input matches none", async () => {
    const { casePath } = await caseWithRejects();
    const r = await runCli(["rejects", "--case", casePath, "--input", "third.jsonl"]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("--input third.jsonl: no input of the case has that id or path");
    expect(r.err).toContain("first.jsonl");
  });

  it("saves every matching row as CSV that a spreadsheet cannot run, and prints them as JSON", async () => {
    const { casePath } = await caseWithRejects();
    const out = tmp.path("sub/rejects.csv");
    const r = await runCli(["rejects", "--case", casePath, "--csv", out, "--limit", "1"]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("5 rejected rows");
    const rows = parse(readFileSync(out, "utf8"), { columns: true }) as Array<Record<string, string>>;
    expect(rows.map((x) => x["row"])).toEqual(["2", "3", "4", "2", "3"]);
    expect(rows[1]!["reason"]).toBe("missing account_id");
    // the formula-shaped line is kept, but as text
    expect(rows[3]!["raw"]).toBe(`'=HYPERLINK("http://evil.example")`);

    const j = await runCli(["rejects", "--case", casePath, "--json", "--input", "first.jsonl"]);
    const doc = JSON.parse(j.out) as {
      total: number;
      rows: Array<{ row: number; reason: string; raw: string }>;
    };
    expect(doc.total).toBe(3);
    expect(doc.rows.map((x) => x.row)).toEqual([2, 3, 4]);
    expect(doc.rows[2]!.raw).toBe('{"platform":"x","post_id":"4"');
  });

  it("writes every one of many thousands of rejects, a page at a time, in row order", async () => {
    const path = tmp.path("many.jsonl");
    const lines: string[] = [];
    for (let i = 1; i <= 12_000; i++)
      lines.push(i % 100 === 0 ? post(`p${i}`) : post(`p${i}`, { ts: `bad ${i}` }));
    writeFileSync(path, lines.join("\n") + "\n");
    const casePath = tmp.path("many.duckdb");
    expect((await runCli(["ingest", "--case", casePath, path])).code).toBe(0);
    const out = tmp.path("many.csv");
    expect((await runCli(["rejects", "--case", casePath, "--csv", out])).out).toContain(
      "11,880 rejected rows",
    );
    const rows = parse(readFileSync(out, "utf8"), { columns: true }) as Array<Record<string, string>>;
    expect(rows).toHaveLength(11_880);
    const numbers = rows.map((r) => Number(r["row"]));
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
    expect(new Set(numbers).size).toBe(11_880);
    const j = JSON.parse((await runCli(["rejects", "--case", casePath, "--json"])).out) as {
      total: number;
      rows: Array<{ row: number }>;
    };
    expect(j.total).toBe(11_880);
    expect(j.rows.map((r) => r.row)).toEqual(numbers);
  });

  it("refuses to write its CSV over the case", async () => {
    const { casePath } = await caseWithRejects();
    const r = await runCli(["rejects", "--case", casePath, "--csv", casePath]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("that is the case file");
  });
});

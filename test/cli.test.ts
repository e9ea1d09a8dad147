import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { existsSync, readFileSync } from "node:fs";
import { runCli } from "./helpers/cli.js";
import { FIXTURES, tempDir } from "./helpers/tmp.js";
import { ADAPTERS } from "../src/ingest/registry.js";

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => (tmp = tempDir()));
afterEach(() => tmp.cleanup());

const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
  version: string;
};

describe("chorus CLI", () => {
  it("prints its version", async () => {
    const r = await runCli(["--version"]);
    expect(r.code).toBe(0);
    expect(r.out.trim()).toBe(pkg.version);
  });

  it("has help with examples on every verb", async () => {
    const top = await runCli(["--help"]);
    expect(top.code).toBe(0);
    const verbs = [...top.out.matchAll(/^ {2}([a-z-]+)(?: \[options\]| <)/gm)]
      .map((m) => m[1]!)
      .filter((v) => v !== "help");
    expect(verbs).toEqual(expect.arrayContaining(["ingest", "formats"]));
    for (const verb of verbs) {
      const r = await runCli([verb, "--help"]);
      expect(r.code, verb).toBe(0);
      expect(r.out, verb).toMatch(/Examples:\n {2}\$ chorus /);
      // the description flows in paragraphs that the help wraps to the width: a line break written into a
      // sentence leaves a short line in the middle of a paragraph once wrapped
      const description = r.out
        .split(/\n(?:Arguments|Options):\n/)[0]!
        .split("\n")
        .slice(2)
        .join("\n");
      for (const paragraph of description.split("\n\n")) {
        const lines = paragraph.split("\n").filter((l) => l.trim() !== "");
        for (const line of lines.slice(0, -1))
          expect(line.length, `${verb}: "${line}"`).toBeGreaterThanOrEqual(60);
      }
    }
  });

  it("lists every input format", async () => {
    const r = await runCli(["formats", "--json"]);
    const list = JSON.parse(r.out) as Array<{ id: string }>;
    expect(list.map((f) => f.id)).toEqual(ADAPTERS.map((a) => a.id));
    const text = await runCli(["formats"]);
    for (const a of ADAPTERS) expect(text.out).toContain(a.id);
  });

  it("ingests with a JSON summary, and exits non-zero when a file is refused", async () => {
    const bad = tmp.path("bad.txt");
    const fs = await import("node:fs");
    fs.writeFileSync(bad, "hello\nworld\n");
    const r = await runCli([
      "ingest",
      "--case",
      tmp.path("c.duckdb"),
      "--json",
      `${FIXTURES}ingest/chorus-jsonl/posts.jsonl`,
      bad,
    ]);
    expect(r.code).toBe(1);
    const summary = JSON.parse(r.out) as {
      inputs: Array<{ format: string; postsStored: number }>;
      failed: Array<{ path: string; error: string }>;
    };
    expect(summary.inputs).toHaveLength(1);
    expect(summary.inputs[0]!.format).toBe("chorus-jsonl");
    expect(summary.failed[0]!.path).toBe(bad);
    expect(r.err).toMatch(/refused .*bad\.txt: the format was not recognised/);
  });

  it("maps CSV columns by name with --map", async () => {
    const r = await runCli([
      "ingest",
      "--case",
      tmp.path("c.duckdb"),
      "--format",
      "csv",
      "--platform",
      "facebook",
      "--map",
      "account_id=Author",
      "--map",
      "ts=Published",
      "--map",
      "urls=Links",
      "--map",
      "hashtags=Tags",
      `${FIXTURES}ingest/csv/posts.csv`,
    ]);
    expect(r.err).toBe("");
    expect(r.out).toMatch(/\[csv\] 4 rows: 3 posts/);
    expect(r.out).toMatch(/1 row rejected/);
  });

  it("names the missing column when a CSV cannot be mapped", async () => {
    const r = await runCli([
      "ingest",
      "--case",
      tmp.path("c.duckdb"),
      "--format",
      "csv",
      `${FIXTURES}ingest/csv/posts.csv`,
    ]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      /no column for account_id, ts; name them with --map account_id=COLUMN --map ts=COLUMN \(columns: id, author, published/,
    );
  });

  it("refuses a CSV whose header names a column it reads twice, and reads one whose twice-named column it ignores", async () => {
    const fs = await import("node:fs");
    const twice = tmp.path("twice.csv");
    fs.writeFileSync(twice, "post_id,account_id,ts,text,Text\np1,a1,2024-03-08T09:00:00Z,first,second\n");
    const r = await runCli(["ingest", "--case", tmp.path("twice.duckdb"), "--format", "csv", twice]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      `${twice}: the header names the column 'text' 2 times (columns 4, 5), and text would be read from it: ` +
        `rename all but one in the file`,
    );
    const unused = tmp.path("unused.csv");
    fs.writeFileSync(unused, "post_id,account_id,ts,note,note\np1,a1,2024-03-08T09:00:00Z,x,y\n");
    const ok = await runCli(["ingest", "--case", tmp.path("unused.duckdb"), "--format", "csv", unused]);
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/1 post added, 0 rows rejected/);
  });

  it("reads a CSV with --map and no --format: --map implies csv", async () => {
    const csv = `${FIXTURES}ingest/csv/posts.csv`;
    const maps = ["--map", "post_id=ID", "--map", "account_id=Author", "--map", "ts=Published"];
    const r = await runCli(["ingest", "--case", tmp.path("c.duckdb"), ...maps, csv]);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/\[csv\] 4 rows: 3 posts/);
    // without --map the file is refused, and the message says what to map
    const bare = await runCli(["ingest", "--case", tmp.path("c2.duckdb"), csv]);
    expect(bare.code).toBe(2);
    expect(bare.err).toMatch(/looks like CSV\/TSV, but no column for account_id, ts; name them with --map/);
    // beside a format that does not read it, --map is refused rather than ignored
    const other = await runCli([
      "ingest",
      "--case",
      tmp.path("c3.duckdb"),
      "--format",
      "coortweet",
      ...maps,
      csv,
    ]);
    expect(other.code).toBe(2);
    expect(other.err).toBe(
      "chorus: --map names the columns of the csv format; it cannot be used with --format coortweet",
    );
    for (const verb of ["ingest", "analyze"]) {
      const help = await runCli([verb, "--help"]);
      expect(help.out.replace(/\s+/g, " "), verb).toContain(
        "csv: name the column that holds a field (repeatable); implies --format csv",
      );
    }
  });

  it("reads a directory with a broken link and a link back up the tree: the link refused, the rest read once", async () => {
    const fs = await import("node:fs");
    const dir = tmp.path("tree");
    fs.mkdirSync(`${dir}/sub`, { recursive: true });
    fs.copyFileSync(`${FIXTURES}ingest/chorus-jsonl/posts.jsonl`, `${dir}/sub/a.jsonl`);
    fs.symlinkSync(tmp.path("nowhere.jsonl"), `${dir}/broken.jsonl`);
    fs.symlinkSync("..", `${dir}/sub/up`);
    fs.symlinkSync("a.jsonl", `${dir}/sub/b.jsonl`);
    const r = await runCli(["ingest", "--case", tmp.path("tree.duckdb"), "--json", "--no-progress", dir]);
    expect(r.err).not.toMatch(/internal error/);
    expect(r.code).toBe(1);
    const summary = JSON.parse(r.out) as {
      inputs: Array<{ path: string; skipped?: boolean }>;
      failed: Array<{ path: string; error: string }>;
    };
    // the tree is read once (the link up leads to a directory already read, the link to a file to a file already
    // listed), and the broken link is refused
    expect(summary.inputs.map((i) => [i.path, i.skipped === true])).toEqual([[`${dir}/sub/a.jsonl`, false]]);
    expect(summary.failed.map((f) => f.path)).toEqual([`${dir}/broken.jsonl`]);
    expect(r.err).toMatch(/broken\.jsonl: cannot be read \(no such file\)/);
  });

  it("prints a file named with a line break on one line, so that it cannot pass for another file", async () => {
    const fs = await import("node:fs");
    const dir = tmp.path("names");
    fs.mkdirSync(dir);
    const forged = `${dir}/x\n+ forged.jsonl [chorus-jsonl] 9 rows: 9 posts`;
    fs.copyFileSync(`${FIXTURES}ingest/chorus-jsonl/posts.jsonl`, `${forged}.jsonl`);
    fs.writeFileSync(`${dir}/y\r\nchorus: refused z.jsonl`, "");
    const r = await runCli(["ingest", "--case", tmp.path("names.duckdb"), "--no-progress", dir]);
    const printed = [...r.out.split("\n"), ...r.err.split("\n")];
    expect(printed.filter((l) => l.startsWith("+ "))).toEqual([
      expect.stringContaining(
        `${dir}/x\\n+ forged.jsonl [chorus-jsonl] 9 rows: 9 posts.jsonl [chorus-jsonl]`,
      ),
    ]);
    expect(printed.filter((l) => l.startsWith("chorus: refused"))).toEqual([
      expect.stringContaining(`${dir}/y\\r\\nchorus: refused z.jsonl`),
    ]);
  });

  it("leaves no case behind when it stored nothing in a case it created, and keeps one that was there", async () => {
    const fresh = tmp.path("fresh.duckdb");
    const none = await runCli(["ingest", "--case", fresh, tmp.path("missing.jsonl")]);
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/missing\.jsonl: cannot be read \(no such file\)/);
    expect(existsSync(fresh)).toBe(false);
    const posts = `${FIXTURES}ingest/chorus-jsonl/posts.jsonl`;
    expect((await runCli(["ingest", "--case", fresh, posts])).code).toBe(0);
    const later = await runCli(["ingest", "--case", fresh, tmp.path("missing.jsonl")]);
    expect(later.code).toBe(2);
    const again = await runCli(["ingest", "--case", fresh, posts, "--json"]);
    expect((JSON.parse(again.out) as { inputs: Array<{ skipped?: boolean }> }).inputs[0]?.skipped).toBe(true);
  });

  it("warns when posts dropped as repeats were by another account than the stored post of their id", async () => {
    const fs = await import("node:fs");
    const header = "id,user_id,created_at,text";
    const fb = tmp.path("fb.csv");
    fs.writeFileSync(fb, `${header}\n1,fbuser,2024-03-08T09:00:05Z,one\n2,fbuser,2024-03-08T09:00:06Z,two\n`);
    const tg = tmp.path("tg.csv");
    fs.writeFileSync(
      tg,
      `${header}\n1,tguser,2024-04-01T10:00:00Z,other\n2,fbuser,2024-03-08T09:00:06Z,two\n`,
    );
    const r = await runCli(["ingest", "--case", tmp.path("c.duckdb"), fb, tg]);
    expect(r.code).toBe(0);
    // one repeat is the same post read again, the other another account's post with the same id
    expect(r.out).toContain("2 duplicate posts skipped");
    expect(r.out).toContain(
      "warning: 1 of the duplicate posts were by another account than the post stored under",
    );
    // a file read twice under other names warns of nothing
    const again = tmp.path("fb-again.csv");
    fs.writeFileSync(again, `${header}\n1,fbuser,2024-03-08T09:00:05Z,one\n`);
    expect((await runCli(["ingest", "--case", tmp.path("c.duckdb"), again])).out).not.toContain("warning");
  });

  it("rejects unknown options and formats", async () => {
    const r = await runCli(["ingest", "--no-such-flag", "x"]);
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/unknown option '--no-such-flag'/);
    const f = await runCli(["ingest", "--format", "myspace", "x"]);
    expect(f.code).not.toBe(0);
    expect(f.err).toMatch(/Allowed choices are chorus-jsonl/);
  });
});

describe("chorus ingest of a directory", () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => {
    tmp = tempDir();
  });
  afterEach(() => tmp.cleanup());

  it("says which files it did not read, by kind, and how to read them", async () => {
    const fs = await import("node:fs");
    const dir = tmp.path("exports");
    fs.mkdirSync(`${dir}/sub`, { recursive: true });
    fs.copyFileSync(`${FIXTURES}ingest/chorus-jsonl/posts.jsonl`, `${dir}/posts.jsonl`);
    fs.writeFileSync(`${dir}/sheet.xlsx`, "PK");
    fs.writeFileSync(`${dir}/sub/other.xlsx`, "PK");
    fs.writeFileSync(`${dir}/sub/archive.zip`, "PK");
    fs.writeFileSync(`${dir}/.hidden.xlsx`, "PK");
    const r = await runCli(["ingest", "--case", tmp.path("c.duckdb"), "--no-progress", dir]);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toContain(
      "chorus: note: 3 files in the directories were not read (2 .xlsx, 1 .zip): a directory is read for .jsonl",
    );
    expect(r.err).toContain("unzip archives and save spreadsheets as CSV UTF-8 to read them");
  });
});

/**
 * The command line where a person meets it: output paths refused before any work with one line and no partial
 * files, `serve`'s port checked and a busy one said plainly, rejected rows shown with their reasons and lines, the
 * report's reproduction command that reproduces, and no stale report left beside new findings.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { existsSync, linkSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { checkOutDir, checkOutFile, UsageError } from "../src/cli/util.js";
import { writeCsvTables } from "../src/report/export/csv.js";
import { loadExportGraph } from "../src/report/export/graph.js";
import { reproduceArgs } from "../src/report/html/render.js";
import { CaseStore } from "../src/store/case.js";
import { runCli } from "./helpers/cli.js";
import { coShareWorld } from "./helpers/coshare-world.js";
import { writeJsonl } from "./helpers/posts.js";
import { tempDir } from "./helpers/tmp.js";

let tmp: ReturnType<typeof tempDir>;
/** A small case analysed with a narrower window and one detector parameter changed. */
let casePath: string;
let reportHtml: string;

beforeAll(async () => {
  tmp = tempDir();
  writeJsonl(tmp.path("world.jsonl"), coShareWorld().posts);
  const r = await runCli([
    "analyze",
    tmp.path("world.jsonl"),
    "-o",
    tmp.path("a"),
    "--window",
    "5s",
    "--param",
    "co-share.minCoshares=3",
    "--no-progress",
  ]);
  expect(r.code, r.err).toBe(0);
  casePath = tmp.path("a/case.duckdb");
  reportHtml = readFileSync(tmp.path("a/report.html"), "utf8");
}, 120_000);
afterAll(() => tmp.cleanup());

/** Files a failed write could have left behind. */
const partials = (dir: string): string[] => readdirSync(dir).filter((f) => f.includes(".partial"));

describe("output paths are checked before any work (bad -o crashed with EISDIR/EEXIST and left partial files)", () => {
  it("report -o DIR: one line, exit 2, nothing left in the folder", async () => {
    mkdirSync(tmp.path("adir"), { recursive: true });
    const r = await runCli(["report", "--case", casePath, "-o", tmp.path("adir")]);
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      `chorus: -o ${tmp.path("adir")}: a directory; name the file to write, e.g. ${tmp.path("adir/report.html")}`,
    );
    expect(partials(tmp.dir)).toEqual([]);
    expect(readdirSync(tmp.path("adir"))).toEqual([]);
  });

  it("export --format gexf -o DIR and --format stix -o DIR: exit 2", async () => {
    for (const format of ["gexf", "graphml", "stix", "misp"]) {
      const r = await runCli(["export", "--case", casePath, "--format", format, "-o", tmp.path("adir")]);
      expect(r.code, format).toBe(2);
      expect(r.err, format).toMatch(/^chorus: -o .*adir: a directory; name the file to write, e\.g\. /);
      expect(r.err.split("\n")).toHaveLength(1);
    }
    expect(partials(tmp.dir)).toEqual([]);
  });

  it("export --format csv -o FILE, and any -o under a file: exit 2", async () => {
    writeFileSync(tmp.path("existing.txt"), "keep me\n");
    const csv = await runCli([
      "export",
      "--case",
      casePath,
      "--format",
      "csv",
      "-o",
      tmp.path("existing.txt"),
    ]);
    expect(csv.code).toBe(2);
    expect(csv.err).toBe(
      `chorus: -o ${tmp.path("existing.txt")}: not a directory (csv writes one file per table there)`,
    );
    const under = await runCli(["report", "--case", casePath, "-o", tmp.path("existing.txt/r.html")]);
    expect(under.code).toBe(2);
    expect(under.err).toBe(
      `chorus: -o ${tmp.path("existing.txt/r.html")}: ${tmp.path("existing.txt")} is a file, not a directory`,
    );
    expect(readFileSync(tmp.path("existing.txt"), "utf8")).toBe("keep me\n");
  });

  it("never writes a report or an export over the case it reads, nor analyze's outputs over the case or an input", async () => {
    // a copy of the case, to be written over if the check let it, and a hard link to it (another name, one file)
    const own = tmp.path("kept/case.duckdb");
    mkdirSync(tmp.path("kept"), { recursive: true });
    writeFileSync(own, readFileSync(casePath));
    linkSync(own, tmp.path("kept/link.duckdb"));
    const before = readFileSync(own);
    const refused = async (args: string[], out: string, what: string): Promise<void> => {
      const r = await runCli(args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.err, args.join(" ")).toMatch(new RegExp(`^chorus: -o ${out}.*: that is ${what} `));
      expect(r.err.split("\n")).toHaveLength(1);
    };
    await refused(["report", "--case", own, "-o", own], own, "the case file");
    await refused(
      ["report", "--case", own, "-o", tmp.path("kept/link.duckdb")],
      tmp.path("kept/link.duckdb"),
      "the case file",
    );
    await refused(["report", "--case", own, "-o", `${own}.wal`], `${own}.wal`, "the case's write-ahead log");
    for (const format of ["gexf", "graphml", "stix", "misp"]) {
      await refused(["export", "--case", own, "--format", format, "-o", own], own, "the case file");
    }
    // csv writes edges.csv and more into a folder: a case named so is refused before any table is written
    const csvCase = tmp.path("kept/edges.csv");
    linkSync(own, csvCase);
    await refused(
      ["export", "--case", csvCase, "--format", "csv", "-o", tmp.path("kept")],
      csvCase,
      "the case file",
    );
    expect(readdirSync(tmp.path("kept")).sort()).toEqual(["case.duckdb", "edges.csv", "link.duckdb"]);
    // analyze and detect write DIR/findings.json and DIR/report.html
    writeJsonl(tmp.path("kept/findings.json"), coShareWorld().posts.slice(0, 50));
    const input = readFileSync(tmp.path("kept/findings.json"), "utf8");
    await refused(
      [
        "analyze",
        tmp.path("kept/findings.json"),
        "-o",
        tmp.path("kept"),
        "--case",
        tmp.path("kept/new.duckdb"),
      ],
      tmp.path("kept"),
      "one of the inputs",
    );
    await refused(
      ["detect", "--case", tmp.path("kept/report.html"), "-o", tmp.path("kept")],
      tmp.path("kept"),
      "the case file",
    );
    expect(readFileSync(tmp.path("kept/findings.json"), "utf8")).toBe(input);
    expect(existsSync(tmp.path("kept/new.duckdb"))).toBe(false);
    expect(readFileSync(own).equals(before)).toBe(true);
  });

  it("says when a file already in the case was read with other options, which are then not applied", async () => {
    const csv = tmp.path("mapped/p.csv");
    mkdirSync(tmp.path("mapped"), { recursive: true });
    writeFileSync(
      csv,
      "id,Author,Body,When\n1,ann,hello there,2024-05-01T10:00:00Z\n2,bob,hi,2024-05-01T10:00:05Z\n",
    );
    const casePath2 = tmp.path("mapped/case.duckdb");
    const ingest = (...more: string[]) =>
      runCli(["ingest", csv, "--case", casePath2, "--map", "post_id=id", "--map", "ts=When", ...more]);
    const first = await ingest("--map", "account_id=Body");
    expect(first.code, first.err).toBe(0);
    const again = await ingest("--map", "account_id=Body");
    expect(again.out).toContain("already in the case (same sha256), nothing to do");
    expect(again.out).not.toContain("warning");
    expect(again.out).not.toContain("stay rejected");
    // a file whose rows were rejected says they stay so: reading it again with other options changes nothing
    const long = tmp.path("mapped/long.jsonl");
    const post = (id: string, text: string): string =>
      JSON.stringify({ platform: "x", post_id: id, account_id: "a", ts: "2024-05-01T10:00:00Z", text });
    writeFileSync(
      long,
      `${post("1", "short")}
${post("2", "x".repeat(5000))}
`,
    );
    const small = await runCli(["ingest", long, "--case", casePath2, "--max-record-bytes", "1000"]);
    expect(small.out).toMatch(/1 row rejected/);
    const larger = await runCli(["ingest", long, "--case", casePath2, "--max-record-bytes", "1MB"]);
    expect(larger.out).toContain(
      "already in the case (same sha256), nothing to do; the 1 row it rejected then stays rejected ('chorus " +
        "rejects' lists it; to read the file again with other options, ingest it into a new case)",
    );
    const corrected = await ingest("--map", "account_id=Author", "--platform", "forum");
    expect(corrected.code).toBe(0);
    expect(corrected.out).toContain(
      "warning: it was read before with --format csv --map account_id=Body --map post_id=id --map ts=When; the " +
        "options given now are not applied. To read it with them, ingest it into a new case (--case)",
    );
    const json = await ingest("--map", "account_id=Author", "--json");
    const summary = JSON.parse(json.out) as { inputs: Array<{ skipped: boolean; earlierOptions?: string }> };
    expect(summary.inputs[0]).toMatchObject({
      skipped: true,
      earlierOptions: "--format csv --map account_id=Body --map post_id=id --map ts=When",
    });
    const analysed = await runCli([
      "analyze",
      csv,
      "--case",
      casePath2,
      "-o",
      tmp.path("mapped/out"),
      "--map",
      "post_id=id",
      "--map",
      "ts=When",
      "--map",
      "account_id=Author",
      "--no-report",
      "--no-progress",
    ]);
    expect(analysed.err).toContain(
      `chorus: warning: ${csv} is already in the case, read with --format csv --map account_id=Body`,
    );
  });

  it("checkOutDir (for detect's -o) and checkOutFile throw UsageError, and accept what can be written", () => {
    expect(() => checkOutDir(tmp.path("existing.txt"), "detect writes findings.json there")).toThrow(
      new UsageError(`-o ${tmp.path("existing.txt")}: not a directory (detect writes findings.json there)`),
    );
    expect(() => checkOutDir(tmp.path("existing.txt/deeper/still"))).toThrow(UsageError);
    expect(() => checkOutDir(tmp.path("adir"))).not.toThrow();
    expect(() => checkOutDir(tmp.path("not/yet/there"))).not.toThrow();
    expect(() => checkOutFile(tmp.path("adir"), "x.html")).toThrow(UsageError);
    expect(() => checkOutFile(tmp.path("not-yet/"), "x.html")).toThrow(UsageError);
    expect(() => checkOutFile(tmp.path("existing.txt"), "x.html")).not.toThrow(); // replaced, as before
    expect(() => checkOutFile(tmp.path("not/yet/r.html"), "x.html")).not.toThrow();
  });

  it("a table that cannot be renamed into place leaves no partial file", async () => {
    const dir = tmp.path("tables");
    mkdirSync(`${dir}/edges.csv`, { recursive: true });
    const store = await CaseStore.open(casePath, { readOnly: true });
    try {
      const g = await loadExportGraph(store);
      expect(() => writeCsvTables(g, dir)).toThrow(/EISDIR|EPERM|EEXIST|ENOTEMPTY/);
    } finally {
      store.close();
    }
    expect(partials(dir)).toEqual([]);
  });
});

describe("serve's port (99999 and a busy port crashed with a stack trace)", () => {
  it("refuses a port above 65535 when the flags are read", async () => {
    const r = await runCli(["serve", casePath, "--port", "99999"]);
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/--port must be at most 65535, got 99999/);
  });

  it("says a port is in use in one line, exit 2", async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, "127.0.0.1", resolve));
    const port = (busy.address() as AddressInfo).port;
    try {
      const r = await runCli(["serve", casePath, "--port", String(port)]);
      expect(r.code).toBe(2);
      expect(r.err).toBe(
        `chorus: port ${port} on 127.0.0.1 is in use (another chorus serve?); pick another with --port, or 0 for any free port`,
      );
    } finally {
      await new Promise<void>((resolve) => busy.close(() => resolve()));
    }
  });
});

describe("rejected rows are shown with their reasons and lines (only a count was printed)", () => {
  /** A CSV of 100 rows: the first with a time zone, the others without. */
  function mostRejected(path: string): void {
    const rows = ["post_id,account_id,ts,text,url", "p0,a0,2024-01-01T00:00:00Z,hello,http://x.example/0"];
    for (let i = 1; i < 100; i++) {
      rows.push(
        `p${i},a${i % 7},2024-01-01 00:${String(i % 60).padStart(2, "0")}:00,hi ${i},http://x.example/${i % 5}`,
      );
    }
    writeFileSync(path, rows.join("\n") + "\n");
  }

  it("ingest prints the commonest reasons with their first lines, and warns when most rows were rejected", async () => {
    mostRejected(tmp.path("most.csv"));
    const r = await runCli(["ingest", "--case", tmp.path("m.duckdb"), "--no-progress", tmp.path("most.csv")]);
    expect(r.code, r.err).toBe(0);
    const lines = r.out.split("\n");
    expect(lines[0]).toMatch(/\[csv\] 100 rows: 1 post, .*, 99 rows rejected$/);
    // the reasons quote each row's own value: counted together all the same
    expect(lines[1]).toMatch(/^ {2}99 rejected: 99 × "ts .*" \(lines 3, 4, 5, …\)$/);
    expect(lines[2]).toMatch(/^ {2}warning: 99 of 100 rows were rejected: .*--format.*--map/);
  });

  it("lists up to three reasons, the rest counted, and no warning when most rows were read", async () => {
    const rows = ["post_id,account_id,ts,text,url"];
    for (let i = 1; i <= 10; i++)
      rows.push(`p${i},a${i % 3},2024-01-01T00:0${i % 10}:00Z,hi,http://x.example/${i}`);
    rows.push("q1,,2024-01-01T00:11:00Z,x,", "q2,a1,yesterday,x,", "q3,,2024-01-01T00:12:00Z,x,");
    rows.push("q4,a1,2024-01-01 00:00,x,", "q5,a1,2024-01-01T00:13:00Z,x,,extra,extra");
    writeFileSync(tmp.path("mixed.csv"), rows.join("\n") + "\n");
    const r = await runCli([
      "ingest",
      "--case",
      tmp.path("mixed.duckdb"),
      "--no-progress",
      tmp.path("mixed.csv"),
    ]);
    expect(r.code, r.err).toBe(0);
    const lines = r.out.split("\n");
    expect(lines[0]).toMatch(/rows rejected$/);
    expect(lines[1]).toMatch(/^ {2}\d+ rejected: 2 × "[^"]*account_id[^"]*" \(lines 12, 14\)$/);
    // three reasons listed (a zone-less time and a time that is none are two reasons), the fourth counted
    expect(lines.slice(2, 4).sort()).toEqual([
      expect.stringMatching(/^ +1 × "7 fields where the header has 5" \(line 16\)$/),
      expect.stringMatching(/^ +1 × "ts '…' has no time zone: .*--time-zone .*" \(line 15\)$/),
    ]);
    expect(lines[4]).toMatch(/^ +and 1 more for other reasons/);
    expect(r.out).not.toMatch(/warning/);
  });

  it("the report's rejected rows table gives each reason's first lines", async () => {
    const r = await runCli(["analyze", tmp.path("most.csv"), "-o", tmp.path("most"), "--no-progress"]);
    expect(r.code, r.err).toBe(0);
    const page = readFileSync(tmp.path("most/report.html"), "utf8");
    const table = /<h3>Rejected rows \(99\)<\/h3>[\s\S]*?<\/table>/.exec(page)?.[0] ?? "";
    expect(table).toMatch(/<th>first lines<\/th>/);
    expect(table).toMatch(/>99<\/td>\s*<td><bdi dir="auto">lines 3, 4, 5, 6, 7, …<\/bdi><\/td>/);
  });
});

/** The words of a POSIX shell command as the report prints it (bare words and single-quoted ones). */
function shellWords(command: string): string[] {
  const words: string[] = [];
  for (const m of command.matchAll(/(?:'((?:[^']|'\\'')*)'|(\S+))/g)) {
    words.push(m[1] !== undefined ? m[1].replace(/'\\''/g, "'") : m[2]!);
  }
  return words;
}

const unescapeHtml = (s: string): string =>
  s
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");

const campaignsOf = (dir: string): unknown =>
  (
    JSON.parse(readFileSync(`${dir}/findings.json`, "utf8")) as {
      campaigns: Array<{ id: string; score: number; accounts: Array<{ id: string }> }>;
    }
  ).campaigns.map((c) => ({ id: c.id, score: c.score, accounts: c.accounts.map((a) => a.id).sort() }));

describe("the report's reproduction command (it named the seed only, not --window 5s)", () => {
  it("names the parameters that differ from the defaults, and run as printed gives the same campaigns", async () => {
    const code = /To reproduce[^<]*<code><bdi dir="auto">([^<]*)<\/bdi><\/code>/.exec(reportHtml)?.[1];
    expect(code).toBeDefined();
    const command = unescapeHtml(code!);
    expect(command).toBe(
      `chorus detect --case ${casePath} --seed 1 --window 5 --param co-share.minCoshares=3 -o DIR`,
    );
    const args = shellWords(command)
      .slice(1)
      .map((w) => (w === "DIR" ? tmp.path("again") : w));
    const r = await runCli([...args, "--no-progress"]);
    expect(r.code, r.err).toBe(0);
    const before = campaignsOf(tmp.path("a"));
    expect((before as unknown[]).length).toBeGreaterThan(0);
    expect(campaignsOf(tmp.path("again"))).toEqual(before);
    // the command as it was printed before (the seed alone) finds other campaigns: the flags matter here
    const seedOnly = await runCli(["detect", "--case", casePath, "--seed", "1", "-o", tmp.path("seed-only")]);
    expect(seedOnly.code, seedOnly.err).toBe(0);
    expect(campaignsOf(tmp.path("seed-only"))).not.toEqual(before);
  }, 60_000);

  it("writes defaults as nothing, strings that read as JSON quoted, and lists what no flag sets", () => {
    expect(reproduceArgs({ seed: 3 })).toEqual({ args: ["--seed", "3"], unset: [] });
    const { args, unset } = reproduceArgs({
      seed: 1,
      detectors: {
        "co-share": { window: "auto", alpha: 0.01, layers: ["url", "repost"] },
        rhythm: { zone: "Asia/Tehran" },
        sync: { windows: [1, 3] },
        impersonation: { protected: [{ handle: "x" }], protectFile: "my list.csv" },
      },
      campaigns: { min_members: 4, min_exclusivity: 0.3, max_one_way: 0.8 },
    });
    expect(args).toEqual([
      "--seed",
      "1",
      "--window",
      "auto",
      "--layers",
      "url,repost",
      "--protect",
      "my list.csv",
      "--param",
      "rhythm.zone=Asia/Tehran",
      "--param",
      "sync.windows=[1,3]",
      "--min-members",
      "4",
    ]);
    expect(unset).toEqual(["campaign rule min_exclusivity = 0.3"]);
    expect(reproduceArgs({ detectors: { rhythm: { zone: "60" } } }).args).toContain('rhythm.zone="60"');
  });
});

describe("--no-report (an earlier run's report.html was left beside the new findings.json)", () => {
  it("removes DIR/report.html and says so in one line", async () => {
    const dir = tmp.path("a");
    expect(existsSync(`${dir}/report.html`)).toBe(true);
    const r = await runCli(["detect", "--case", casePath, "-o", dir, "--no-report", "--no-progress"]);
    expect(r.code, r.err).toBe(0);
    expect(existsSync(`${dir}/report.html`)).toBe(false);
    expect(existsSync(`${dir}/findings.json`)).toBe(true);
    expect(r.err).toBe(
      `chorus: removed ${dir}/report.html: it showed an earlier run, not the new findings.json; ` +
        `'chorus report --case ${casePath} -o ${dir}/report.html' rebuilds it`,
    );
  }, 60_000);
});

describe("profile fields left out", () => {
  it("are counted on the input's line, with the first reasons, and in --json", async () => {
    const file = tmp.path("fields.jsonl");
    const post = { platform: "twitter", account_id: "a", text: "hi" };
    writeFileSync(
      file,
      [
        { ...post, post_id: "1", ts: "2024-01-01T00:00:00Z", followers: "1,234" },
        { ...post, post_id: "2", ts: "2024-01-01T00:00:01Z", account_created_at: "garbage" },
        { ...post, post_id: "3", ts: "2024-01-01T00:00:02Z" },
      ]
        .map((p) => JSON.stringify(p))
        .join("\n") + "\n",
    );
    const r = await runCli(["ingest", "--case", tmp.path("fields.duckdb"), "--no-progress", file]);
    expect(r.code, r.err).toBe(0);
    const lines = r.out.split("\n");
    expect(lines[0]).toMatch(/3 rows: 3 posts, .*2 profile fields left out \(posts kept\)$/);
    expect(lines[1]).toMatch(/^ {2}line 1: followers '1,234' is not a number/);
    expect(lines[2]).toMatch(/^ {2}line 2: account_created_at 'garbage' is not a timestamp/);
    const json = await runCli(["ingest", "--case", tmp.path("fields2.duckdb"), "--json", file]);
    const run = JSON.parse(json.out) as { inputs: Array<{ postsStored: number; fieldsDropped: number }> };
    expect(run.inputs[0]).toMatchObject({ postsStored: 3, fieldsDropped: 2 });
  });
});

/**
 * `chorus analyze` and `chorus detect` end to end, in-process: the bundled sample (3 planted campaigns, see
 * sample/truth.json) is analysed twice into two directories and once more from its case; CooRTweet compatibility
 * is checked against the package's published reference numbers; bad parameters are refused.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createApp } from "../src/server/app.js";
import { CaseStore } from "../src/store/case.js";
import { runCli } from "./helpers/cli.js";
import { expectFindingsShape, type FindingsShape } from "./helpers/findings.js";
import { FIXTURES, tempDir } from "./helpers/tmp.js";
import { HOUR, PostLog, SECOND, T0, writeJsonl } from "./helpers/posts.js";

const SAMPLE = fileURLToPath(new URL("../sample/posts.jsonl", import.meta.url));
const TRUTH = fileURLToPath(new URL("../sample/truth.json", import.meta.url));
const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
  version: string;
};

interface Truth {
  campaigns: Array<{ id: string; accounts: string[] }>;
  organicTraps: Array<{ kind: string; accounts?: string[] }>;
}

let tmp: ReturnType<typeof tempDir>;
beforeAll(() => (tmp = tempDir()));
afterAll(() => tmp.cleanup());

describe("chorus analyze on the bundled sample", () => {
  let first: { code: number; out: string; err: string };
  let second: { code: number; out: string; err: string };
  let again: { code: number; out: string; err: string };
  let text: string;
  let doc: FindingsShape;
  const truth = JSON.parse(readFileSync(TRUTH, "utf8")) as Truth;

  beforeAll(async () => {
    first = await runCli(["analyze", SAMPLE, "-o", tmp.path("a"), "--no-progress"]);
    second = await runCli(["analyze", SAMPLE, "-o", tmp.path("b"), "--no-progress"]);
    again = await runCli([
      "detect",
      "--case",
      tmp.path("a/case.duckdb"),
      "-o",
      tmp.path("c"),
      "--no-progress",
    ]);
    text = readFileSync(tmp.path("a/findings.json"), "utf8");
    doc = JSON.parse(text) as FindingsShape;
  });

  it("exits 0 and writes findings.json in the chorus.findings/v1 shape", () => {
    expect([first.code, second.code, again.code]).toEqual([0, 0, 0]);
    expect(first.err).toBe("");
    expectFindingsShape(doc, pkg.version);
    // every registered detector reports; none fails on the sample
    expect(doc.detectors.filter((d) => d.status === "error")).toEqual([]);
    const coShare = doc.detectors.find((d) => d.id === "co-share")!;
    expect(coShare.status).toBe("ok");
    expect(coShare.counts["accounts"]).toBeGreaterThan(0);
    expect(doc.campaigns.length).toBeGreaterThan(0);
    expect(doc.accounts.length).toBeGreaterThanOrEqual(
      new Set(doc.campaigns.flatMap((c) => c.accounts)).size,
    );
  });

  it("names the input with the sha256 of the real file, its format and its rows", () => {
    const bytes = readFileSync(SAMPLE);
    const lines = bytes
      .toString("utf8")
      .split("\n")
      .filter((l) => l.trim() !== "").length;
    expect(doc.inputs).toEqual([
      {
        path: SAMPLE,
        sha256: createHash("sha256").update(bytes).digest("hex"),
        format: "chorus-jsonl",
        rows: lines,
        rejected: 0,
      },
    ]);
  });

  it("is deterministic: two runs into two directories, and a run from the case, give the same bytes", () => {
    expect(readFileSync(tmp.path("b/findings.json"), "utf8")).toBe(text);
    expect(readFileSync(tmp.path("c/findings.json"), "utf8")).toBe(text);
  });

  it("recovers the three planted campaigns (precision and recall of members >= 0.9)", () => {
    const planted = new Set(truth.campaigns.flatMap((c) => c.accounts));
    const found = new Set(doc.campaigns.flatMap((c) => c.accounts.map((a) => a.id)));
    const hit = [...found].filter((a) => planted.has(a)).length;
    expect(hit / found.size, "precision").toBeGreaterThanOrEqual(0.9);
    expect(hit / planted.size, "recall").toBeGreaterThanOrEqual(0.9);
    // one found campaign per planted one, each mostly made of that campaign's members
    expect(truth.campaigns.map((c) => c.id)).toEqual(["P1", "P2", "P3"]);
    const matched = truth.campaigns.map((p) => {
      const members = new Set(p.accounts);
      const best = doc.campaigns
        .map((c) => ({ id: c.id, ids: c.accounts.map((a) => a.id) }))
        .map((c) => ({ ...c, overlap: c.ids.filter((a) => members.has(a)).length }))
        .sort((x, y) => y.overlap - x.overlap)[0]!;
      expect(best.overlap / members.size, `${p.id} recall`).toBeGreaterThanOrEqual(0.8);
      expect(best.overlap / best.ids.length, `${p.id} purity`).toBeGreaterThanOrEqual(0.9);
      return best.id;
    });
    expect(new Set(matched).size).toBe(3);
    // no organic trap account (hyperactive, fans, news bots) is in a campaign
    const traps = new Set(truth.organicTraps.flatMap((t) => (t.kind === "viral" ? [] : (t.accounts ?? []))));
    expect(traps.size).toBeGreaterThan(0);
    expect([...found].filter((a) => traps.has(a))).toEqual([]);
  });

  it("prints a summary that names the campaigns", () => {
    expect(first.out).toContain("4,802 new posts");
    expect(first.out).toMatch(/^detector co-share \[ok\] /m);
    expect(first.out).toContain(
      `${doc.campaigns.length} campaign${doc.campaigns.length === 1 ? "" : "s"}, most confident first:`,
    );
    for (const c of doc.campaigns) {
      expect(first.out).toContain(`${c.id}  confidence ${c.score.toFixed(2)}  ${c.accounts.length} accounts`);
      expect(first.out).toContain(`${c.accounts.length} accounts (among them`);
    }
    // groups ruled out are listed; pairs, too few to be a campaign, are counted
    const groups = doc.ruled_out.filter((r) => !r.reason.includes("too few to be a campaign")).length;
    const pairs = doc.ruled_out.length - groups;
    expect(pairs).toBeGreaterThan(0);
    expect(first.out).toContain(`Ruled out ${groups} groups that looked organic:`);
    expect(first.out).toContain(
      `  ${pairs} pair${pairs === 1 ? "" : "s"} of accounts tied beyond chance but too few`,
    );
    expect(first.out).toContain(`Wrote ${tmp.path("a/findings.json")}`);
    // the run from the case prints the same campaigns
    const campaignLines = (s: string): string[] => s.split("\n").filter((l) => /^C\d+ {2}confidence/.test(l));
    expect(campaignLines(again.out)).toEqual(campaignLines(first.out));
    expect(campaignLines(first.out)).toHaveLength(doc.campaigns.length);
  });

  describe("refuses bad parameters with a clear message", () => {
    // a small case, so that a parameter wrongly accepted costs little
    let small: string;
    beforeAll(async () => {
      small = tmp.path("small.duckdb");
      const r = await runCli(["ingest", "--case", small, `${FIXTURES}ingest/chorus-jsonl/posts.jsonl`]);
      expect(r.code).toBe(0);
    });

    it.each([
      [["--window", "-5"], /--window .*'-5' is invalid/],
      [["--window", "0"], /the window must be positive/],
      [["--window", "soon"], /expected a duration like 30s, 2m or 60, or 'auto'/],
      [["--window", "8d"], /the window can be at most 7 days \(168h\), got '8d'/],
      [["--window", "3w"], /expected a duration like 30s, 2m or 60/],
      [["--window", "999999"], /the window can be at most 7 days \(168h\), got '999999'/],
      [["--layers", "nope"], /unknown layer 'nope' \(layers: url, /],
      [["--compat", "gephi"], /'gephi' is invalid. Allowed choices are coortweet/],
      [["--param", "co-share.alpha=2"], /^chorus: co-share: alpha: .*1/m],
      [["--param", "co-share.noSuchParam=1"], /^chorus: co-share: .*noSuchParam/m],
      [["--param", "alpha=0.05"], /expected detector\.param=value/],
      [
        ["--param", "co-share.window=30x"],
        /co-share\.window: expected a duration like 30s, 2m or 60, or 'auto'; got '30x'/,
      ],
      [
        ["--param", "co-share.window=true"],
        /^chorus: co-share: window: Invalid input \(got true\); window is: co-share window in seconds/m,
      ],
      [["--alpha", "lots"], /--alpha must be a number, got 'lots'/],
      [["--min-coshares", "0"], /--min-coshares must be at least 1, got 0/],
      [["--edge-quantile", "2"], /--edge-quantile must be between 0 and 1, got 2/],
    ])("%j", async (args, message) => {
      const out = tmp.path(`bad-${args.join("_").replace(/[^a-z0-9_-]/gi, "")}`);
      const r = await runCli(["detect", "--case", small, "-o", out, ...args]);
      expect(r.code).not.toBe(0);
      expect(r.err).toMatch(message);
      expect(existsSync(`${out}/findings.json`)).toBe(false);
    });

    it("takes durations in --param as --window does, and checks parameters before it ingests", async () => {
      const out = tmp.path("param-window");
      const r = await runCli([
        "detect",
        "--case",
        small,
        "-o",
        out,
        "--param",
        "co-share.window=2m",
        "--no-report",
      ]);
      expect(r.code).toBe(0);
      const doc = JSON.parse(readFileSync(`${out}/findings.json`, "utf8")) as {
        params: { detectors: Record<string, Record<string, unknown>> };
      };
      expect(doc.params.detectors["co-share"]?.["window"]).toBe(120);
      // a gap is not a window: it takes days past the window's 7-day cap
      const gap = await runCli([
        "detect",
        "--case",
        small,
        "-o",
        tmp.path("param-gap"),
        "--param",
        "co-share.episodeGap=10d",
        "--no-report",
      ]);
      expect(gap.code).toBe(0);
      const gapDoc = JSON.parse(readFileSync(tmp.path("param-gap/findings.json"), "utf8")) as typeof doc;
      expect(gapDoc.params.detectors["co-share"]?.["episodeGap"]).toBe(864000);
      const odd = await runCli([
        "detect",
        "--case",
        small,
        "-o",
        tmp.path("param-odd"),
        "--param",
        "constructor.name=abc",
      ]);
      expect(odd.code).not.toBe(0);
      expect(odd.err).toMatch(/parameters for unknown detector 'constructor'/);
      // a bad parameter to analyze stops it before the input is read: no case, no output directory
      const early = tmp.path("param-early");
      const bad = await runCli([
        "analyze",
        `${FIXTURES}ingest/chorus-jsonl/posts.jsonl`,
        "-o",
        early,
        "--param",
        "co-share.alpha=2",
      ]);
      expect(bad.code).not.toBe(0);
      expect(bad.err).toMatch(/^chorus: co-share: alpha: .*\(got 2\)/m);
      expect(existsSync(early)).toBe(false);
    });

    // Guards fixed bugs: these were accepted silently and the run exited 0. `--min-members abc` became NaN and
    // dropped every group (no campaign at all); `--seed abc` became NaN (written as null); a parameter for a
    // detector that does not exist was ignored.
    it.each([[["--min-members", "abc"]], [["--seed", "abc"]], [["--param", "coshare.alpha=0.05"]]])(
      "%j",
      async (args) => {
        const r = await runCli([
          "detect",
          "--case",
          tmp.path("a/case.duckdb"),
          "-o",
          tmp.path("bad-x"),
          ...args,
        ]);
        expect(r.code).not.toBe(0);
      },
    );
  });
});

describe("chorus analyze keeps an output directory's case to its own inputs", () => {
  const posts = `${FIXTURES}ingest/chorus-jsonl/posts.jsonl`;
  const telegram = `${FIXTURES}ingest/telegram/result.json`;
  const inputsOf = (dir: string): string[] =>
    (JSON.parse(readFileSync(`${dir}/findings.json`, "utf8")) as FindingsShape).inputs.map((i) => i.path);

  it("refuses other inputs into a directory that holds an earlier analysis, unless --case asks for it", async () => {
    const dir = tmp.path("mixed");
    expect((await runCli(["analyze", posts, "-o", dir, "--no-progress"])).code).toBe(0);
    const before = readFileSync(`${dir}/findings.json`, "utf8");
    // the same input again is the same analysis
    expect((await runCli(["analyze", posts, "-o", dir, "--no-progress"])).code).toBe(0);
    const other = await runCli(["analyze", telegram, "-o", dir, "--no-progress"]);
    expect(other.code).toBe(2);
    expect(other.err).toContain(
      `${dir}/case.duckdb already holds an input of an earlier analysis that is not`,
    );
    expect(other.err).toContain(`posts.jsonl): the findings would mix them`);
    expect(other.err).toContain(`give --case ${dir}/case.duckdb to analyse them together on purpose`);
    expect(readFileSync(`${dir}/findings.json`, "utf8")).toBe(before);
    const together = await runCli([
      "analyze",
      telegram,
      "-o",
      dir,
      "--case",
      `${dir}/case.duckdb`,
      "--no-progress",
    ]);
    expect(together.code).toBe(0);
    expect(inputsOf(dir)).toEqual([posts, telegram]);
  });

  it("stops when every input is refused, and names the refused ones when some were read", async () => {
    const none = await runCli([
      "analyze",
      tmp.path("missing.jsonl"),
      "-o",
      tmp.path("none"),
      "--no-progress",
    ]);
    expect(none.code).toBe(2);
    expect(none.err).toContain("missing.jsonl: cannot be read (no such file)");
    expect(none.err).toContain("nothing analysed: the input was refused");
    expect(none.out).toBe("");
    // with --json, the refusals are printed as JSON too
    const asJson = await runCli(["analyze", tmp.path("missing.jsonl"), "-o", tmp.path("none"), "--json"]);
    expect(asJson.code).toBe(2);
    const doc = JSON.parse(asJson.out) as {
      case: null;
      refused: Array<{ path: string; error: string }>;
      error: string;
    };
    expect(doc.refused.map((f) => f.path)).toEqual([tmp.path("missing.jsonl")]);
    expect(doc.refused[0]!.error).toContain("cannot be read (no such file)");
    expect(doc.error).toBe("nothing analysed: the input was refused");
    // the directory it made, and the case in it, are gone again; a directory that was there stays, empty
    expect(existsSync(tmp.path("none"))).toBe(false);
    mkdirSync(tmp.path("kept"));
    const kept = await runCli([
      "analyze",
      tmp.path("missing.jsonl"),
      "-o",
      tmp.path("kept/a/b"),
      "--no-progress",
    ]);
    expect(kept.code).toBe(2);
    expect(readdirSync(tmp.path("kept"))).toEqual([]);
    const some = await runCli([
      "analyze",
      posts,
      tmp.path("missing.jsonl"),
      "-o",
      tmp.path("some"),
      "--no-progress",
    ]);
    expect(some.code).toBe(1);
    expect(some.out).toMatch(
      /^case .*: 1 input file read, 1 refused \(.*missing\.jsonl: analysed without it\)/,
    );
    expect(inputsOf(tmp.path("some"))).toEqual([posts]);
    const json = await runCli([
      "analyze",
      posts,
      tmp.path("missing.jsonl"),
      "-o",
      tmp.path("some-json"),
      "--json",
    ]);
    const summary = JSON.parse(json.out) as {
      inputs: Array<{ path: string }>;
      refused: Array<{ path: string }>;
    };
    expect(summary.inputs.map((i) => i.path)).toEqual([posts]);
    expect(summary.refused.map((f) => f.path)).toEqual([tmp.path("missing.jsonl")]);
  });

  it("names a small campaign whole, with its one tie in the singular", async () => {
    // two accounts share the same links (of several sites) within seconds, eight times; thirty others post links
    // of their own
    const log = new PostLog();
    for (let i = 0; i < 8; i++) {
      const t = T0 + (i + 1) * 3 * HOUR;
      const url = `https://site${i % 4}.example/${i}`;
      log.add("pair_one", t, { urls: [url] });
      log.add("pair_two", t + 4 * SECOND, { urls: [url] });
    }
    for (let i = 0; i < 30; i++)
      for (let j = 0; j < 4; j++)
        log.add(`other${i}`, T0 + (i * 4 + j) * 11 * 60_000, { urls: [`https://own${i}.example/${j}`] });
    const input = tmp.path("pair.jsonl");
    writeJsonl(input, log.posts);
    const r = await runCli(["analyze", input, "-o", tmp.path("pair"), "--min-members", "2", "--no-progress"]);
    expect(r.code, r.err).toBe(0);
    const doc = JSON.parse(readFileSync(tmp.path("pair/findings.json"), "utf8")) as FindingsShape;
    expect(doc.campaigns).toHaveLength(1);
    const summary = doc.campaigns[0]!.summary;
    expect(summary).toMatch(/^2 accounts, @h_pair_one and @h_pair_two, repeatedly shared /);
    expect(summary).toContain("tied by 1 pairwise link that");
  });

  it("refuses an output path that is a file before doing any work", async () => {
    const file = tmp.path("a/findings.json");
    const r = await runCli(["analyze", posts, "-o", file, "--no-progress"]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`-o ${file}: not a directory`);
    const before = readFileSync(tmp.path("a/case.duckdb"));
    const d = await runCli(["detect", "--case", tmp.path("a/case.duckdb"), "-o", file, "--no-progress"]);
    expect(d.code).toBe(2);
    expect(d.err).toBe(
      `chorus: -o ${file}: not a directory (detect writes findings.json and report.html there)`,
    );
    // refused before any work: no run was added to the case
    expect(readFileSync(tmp.path("a/case.duckdb")).equals(before)).toBe(true);
  });
});

describe("chorus analyze --compat coortweet", () => {
  it("reproduces CooRTweet's published numbers on its Russian sample", async () => {
    const out = tmp.path("coortweet");
    const r = await runCli([
      "analyze",
      `${FIXTURES}coortweet/russian_coord_tweets.csv.gz`,
      "--compat",
      "coortweet",
      "--window",
      "60",
      "--min-participation",
      "2",
      "--edge-quantile",
      "0.5",
      "-o",
      out,
      "--no-progress",
    ]);
    expect(r.code).toBe(0);
    const doc = expectFindingsShape(JSON.parse(readFileSync(`${out}/findings.json`, "utf8")), pkg.version);
    expect(doc.inputs.map((i) => i.format)).toEqual(["coortweet"]);
    const det = doc.detectors.find((d) => d.id === "co-share")!;
    expect(det.status).toBe("ok");
    expect(det.counts).toMatchObject({
      coshares: 3791,
      edges: 3721,
      accounts: 2110,
      edges_above_threshold: 60,
      accounts_above_threshold: 94,
    });
    expect(r.out).toContain(
      "CooRTweet 2.1.3 semantics: 3791 co-shares, 3721 edges among 2110 accounts; 60 edges among 94 accounts",
    );
    // its ties are raw counts over a quantile: nothing it prints says they beat chance
    expect(r.out.replace(/\s+/g, " ")).toContain(
      "No campaign: no group passed the group tests (co-share's ties are CooRTweet's network, 60 edges among 94 " +
        "accounts above the weight quantile: raw co-share counts, no chance model).",
    );
    expect(r.out).not.toMatch(/beyond chance/);
  });

  it("says that the campaigns it finds in CooRTweet's network rest on raw counts, not on the chance test", async () => {
    const out = tmp.path("coortweet-de");
    const r = await runCli([
      "analyze",
      `${FIXTURES}coortweet/german_elections.csv.gz`,
      "--compat",
      "coortweet",
      "-o",
      out,
      "--no-progress",
    ]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(readFileSync(`${out}/findings.json`, "utf8")) as {
      campaigns: Array<{ id: string; summary: string; basis: string }>;
    };
    expect(doc.campaigns.length).toBeGreaterThan(0);
    expect(r.out.replace(/\s+/g, " ")).toContain(
      `${doc.campaigns.length} campaigns, most confident first (co-share's ties are CooRTweet's network, `,
    );
    // those bound by shared objects say so; those bound by timing alone rest on sync's own test
    const byObjects = doc.campaigns.filter((c) => c.basis !== "behaviour");
    expect(byObjects.length).toBeGreaterThan(0);
    for (const c of byObjects) {
      expect(c.summary).toContain(
        "pairwise links over CooRTweet's edge-weight quantile (raw co-share counts",
      );
    }
    const report = readFileSync(`${out}/report.html`, "utf8");
    const headline = /<strong>([^<]*)<\/strong>/.exec(report)?.[1]?.replace(/\s+/g, " ");
    expect(headline).toMatch(
      new RegExp(`^${doc.campaigns.length} campaigns found: .*; co-share's ties are CooRTweet's network, `),
    );
    for (const said of [r.out, report, ...doc.campaigns.map((c) => c.summary)])
      expect(said).not.toMatch(/chance explains|beyond chance|beat chance/);
    // the web app reads the case and words its claim by the same mode
    const store = await CaseStore.open(`${out}/case.duckdb`);
    try {
      const app = createApp(store, { host: "127.0.0.1", port: 8123 });
      const res = await app.request(`http://127.0.0.1:8123/api/campaigns/${doc.campaigns[0]!.id}`);
      expect(res.status).toBe(200);
      expect(((await res.json()) as { compat: unknown }).compat).toBe("coortweet");
    } finally {
      store.close();
    }
  });
});

describe("chorus analyze with no campaign but a group ruled out", () => {
  it("says the group tied beyond chance was ruled out, not that no group acted together", async () => {
    const own = tempDir();
    try {
      const log = new PostLog();
      // an outlet's five feeds, named for it, posting its links within seconds, ten times; thirty people beside
      for (let k = 0; k < 10; k++)
        for (let a = 0; a < 5; a++)
          log.add(`dailynews_${a}`, T0 + k * 2 * HOUR + a * 2 * SECOND, {
            urls: [`https://dailynews.example/s/${k}`],
          });
      for (let u = 0; u < 30; u++)
        for (let k = 0; k < 20; k++)
          log.add(`user${u}`, T0 + ((u * 7919 + k * 104729) % (30 * 3600)) * SECOND, {
            urls: [`https://site${u % 7}.example/${(u * k) % 50}`],
          });
      writeJsonl(own.path("feeds.jsonl"), log.posts);
      const r = await runCli(["analyze", own.path("feeds.jsonl"), "-o", own.path("out"), "--no-progress"]);
      expect(r.code, r.err).toBe(0);
      const text = r.out.replace(/\s+/g, " ");
      expect(text).toContain(
        "No campaign: the group of accounts tied beyond chance looked organic or open, and was ruled out",
      );
      expect(text).toContain("syndication feeds: every member's links go to dailynews.example");
      const report = readFileSync(own.path("out/report.html"), "utf8").replace(/\s+/g, " ");
      expect(report).toContain(
        "No campaign: the group of accounts tied beyond chance looked organic or open",
      );
      expect(report).toContain('<a href="#ruled-out">the groups ruled out</a>');
    } finally {
      own.cleanup();
    }
  }, 60_000);
});

/**
 * A copypasta unit whose message holds emoji: the campaign step quotes the message in its summary, cut at 120
 * UTF-16 units. Guards a fixed bug: the cut split an emoji's surrogate pair, and saving the findings (as JSON, in the
 * case) failed with "no low surrogate in string", so `chorus analyze` stopped without writing findings.json. The
 * unit posts through an app of its own, which the summary names.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { analyzeCase, type AnalysisResult } from "../src/report/pipeline.js";
import type { CaseStore } from "../src/store/case.js";
import { seededRng } from "../src/detectors/detector.js";
import { caseOf, DAY, HOUR, key, PostLog, SECOND, T0 } from "./helpers/posts.js";
import { tempDir } from "./helpers/tmp.js";

// one message a burst, each of words of its own: 119 UTF-16 units, then an emoji whose high surrogate is the 120th
const head = (b: number): string =>
  Array.from({ length: 40 }, (_, k) => `m${b}x${k}`)
    .join(" ")
    .slice(0, 119)
    .padEnd(119, ".");
const message = (b: number): string => `${head(b)}😀 read it before they delete it 🙏`;
const LONE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

let tmp: ReturnType<typeof tempDir>;
let store: CaseStore;
let result: AnalysisResult;
/** The same world where only the unit's posts name their app: no one else's app is known. */
let onlyTheirs: AnalysisResult;
let others = 0;
let theirPosts = 0;
const unit = ["paste1", "paste2", "paste3", "paste4", "paste5"];

beforeAll(async () => {
  tmp = tempDir();
  const rng = seededRng(5);
  const log = new PostLog();
  for (let i = 0; i < 2000; i++) {
    // everyday posts in words of their own
    const words = Array.from({ length: 12 }, () => `w${Math.floor(rng() * 5000)}`).join(" ");
    log.add(`org${1 + Math.floor(rng() * 200)}`, T0 + Math.floor(rng() * 20 * DAY), { text: words });
  }
  // sentences quoted by a few accounts each, hours apart: the text layer's background
  for (let q = 0; q < 150; q++) {
    const quote = Array.from({ length: 14 }, (_, k) => `q${q}y${k}`).join(" ");
    const start = T0 + Math.floor(rng() * 18 * DAY);
    for (let r = 0; r < 4; r++) {
      log.add(`org${1 + Math.floor(rng() * 200)}`, start + Math.floor(rng() * 6 * HOUR), { text: quote });
    }
  }
  for (let b = 0; b < 8; b++) {
    const t = T0 + b * 2 * DAY + 5 * HOUR;
    unit.forEach((acc, j) => log.add(acc, t + j * 4 * SECOND, { text: message(b) }));
  }
  // the unit posts through an app of its own; everyone else from the phone app
  const posts = log.posts.map((p) => ({
    ...p,
    client: p.account_id.startsWith("paste") ? "Dhikr Helper" : "Twitter for iPhone",
  }));
  others = new Set(posts.filter((p) => !p.account_id.startsWith("paste")).map((p) => p.account_id)).size;
  theirPosts = posts.filter((p) => p.account_id.startsWith("paste")).length;
  store = (await caseOf(tmp, posts)).store;
  result = await analyzeCase(store, {
    outDir: tmp.path("out"),
    now: new Date("2024-06-01T00:00:00Z"),
    report: false,
  });
  const bare = posts.map((p) => (p.account_id.startsWith("paste") ? p : { ...p, client: undefined }));
  const second = (await caseOf(tmp, bare, "only-theirs")).store;
  onlyTheirs = await analyzeCase(second, {
    outDir: tmp.path("only-theirs"),
    now: new Date("2024-06-01T00:00:00Z"),
    report: false,
  });
  second.close();
});
afterAll(() => {
  store.close();
  tmp.cleanup();
});

describe("a campaign whose message holds emoji", () => {
  it("is reported, quoting the message cut before the emoji, and its findings are saved", async () => {
    const c = result.campaigns.find((x) => x.members.some((m) => m.key === key("paste1")))!;
    expect(c.members.map((m) => m.key).sort()).toEqual(unit.map(key));
    expect(c.layers).toContain("text");
    expect(c.summary).toMatch(
      /The most shared object was the text "m\d+x0 m\d+x1 [^"]*…" \(as first posted, t:twitter:/,
    );
    // the quote ends where the emoji would have been cut in two
    const quoted = /the text "([^"]*)…"/.exec(c.summary)![1]!;
    expect(quoted.length).toBe(119);
    expect([0, 1, 2, 3, 4, 5, 6, 7].map(head)).toContain(quoted);
    expect(c.summary).toMatch(/8 times three or more of them acted inside the same 60-second burst/);
    expect(LONE.test(JSON.stringify(result.findings))).toBe(false);
    // every post of theirs came from an app no one else uses
    const theirs = theirPosts;
    expect(c.client).toEqual({
      name: "Dhikr Helper",
      share: 1,
      members: 5,
      outside: 0,
      named: theirs,
      posts: theirs,
      namingOutside: others,
    });
    expect(c.summary).toContain(
      `100% of their posts were sent from the client "Dhikr Helper", which no account outside them uses (of the ` +
        `${others} others whose posts name an app)`,
    );
    const saved = await store.all<{ n: number }>(
      `SELECT count(*)::INTEGER AS n FROM analyses WHERE run_id = $r`,
      {
        r: result.runId,
      },
    );
    expect(saved).toEqual([{ n: 1 }]);
  });

  it("names no app of theirs when no one else's posts name an app: 'no one else uses it' would say nothing", () => {
    const c = onlyTheirs.campaigns.find((x) => x.members.some((m) => m.key === key("paste1")))!;
    expect(c.members.map((m) => m.key).sort()).toEqual(unit.map(key));
    expect(c.client).toBeNull();
    expect(c.summary).not.toContain("sent from the client");
  });
});

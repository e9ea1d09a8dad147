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
  store = (await caseOf(tmp, posts)).store;
  result = await analyzeCase(store, {
    outDir: tmp.path("out"),
    now: new Date("2024-06-01T00:00:00Z"),
    report: false,
  });
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
    expect(c.client).toEqual({ name: "Dhikr Helper", share: 1, members: 5, outside: 0 });
    expect(c.summary).toContain(
      '100% of their posts were sent from the client "Dhikr Helper", which no account outside them uses in the data',
    );
    const saved = await store.all<{ n: number }>(
      `SELECT count(*)::INTEGER AS n FROM analyses WHERE run_id = $r`,
      {
        r: result.runId,
      },
    );
    expect(saved).toEqual([{ n: 1 }]);
  });
});

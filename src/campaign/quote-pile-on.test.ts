/**
 * A quote pile-on: a unit quotes each post of the journalist it targets within a minute of one another, post after
 * post, where the crowd quotes her over hours and a celebrity's posts are quoted by dozens of strangers at once.
 * The quoted post is an object of its own (the `quote` layer): the unit is a campaign bound by it, and neither the
 * crowd, the celebrity's quoters nor the journalist herself is a member of any.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seededRng } from "../detectors/detector.js";
import { analyzeCase, type AnalysisResult } from "../report/pipeline.js";
import type { CaseStore } from "../store/case.js";
import {
  accountIds,
  caseOf,
  crowdReposts,
  DAY,
  HOUR,
  key,
  lognormal,
  MINUTE,
  PostLog,
  SECOND,
  T0,
} from "../../test/helpers/posts.js";
import { tempDir } from "../../test/helpers/tmp.js";

interface QuoteWorld {
  log: PostLog;
  unit: string[];
  crowd: string[];
  quotersOfCelebrity: Set<string>;
}

function quoteWorld(seed: number): QuoteWorld {
  const rng = seededRng(seed);
  const log = new PostLog();
  const crowd = accountIds("u", 300);
  const unit = accountIds("q", 12);
  const pick = (): string => crowd[Math.floor(rng() * crowd.length)]!;
  crowdReposts(log, rng, crowd, 1500);
  // the journalist's posts, each quoted by a few of the crowd over hours, and by most of the unit within a minute
  for (let d = 0; d < 15; d++) {
    const t = T0 + d * DAY + Math.floor((8 + rng() * 10) * HOUR);
    const post = log.add("journalist", t, { text: `reporting ${d}` });
    const crowdQuotes = 3 + Math.floor(rng() * 6);
    for (let i = 0; i < crowdQuotes; i++) {
      log.add(pick(), t + Math.floor(lognormal(rng, 30 * MINUTE, 1)), {
        quoteOf: post,
        text: `hm ${d} ${i}`,
      });
    }
    const start = t + Math.floor((2 + rng() * 8) * MINUTE);
    for (const q of unit) {
      if (rng() < 0.2) continue;
      log.add(q, start + Math.floor(rng() * 45 * SECOND), { quoteOf: post, text: `liar ${d} ${q}` });
    }
  }
  // a celebrity's posts, each quoted by dozens of strangers within the hour: popular, not coordinated
  const quotersOfCelebrity = new Set<string>();
  for (let d = 0; d < 10; d++) {
    const t = T0 + d * 2 * DAY + Math.floor(rng() * 12 * HOUR);
    const post = log.add("celebrity", t, { text: `big news ${d}` });
    const n = 40 + Math.floor(rng() * 40);
    for (let i = 0; i < n; i++) {
      const who = pick();
      quotersOfCelebrity.add(who);
      log.add(who, t + Math.floor(lognormal(rng, 15 * MINUTE, 0.8)), {
        quoteOf: post,
        text: `wow ${d} ${i}`,
      });
    }
  }
  // the unit's own posts, so that its members are not quote accounts alone
  for (const q of unit) {
    for (let i = 0; i < 10; i++) log.add(q, T0 + Math.floor(rng() * 15 * DAY), { text: `daily ${q} ${i}` });
  }
  return { log, unit, crowd, quotersOfCelebrity };
}

let tmp: ReturnType<typeof tempDir>;
let store: CaseStore;
let world: QuoteWorld;
let result: AnalysisResult;

beforeAll(async () => {
  tmp = tempDir();
  world = quoteWorld(11);
  store = (await caseOf(tmp, world.log.posts)).store;
  result = await analyzeCase(store, {
    now: new Date("2024-06-01T00:00:00Z"),
    only: ["co-share"],
    outDir: tmp.path("out"),
  });
});
afterAll(() => {
  store.close();
  tmp.cleanup();
});

describe("a quote pile-on", () => {
  it("stores each quote's quoted post as a quote object", async () => {
    const quotes = await store.scalar<number>("SELECT count(*)::INTEGER FROM posts WHERE kind = 'quote'");
    const objects = await store.scalar<number>("SELECT count(*)::INTEGER FROM objects WHERE kind = 'quote'");
    expect(quotes).toBeGreaterThan(100);
    expect(objects).toBe(quotes);
  });

  it("is a campaign of the whole unit, bound by quotes of the same posts", () => {
    const unit = new Set(world.unit.map(key));
    const holding = result.campaigns.filter((c) => c.members.some((m) => unit.has(m.key)));
    expect(holding).toHaveLength(1);
    const c = holding[0]!;
    const core = c.members.filter((m) => m.role !== "fringe").map((m) => m.key);
    expect(core.sort()).toEqual([...unit].sort());
    expect(c.layers).toContain("quote");
    expect(c.summary).toContain("quotes of the same posts");
    // the target is named, and what was piled onto quoted
    const top = c.topObjects[0]!;
    expect(top).toMatchObject({
      kind: "quote",
      author: "@h_journalist",
      text: expect.stringMatching(/^reporting \d+$/),
    });
    expect(c.summary).toContain(`The most shared object was the quote of @h_journalist's post "${top.text}"`);
  });

  it("takes neither the crowd, the celebrity's quoters nor the journalist for a campaign", () => {
    const unit = new Set(world.unit.map(key));
    const others = result.campaigns.flatMap((c) => c.members.map((m) => m.key)).filter((k) => !unit.has(k));
    expect(world.quotersOfCelebrity.size).toBeGreaterThan(100);
    expect(others).toEqual([]);
  });
});

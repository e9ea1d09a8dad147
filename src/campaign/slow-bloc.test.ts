/**
 * A unit amplifying personas whose audiences are mostly others can work over minutes rather than at once: the bloc
 * bound on burst share alone set it aside as fans. Many of its members come to each post, and it makes nearly all
 * of each post's reposts; superfans coming over minutes also make nearly all the reposts of what they share, but
 * each comes to a few of the posts (test/helpers/slow-bloc-world.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { analyzeCase, type AnalysisResult } from "../report/pipeline.js";
import type { CaseStore } from "../store/case.js";
import { slowBlocWorld, type SlowBlocWorld } from "../../test/helpers/slow-bloc-world.js";
import { caseOf, key } from "../../test/helpers/posts.js";
import { tempDir } from "../../test/helpers/tmp.js";
import { DEFAULT_CAMPAIGN_OPTIONS } from "./index.js";

let tmp: ReturnType<typeof tempDir>;
let store: CaseStore;
let world: SlowBlocWorld;
let result: AnalysisResult;
let control: AnalysisResult;

beforeAll(async () => {
  tmp = tempDir();
  world = slowBlocWorld(11);
  store = (await caseOf(tmp, world.posts)).store;
  const opts = { now: new Date("2024-06-01T00:00:00Z"), only: ["co-share"] };
  result = await analyzeCase(store, { ...opts, outDir: tmp.path("out") });
  // the same case with the bound out of reach: the bloc bound on burst share alone
  control = await analyzeCase(store, { ...opts, outDir: tmp.path("control"), minBlocParticipation: 2 });
});
afterAll(() => {
  store.close();
  tmp.cleanup();
});

const holding = (r: AnalysisResult, account: string) =>
  r.campaigns.find((c) => c.members.some((m) => m.key === key(account)));
const ruledOutHolding = (r: AnalysisResult, account: string) =>
  r.ruledOut.find((g) => g.members.includes(key(account)));
/**
 * A group's pace over the posts it reposted, from the posts: for each post that two or more of `members` shared
 * inside one window (a post's author shares it when posting it, as co-share counts), the most of them inside any
 * window of the detector's 60 s.
 */
function pace(members: readonly string[]): { participation: number; burstShare: number } {
  const inGroup = new Set(members);
  const byPost = new Map<string, number[]>();
  const share = (post: string, ts: string): void => {
    byPost.set(post, [...(byPost.get(post) ?? []), Date.parse(ts)]);
  };
  for (const p of world.posts) {
    if (!inGroup.has(p.account_id)) continue;
    if (p.repost_of !== undefined) share(p.repost_of, p.ts);
    else share(p.post_id, p.ts);
  }
  let posts = 0;
  let inWindow = 0;
  let reposters = 0;
  for (const times of byPost.values()) {
    times.sort((a, b) => a - b);
    let best = 0;
    for (let i = 0, j = 0; j < times.length; j++) {
      while (times[j]! - times[i]! > 60_000) i++;
      best = Math.max(best, j - i + 1);
    }
    if (best < 2) continue;
    posts++;
    inWindow += best;
    reposters += times.length;
  }
  return { participation: inWindow / inGroup.size / posts, burstShare: inWindow / reposters };
}

const oneWay = /^one-way amplification: 100% of the reposts the members made together were of accounts/;

describe("a bloc that works over minutes", () => {
  it("keeps the unit, whose personas' audiences are mostly others, and says why", () => {
    const unit = holding(result, world.unit[0]!);
    expect(unit).toBeDefined();
    const members = new Set(unit!.members.map((m) => m.key));
    for (const m of world.unit) expect(members.has(key(m))).toBe(true);
    expect(unit!.members.every((m) => [...world.unit, ...world.personas].map(key).includes(m.key))).toBe(
      true,
    );
    const f = unit!.facts;
    // under half of the personas' audiences, and not at once: the first bloc bound does not hold
    expect(f.audienceShare!).toBeLessThan(DEFAULT_CAMPAIGN_OPTIONS.minAudienceShare);
    expect(f.burstShare).toBeLessThan(DEFAULT_CAMPAIGN_OPTIONS.minBloc);
    expect(f.exclusivity).toBeGreaterThanOrEqual(DEFAULT_CAMPAIGN_OPTIONS.minBloc);
    expect(f.bloc).toBe(true);
    // its pace over the posts it reposted together, counted here from the world's own posts
    const figures = pace(unit!.members.map((m) => m.key.slice("twitter:".length)));
    expect(f.slowBloc).not.toBeNull();
    expect(f.slowBloc!.participation).toBeCloseTo(figures.participation, 12);
    expect(f.slowBloc!.burstShare).toBeCloseTo(figures.burstShare, 12);
    expect(figures.participation).toBeGreaterThanOrEqual(DEFAULT_CAMPAIGN_OPTIONS.minBlocParticipation);
    expect(figures.burstShare).toBeGreaterThanOrEqual(DEFAULT_CAMPAIGN_OPTIONS.maxLooseBurstShare);
    expect(unit!.summary).toContain(
      `they are ${Math.round(f.audienceShare! * 100)}% of everyone who reposted those accounts in the data, but ` +
        `they act as a bloc over minutes: on average ${Math.round(figures.participation * 100)}% of the members ` +
        `reposted each of the posts they reposted together inside one window ` +
        `(${Math.round(figures.burstShare * 100)}% of those who reposted it), and they made ` +
        `${Math.round(f.exclusivity * 100)}% of those posts' shares`,
    );
    expect(result.findings.params["campaigns"]).toMatchObject({
      min_bloc_participation: DEFAULT_CAMPAIGN_OPTIONS.minBlocParticipation,
    });
    const doc = result.findings.campaigns.find((c) => c["id"] === unit!.id)!;
    expect([doc["bloc"], doc["bloc_over_minutes"]]).toEqual([true, true]);
    // the report says so where it lists the accounts amplified one way
    const report = readFileSync(tmp.path("out/report.html"), "utf8").replace(/\s+/g, " ");
    expect(report).toContain(
      "but they act as a bloc over minutes: many of them repost each post and they make nearly all of its reposts",
    );
  });

  it("would set the unit aside as fans without the bound", () => {
    expect(holding(control, world.unit[0]!)).toBeUndefined();
    expect(ruledOutHolding(control, world.unit[0]!)?.reason).toMatch(oneWay);
  });

  it("still sets aside superfans who make nearly all the reposts of what they share, each coming to a few posts", () => {
    for (const r of [result, control]) {
      expect(r.campaigns.filter((c) => c.members.some((m) => world.fans.map(key).includes(m.key)))).toEqual(
        [],
      );
    }
    const fans = ruledOutHolding(result, world.fans[0]!)!;
    expect(fans.reason).toMatch(oneWay);
    // what sets them apart from the unit is how many of them come to each post, not how much of it they make
    expect(fans.exclusivity).toBeGreaterThanOrEqual(DEFAULT_CAMPAIGN_OPTIONS.minBloc);
    expect(fans.participation).toBeLessThan(DEFAULT_CAMPAIGN_OPTIONS.minBlocParticipation);
  });
});

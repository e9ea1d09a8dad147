/**
 * A star's superfans come to each of its posts a few at a time over minutes, post after post: their ties beat
 * chance (their shared interest is not in the chance model) and they are most of the star's audience, so neither
 * the audience test nor the fans' tests set them aside. The loose-following test does; a unit that brings every
 * member to each post at once is kept (test/helpers/following-world.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { analyzeCase, type AnalysisResult } from "../report/pipeline.js";
import type { CaseStore } from "../store/case.js";
import { followingWorld, type FollowingWorld } from "../../test/helpers/following-world.js";
import { caseOf, key } from "../../test/helpers/posts.js";
import { tempDir } from "../../test/helpers/tmp.js";
import { DEFAULT_CAMPAIGN_OPTIONS } from "./index.js";

let tmp: ReturnType<typeof tempDir>;
let store: CaseStore;
let world: FollowingWorld;
let result: AnalysisResult;

beforeAll(async () => {
  tmp = tempDir();
  world = followingWorld(11);
  store = (await caseOf(tmp, world.posts)).store;
  result = await analyzeCase(store, {
    outDir: tmp.path("out"),
    now: new Date("2024-06-01T00:00:00Z"),
    only: ["co-share"],
    params: { "co-share": { layers: ["repost"] } },
  });
});
afterAll(() => {
  store.close();
  tmp.cleanup();
});

describe("a loose following", () => {
  it("sets the superfans aside, and says how few of them came to each post at once", () => {
    const loose = result.ruledOut.filter((r) => r.reason.startsWith("a loose following: "));
    expect(loose).toHaveLength(1);
    const r = loose[0]!;
    const superfans = new Set(world.superfans.map(key));
    // nearly all the superfans, in one group (the star joins them: its post is a share of its own repost object)
    expect(r.members.filter((m) => superfans.has(m)).length).toBeGreaterThanOrEqual(90);
    expect(r.members.every((m) => superfans.has(m) || m === key(world.star))).toBe(true);
    expect(r.layers).toEqual(["repost"]);
    // they are the star's audience and made its shares: the audience test alone would keep them
    expect(r.exclusivity).toBeGreaterThanOrEqual(DEFAULT_CAMPAIGN_OPTIONS.minExclusivity);
    expect(r.participation).toBeLessThan(DEFAULT_CAMPAIGN_OPTIONS.minRepostParticipation);
    expect(r.reason).toContain(
      `on average ${(r.participation * 100).toFixed(1)}% of the members reposted each post`,
    );
    expect(r.reason).toMatch(/, and \d+% of those who reposted a post did so inside it/);
  });

  it("keeps the unit that brings every member to each post at once", () => {
    expect(result.campaigns).toHaveLength(1);
    const unit = result.campaigns[0]!;
    expect(unit.members.map((m) => m.key).sort()).toEqual([world.persona, ...world.unit].map(key).sort());
    expect(unit.facts.participation).toBe(1);
    expect(unit.facts.burstShare).toBe(1);
  });
});

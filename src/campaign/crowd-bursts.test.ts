/**
 * A group tied only by turning up in the same seconds (sync) is tested for a crowd's bursts, as a group tied by
 * shared objects is tested for exclusivity: on the sync world with announced hashtag storms
 * (test/helpers/sync-world.ts), the regulars who join every storm in its first seconds are the same few seconds'
 * accounts again and again, but each storm's hashtag is posted by 300 others in those seconds; the unit that posts
 * its own slogans in the same second is kept.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { analyzeCase, type AnalysisResult } from "../report/pipeline.js";
import type { CaseStore } from "../store/case.js";
import { syncWorld, type SyncWorld } from "../../test/helpers/sync-world.js";
import { caseOf, key } from "../../test/helpers/posts.js";
import { tempDir } from "../../test/helpers/tmp.js";

let tmp: ReturnType<typeof tempDir>;
let store: CaseStore;
let world: SyncWorld;
let result: AnalysisResult;

beforeAll(async () => {
  tmp = tempDir();
  world = syncWorld(11, 2500, 4, { storms: true });
  store = (await caseOf(tmp, world.posts, "storms")).store;
  result = await analyzeCase(store, {
    outDir: tmp.path("out"),
    now: new Date("2024-06-01T00:00:00Z"),
    only: ["co-share", "sync"],
  });
}, 240_000);
afterAll(() => {
  store.close();
  tmp.cleanup();
});

describe("groups tied by the same seconds", () => {
  it("rules out the storms' regulars as a crowd's bursts, with the members' share of the storms' hashtags", () => {
    const regulars = new Set(world.stormRegulars.map(key));
    expect(result.campaigns.some((c) => c.members.some((m) => regulars.has(m.key)))).toBe(false);
    const r = result.ruledOut.find((g) => g.members.some((m) => regulars.has(m)));
    expect(r).toBeDefined();
    // the sync ties found the regulars, and only them
    expect(r!.members.every((m) => regulars.has(m))).toBe(true);
    expect(r!.accounts).toBeGreaterThanOrEqual(15);
    expect(r!.layers).toEqual(["sync"]);
    expect(r!.reason).toMatch(/^bursts of a crowd: /);
    // each storm's hashtag was posted by the 300 others and every regular, in the group or not
    const share = r!.accounts / (300 + world.stormRegulars.length);
    expect(r!.exclusivity).toBe(Math.round(share * 1000) / 1000);
    expect(r!.reason).toContain(`members made ${Math.round(share * 100)}% of those objects' shares`);
  });

  it("keeps the unit that posts its own slogans in the same second, tied by the same layer", () => {
    const unit = result.campaigns.find((c) => c.members.some((m) => m.key === key(world.unit[0]!)));
    expect(unit).toBeDefined();
    expect(unit!.basis).toBe("behaviour");
    expect(unit!.layers).toContain("sync");
    expect(unit!.members.map((m) => m.key).sort()).toEqual(world.unit.map(key).sort());
  });
});

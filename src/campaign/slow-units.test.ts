/**
 * Units that act over minutes, or that ride other hashtags, in a crowd (test/helpers/slow-world.ts).
 *
 * - A unit that posts over minutes has few pairs that meet inside one window, and the clustering cuts it into groups
 *   that are each too small a part of their hashtags' shares to stand alone. The campaign step tests such groups
 *   again as one unit when together they made most of the shares of the same objects (split-units.ts); the regulars
 *   of a crowd's daily storm, a minority of their tag's shares together, stay set aside.
 * - A unit that adds a different popular hashtag to each burst is weighed by what it did together on each object,
 *   mostly its own tag, not by burst size alone, where the tags it rode would outweigh its own.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seededRng } from "../detectors/detector.js";
import { analyzeCase, type AnalysisResult } from "../report/pipeline.js";
import type { CaseStore } from "../store/case.js";
import type { SharedObjectFact } from "./facts.js";
import { caseOf, key } from "../../test/helpers/posts.js";
import { slowWorld, type SlowWorld } from "../../test/helpers/slow-world.js";
import { tempDir } from "../../test/helpers/tmp.js";
import { buildAccountGraph, tieTableOf } from "./cluster.js";
import {
  buildCampaigns,
  DEFAULT_CAMPAIGN_OPTIONS,
  isTieTable,
  type Campaign,
  type CampaignMember,
} from "./index.js";
import { splitUnits } from "./split-units.js";

const object = (kind: string, value: string, shares: number, total: number, burst = 2): SharedObjectFact => ({
  kind,
  value,
  shares,
  members: shares,
  total,
  burst,
  together: 0,
});

describe("splitUnits", () => {
  const opts = { minShare: 0.5, minJoint: 2 };

  it("joins groups that together made most of the shares of two objects, and kin of kin", () => {
    const groups = [
      { objects: [object("hashtag", "a", 20, 100), object("hashtag", "b", 20, 100)] },
      { objects: [object("hashtag", "a", 20, 100), object("hashtag", "b", 20, 100)] },
      { objects: [object("hashtag", "trend", 5, 5000)] },
      // with the first two, 60% of `a` and `b`; with the next, 90% of `c` and 5 of the 6 shares of `d`
      {
        objects: [
          object("hashtag", "a", 20, 100),
          object("hashtag", "b", 20, 100),
          object("url", "c", 8, 10),
          object("hashtag", "d", 2, 6),
        ],
      },
      { objects: [object("url", "c", 1, 10), object("hashtag", "d", 2, 6)] },
      // holds `d` with them, but no second object
      { objects: [object("hashtag", "d", 1, 6), object("url", "e", 3, 3)] },
    ];
    expect(splitUnits(groups, opts)).toEqual([[0, 1, 3, 4]]);
  });

  it("leaves groups apart when together they are a minority of their objects' shares", () => {
    const groups = [
      { objects: [object("hashtag", "a", 20, 100), object("hashtag", "b", 20, 100)] },
      { objects: [object("hashtag", "a", 20, 100), object("hashtag", "b", 20, 100)] },
    ];
    expect(splitUnits(groups, opts)).toEqual([]);
    expect(splitUnits(groups, { ...opts, minShare: 0.4 })).toEqual([[0, 1]]);
  });

  it("needs two objects held jointly, and an act of two members inside one window on each", () => {
    const one = [
      { objects: [object("hashtag", "a", 40, 60), object("hashtag", "b", 1, 100)] },
      { objects: [object("hashtag", "a", 20, 60), object("hashtag", "b", 1, 100)] },
    ];
    expect(splitUnits(one, opts)).toEqual([]);
    const apart = [
      { objects: [object("hashtag", "a", 40, 60), object("hashtag", "b", 40, 60, 1)] },
      { objects: [object("hashtag", "a", 20, 60), object("hashtag", "b", 20, 60)] },
    ];
    expect(splitUnits(apart, opts)).toEqual([]);
  });

  it("leaves reposts out: fans of one account fall into many groups that together repost most of its posts", () => {
    const fans = [
      { objects: [object("repost", "p1", 30, 50), object("repost", "p2", 30, 50)] },
      { objects: [object("repost", "p1", 15, 50), object("repost", "p2", 15, 50)] },
    ];
    expect(splitUnits(fans, opts)).toEqual([]);
  });
});

let tmp: ReturnType<typeof tempDir>;
let store: CaseStore;
let world: SlowWorld;
let result: AnalysisResult;

beforeAll(async () => {
  tmp = tempDir();
  world = slowWorld(5);
  store = (await caseOf(tmp, world.posts)).store;
  result = await analyzeCase(store, {
    outDir: tmp.path("out"),
    now: new Date("2024-06-01T00:00:00Z"),
    only: ["co-share"],
    params: { "co-share": { layers: ["hashtag"] } },
    keepTies: true,
  });
});
afterAll(() => {
  store.close();
  tmp.cleanup();
});

/** The campaigns with a member among `accounts`. */
function holding(campaigns: Campaign[], accounts: string[]): Campaign[] {
  const keys = new Set(accounts.map(key));
  return campaigns.filter((c) => c.members.some((m) => keys.has(m.key)));
}

describe("a unit that rides the crowd's hashtags", () => {
  it("is a campaign: what it did together was mostly its own tag, whatever tags it added", () => {
    const hijackers = new Set(world.hijackers.map(key));
    const found = holding(result.campaigns, world.hijackers);
    expect(found).toHaveLength(1);
    const c = found[0]!;
    expect(c.members.map((m) => m.key).sort()).toEqual([...hijackers].sort());
    expect(c.split).toEqual([]);
    const own = c.facts.objects.find((o) => o.value === "freethem")!;
    const ridden = c.facts.objects.filter((o) => o.value !== "freethem" && o.burst >= 3);
    expect(ridden.length).toBeGreaterThanOrEqual(10);
    // weighed by burst size, the tags it rode would have set it aside as a small part of their audience
    const byBurst =
      [own, ...ridden].reduce((s, o) => s + (o.burst * o.shares) / o.total, 0) /
      [own, ...ridden].reduce((s, o) => s + o.burst, 0);
    expect(byBurst).toBeLessThan(DEFAULT_CAMPAIGN_OPTIONS.minExclusivity);
    expect(c.facts.exclusivity).toBeGreaterThanOrEqual(DEFAULT_CAMPAIGN_OPTIONS.minExclusivity);
  });
});

describe("a unit that the clustering split", () => {
  it("is one campaign, formed from the groups that the clustering cut it into", () => {
    const unit = new Set(world.unit.map(key));
    const found = holding(result.campaigns, world.unit);
    expect(found).toHaveLength(1);
    const c = found[0]!;
    expect(c.members.every((m) => unit.has(m.key))).toBe(true);
    const members = c.members.filter((m) => m.role !== "fringe");
    // the rest met too few others to be grouped (pairs, or groups never three at once: below), but joined the
    // unit's bursts on two occasions or more: its fringe
    expect(members.length).toBeGreaterThanOrEqual(0.7 * world.unit.length);
    expect(c.members.length - members.length).toBeGreaterThan(0);
    expect(c.members.length).toBe(world.unit.length);
    expect(c.split.length).toBeGreaterThanOrEqual(3);
    expect(c.split.reduce((s, n) => s + n, 0)).toBe(members.length);
    // together the unit made most of its bursts' shares; its hashtags' other shares are the crowd's `#trend`
    expect(c.facts.exclusivity).toBeGreaterThanOrEqual(DEFAULT_CAMPAIGN_OPTIONS.minSplitShare);
    const top = c.topObjects.map((o) => o.value);
    expect(top.slice(0, 3)).toEqual(expect.arrayContaining(["ourcause", "truthnow"]));
    expect(c.summary).toContain(
      `The clustering had cut them into ${c.split.length} groups (of ${c.split.slice(0, -1).join(", ")} and ` +
        `${c.split[c.split.length - 1]} accounts), tested again as one because together they made most of the ` +
        `shares of the same objects (${Math.round(c.facts.exclusivity * 100)}% of the shares`,
    );
  });

  it("lists none of its groups as ruled out, and no storm regular in any campaign", () => {
    const unit = new Set(world.unit.map(key));
    const storm = new Set(world.storm.map(key));
    const parts = result.ruledOut.filter((r) => r.members.some((m) => unit.has(m)));
    expect(parts.length).toBeGreaterThan(0);
    for (const r of parts)
      expect(r.reason).toMatch(/^(a pair, not a group|never all at once|never 3 at once)/);
    expect(result.campaigns.flatMap((c) => c.members).some((m) => storm.has(m.key))).toBe(false);
    expect(result.ruledOut.some((r) => r.members.some((m) => storm.has(m)))).toBe(true);
  });

  it("takes in the campaign that its fast core passed as alone", () => {
    const cored = new Set(world.cored.map(key));
    const found = holding(result.campaigns, world.cored);
    expect(found).toHaveLength(1);
    const c = found[0]!;
    expect(c.members.every((m) => cored.has(m.key))).toBe(true);
    const members = new Set(c.members.map((m) => m.key));
    expect(world.cored.slice(0, 10).every((k) => members.has(key(k)))).toBe(true);
    expect(c.members.length).toBeGreaterThanOrEqual(0.5 * world.cored.length);
    expect(c.split.length).toBeGreaterThanOrEqual(2);
  });

  it("is lost without the second test: its groups are set aside, and the fast core stands without the rest", async () => {
    const ties = result.runs.map((r) => r.result.ties ?? r.result.edges);
    const alone = await buildCampaigns(store, ties, {
      ...DEFAULT_CAMPAIGN_OPTIONS,
      windowSec: 60,
      minSplitShare: Infinity,
      rng: seededRng(1 ^ 0x5eed),
      runId: result.runId,
    });
    const unit = new Set(world.unit.map(key));
    expect(holding(alone.campaigns, world.unit)).toEqual([]);
    const parts = alone.ruledOut.filter((r) => r.members.some((m) => unit.has(m)));
    const tied = (c: Campaign): CampaignMember[] => c.members.filter((m) => m.role !== "fringe");
    const members = new Set(tied(holding(result.campaigns, world.unit)[0]!).map((m) => m.key));
    expect(parts.flatMap((r) => r.members).filter((m) => members.has(m))).toHaveLength(members.size);
    expect(parts.filter((r) => r.accounts >= 3).length).toBeGreaterThanOrEqual(2);
    for (const r of parts.filter((p) => p.accounts >= 3)) {
      expect(r.exclusivity).toBeLessThan(DEFAULT_CAMPAIGN_OPTIONS.minExclusivity);
    }
    // the fast core's campaign alone, and the groups of the slower members set aside beside it
    const cored = new Set(world.cored.map(key));
    const core = holding(alone.campaigns, world.cored);
    expect(core).toHaveLength(1);
    const joined = holding(result.campaigns, world.cored)[0]!;
    expect(tied(core[0]!).length).toBeLessThan(tied(joined).length);
    const slower = alone.ruledOut.filter(
      (r) => r.members.some((m) => cored.has(m)) && r.reason.startsWith("the group is a small part"),
    );
    expect(slower.length).toBeGreaterThanOrEqual(1);
    expect(tied(core[0]!).length + slower.reduce((n, r) => n + r.accounts, 0)).toBe(tied(joined).length);
  });

  it("finds the same campaigns in this thread when Louvain's thread fails, its pair columns never given back", async () => {
    const ties = result.runs.map((r) => r.result.ties ?? r.result.edges);
    const opts = { ...DEFAULT_CAMPAIGN_OPTIONS, windowSec: 60, runId: result.runId };
    const seed = 1 ^ 0x5eed;
    const expected = await buildCampaigns(store, ties, { ...opts, rng: seededRng(seed) });
    const tables = ties.map((t) => (isTieTable(t) ? t : tieTableOf(t)));
    const account = buildAccountGraph(tables);
    Object.assign(account, { a: new Int32Array(0), b: new Int32Array(0), weight: new Float64Array(0) });
    const warned: string[] = [];
    const got = await buildCampaigns(store, ties, {
      ...opts,
      rng: () => {
        throw new Error("the prepared seed is used, not this generator");
      },
      log: { info() {}, warn: (m) => warned.push(m) },
      prepared: {
        tables,
        account,
        communities: Promise.reject(new Error("Louvain's thread stopped (exit code 1)")),
        stop() {},
        seed,
      },
    });
    expect(warned.join(" ")).toMatch(/Louvain's thread failed/);
    const members = (r: { campaigns: Campaign[] }): string[][] =>
      r.campaigns.map((c) => c.members.map((m) => m.key));
    expect(members(got)).toEqual(members(expected));
    expect(got.campaigns.length).toBeGreaterThan(0);
  });
});

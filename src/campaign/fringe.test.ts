/**
 * A campaign's fringe (fringe.ts): accounts in no campaign that joined its bursts on separate occasions, on objects
 * it dominates, are listed after its members with the posts by which they did; accounts that came near the bursts
 * once, late, on the crowd's objects, or twice inside one burst are not.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { analyzeCase, type AnalysisResult } from "../report/pipeline.js";
import type { CaseStore } from "../store/case.js";
import { buildShares, dropShares } from "../store/shares.js";
import { fringeWorld, type FringeWorld } from "../../test/helpers/fringe-world.js";
import { caseOf, key } from "../../test/helpers/posts.js";
import { tempDir } from "../../test/helpers/tmp.js";
import { DEFAULT_CAMPAIGN_OPTIONS } from "./index.js";
import { campaignFringes } from "./fringe.js";

let tmp: ReturnType<typeof tempDir>;
let store: CaseStore;
let world: FringeWorld;
let result: AnalysisResult;

beforeAll(async () => {
  tmp = tempDir();
  world = fringeWorld(3);
  store = (await caseOf(tmp, world.posts)).store;
  result = await analyzeCase(store, {
    outDir: tmp.path("out"),
    now: new Date("2024-06-01T00:00:00Z"),
    only: ["co-share"],
  });
});
afterAll(() => {
  store.close();
  tmp.cleanup();
});

const keys = (accounts: string[]): string[] => accounts.map(key).sort();

describe("a campaign's fringe", () => {
  it("lists the accounts that joined the unit's bursts on two occasions, after its members", () => {
    expect(result.campaigns).toHaveLength(1);
    const c = result.campaigns[0]!;
    const members = c.members.filter((m) => m.role !== "fringe");
    const fringe = c.members.filter((m) => m.role === "fringe");
    expect(members.map((m) => m.key).sort()).toEqual(keys(world.unit));
    expect(fringe.map((m) => m.key)).toEqual(keys(world.fringe));
    // listed last, untied
    expect(c.members.slice(-fringe.length)).toEqual(fringe);
    expect(fringe.every((m) => m.score === 0 && m.ties === 0)).toBe(true);
  });

  it("names each post by which a fringe account joined, with the members around it", () => {
    const c = result.campaigns[0]!;
    const byId = new Map(world.posts.map((p) => [p.post_id, p]));
    for (const m of c.members.filter((x) => x.role === "fringe")) {
      const own = world.posts.filter((p) => key(p.account_id) === m.key && p.urls[0]!.includes("ourtruth"));
      const joined = m.joined!;
      // each burst post, by its link (and by its site, when the site's layer ties anyone)
      expect(own).toHaveLength(2);
      expect(joined.filter((j) => j.kind === "url").map((j) => j.post_id)).toEqual(own.map((p) => p.post_id));
      expect(joined.every((j) => j.kind === "url" || j.kind === "domain")).toBe(true);
      for (const j of joined) {
        const post = byId.get(j.post_id)!;
        expect(j.ts).toBe(post.ts);
        if (j.kind === "url") expect(j.value).toBe(post.urls[0]);
        else expect(j.value).toBe("ourtruth.example");
        // the members who posted that link within the window of it
        const t = Date.parse(post.ts);
        const near = new Set(
          world.posts
            .filter((p) => world.unit.includes(p.account_id) && p.urls[0] === post.urls[0])
            .filter((p) => Math.abs(Date.parse(p.ts) - t) <= 60_000)
            .map((p) => p.account_id),
        );
        if (j.kind === "url") expect(j.members).toBe(near.size);
        expect(j.members).toBeGreaterThanOrEqual(3);
        expect(j.source_row).toBeGreaterThan(0);
      }
    }
  });

  it("leaves out those who came once, late, on the crowd's hashtag, or twice inside one burst", () => {
    const flagged = new Set(result.campaigns.flatMap((c) => c.members.map((m) => m.key)));
    for (const group of [world.adopters, world.late, world.riders, world.echoes]) {
      for (const k of keys(group)) expect(flagged.has(k)).toBe(false);
    }
  });

  it("says so in the summary, in findings.json and in the report", () => {
    const c = result.campaigns[0]!;
    expect(c.summary).toMatch(/^12 accounts \(among them @h_unit/);
    expect(c.summary).toContain("5 more accounts in no campaign, listed as fringe, joined their bursts");
    expect(c.summary).toContain("(10 posts, each within 60 seconds of at least three members' shares");
    const doc = JSON.parse(readFileSync(tmp.path("out/findings.json"), "utf8")) as {
      campaigns: Array<{ score: number; accounts: Array<{ id: string; role: string; joined?: unknown[] }> }>;
      accounts: Array<{ id: string; score: number; campaigns: string[] }>;
    };
    const fringe = doc.campaigns[0]!.accounts.filter((a) => a.role === "fringe");
    expect(fringe.map((a) => a.id).sort()).toEqual([...world.fringe].sort());
    for (const a of fringe) {
      expect(a.joined).toEqual(c.members.find((m) => m.key === key(a.id))!.joined);
    }
    for (const id of world.fringe) {
      const a = doc.accounts.find((x) => x.id === id)!;
      expect(a.campaigns).toEqual(["C1"]);
      // half the campaign's confidence: a place of 0 in it
      expect(a.score).toBe(Math.round(doc.campaigns[0]!.score * 0.5 * 1000) / 1000);
    }
    const html = readFileSync(tmp.path("out/report.html"), "utf8");
    expect(html).toContain("Fringe: accounts that joined the bursts");
    const post = c.members.find((m) => m.role === "fringe")!.joined![0]!.post_id;
    expect(html).toContain(post);
  });

  it("would take in those who came once if one occasion were enough, the riders on any object, and none if the unit made every share", async () => {
    const members = [result.campaigns[0]!.members.filter((m) => m.role !== "fringe").map((m) => m.key)];
    await buildShares(store, ["domain", "hashtag", "url"]);
    try {
      const opts = { windowSec: 60, minShare: DEFAULT_CAMPAIGN_OPTIONS.minFringeShare };
      const once = await campaignFringes(store, members, ["domain", "hashtag", "url"], {
        ...opts,
        minOccasions: 1,
      });
      const got = once[0]!.map((f) => f.key);
      expect(got).toEqual(expect.arrayContaining([...keys(world.adopters), ...keys(world.echoes)]));
      // the late and the riders never came inside a burst of an object the unit dominates
      for (const k of [...keys(world.late), ...keys(world.riders)]) expect(got).not.toContain(k);
      // the riders do, on `#trend`, once the unit's share of an object does not matter
      const anyObject = await campaignFringes(store, members, ["domain", "hashtag", "url"], {
        ...opts,
        minShare: 0,
        minOccasions: 1,
      });
      expect(anyObject[0]!.map((f) => f.key)).toEqual(expect.arrayContaining(keys(world.riders)));
      // and the fringe, had the unit had to make every share of its links
      const all = await campaignFringes(store, members, ["domain", "hashtag", "url"], {
        ...opts,
        minShare: 1,
        minOccasions: 2,
      });
      expect(all[0]).toEqual([]);
    } finally {
      await dropShares(store);
    }
  });
});

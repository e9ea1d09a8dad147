/**
 * A unit amplifying personas whose audiences are mostly others can work over minutes rather than at once: the bloc
 * bound on burst share alone set it aside as fans. Many of its members come to each post, and it makes nearly all
 * of each post's reposts; superfans coming over minutes also make nearly all the reposts of what they share, but
 * each comes to a few of the posts (test/helpers/slow-bloc-world.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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
    expect(f.burstShare).toBeGreaterThanOrEqual(DEFAULT_CAMPAIGN_OPTIONS.maxLooseBurstShare);
    expect(f.participation).toBeGreaterThanOrEqual(DEFAULT_CAMPAIGN_OPTIONS.minBlocParticipation);
    expect(f.exclusivity).toBeGreaterThanOrEqual(DEFAULT_CAMPAIGN_OPTIONS.minBloc);
    expect([f.bloc, f.slowBloc]).toEqual([true, true]);
    expect(unit!.summary).toContain(
      `they are ${Math.round(f.audienceShare! * 100)}% of everyone who reposted those accounts in the data, but ` +
        `they act as a bloc over minutes: on average ${Math.round(f.participation * 100)}% of the members ` +
        `reposted each post inside one window, and they made ${Math.round(f.exclusivity * 100)}% of those ` +
        `posts' shares`,
    );
    expect(result.findings.params["campaigns"]).toMatchObject({
      min_bloc_participation: DEFAULT_CAMPAIGN_OPTIONS.minBlocParticipation,
    });
    const doc = result.findings.campaigns.find((c) => c["id"] === unit!.id)!;
    expect([doc["bloc"], doc["bloc_over_minutes"]]).toEqual([true, true]);
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

/**
 * The rhythm detector end to end on ingested cases (test/helpers/rhythm-world.ts): a three-shift unit working from
 * Tehran with Fridays off among people with smooth days in many zones, night-shift workers, news bots, an office
 * worker and sparse accounts; and variants with sparse unit members, a single cohort, and no unit at all.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Finding } from "../../model/index.js";
import type { CaseStore } from "../../store/case.js";
import { runDetectors, type DetectorRun } from "../run.js";
import { analyzeCase } from "../../report/pipeline.js";
import { seededRng } from "../detector.js";
import { RHYTHM_T0, rhythmWorld, type RhythmWorld } from "../../../test/helpers/rhythm-world.js";
import { accountIds, caseOf, DAY, HOUR, key, PostLog } from "../../../test/helpers/posts.js";
import { tempDir } from "../../../test/helpers/tmp.js";

const NOW = new Date("2024-06-01T00:00:00Z");
let tmp: ReturnType<typeof tempDir>;
const stores: CaseStore[] = [];

async function rhythm(store: CaseStore, params: Record<string, unknown> = {}): Promise<DetectorRun> {
  const { runs } = await runDetectors(store, { only: ["rhythm"], params: { rhythm: params }, now: NOW });
  return runs[0]!;
}

async function open(world: RhythmWorld, name: string): Promise<CaseStore> {
  const { store } = await caseOf(tmp, world.posts, name);
  stores.push(store);
  return store;
}

const minutes = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
const circular = (a: number, b: number): number =>
  Math.min((((a - b) % 1440) + 1440) % 1440, (((b - a) % 1440) + 1440) % 1440);

const bySubject = (r: DetectorRun): Map<string, Finding> =>
  new Map(r.result.findings.map((f) => [f.subject, f]));

beforeAll(() => {
  tmp = tempDir();
});
afterAll(() => {
  for (const s of stores) s.close();
  tmp.cleanup();
});

describe("a three-shift unit in Tehran time among ordinary accounts", () => {
  const world = rhythmWorld();
  let run: DetectorRun;
  beforeAll(async () => {
    run = await rhythm(await open(world, "main"));
  });

  it("flags every unit member as strong, in one rota, read in Tehran time with Fridays off", () => {
    expect(run.status).toBe("ok");
    const found = bySubject(run);
    for (const [c, members] of world.cohorts.entries()) {
      for (const acc of members) {
        const f = found.get(key(acc));
        expect(f, acc).toBeDefined();
        expect(f!.strength).toBe("strong");
        expect(f!.score).toBeGreaterThan(0.75);
        const ev = f!.evidence as Record<string, unknown>;
        expect(ev["role"]).toBe("rota");
        expect(ev["rota"]).toBe("R1");
        expect(ev["zone"]).toBe("+03:30");
        // each member's own block, to the quarter-hour: within 30 minutes of its shift at both ends
        const [from, to] = String(ev["block_local"]).split("-").map(minutes);
        expect(circular(from!, c * 480), String(ev["block_local"])).toBeLessThanOrEqual(30);
        expect(circular(to!, c * 480 + 480), String(ev["block_local"])).toBeLessThanOrEqual(30);
        expect((ev["days_off"] as Array<{ weekday_local: string }>).map((d) => d.weekday_local)).toEqual([
          "Friday",
        ]);
        expect(f!.explanation).toMatch(/UTC\+03:30/);
        // Friday in Tehran; the missing shift also named by when it starts in UTC
        expect(f!.explanation).toMatch(
          /no posts on Fridays \(the shift starting (Thursday|Friday)s at \d\d:\d\d UTC\) in \d+ of \d+ weeks/,
        );
        expect(f!.explanation).toMatch(/One of 3 cohorts \(15 accounts\)/);
      }
    }
    expect(run.result.counts["rotas"]).toBe(1);
    expect(run.result.counts["rota_accounts"]).toBe(world.unit.length);
  });

  it("leaves people with smooth days, night-shift workers, news bots and sparse accounts alone", () => {
    const found = bySubject(run);
    for (const acc of [...world.ordinary, ...world.nightShift, ...world.bots, ...world.sparse]) {
      expect(found.has(key(acc)), acc).toBe(false);
    }
    expect(run.result.counts["too_sparse"]).toBe(world.sparse.length);
    expect(run.message).toMatch(/cannot be judged/);
  });

  it("reports the office worker at most as a weak single block with a Saturday-Sunday weekend, outside the rota", () => {
    const f = bySubject(run).get(key(world.office[0]!));
    if (f === undefined) return;
    expect(f.strength).toBe("weak");
    const ev = f.evidence as Record<string, unknown>;
    expect(ev["role"]).toBe("single");
    expect(ev["block_utc"]).toMatch(/^13:00-2[01]:\d\d$/);
    expect(f.explanation).toMatch(/office hours/);
    // its days off are named in the zone of the day-shift reading, said to be that reading's
    expect(f.explanation).toMatch(
      /on (Satur|Sun)days at UTC[+-]\d\d:\d\d \(the shift starting \w+days at 13:00 UTC\)/,
    );
    expect(f.explanation).toMatch(/if that reading of the zone is right/);
  });

  it("binds the unit, and only the unit, with significant rhythm edges: every pair of members", () => {
    const unit = new Set(world.unit.map(key));
    const sig = run.result.edges.filter((e) => e.evidence["significant"]);
    expect(sig.length).toBe((unit.size * (unit.size - 1)) / 2);
    for (const e of sig) {
      expect(e.layer).toBe("rhythm");
      expect(unit.has(e.a) && unit.has(e.b)).toBe(true);
      expect(e.a < e.b).toBe(true);
      expect(e.weight).toBe(1);
      expect(e.nObjects).toBeGreaterThanOrEqual(3);
    }
    const same = sig.find((e) => e.evidence["relation"] === "same shift")!;
    const other = sig.find((e) => e.evidence["relation"] !== "same shift")!;
    expect(same.evidence["cosine_hour_of_week"]).toBeGreaterThan(0.7);
    expect(other.evidence["cosine_hour_of_week"]).toBeLessThan(0.1);
  });

  // Guards a fixed bug: a campaign bound by behaviour alone shares no object, so its first and last activity (read
  // from bursts of shared objects) were null, and its summary said "between unknown and unknown"
  it("makes the rota a campaign dated by its members' first and last posts", async () => {
    const store = await open(world, "campaign");
    const result = await analyzeCase(store, {
      outDir: tmp.path("rota-out"),
      now: NOW,
      only: ["rhythm"],
      report: false,
    });
    const unit = new Set(world.unit.map(key));
    const rota = result.campaigns.find((c) => c.members.some((m) => unit.has(m.key)))!;
    expect(rota.basis).toBe("behaviour");
    const times = world.posts.filter((p) => unit.has(key(p.account_id))).map((p) => Date.parse(p.ts));
    expect(rota.facts.firstSeen).toBe(new Date(Math.min(...times)).toISOString());
    expect(rota.facts.lastSeen).toBe(new Date(Math.max(...times)).toISOString());
    expect(rota.summary).toContain(
      `between ${rota.facts.firstSeen!.slice(0, 10)} and ${rota.facts.lastSeen!.slice(0, 10)}`,
    );
    expect(rota.summary).not.toContain("unknown");
  });

  it("points at the first and last post inside the block, with input file and row", () => {
    const f = bySubject(run).get(key(world.cohorts[1]![0]!))!;
    const ev = f.evidence as Record<string, { post_id: string; ts: string; source_row: number }>;
    const posts = world.posts
      .filter((p) => p.account_id === world.cohorts[1]![0])
      .sort((a, b) => (a.ts < b.ts ? -1 : 1));
    expect(ev["first_post_inside"]!.post_id).toBe(posts[0]!.post_id);
    expect(ev["last_post_inside"]!.post_id).toBe(posts[posts.length - 1]!.post_id);
    expect(ev["first_post_inside"]!.ts).toBe(posts[0]!.ts);
    expect(ev["first_post_inside"]!.source_row).toBeGreaterThan(0);
  });

  it("states times in a zone the investigator gives", async () => {
    const r = await rhythm(stores[0]!, { zone: "+00:00" });
    const f = bySubject(r).get(key(world.cohorts[1]![0]!))!;
    expect(f.evidence["block_local"]).toBe("04:30-12:30");
    expect(f.evidence["zone"]).toBe("+00:00");
    expect(f.evidence["days_off"]).toEqual([expect.objectContaining({ weekday_local: "Friday" })]);
    await expect(rhythm(stores[0]!, { zone: "Tehran" })).rejects.toThrow(/zone/);
  });
});

describe("variants", () => {
  it("finds every member of a sparse unit (about 40 posts each) that has enough posts to judge", async () => {
    const world = rhythmWorld({ seed: 23, cohortSize: 8, unitRate: 1.7, ordinary: 30 });
    const r = await rhythm(await open(world, "sparse-unit"));
    const posts = new Map<string, number>();
    for (const p of world.posts) posts.set(p.account_id, (posts.get(p.account_id) ?? 0) + 1);
    const perMember = world.unit.map((a) => posts.get(a)!).sort((a, b) => a - b);
    expect(perMember[perMember.length >> 1]).toBeLessThanOrEqual(45);
    const found = bySubject(r);
    const judged = world.unit.filter((a) => posts.get(a)! >= 30);
    expect(judged.length).toBeGreaterThan(world.unit.length / 2);
    for (const acc of judged) expect(found.get(key(acc))?.strength, acc).toBe("strong");
    // members under 30 posts cannot be judged, and are counted as such, not silently dropped
    for (const acc of world.unit.filter((a) => posts.get(a)! < 30)) expect(found.has(key(acc))).toBe(false);
    expect(r.result.counts["too_sparse"]).toBe(world.unit.length - judged.length + world.sparse.length);
    for (const acc of world.ordinary) expect(found.has(key(acc)), acc).toBe(false);
  });

  it("reports a lone cohort as moderate, binding nothing: a shared block alone is what colleagues look like", async () => {
    const world = rhythmWorld({ seed: 31, shifts: [1], ordinary: 20 });
    const r = await rhythm(await open(world, "one-cohort"));
    const found = bySubject(r);
    for (const acc of world.unit) {
      expect(found.get(key(acc))?.strength, acc).toBe("moderate");
      expect(found.get(key(acc))!.evidence["role"]).toBe("cohort");
    }
    expect(r.result.counts["rotas"]).toBe(0);
    expect(r.result.edges.length).toBeGreaterThan(0);
    expect(r.result.edges.filter((e) => e.evidence["significant"])).toEqual([]);
    expect(new Set(r.result.edges.map((e) => e.evidence["tier"]))).toEqual(new Set(["chance"]));
  });

  it("does not take offices in Los Angeles, London and Singapore, which tile the day, for one unit", async () => {
    const world = rhythmWorld({
      seed: 37,
      shifts: [],
      ordinary: 20,
      officeZones: [-420, 60, 480],
      extras: { nightShift: 0, bots: 0, office: 12, sparse: 0 },
    });
    const r = await rhythm(await open(world, "follow-the-sun"));
    const found = bySubject(r);
    expect(r.result.counts["rotas"]).toBe(0);
    expect(r.result.counts["office_hour_tilings"]).toBe(1);
    expect(r.result.edges.filter((e) => e.evidence["significant"])).toEqual([]);
    for (const acc of world.office) {
      const f = found.get(key(acc))!;
      expect(f.strength, acc).toBe("weak");
      expect(f.evidence["role"]).toBe("office-hours tiling");
      expect(f.explanation).toMatch(/office hours in a zone of its own/);
    }
    const ruled = (r.result.details as { ruled_out: Array<{ cohorts: Array<{ office_zone: string }> }> })
      .ruled_out;
    expect(ruled[0]!.cohorts.map((c) => c.office_zone).sort()).toEqual(["+01:00", "+08:00", "-07:00"]);
  });

  it("does not take people who post only in the evening, for four hours, for a shift cohort", async () => {
    // six people posting between 18:30 and 22:30 UTC every day for six weeks: a day shorter than the least block
    // (6 hours), which the block pads with an empty hour at one end
    const rng = seededRng(53);
    const log = new PostLog();
    const evening = accountIds("evening", 6);
    for (const acc of evening) {
      for (let d = 0; d < 42; d++) {
        for (let i = 0; i < 3; i++) {
          const at = RHYTHM_T0 + d * DAY + 18.5 * HOUR + Math.floor(rng() * 4 * HOUR);
          log.add(acc, at, { text: `evening ${acc} ${d} ${i}` });
        }
      }
    }
    const { store } = await caseOf(tmp, log.posts, "evening");
    stores.push(store);
    const r = await rhythm(store);
    expect(r.result.findings).toEqual([]);
    expect(r.result.counts["block_candidates"]).toBe(0);
    // the same hours with the block's minimum at four hours: a shift, run at full rate to both of its ends
    const short = await rhythm(store, { minShiftHours: 4 });
    expect(short.result.findings.length).toBe(evening.length);
  });

  it("says it found nothing among ordinary accounts", async () => {
    const world = rhythmWorld({
      seed: 41,
      shifts: [],
      ordinary: 40,
      extras: { nightShift: 3, bots: 2, office: 0, sparse: 4 },
    });
    const r = await rhythm(await open(world, "ordinary"));
    expect(r.status).toBe("ok");
    expect(r.result.findings).toEqual([]);
    expect(r.result.edges).toEqual([]);
    expect(r.message).toMatch(/^no account posts inside a fixed shift block/);
    expect(r.result.counts["judged"]).toBe(45);
  });
});

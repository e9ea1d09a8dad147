/**
 * The sync detector end to end on a world with known timing (test/helpers/sync-world.ts): a unit posting within
 * the same second a dozen times among thousands of organic accounts on a daily cycle, a viral minute, accounts
 * that repost a leader within seconds, fans who repost an idol within minutes; plus small cases for timestamps
 * rounded to the minute and originals known only by a snowflake id.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Edge, Finding } from "../../model/index.js";
import type { CaseStore } from "../../store/case.js";
import { PARTNERS_SHOWN } from "../partners.js";
import { runDetectors, type DetectorRun } from "../run.js";
import { syncWorld, type SyncWorld } from "../../../test/helpers/sync-world.js";
import { caseOf, key, PostLog, SECOND, T0, writeJsonl } from "../../../test/helpers/posts.js";
import { ingestFile } from "../../ingest/ingest.js";
import { tempDir } from "../../../test/helpers/tmp.js";

const NOW = new Date("2024-06-01T00:00:00Z");

type SyncRun = DetectorRun & { runId: number };

async function sync(store: CaseStore, params: Record<string, unknown> = {}): Promise<SyncRun> {
  const { runId, runs } = await runDetectors(store, { only: ["sync"], params: { sync: params }, now: NOW });
  return { ...runs[0]!, runId };
}

/**
 * The evidence of a run's edges as saved in the case, by edge: sync writes its ties by SQL, with the shared bursts
 * and the example that the edges in memory leave out; the rest of the saved evidence is the edge's own.
 */
async function savedEvidence(store: CaseStore, run: SyncRun): Promise<Map<Edge, Record<string, unknown>>> {
  const rows = await store.all<{ layer: string; a: string; b: string; evidence: string }>(
    "SELECT layer, a, b, evidence::VARCHAR AS evidence FROM edges WHERE run_id = $run",
    { run: run.runId },
  );
  expect(rows).toHaveLength(run.result.edges.length);
  const byTie = new Map(
    rows.map((r) => [`${r.layer} ${r.a} ${r.b}`, JSON.parse(r.evidence) as Record<string, unknown>]),
  );
  return new Map(
    run.result.edges.map((e) => {
      const saved = byTie.get(`${e.layer} ${e.a} ${e.b}`)!;
      const { shared_bursts: _bursts, example: _example, fast_repost_seconds: _fast, ...own } = saved;
      expect(own).toEqual(e.evidence);
      return [e, saved];
    }),
  );
}

interface BurstFacts {
  start: string;
  end: string;
  n_accounts: number;
  post: { post_id: string; ts: string };
}

describe("sync on a world with a same-second unit, a viral minute, fast amplifiers and slower fans", () => {
  let tmp: ReturnType<typeof tempDir>;
  let store: CaseStore;
  let world: SyncWorld;
  let run: SyncRun;
  const flagged = (): Map<string, Finding> => new Map(run.result.findings.map((f) => [f.subject, f]));
  const significant = (layer: string): Edge[] =>
    run.result.edges.filter((e) => e.layer === layer && e.evidence["significant"] === true);

  beforeAll(async () => {
    tmp = tempDir();
    world = syncWorld(11);
    ({ store } = await caseOf(tmp, world.posts, "sync-world"));
    run = await sync(store);
  }, 120_000);
  afterAll(() => {
    store.close();
    tmp.cleanup();
  });

  it("keeps the strongest of the ties that chance explains: smallest p-value first, then layer name", async () => {
    const tier = (e: Edge): unknown => e.evidence["tier"];
    // strict enough that the amplifiers' fast-repost ties fail the test
    const strict = { alpha: 1e-30, candidateP: 1e-30 };
    const all = await sync(store, strict);
    const chance = all.result.edges.filter((e) => tier(e) === "chance");
    // all of them are kept by default, in that order
    expect(chance.length).toBeGreaterThan(20);
    expect(all.result.counts["edges_kept_insignificant"]).toBe(chance.length);
    for (let i = 1; i < chance.length; i++) {
      const [x, y] = [chance[i - 1]!, chance[i]!];
      expect(x.pValue! < y.pValue! || (x.pValue === y.pValue && x.layer <= y.layer), `chance tie ${i}`).toBe(
        true,
      );
    }
    expect(new Set(chance.map((e) => e.pValue)).size).toBeGreaterThan(5);
    // keeping fewer keeps the first of them, and the rest of the output does not change
    const few = await sync(store, { ...strict, keepInsignificant: 7 });
    const fewChance = few.result.edges.filter((e) => tier(e) === "chance");
    expect(fewChance).toEqual(chance.slice(0, 7));
    expect(few.result.edges.filter((e) => tier(e) !== "chance")).toEqual(
      all.result.edges.filter((e) => tier(e) !== "chance"),
    );
  });

  it("runs and says what it found", () => {
    expect(run.status).toBe("ok");
    expect(run.message).toMatch(/bursts? beyond the background rate/);
    expect(run.result.counts["posts"]).toBe(world.posts.length);
  });

  it("flags every member of the same-second unit, strongly, and no organic account or fan", () => {
    const f = flagged();
    for (const a of world.unit) {
      expect(f.get(key(a))?.strength, a).toBe("strong");
      expect((f.get(key(a))!.evidence["bursts"] as { count: number }).count).toBeGreaterThanOrEqual(12);
    }
    const expectedFlags = new Set([...world.unit, ...world.amplifiers].map(key));
    const wrong = [...f.keys()].filter((k) => !expectedFlags.has(k));
    expect(wrong).toEqual([]);
  });

  it("finds a burst at each of the unit's seconds, with its evidence pointing at the member's post", () => {
    const f = flagged().get(key(world.unit[0]!))!;
    const shown = (f.evidence["bursts"] as { shown: BurstFacts[] }).shown;
    expect(shown.length).toBe(10);
    for (const b of shown) {
      const start = Date.parse(b.start);
      expect(world.unitBursts.some((t) => t >= start && t < Date.parse(b.end))).toBe(true);
      expect(b.n_accounts).toBeGreaterThanOrEqual(world.unit.length);
      const post = world.posts.find((p) => p.post_id === b.post.post_id)!;
      expect(post.account_id).toBe(world.unit[0]);
      expect(Date.parse(post.ts)).toBeGreaterThanOrEqual(start);
      expect(Date.parse(post.ts)).toBeLessThan(Date.parse(b.end));
    }
  });

  it("sees the viral minute as a burst but does not flag the accounts that were in it once", () => {
    const bursts = (run.result.details!["bursts"] as BurstFacts[]).filter(
      (b) => Date.parse(b.end) > world.viralStart && Date.parse(b.start) < world.viralStart + 60 * SECOND,
    );
    expect(bursts.length).toBeGreaterThan(0);
    expect(bursts.reduce((n, b) => n + b.n_accounts, 0)).toBeGreaterThan(200);
    const f = flagged();
    expect(world.viral.filter((a) => f.has(key(a)))).toEqual([]);
  });

  it("ties unit members (and the amplifiers, who burst too) to each other in the sync layer, nobody else", async () => {
    const unit = new Set([...world.unit, ...world.amplifiers].map(key));
    const edges = significant("sync");
    const saved = await savedEvidence(store, run);
    const postsById = new Map(world.posts.map((p) => [p.post_id, p]));
    const inUnit = edges.filter((e) => e.a.includes(":unit") && e.b.includes(":unit"));
    expect(inUnit.length).toBeGreaterThan(0.9 * ((50 * 49) / 2));
    for (const e of inUnit) expect(e.nObjects).toBeGreaterThanOrEqual(12);
    for (const e of edges) {
      expect(unit.has(e.a) && unit.has(e.b), `${e.a} ${e.b}`).toBe(true);
      expect(e.nObjects).toBeGreaterThanOrEqual(4);
      expect(e.lift!).toBeGreaterThan(10);
      // the saved evidence names the first bursts the pair shared, and each account's post in the first of them
      const ev = saved.get(e)!;
      const bursts = ev["shared_bursts"] as Array<{ start: string; end: string }>;
      expect(bursts.length).toBe(Math.min(5, e.nObjects));
      for (let i = 1; i < bursts.length; i++) expect(bursts[i - 1]!.start < bursts[i]!.start).toBe(true);
      const ex = ev["example"] as {
        burst_start: string;
        a: { post_id: string; ts: string };
        b: { post_id: string; ts: string };
      };
      expect(ex.burst_start).toBe(bursts[0]!.start);
      for (const [side, account] of [
        [ex.a, e.a],
        [ex.b, e.b],
      ] as const) {
        const post = postsById.get(side.post_id)!;
        expect(key(post.account_id)).toBe(account);
        expect(side.ts).toBe(new Date(post.ts).toISOString());
        expect(
          side.ts >= bursts[0]!.start && side.ts < bursts[0]!.end,
          `${side.ts} in ${bursts[0]!.start}`,
        ).toBe(true);
      }
    }
  });

  it("counts each flagged account's partners in significant ties once, though a pair is tied in both layers, and names the strongest", () => {
    const partnersOf = new Map<string, Set<string>>();
    const layersOf = new Map<string, Set<string>>();
    // each partner's strongest tie with each account: smallest log10 p, then most groups
    const strongest = new Map<string, Map<string, [number, number]>>();
    for (const e of [...significant("sync"), ...significant("fast-repost")]) {
      const lp = e.evidence["log10_p"] as number;
      for (const [x, y] of [
        [e.a, e.b],
        [e.b, e.a],
      ] as const) {
        partnersOf.set(x, (partnersOf.get(x) ?? new Set()).add(y));
        const mine = strongest.get(x) ?? new Map<string, [number, number]>();
        const cur = mine.get(y);
        if (!cur || lp < cur[0] || (lp === cur[0] && e.nObjects > cur[1])) mine.set(y, [lp, e.nObjects]);
        strongest.set(x, mine);
      }
      const pair = `${e.a} ${e.b}`;
      layersOf.set(pair, (layersOf.get(pair) ?? new Set()).add(e.layer));
    }
    // the amplifiers burst together and repost fast together: tied twice
    expect([...layersOf.values()].filter((l) => l.size === 2).length).toBeGreaterThan(50);
    const f = flagged();
    expect(f.size).toBeGreaterThan(0);
    for (const [subject, finding] of f) {
      const partners = finding.evidence["partners"] as string[];
      const all = partnersOf.get(subject) ?? new Set<string>();
      expect(finding.evidence["partner_count"], subject).toBe(all.size);
      expect(new Set(partners).size, subject).toBe(partners.length);
      expect(partners.length, subject).toBe(Math.min(all.size, PARTNERS_SHOWN));
      // strongest first, and none left out stronger than the weakest named
      const strength = (k: string): [number, number] => strongest.get(subject)!.get(k)!;
      const weaker = (x: [number, number], y: [number, number]): boolean =>
        x[0] > y[0] || (x[0] === y[0] && x[1] < y[1]);
      for (let i = 1; i < partners.length; i++)
        expect(weaker(strength(partners[i - 1]!), strength(partners[i]!))).toBe(false);
      if (partners.length > 0) {
        const last = strength(partners[partners.length - 1]!);
        for (const k of all)
          if (!partners.includes(k)) expect(weaker(last, strength(k)), `${subject} ${k}`).toBe(false);
      }
    }
  });

  it("flags the amplifiers as fast reposters and ties them in the fast-repost layer; fans are not fast", async () => {
    const f = flagged();
    for (const a of world.amplifiers) {
      const ev = f.get(key(a))?.evidence["fast_reposts"] as { count: number; share: number } | undefined;
      expect(ev, a).toBeDefined();
      expect(ev!.count).toBe(10);
      expect(ev!.share).toBeGreaterThan(0.7);
    }
    for (const a of world.fans) expect(f.has(key(a)), a).toBe(false);
    const amp = new Set(world.amplifiers.map(key));
    const edges = significant("fast-repost");
    expect(edges.length).toBe((15 * 14) / 2);
    for (const e of edges) expect(amp.has(e.a) && amp.has(e.b)).toBe(true);
    const saved = await savedEvidence(store, run);
    const postsById = new Map(world.posts.map((p) => [p.post_id, p]));
    for (const e of edges) {
      const ev = saved.get(e)!;
      expect(ev["fast_repost_seconds"]).toBe(10);
      type Side = { repost: { post_id: string }; original: { post_id: string }; delay_seconds: number };
      const ex = ev["example"] as { a: Side; b: Side };
      // both reposted the same original of the leader, each within seconds, and the delay is the gap between them
      expect(ex.a.original).toEqual(ex.b.original);
      const orig = postsById.get(ex.a.original.post_id)!;
      expect(orig.account_id).toBe(world.leader);
      for (const [side, account] of [
        [ex.a, e.a],
        [ex.b, e.b],
      ] as const) {
        const repost = postsById.get(side.repost.post_id)!;
        expect(key(repost.account_id)).toBe(account);
        expect(side.delay_seconds).toBeGreaterThanOrEqual(2);
        expect(side.delay_seconds).toBeLessThanOrEqual(8);
        expect(side.delay_seconds).toBe((Date.parse(repost.ts) - Date.parse(orig.ts)) / 1000);
      }
    }
  });

  it("states that deletions are not measured", () => {
    expect(String(run.result.details!["deletions"])).toMatch(/not measured/);
  });
});

describe("sync on small cases", () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeAll(() => {
    tmp = tempDir();
  });
  afterAll(() => tmp.cleanup());

  it("skips a case whose timestamps are rounded to the minute, and says why", async () => {
    const log = new PostLog();
    for (let i = 0; i < 200; i++) log.add(`m${i % 40}`, T0 + Math.floor(i / 10) * 60 * SECOND);
    const { store } = await caseOf(tmp, log.posts, "minutes");
    const r = await sync(store);
    store.close();
    expect(r.status).toBe("skipped");
    expect(r.message).toMatch(/rounded to the minute/);
  });

  it("leaves out a source whose times are rounded to the minute, which would make every minute a burst", async () => {
    // two sources merged: 40 accounts with times to the millisecond over a day, and 30% of the posts from 60
    // accounts of an export that drops the seconds, over its busiest three hours
    let seed = 11;
    const rnd = (): number => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const precise = new PostLog();
    const rounded = new PostLog();
    for (let i = 0; i < 3000; i++) {
      const t = T0 + Math.floor(rnd() * (i % 10 < 7 ? 24 : 3) * 3600) * SECOND;
      if (i % 10 < 7) precise.add(`precise${i % 40}`, t + Math.floor(rnd() * 1000));
      else rounded.add(`rounded${Math.floor(i / 10) % 60}`, t - (t % (60 * SECOND)));
    }
    const { store } = await caseOf(tmp, precise.posts, "mixed");
    const second = tmp.path("mixed-rounded.jsonl");
    writeJsonl(
      second,
      rounded.posts.map((p) => ({ ...p, post_id: `r${p.post_id}` })),
    );
    await ingestFile(store, second);
    const r = await sync(store);
    const auto = (await runDetectors(store, { only: ["automation"], now: NOW })).runs[0]!.result;
    store.close();
    expect(r.status, r.message).toBe("ok");
    expect(r.result.warnings.join(" ")).toMatch(
      /1 input \(900 posts of 60 accounts\) has times rounded to the minute .*left out of same-second bursts/,
    );
    const named = (f: { subject: string }): boolean => f.subject.includes(":rounded");
    expect(r.result.findings.filter(named)).toEqual([]);
    expect(r.result.edges.filter((e) => e.a.includes(":rounded") || e.b.includes(":rounded"))).toEqual([]);
    // nor are they schedulers firing at second 0 of the minute
    expect(auto.findings.filter(named)).toEqual([]);
    expect(auto.warnings.join(" ")).toMatch(/1 input .* left out of the tests of regular and clock-locked/);
  });

  it("keeps a ring firing on the minute that makes most of a file of its own: its times are not rounded", async () => {
    let seed = 29;
    const rnd = (): number => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const people = new PostLog();
    for (let i = 0; i < 2400; i++)
      people.add(`person${i % 40}`, T0 + Math.floor(rnd() * 72 * 3600) * SECOND + Math.floor(rnd() * 1000));
    const ring = new PostLog();
    for (let h = 0; h < 72; h++)
      for (let b = 0; b < 8; b++) ring.add(`ringbot${b}`, T0 + (h * 60 + 17) * 60 * SECOND);
    for (let i = 0; i < 72; i++) ring.add("bystander", T0 + Math.floor(rnd() * 72 * 3600) * SECOND + 500);
    const { store } = await caseOf(tmp, people.posts, "ring-people");
    const second = tmp.path("ring-watch.jsonl");
    writeJsonl(
      second,
      ring.posts.map((p) => ({ ...p, post_id: `w${p.post_id}` })),
    );
    await ingestFile(store, second);
    const r = await sync(store);
    store.close();
    expect(r.result.warnings.join(" ")).not.toMatch(/rounded to the minute/);
    expect(
      r.result.edges.filter((e) => e.a.includes(":ringbot") && e.b.includes(":ringbot")).length,
    ).toBeGreaterThan(0);
  });

  it("still calls one account firing on the minute in a source of seconds a scheduler", async () => {
    let seed = 5;
    const rnd = (): number => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const log = new PostLog();
    for (let i = 0; i < 1500; i++)
      log.add(`person${i % 30}`, T0 + Math.floor(rnd() * 5 * 24 * 3600) * SECOND);
    for (let h = 0; h < 60; h++) log.add("bot", T0 + h * 3600 * SECOND);
    const { store } = await caseOf(tmp, log.posts, "scheduler");
    const auto = (await runDetectors(store, { only: ["automation"], now: NOW })).runs[0]!.result;
    store.close();
    expect(auto.findings.find((f) => f.subject === key("bot"))?.explanation).toMatch(
      /same 2 s of the (minute|hour)/,
    );
    expect(auto.warnings.join(" ")).not.toMatch(/rounded to the minute/);
  });

  it("times a repost of an original outside the case from its snowflake id", async () => {
    // snowflake ids: (ms since 2010-11-04T01:42:54.657Z) << 22
    const snowflake = (ms: number): string => ((BigInt(ms - 1288834974657) << 22n) + 7n).toString();
    const log = new PostLog();
    const originals = [0, 1, 2, 3].map((k) => T0 + k * 3600 * SECOND);
    for (const t of originals) log.add("bot", t + 3 * SECOND, { repostOf: snowflake(t) });
    for (let k = 0; k < 4; k++)
      log.add("human", T0 + k * 3600 * SECOND + 600 * SECOND, { repostOf: snowflake(T0) });
    const { store } = await caseOf(tmp, log.posts, "snowflake");
    const r = await sync(store);
    store.close();
    const f = r.result.findings.find((x) => x.subject === key("bot"));
    expect(f).toBeDefined();
    const ev = f!.evidence["fast_reposts"] as {
      count: number;
      fastest: Array<{ delay_seconds: number; original: { original_id: string; derived_ts: string } }>;
    };
    expect(ev.count).toBe(4);
    expect(ev.fastest[0]!.delay_seconds).toBe(3);
    expect(Date.parse(ev.fastest[0]!.original.derived_ts) % (3600 * 1000)).toBe(T0 % (3600 * 1000));
    expect(r.result.findings.some((x) => x.subject === key("human"))).toBe(false);
  });
});

/**
 * The automation detector end to end on a week of ordinary and heavy human posters plus a metronome bot, a
 * scheduled news feed, a repost bot and an office-hours cron account (test/helpers/sync-world.ts), and on a case
 * whose timestamps are rounded to the minute.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Finding } from "../../model/index.js";
import type { CaseStore } from "../../store/case.js";
import { runDetectors, type DetectorRun } from "../run.js";
import { automationWorld, type AutomationWorld } from "../../../test/helpers/sync-world.js";
import { caseOf, key, PostLog, SECOND, T0, writeJsonl } from "../../../test/helpers/posts.js";
import { ingestFile } from "../../ingest/ingest.js";
import { tempDir } from "../../../test/helpers/tmp.js";

const NOW = new Date("2024-06-01T00:00:00Z");

async function automation(store: CaseStore, params: Record<string, unknown> = {}): Promise<DetectorRun> {
  const { runs } = await runDetectors(store, {
    only: ["automation"],
    params: { automation: params },
    now: NOW,
  });
  return runs[0]!;
}

describe("automation on a week of humans and four kinds of bots", () => {
  let tmp: ReturnType<typeof tempDir>;
  let store: CaseStore;
  let world: AutomationWorld;
  let run: DetectorRun;
  let byAccount: Map<string, Finding>;
  const signals = (a: string): string[] => (byAccount.get(key(a))?.evidence["signals"] as string[]) ?? [];

  beforeAll(async () => {
    tmp = tempDir();
    world = automationWorld(5);
    ({ store } = await caseOf(tmp, world.posts, "automation-world"));
    run = await automation(store);
    byAccount = new Map(run.result.findings.map((f) => [f.subject, f]));
  }, 120_000);
  afterAll(() => {
    store.close();
    tmp.cleanup();
  });

  it("flags no human, heavy posters included", () => {
    expect(run.status).toBe("ok");
    const humans = world.humans.filter((h) => byAccount.has(key(h)));
    expect(humans).toEqual([]);
    expect(run.result.counts["accounts_tested"]).toBeGreaterThanOrEqual(world.heavy.length);
  });

  it("sees the metronome: regular gaps, locked to its 10-minute phase, never resting", () => {
    expect(signals(world.metronome)).toEqual(expect.arrayContaining(["regular", "clock-locked", "no-rest"]));
    const ev = byAccount.get(key(world.metronome))!.evidence as {
      intervals: { cv: number; median_seconds: number };
      clock: { period_seconds: number };
    };
    expect(ev.intervals.cv).toBeLessThan(0.05);
    expect(Math.abs(ev.intervals.median_seconds - 600)).toBeLessThan(2);
    expect(ev.clock.period_seconds % 600).toBe(0);
  });

  it("names the news feed's scheduling tool and says that scheduling is not inauthentic", () => {
    const f = byAccount.get(key(world.feed))!;
    expect(f.evidence["signals"]).toContain("scheduler-client");
    expect(f.evidence["signals"]).toContain("clock-locked");
    expect(f.explanation).toMatch(/dlvr\.it/);
    expect(f.explanation).toMatch(/not a sign of inauthenticity/);
  });

  it("sees the repost bot by its sleepless reposting, and the office cron by its clock", () => {
    expect(signals(world.repostBot)).toEqual(expect.arrayContaining(["no-rest", "repost-only"]));
    expect(signals(world.officeCron)).toContain("clock-locked");
    expect(signals(world.officeCron)).not.toContain("no-rest");
  });

  it("keeps automation findings weak or moderate, with scores below coordination's", () => {
    expect(run.result.findings.length).toBe(4);
    for (const f of run.result.findings) {
      expect(["weak", "moderate"]).toContain(f.strength);
      expect(f.score).toBeLessThanOrEqual(0.7);
      expect(f.explanation).toMatch(/Automation is not coordination/);
    }
  });

  it("gives example posts of the signal with their input file and row", () => {
    const f = byAccount.get(key(world.officeCron))!;
    const ex = f.evidence["examples"] as Array<{ post_id: string; ts: string; source_row: number }>;
    expect(ex).toHaveLength(5);
    for (const e of ex) {
      const post = world.posts.find((p) => p.post_id === e.post_id)!;
      expect(post.account_id).toBe(world.officeCron);
      expect(new Date(e.ts).getUTCMinutes()).toBe(0);
      expect(e.source_row).toBeGreaterThan(0);
    }
  });
});

describe("automation on timestamps rounded to the minute", () => {
  it("does not take the rounding for a clock", async () => {
    const tmp = tempDir();
    const log = new PostLog();
    // 30 people, 30 posts each at random minutes: every post is at :00 seconds
    let s = 7;
    const next = (): number => (s = (s * 48271) % 2147483647) / 2147483647;
    for (let a = 0; a < 30; a++) {
      for (let i = 0; i < 30; i++) log.add(`u${a}`, T0 + Math.floor(next() * 7 * 24 * 60) * 60 * SECOND);
    }
    const { store } = await caseOf(tmp, log.posts, "minutes");
    const r = await automation(store);
    store.close();
    tmp.cleanup();
    expect(r.status).toBe("ok");
    expect(r.result.counts["clock_locked"]).toBe(0);
    expect(r.result.findings).toEqual([]);
    expect(r.message).toMatch(/no machine-like timing/);
  });
});

describe("automation on people who post threads", () => {
  it("counts a thread's posts, seconds apart, as one posting time: no clock, no regular gaps", async () => {
    const tmp = tempDir();
    const log = new PostLog();
    let s = 13;
    const next = (): number => (s = (s * 48271) % 2147483647) / 2147483647;
    // 40 people, each posting 6 threads of 5 to 8 posts, 0 to 2 s apart, at random times of a week
    for (let a = 0; a < 40; a++) {
      for (let t = 0; t < 6; t++) {
        let at = T0 + Math.floor(next() * 7 * 24 * 3600) * SECOND;
        const posts = 5 + Math.floor(next() * 4);
        for (let i = 0; i < posts; i++) {
          log.add(`writer${a}`, at);
          at += Math.floor(next() * 2000);
        }
      }
    }
    // a bot posting every 1.5 s for 90 minutes: a posting time every 3 s, regular
    for (let i = 0; i < 3600; i++) log.add("fastbot", T0 + 2 * 24 * 3600 * SECOND + i * 1500);
    // and a scheduler posting one thread of three every day at 09:00:00 UTC, ten days
    for (let d = 0; d < 10; d++)
      for (let i = 0; i < 3; i++) log.add("scheduler", T0 + (d * 24 + 9) * 3600 * SECOND + i * 400);
    const { store } = await caseOf(tmp, log.posts, "threads");
    const r = await automation(store);
    store.close();
    tmp.cleanup();
    expect(r.result.findings.filter((f) => f.subject.includes(":writer"))).toEqual([]);
    expect(r.result.findings.find((f) => f.subject === key("fastbot"))?.evidence["signals"]).toContain(
      "regular",
    );
    const bot = r.result.findings.find((f) => f.subject === key("scheduler"));
    expect(bot?.explanation).toMatch(
      /^@h_scheduler: 10 of 10 posting times \(posts within 2 s of a first, as a thread's, counted once\) fall within the same 2 s of the (day \(UTC\) \(at 09:00:00 UTC\)|30 minutes \(at 0:00 into each 30 minutes\)|hour \(at 00:00 past the hour\))/,
    );
  });
});

// Guards a fixed bug: one account's timeline from a source that drops the seconds (alone in its file, so that no
// input looked rounded) was "80 of 80 posts within the same 2 s of the minute, as a scheduler fires".
describe("automation on an account whose own source gives times to the minute", () => {
  it("tests its clock to the minute: a person is not a scheduler, a quarter-hour scheduler still is", async () => {
    const tmp = tempDir();
    let s = 29;
    const next = (): number => (s = (s * 48271) % 2147483647) / 2147483647;
    const crowd = new PostLog();
    for (let a = 0; a < 60; a++) {
      for (let i = 0; i < 40; i++) crowd.add(`u${a}`, T0 + Math.floor(next() * 7 * 24 * 3600 * 1000));
    }
    const person = new PostLog();
    for (let i = 0; i < 80; i++) person.add("minutes", T0 + Math.floor(next() * 7 * 24 * 60) * 60 * SECOND);
    const cron = new PostLog();
    for (let i = 0; i < 200; i++) cron.add("cron", T0 + i * 15 * 60 * SECOND);
    const { store } = await caseOf(tmp, crowd.posts, "crowd");
    for (const [log, name] of [
      [person, "person"],
      [cron, "cron"],
    ] as const) {
      const path = tmp.path(`${name}.jsonl`);
      writeJsonl(
        path,
        log.posts.map((p, i) => ({ ...p, post_id: `${name}-${i}` })),
      );
      await ingestFile(store, path);
    }
    const r = await automation(store);
    store.close();
    tmp.cleanup();
    expect(r.result.findings.find((f) => f.subject === key("minutes"))).toBeUndefined();
    const cronFinding = r.result.findings.find((f) => f.subject === key("cron"))!;
    expect(cronFinding.evidence["signals"]).toEqual(expect.arrayContaining(["clock-locked", "regular"]));
    expect(cronFinding.strength).not.toBe("strong");
    expect(cronFinding.explanation).toMatch(
      /200 of 200 posts fall on the same minute of the (15|30) minutes .*its source gives times to the minute only, so the second is not known/,
    );
    expect(r.result.counts["minute_only_accounts"]).toBe(2);
    expect(r.result.warnings.join(" ")).toMatch(
      /2 accounts have times at whole minutes in inputs that show no seconds/,
    );
  });
});

// Guards a fixed bug: a person whose threads go out in one go, posts 0.3-1.2 s apart (posting times 2-3 s apart),
// had "regular gaps: 64% within 5% of the median" of 2.7 s, the floor of 1 s being 40% of such a median.
describe("automation on a person whose threads go out in one go", () => {
  it("does not take the short gaps inside threads for a bot's regular ones", async () => {
    const tmp = tempDir();
    let s = 31;
    const next = (): number => (s = (s * 48271) % 2147483647) / 2147483647;
    const log = new PostLog();
    for (let a = 0; a < 30; a++) {
      for (let i = 0; i < 30; i++) log.add(`u${a}`, T0 + Math.floor(next() * 14 * 24 * 3600 * 1000));
    }
    let at = T0;
    for (let t = 0; t < 40; t++) {
      at += Math.floor((2 + next() * 30) * 3600 * 1000);
      let u = at;
      const posts = 4 + Math.floor(next() * 9);
      for (let k = 0; k < posts; k++) {
        log.add("threader", u);
        u += 300 + Math.floor(next() * 900);
      }
    }
    const { store } = await caseOf(tmp, log.posts, "one-go");
    const r = await automation(store);
    store.close();
    tmp.cleanup();
    expect(r.result.findings.find((f) => f.subject === key("threader"))).toBeUndefined();
  });
});

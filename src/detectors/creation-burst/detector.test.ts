/**
 * The creation-burst detector end to end on ingested cases (test/helpers/creation-world.ts): a factory of accounts
 * created within hours, with templated handles and default profiles, among people who joined over twelve years; a
 * sign-up wave of ordinary people; and cases without creation dates or profile fields.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { Finding } from "../../model/index.js";
import { runDetectors, type DetectorRun } from "../run.js";
import { creationWorld, type ProfilePost } from "../../../test/helpers/creation-world.js";
import { DAY, key, type JsonlPost, suiteCases } from "../../../test/helpers/posts.js";
import { seededRng } from "../detector.js";

const NOW = new Date("2024-06-01T00:00:00Z");
const cases = suiteCases();

async function detect(
  posts: JsonlPost[],
  name: string,
  params: Record<string, unknown> = {},
): Promise<DetectorRun> {
  const { store } = await cases.open(posts, name);
  const { runs } = await runDetectors(store, {
    only: ["creation-burst"],
    params: { "creation-burst": params },
    now: NOW,
  });
  return runs[0]!;
}

const bySubject = (r: DetectorRun): Map<string, Finding> =>
  new Map(r.result.findings.map((f) => [f.subject, f]));

describe("an account factory among ordinary accounts, and a sign-up wave", () => {
  const world = creationWorld({ wave: 12 });
  let run: DetectorRun;
  beforeAll(async () => {
    run = await detect(world.posts, "factory");
  });

  it("finds the factory's burst and calls every factory account strong: template and default profile", () => {
    expect(run.status).toBe("ok");
    const found = bySubject(run);
    for (const acc of world.factory) {
      const f = found.get(key(acc));
      expect(f, acc).toBeDefined();
      expect(f!.strength).toBe("strong");
      const ev = f!.evidence as {
        templated_because: string[];
        default_fields: string[];
        burst: { count: number };
      };
      expect(ev.templated_because).toContainEqual(
        expect.stringMatching(
          /^a word followed by digits, like \d+ of the \d+ \(against \d+% of the other accounts\)$/,
        ),
      );
      expect(ev.default_fields).toContain("no bio");
      expect(ev.default_fields).toContain("no avatar");
      expect(ev.burst.count).toBeGreaterThanOrEqual(world.factory.length);
      expect(f!.explanation).toMatch(/one of \d+ accounts created within \d+ hours? where about/);
      expect(f!.explanation).toMatch(/handle shape LD5 shared by/);
    }
    const bursts = (run.result.details as { bursts: Array<{ members: string[]; templates: unknown[] }> })
      .bursts;
    const factory = bursts.find((b) => b.members.includes(key(world.factory[0]!)))!;
    expect(factory.members.filter((m) => world.factory.map(key).includes(m))).toHaveLength(
      world.factory.length,
    );
    expect(factory.templates).toContainEqual(expect.objectContaining({ kind: "shape", value: "LD5" }));
  });

  it("finds the sign-up wave too, but calls its members weak: nothing else about them is unusual", () => {
    const found = bySubject(run);
    const wave = world.wave.map((a) => found.get(key(a)));
    expect(wave.filter((f) => f !== undefined).length).toBeGreaterThanOrEqual(world.wave.length - 1);
    for (const f of wave) if (f) expect(["weak", "moderate"]).toContain(f.strength);
    expect(wave.filter((f) => f?.strength === "weak").length).toBeGreaterThan(world.wave.length / 2);
  });

  it("leaves the accounts that joined over the years alone", () => {
    const found = bySubject(run);
    const flagged = world.background.filter((a) => found.has(key(a)));
    expect(flagged.length).toBeLessThanOrEqual(2);
    for (const a of flagged) expect(found.get(key(a))!.strength).not.toBe("strong");
  });

  it("ties template mates of one burst with low-weight context edges only", () => {
    const factory = new Set(world.factory.map(key));
    expect(run.result.edges.length).toBeGreaterThan(0);
    for (const e of run.result.edges) {
      expect(e.layer).toBe("creation");
      expect(e.evidence["significant"]).toBe(false);
      expect(e.weight).toBeLessThan(0.5);
      expect(factory.has(e.a) && factory.has(e.b)).toBe(true);
    }
  });

  it("points at each account's row and first post", () => {
    const acc = world.factory[0]!;
    const f = bySubject(run).get(key(acc))!;
    const ev = f.evidence as {
      first_post: { post_id: string; ts: string };
      account_row: { source_row: number };
    };
    const first = world.posts.filter((p) => p.account_id === acc).sort((a, b) => (a.ts < b.ts ? -1 : 1))[0]!;
    expect(ev.first_post.post_id).toBe(first.post_id);
    expect(ev.first_post.ts).toBe(first.ts);
    expect(ev.account_row.source_row).toBeGreaterThan(0);
  });
});

describe("what the case does not carry", () => {
  it("skips with a reason when no account has a creation date", async () => {
    const posts = creationWorld({ background: 30, factory: 5 }).posts.map((p) => {
      const { account_created_at: _drop, ...rest } = p;
      return rest;
    });
    const r = await detect(posts, "undated");
    expect(r.status).toBe("skipped");
    expect(r.message).toMatch(/no account creation dates/);
  });

  it("does not call profiles default when the case has no bios, avatars or names at all", async () => {
    const world = creationWorld({ seed: 3 });
    const bare = world.posts.map((p): ProfilePost => {
      const { bio: _b, avatar_url: _a, display_name: _d, ...rest } = p;
      return rest;
    });
    const r = await detect(bare, "bare");
    const found = bySubject(r);
    for (const acc of world.factory) {
      expect(found.get(key(acc))!.strength).toBe("moderate");
      expect(found.get(key(acc))!.evidence["default_fields"]).toEqual([]);
    }
    expect(r.result.warnings.join(" ")).toMatch(/default profiles cannot be judged/);
  });

  // Guards a fixed bug: Twitter's information-operations archives give a creation date only. Read as midnight, every
  // day's sign-ups fell into one 1-hour window, which the hourly background rate found a burst almost every day.
  it("tests only windows of a day and more when the creation dates are given to the day", async () => {
    const world = creationWorld({ seed: 4, background: 0, factory: 20 });
    const rng = seededRng(11);
    const day = (ms: number): string => new Date(Math.floor(ms / DAY) * DAY).toISOString();
    const everyone: ProfilePost[] = [];
    // 2,400 people who joined through 2023, six or seven a day, and the factory's accounts of 2024-02-10
    for (let i = 0; i < 2400; i++) {
      everyone.push({
        platform: "twitter",
        post_id: `d${i}`,
        account_id: `daily${i}`,
        handle: `person_${i}`,
        ts: "2024-03-02T10:00:00Z",
        text: "hello",
        urls: [],
        hashtags: [],
        mentions: [],
        account_created_at: day(Date.UTC(2023, 0, 1) + Math.floor(rng() * 365 * DAY)),
      });
    }
    for (const p of world.posts)
      everyone.push({ ...p, account_created_at: day(Date.parse(p.account_created_at!)) });
    const r = await detect(everyone, "by-day");
    const details = r.result.details as {
      bursts: Array<{ window_hours: number; members: string[] }>;
      windows_hours: number[];
    };
    expect(details.windows_hours).toEqual([24, 72, 168]);
    expect(details.bursts).toHaveLength(1);
    expect(new Set(details.bursts[0]!.members)).toEqual(new Set(world.factory.map(key)));
    expect(r.result.warnings[0]).toMatch(
      /^100% of the creation dates fall at 00:00 UTC: the source gives them to the day, so windows under a day \(1, 6 hours asked\) were not tested$/,
    );
    const f = r.result.findings.find((x) => x.subject === key(world.factory[0]!))!;
    expect(f.explanation).toContain("was created on 2024-02-10 (the source gives the day only)");
    // the same dates with their hours: every window is tested
    const timed = await detect(
      world.posts.concat(
        everyone.slice(0, 2400).map((p, i) => ({
          ...p,
          account_created_at: new Date(
            Date.parse(p.account_created_at!) + ((i * 7919) % 86400) * 1000,
          ).toISOString(),
        })),
      ),
      "by-second",
    );
    expect((timed.result.details as { windows_hours: number[] }).windows_hours).toEqual([1, 6, 24, 72, 168]);
    expect(timed.result.warnings.join(" ")).not.toMatch(/given to the day|gives them to the day/);
  });

  it("leaves out a minority of dates given to the day, and dates after the account's first post, which made bursts", async () => {
    const world = creationWorld({ seed: 5, factory: 20 });
    const rng = seededRng(13);
    const person = (i: number, created: string, ts = "2024-03-02T10:00:00Z"): ProfilePost => ({
      platform: "twitter",
      post_id: `m${i}`,
      account_id: `merged${i}`,
      handle: `someone_${i}`,
      ts,
      text: "hello",
      urls: [],
      hashtags: [],
      mentions: [],
      account_created_at: created,
    });
    const extra: ProfilePost[] = [];
    // a second source of 150 people whose dates are given to the day, at midnight in Berlin: 23:00 UTC in winter,
    // 22:00 UTC in summer
    for (let i = 0; i < 150; i++) {
      const d = Math.floor((Date.UTC(2022, 0, 1) + rng() * 700 * DAY) / DAY) * DAY;
      const m = new Date(d).getUTCMonth();
      extra.push(person(i, new Date(d - (m >= 3 && m <= 8 ? 2 : 1) * 3_600_000).toISOString()));
    }
    // and 300 accounts whose "creation" is one instant after they had posted: a placeholder of their export
    for (let i = 600; i < 900; i++) extra.push(person(i, "2024-03-10T12:00:00Z", "2023-01-05T10:00:00Z"));
    const r = await detect([...world.posts, ...extra], "merged-dates");
    const warnings = r.result.warnings.join(" ");
    expect(warnings).toMatch(
      /300 accounts' creation dates are more than a day after their first post .*: left out/,
    );
    expect(warnings).toMatch(
      /150 accounts' creation dates fall at 22:00, 23:00 UTC, as dates given to the day do/,
    );
    // the factory is still found, every window tested; none of the merged accounts is in a burst
    expect((r.result.details as { windows_hours: number[] }).windows_hours).toEqual([1, 6, 24, 72, 168]);
    const found = bySubject(r);
    for (const acc of world.factory) expect(found.has(key(acc))).toBe(true);
    expect([...found.keys()].filter((k) => k.includes(":merged"))).toEqual([]);
  });

  it("says so when accounts joined evenly", async () => {
    const r = await detect(creationWorld({ seed: 9, factory: 0 }).posts, "even");
    expect(r.status).toBe("ok");
    expect(r.result.findings).toEqual([]);
    expect(r.message).toMatch(/^no creation burst/);
  });
});

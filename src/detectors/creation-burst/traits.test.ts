/**
 * Templates and default profiles count for a burst only when the burst has them far beyond the other accounts: a
 * news day's sign-up wave of real people (many with the platform's `name12345678` handles, many without a bio or a
 * picture) is a burst of weak findings, and a factory whose handles take the platform's own form is still strong.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { Finding } from "../../model/index.js";
import { seededRng } from "../detector.js";
import { runDetectors, type DetectorRun } from "../run.js";
import { DAY, HOUR, key, suiteCases } from "../../../test/helpers/posts.js";
import type { ProfilePost } from "../../../test/helpers/creation-world.js";
import { burstTemplates, defaultsTrait, enriched, patternCounts } from "./traits.js";

describe("enriched", () => {
  it("asks a pattern common among the other accounts to cover most of the burst, and a rare one five times its share", () => {
    // Twitter's default handles: a fifth of the other accounts have them; a factory's 40 all do, a wave 45%
    expect(enriched(40, 40, 400, 2000)).toBe(true);
    expect(enriched(1350, 3000, 400, 2000)).toBe(false);
    // a rare word: 3 of 6 members against 1% of the others, and against none
    expect(enriched(3, 6, 20, 2000)).toBe(true);
    expect(enriched(3, 6, 0, 2000)).toBe(true);
    // ... but four of a wave's 3,000 whose handles begin with one rare name are chance, among 300 patterns tested
    expect(enriched(4, 3000, 0, 2000, 300)).toBe(false);
  });

  it("takes default profiles as a burst's trait only when most of it has them", () => {
    // a wave: 19% without bio and picture, against 2.5% of the older accounts
    expect(enriched(570, 3000, 50, 2000)).toBe(true);
    expect(defaultsTrait(570, 3000, 50, 2000)).toBe(false);
    expect(defaultsTrait(38, 40, 50, 2000)).toBe(true);
  });

  it("finds the templates of a burst against the accounts outside it", () => {
    const outside = Array.from({ length: 200 }, (_, i) =>
      i % 5 === 0 ? `sara${10000000 + i}` : `sara_k${i}x`,
    );
    const burst = Array.from({ length: 20 }, (_, i) => `vatan${48213000 + i}`);
    const t = burstTemplates(patternCounts(burst), patternCounts([...outside, ...burst]), 20, 200, 3);
    expect(t.map((x) => `${x.kind}:${x.value}`).sort()).toEqual([
      "shape:LD8",
      "word-digits:word+digits",
      "word:vatan",
    ]);
    expect(t.find((x) => x.kind === "shape")!.share).toBeCloseTo(40 / 200);
  });
});

const cases = suiteCases();

const NAMES = [
  "sara",
  "ali",
  "maryam",
  "reza",
  "john",
  "emma",
  "lucas",
  "mia",
  "olga",
  "pavel",
  "chen",
  "amir",
];
const FAMILY = ["ahmadi", "karimi", "smith", "jones", "brown", "ivanova", "wang", "garcia"];

/**
 * `n` accounts created at `created(i)`: a share `platformDefault` with the platform's own `name12345678` handles, the
 * others as people choose them; a bio with probability `bio`, a picture with probability `avatar`, always a name.
 */
function accounts(
  prefix: string,
  n: number,
  created: (i: number) => number,
  o: { platformDefault: number; bio: number; avatar: number; seed: number },
): ProfilePost[] {
  const rng = seededRng(o.seed);
  const pick = <T>(xs: T[]): T => xs[Math.floor(rng() * xs.length)]!;
  const digits = (k: number): string => Array.from({ length: k }, () => Math.floor(rng() * 10)).join("");
  return Array.from({ length: n }, (_, i) => {
    const g = pick(NAMES);
    const f = pick(FAMILY);
    const handle =
      rng() < o.platformDefault
        ? `${g}${digits(8)}`
        : pick([`${g}_${f}`, `${g}${f}`, `${g}.${f}`, `the${g}${f}`]);
    const p: ProfilePost = {
      platform: "twitter",
      post_id: `${prefix}${i}`,
      account_id: `${prefix}${i}`,
      handle,
      ts: new Date(Date.UTC(2024, 2, 1) + Math.floor(rng() * 30 * DAY)).toISOString(),
      text: "hello",
      urls: [],
      hashtags: [],
      mentions: [],
      account_created_at: new Date(created(i)).toISOString(),
      display_name: `${g} ${f}`,
    };
    if (rng() < o.bio) p.bio = "Teacher. Coffee.";
    if (rng() < o.avatar) p.avatar_url = `https://img.example/${prefix}${i}.jpg`;
    return p;
  });
}

async function detect(posts: ProfilePost[], name: string): Promise<DetectorRun> {
  const { store } = await cases.open(posts, name);
  const { runs } = await runDetectors(store, {
    only: ["creation-burst"],
    now: new Date("2024-06-01T00:00:00Z"),
  });
  return runs[0]!;
}

describe("a platform's default handles and new people's empty profiles", () => {
  const from = Date.UTC(2012, 0, 1);
  const rng = seededRng(3);
  // people who joined over twelve years, a fifth of them with the platform's default handles
  const people = accounts("p", 1500, () => from + Math.floor(rng() * (Date.UTC(2024, 0, 1) - from)), {
    platformDefault: 0.2,
    bio: 0.75,
    avatar: 0.9,
    seed: 4,
  });
  // a news day: 1,200 people join over the day, nearly half with default handles, most without a bio, a third
  // without a picture
  const newsDay = Date.UTC(2022, 9, 28);
  const wave = accounts("w", 1200, () => newsDay + Math.floor(rng() * DAY), {
    platformDefault: 0.45,
    bio: 0.45,
    avatar: 0.65,
    seed: 5,
  });
  // a factory: 40 accounts in two hours, handles of the platform's own form, nothing filled in
  const factory = accounts("f", 40, () => Date.UTC(2024, 1, 10, 14) + Math.floor(rng() * 2 * HOUR), {
    platformDefault: 1,
    bio: 0,
    avatar: 0,
    seed: 6,
  }).map((p) => {
    const { display_name: _drop, ...rest } = p;
    return rest;
  });
  let run: DetectorRun;
  let found: Map<string, Finding>;
  beforeAll(async () => {
    run = await detect([...people, ...wave, ...factory], "platform-defaults");
    found = new Map(run.result.findings.map((f) => [f.subject, f]));
  });

  // Guards a fixed bug: a word followed by digits counted as a template in any burst, and every empty profile as a
  // default one, so that 1,900 of a news day's 3,000 real sign-ups were moderate or strong.
  it("calls the wave's members weak, and says that sign-up waves of real people look so", () => {
    const members = wave.map((p) => found.get(key(p.account_id))).filter((f) => f !== undefined);
    expect(members.length).toBeGreaterThan(wave.length * 0.9);
    for (const f of members) expect(f.strength).toBe("weak");
    const bare = members.find((f) => (f.evidence["default_fields"] as string[]).length > 0)!;
    expect(bare.explanation).toMatch(/but so are only \d+ of the \d+: new people often leave theirs so/);
    expect(run.message).toMatch(/1 burst of \d+ accounts with neither, as sign-up waves of real people look/);
  });

  it("still calls the factory strong, saying how common its handle form is among the other accounts", () => {
    for (const p of factory) {
      const f = found.get(key(p.account_id))!;
      expect(f.strength).toBe("strong");
      expect(f.explanation).toMatch(
        /handle shape LD8 shared by \d+ of the \d+ \(against \d+% of the other accounts\)/,
      );
      expect(f.explanation).toMatch(/not who runs them or what they did/);
    }
  });
});

describe("a case that holds nothing but one burst", () => {
  it("says there is no other account to compare the handles and profiles with, nor a rate of creations", async () => {
    const rng = seededRng(8);
    const only = accounts("o", 30, () => Date.UTC(2024, 1, 10, 14) + Math.floor(rng() * 2 * HOUR), {
      platformDefault: 1,
      bio: 0,
      avatar: 0,
      seed: 9,
    });
    const run = await detect(only, "burst-only");
    expect(run.message).toMatch(
      /the burst holds every dated account, so there is nothing to compare them with/,
    );
    expect(run.result.findings).toHaveLength(only.length);
    for (const f of run.result.findings) {
      expect(f.strength).toBe("weak");
      expect(f.explanation).toMatch(/the case gives no rate of creations to compare with/);
      expect(f.explanation).toMatch(
        /no other account with a creation date to compare its handle and profile with/,
      );
    }
  });
});

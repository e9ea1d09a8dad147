/**
 * A popular person's namesakes against its copies (QA: namesakes flagged as copies; copies missed beside three or
 * more holders of the name). Accounts are generated, seeded: namesakes join after the popular account with few
 * followers and a handle that varies its own, as the QA case's did, and write their own bio and put up their own
 * photo; copies take the bio, the photo or a decorated display name, or disguise the handle.
 */
import { describe, expect, it } from "vitest";
import { T0, type JsonlPost, suiteCases } from "../../../test/helpers/posts.js";
import type { Finding } from "../../model/index.js";
import { seededRng } from "../detector.js";
import { runDetectors } from "../run.js";
import { dropCopiesOfCopies } from "./index.js";
import { matchAmongAccounts, type AccountLite, type Match } from "./match.js";
import { decoratedName, ownProfile } from "./namesake.js";

const YEAR_MS = 365.25 * 86_400_000;
const JOBS = [
  "Civil engineer",
  "Dentist",
  "Maths teacher",
  "Taxi driver",
  "Nurse",
  "Student of literature",
  "Carpet seller",
  "Software developer",
  "Architect",
  "Pharmacist",
  "Baker",
  "Lawyer",
  "Bus mechanic",
  "Librarian",
];
const CITIES = [
  "Tehran",
  "Shiraz",
  "Tabriz",
  "Mashhad",
  "Isfahan",
  "Rasht",
  "Kerman",
  "Yazd",
  "Ahvaz",
  "Qom",
  "Sari",
  "Zanjan",
  "Hamadan",
  "Bushehr",
];
const LIKES = [
  "mountains and old cameras",
  "chess on Fridays",
  "poetry of Hafez",
  "cooking for friends",
  "cycling",
  "birds of the Caspian coast",
  "jazz records",
  "gardening",
  "history podcasts",
  "my two daughters",
  "football on Thursdays",
  "Persian calligraphy",
  "old Hollywood films",
  "long walks by the river",
];
const PEOPLE: ReadonlyArray<readonly [string, string]> = [
  ["ali", "karimi"],
  ["maryam", "rahimi"],
  ["reza", "moradi"],
  ["sara", "tehrani"],
];
const capital = (w: string): string => w.charAt(0).toUpperCase() + w.slice(1);
const CYRILLIC: Record<string, string> = { a: "а", e: "е", o: "о", i: "і", c: "с", p: "р" };

type Kind = "popular" | "namesake" | "older" | "copy-bio" | "copy-photo" | "copy-confusable" | "copy-plain";

interface World {
  accounts: AccountLite[];
  kinds: Kind[];
}

/**
 * A popular account (`first last`) and `namesakes` people of its name who joined after it, each with a handle
 * varying its handle (separators, a year, a trailing underscore), their own bio and photo, and few followers;
 * `older` holders of the name who joined before it, with handles of their own; and, with `copies`, one copy of
 * each kind. `displayName` is the popular account's name as written (a plain name unless given).
 */
function world(
  seed: number,
  opts: { namesakes: number; older?: number; copies?: boolean; displayName?: string; plainName?: string },
): World {
  const rng = seededRng(seed);
  const int = (lo: number, hi: number): number => lo + Math.floor(rng() * (hi - lo + 1));
  const photo = (): string => Array.from({ length: 16 }, () => "0123456789abcdef"[int(0, 15)]).join("");
  const near = (hash: string, bits: number): string => {
    let v = BigInt(`0x${hash}`);
    for (let k = 0; k < bits; k++) v ^= 1n << BigInt(int(0, 63));
    return v.toString(16).padStart(16, "0");
  };
  const [first, last] = PEOPLE[seed % PEOPLE.length]!;
  const plain = opts.plainName ?? `${capital(first)} ${capital(last)}`;
  const shown = opts.displayName ?? plain;
  const born = Date.UTC(2009 + int(0, 3), int(0, 11), 1);
  const handle = `${first}${last}`;
  const popular: AccountLite = {
    platform: "twitter",
    handle,
    displayName: shown,
    bio: `Official account. ${plain}, national team 1998-2010, coach and commentator. Managed by my team.`,
    followers: int(200_000, 3_000_000),
    createdMs: born,
    avatarHash: photo(),
  };
  const accounts: AccountLite[] = [popular];
  const kinds: Kind[] = ["popular"];
  const used = new Set([handle]);
  const variant = (): string => {
    for (;;) {
      const h = [
        `${first}_${last}`,
        `${first}.${last}`,
        `${first}${last}_`,
        `${first}${last}${int(1960, 2005)}`,
        `${first}_${last}${int(1, 99)}`,
        `${first}.${last}${int(1960, 2005)}`,
        `_${first}_${last}`,
      ][int(0, 6)]!;
      if (!used.has(h)) {
        used.add(h);
        return h;
      }
    }
  };
  // each person's bio from a job, a city and an interest no one else of the world has: no two are near-duplicates
  const shuffled = <T>(xs: T[]): T[] =>
    xs
      .map((x) => [rng(), x] as const)
      .sort((p, q) => p[0] - q[0])
      .map((p) => p[1]);
  const [jobs, cities, likes] = [shuffled(JOBS), shuffled(CITIES), shuffled(LIKES)];
  const bioOf = (k: number): string => {
    if (k >= JOBS.length) throw new Error(`namesake world: at most ${JOBS.length} people of one name`);
    return `${jobs[k]} in ${cities[k]}. I love ${likes[k]}.`;
  };
  for (let k = 0; k < opts.namesakes; k++) {
    accounts.push({
      platform: "twitter",
      handle: variant(),
      displayName: rng() < 0.3 ? plain.toLowerCase() : plain,
      bio: bioOf(k),
      followers: int(3, 900),
      createdMs: born + (1 + rng() * 12) * YEAR_MS,
      avatarHash: photo(),
    });
    kinds.push("namesake");
  }
  for (let k = 0; k < (opts.older ?? 0); k++) {
    accounts.push({
      platform: "twitter",
      handle: [
        `${last}_${first}`,
        `${first.charAt(0)}${last}${k}`,
        `${last}.${first}.${k}`,
        `mr_${last}_${k}`,
      ][k % 4]!,
      displayName: plain,
      bio: bioOf(opts.namesakes + k),
      followers: int(10, 2000),
      createdMs: born - (1 + rng() * 3) * YEAR_MS,
      avatarHash: photo(),
    });
    kinds.push("older");
  }
  if (opts.copies) {
    const fresh = (): Pick<AccountLite, "platform" | "followers" | "createdMs"> => ({
      platform: "twitter",
      followers: int(0, 60),
      createdMs: born + (8 + rng() * 4) * YEAR_MS,
    });
    const letters = [...handle].map((ch, i) => [ch, i] as const).filter(([ch]) => CYRILLIC[ch]);
    const [ch, at] = letters[int(0, letters.length - 1)]!;
    const copies: Array<[Kind, AccountLite]> = [
      [
        "copy-bio",
        { ...fresh(), handle: variant(), displayName: shown, bio: `${popular.bio} 🇮🇷`, avatarHash: null },
      ],
      [
        "copy-photo",
        {
          ...fresh(),
          handle: variant(),
          displayName: shown,
          bio: null,
          avatarHash: near(popular.avatarHash!, int(0, 4)),
        },
      ],
      [
        "copy-confusable",
        {
          ...fresh(),
          handle: handle.slice(0, at) + CYRILLIC[ch]! + handle.slice(at + 1),
          displayName: shown,
          bio: null,
          avatarHash: null,
        },
      ],
      ["copy-plain", { ...fresh(), handle: variant(), displayName: shown, bio: null, avatarHash: null }],
    ];
    for (const [kind, a] of copies) {
      accounts.push(a);
      kinds.push(kind);
    }
  }
  return { accounts, kinds };
}

const target = (m: Match): number => (m.target as { accountIndex: number }).accountIndex;
const rank = { weak: 0, moderate: 1, strong: 2 } as const;

/** Matches as the detector reports them: copies of a common original against it, not against one another. */
function reported(w: World): Match[] {
  const ms = matchAmongAccounts(w.accounts);
  dropCopiesOfCopies(ms);
  return ms;
}

const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8];

describe("a popular person's namesakes, who join after it (QA: namesakes flagged as copies)", () => {
  it.each(SEEDS)("calls none of them a copy, and says why they stay weak (seed %i)", (seed) => {
    const w = world(seed, { namesakes: 4 + (seed % 5) });
    const ms = reported(w);
    // they are looked at: their handles vary the popular one's and they carry its name
    expect(ms.length).toBeGreaterThan(0);
    for (const m of ms) {
      expect(w.kinds[m.suspect]).toBe("namesake");
      expect(target(m)).toBe(0);
      expect(m.strength).toBe("weak");
      // each has a bio and a photo of its own, and the match says so
      expect(m.namesake).toEqual(ownProfile(w.accounts[m.suspect]!, w.accounts[0]!, 6));
      expect(m.namesake).toEqual({ ownBio: true, ownPhoto: true });
    }
  });

  it.each(SEEDS)("stays weak for a Persian name over Latin handles (seed %i)", (seed) => {
    const w = world(seed, { namesakes: 5, plainName: "علی کریمی" });
    const ms = reported(w);
    expect(ms.length).toBeGreaterThan(0);
    for (const m of ms) expect(m).toMatchObject({ strength: "weak", namesake: { ownBio: true } });
  });
});

describe("copies among a popular person's namesakes (QA: copies missed beside three or more holders)", () => {
  const COPIED: Kind[] = ["copy-bio", "copy-photo", "copy-confusable"];

  it.each(SEEDS.flatMap((seed) => [0, 3, 5].map((older) => [seed, older] as const)))(
    "finds every copy that takes the bio or photo or disguises the handle, with no protect list (seed %i, %i older holders)",
    (seed, older) => {
      const w = world(seed, { namesakes: 3 + (seed % 4), older, copies: true });
      const ms = reported(w);
      for (const kind of COPIED) {
        const i = w.kinds.indexOf(kind);
        const m = ms.find((x) => x.suspect === i);
        expect(m, `${kind} ${w.accounts[i]!.handle}`).toBeDefined();
        expect(target(m!)).toBe(0);
        expect(rank[m!.strength], kind).toBeGreaterThanOrEqual(rank.moderate);
        expect(m!.namesake).toBeUndefined();
      }
      // and still calls no namesake, older or newer, a copy
      for (const m of ms) {
        if (COPIED.includes(w.kinds[m.suspect]!)) continue;
        expect(m.strength, w.accounts[m.suspect]!.handle!).toBe("weak");
        expect(w.kinds[m.suspect]).not.toBe("older");
      }
    },
  );

  it.each(SEEDS)(
    "finds a copy of a decorated display name, which namesakes do not write (seed %i)",
    (seed) => {
      const w = world(seed, { namesakes: 5, older: 4, copies: true, displayName: "Ali Karimi ⚽🇮🇷" });
      const ms = reported(w);
      // the plain copy took the name to the emoji: that is copying, not a namesake's choice
      for (const kind of [...COPIED, "copy-plain"] as Kind[]) {
        const m = ms.find((x) => x.suspect === w.kinds.indexOf(kind));
        expect(m, kind).toBeDefined();
        expect(rank[m!.strength], kind).toBeGreaterThanOrEqual(rank.moderate);
      }
      for (const m of ms.filter((x) => w.kinds[x.suspect] === "namesake")) expect(m.strength).toBe("weak");
    },
  );

  it("leaves a plain copy of a plain name weak: it cannot be told from a namesake", () => {
    const w = world(3, { namesakes: 5, copies: true });
    const plain = reported(w).find((m) => w.kinds[m.suspect] === "copy-plain");
    expect(plain).toMatchObject({ strength: "weak", namesake: { ownBio: false, ownPhoto: false } });
  });
});

describe("a typosquat of a popular handle (review: one letter dropped or doubled read as a namesake's spelling)", () => {
  const Y = 365.25 * 86_400_000;
  const original: AccountLite = {
    platform: "twitter",
    handle: "nasrinsotoudeh",
    displayName: "Nasrin Sotoudeh",
    bio: "Human rights lawyer",
    followers: 250_000,
    createdMs: T0 - 12 * Y,
    avatarHash: null,
  };
  const suspect = (handle: string, bio: string | null): AccountLite => ({
    platform: "twitter",
    handle,
    displayName: "Nasrin Sotoudeh",
    bio,
    followers: 40,
    createdMs: T0,
    avatarHash: null,
  });

  it("calls a handle one letter off, with nothing of the account's own, a copy, not a namesake", () => {
    for (const handle of ["nasrinsotudeh", "nasrinsotoudehh"]) {
      const [m] = matchAmongAccounts([original, suspect(handle, null)]);
      expect(m?.namesake, handle).toBeUndefined();
      expect(m?.strength, handle).toBe("moderate");
    }
  });

  it("keeps weak the same spelling beside a bio of the account's own, and a separator variant without one", () => {
    const [spelled] = matchAmongAccounts([
      original,
      suspect("nasrinsotudeh", "Teacher in Shiraz, mother of two"),
    ]);
    expect(spelled).toMatchObject({ strength: "weak", namesake: { ownBio: true } });
    const [separated] = matchAmongAccounts([original, suspect("nasrin_sotoudeh", null)]);
    expect(separated).toMatchObject({ strength: "weak", namesake: { ownBio: false, ownPhoto: false } });
  });
});

describe("decoratedName", () => {
  it("tells a name with emoji, symbols or two scripts from a plain name", () => {
    for (const name of ["Ali Karimi ⚽", "Ali Karimi | علی کریمی", "BBC News فارسی", "Ali Karimi (official)"])
      expect(decoratedName(name), name).toBe(true);
    for (const name of [
      "Ali Karimi",
      "علی کریمی",
      "محمد‌رضا کریمی",
      "Jean-Luc Picard",
      "O'Brien",
      "Ali Karimi 1990",
    ])
      expect(decoratedName(name), name).toBe(false);
  });
});

describe("the namesake case, end to end", () => {
  const cases = suiteCases("chorus-namesake-");

  it("explains a weak namesake match, and calls a copy of the bio a copy", async () => {
    const w = world(5, { namesakes: 3, copies: true });
    const keep = w.accounts
      .map((a, i) => [a, w.kinds[i]!] as const)
      .filter(([, k]) => k === "popular" || k === "namesake" || k === "copy-bio");
    const posts = keep.map(
      ([a], i): JsonlPost =>
        ({
          platform: "twitter",
          post_id: `p${i}`,
          account_id: `acct${i}`,
          handle: a.handle!,
          display_name: a.displayName,
          bio: a.bio,
          followers: a.followers,
          account_created_at: new Date(a.createdMs!).toISOString(),
          ts: new Date(T0 + i * 60_000).toISOString(),
          text: `an ordinary post ${i}`,
          urls: [],
          hashtags: [],
          mentions: [],
        }) as JsonlPost,
    );
    const { store } = await cases.open(posts, "namesakes");
    const { runs } = await runDetectors(store, {
      only: ["impersonation"],
      seed: 1,
      now: new Date("2025-01-01T00:00:00Z"),
    });
    const findings: Finding[] = runs[0]!.result.findings;
    const kindOf = (f: Finding): string => keep[Number(f.subject.split(":acct")[1])]![1];
    const copy = findings.find((f) => kindOf(f) === "copy-bio");
    expect(copy?.explanation).toMatch(/ imitates the account /);
    expect(copy?.evidence["possible_namesake"]).toBeUndefined();
    const namesakes = findings.filter((f) => kindOf(f) === "namesake");
    expect(namesakes.length).toBeGreaterThan(0);
    for (const f of namesakes) {
      expect(f.strength).toBe("weak");
      expect(f.explanation).toMatch(/may imitate the account .* or be a namesake/);
      expect(f.explanation).toMatch(/Nothing beyond the name was copied/);
      expect(f.explanation).toMatch(/It joined on \d{4}-\d\d-\d\d, after @/);
      expect(f.explanation).toMatch(/It has a bio of its own/);
      expect(f.evidence["possible_namesake"]).toEqual({ own_bio: true, own_photo: false });
    }
  });
});

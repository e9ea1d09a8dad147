/**
 * A world for the creation-burst detector: accounts whose first post carries its profile (creation date, display
 * name, bio, avatar).
 *
 * - `background`: people who joined any time from 2012 to 2023, and a few in the last three months, with handles
 *   as people choose them (names, names with a birth year), most with a bio, a name and a picture;
 * - `factory`: accounts created within a few hours of 2024-02-10 with handles cut from one template (one of two
 *   words and five digits) and default profiles (no bio, no picture, the handle as the name or none);
 * - `wave`: people who joined on one day (a news event), with ordinary handles and full profiles.
 */
import { seededRng } from "../../src/detectors/detector.js";
import { DAY, HOUR, MINUTE, type JsonlPost } from "./posts.js";

export type ProfilePost = JsonlPost & {
  display_name?: string;
  bio?: string;
  avatar_url?: string;
  account_created_at?: string;
};

export interface CreationWorld {
  posts: ProfilePost[];
  background: string[];
  factory: string[];
  wave: string[];
}

const GIVEN = [
  "sara",
  "ali",
  "maryam",
  "reza",
  "neda",
  "omid",
  "laleh",
  "kian",
  "john",
  "emma",
  "lucas",
  "mia",
];
const FAMILY = ["ahmadi", "karimi", "rostami", "tehrani", "smith", "jones", "moradi", "hosseini", "brown"];
const BIOS = [
  "Teacher. Coffee.",
  "Photographer",
  "Football, books, family",
  "Engineer in Toronto",
  "Mum of two",
];

export interface CreationWorldOptions {
  seed?: number;
  background?: number;
  factory?: number;
  wave?: number;
  /** Prefix of account and post ids. */
  prefix?: string;
}

export function creationWorld(o: CreationWorldOptions = {}): CreationWorld {
  const rng = seededRng(o.seed ?? 17);
  const prefix = o.prefix ?? "";
  const pick = <T>(xs: T[]): T => xs[Math.floor(rng() * xs.length)]!;
  const posts: ProfilePost[] = [];
  const taken = new Set<string>();
  let next = 1;
  const unique = (h: string): string => {
    let out = h;
    while (taken.has(out)) out = `${h}${Math.floor(rng() * 90) + 10}`;
    taken.add(out);
    return out;
  };
  const firstPostAt = Date.UTC(2024, 2, 1);
  const add = (id: string, handle: string, created: number, profile: Partial<ProfilePost>): void => {
    const n = 1 + Math.floor(rng() * 3);
    for (let i = 0; i < n; i++) {
      posts.push({
        platform: "twitter",
        post_id: `${prefix}c${String(next++).padStart(6, "0")}`,
        account_id: id,
        handle,
        ts: new Date(firstPostAt + Math.floor(rng() * 20 * DAY)).toISOString(),
        text: `hello from ${handle} ${i}`,
        urls: [],
        hashtags: [],
        mentions: [],
        account_created_at: new Date(created).toISOString(),
        ...profile,
      });
    }
  };
  const person = (id: string, created: number): void => {
    const g = pick(GIVEN);
    const f = pick(FAMILY);
    const r = rng();
    const handle = unique(
      r < 0.4 ? `${g}_${f}` : r < 0.7 ? `${g}${1960 + Math.floor(rng() * 45)}` : `${g}${f}`,
    );
    const profile: Partial<ProfilePost> = { display_name: `${g[0]!.toUpperCase()}${g.slice(1)} ${f}` };
    if (rng() < 0.65) profile.bio = pick(BIOS);
    if (rng() < 0.9) profile.avatar_url = `https://img.example/${id}.jpg`;
    add(id, handle, created, profile);
  };

  const background = Array.from({ length: o.background ?? 300 }, (_, i) => `${prefix}user${i + 1}`);
  const from = Date.UTC(2012, 0, 1);
  const to = Date.UTC(2023, 11, 1);
  background.forEach((id, i) => {
    const young = i % 16 === 0;
    const created = young ? firstPostAt - (2 + rng() * 88) * DAY : from + Math.floor(rng() * (to - from));
    person(id, Math.floor(created / 1000) * 1000);
  });

  const factory = Array.from({ length: o.factory ?? 20 }, (_, i) => `${prefix}made${i + 1}`);
  const burstStart = Date.UTC(2024, 1, 10, 6, 0);
  factory.forEach((id) => {
    const handle = unique(`${pick(["vatan", "sepah"])}${10000 + Math.floor(rng() * 89999)}`);
    const profile: Partial<ProfilePost> = rng() < 0.5 ? { display_name: handle } : {};
    add(id, handle, burstStart + Math.floor(rng() * 5 * HOUR), profile);
  });

  const wave = Array.from({ length: o.wave ?? 0 }, (_, i) => `${prefix}joined${i + 1}`);
  const waveDay = Date.UTC(2023, 5, 14);
  wave.forEach((id) => person(id, waveDay + Math.floor(rng() * 24 * 60) * MINUTE));

  return { posts, background, factory, wave };
}

/** A small factory burst among ordinary accounts, with ids of their own: the conformance suite's addition. */
export function conformanceCreationPosts(): JsonlPost[] {
  return creationWorld({ seed: 5, background: 60, factory: 10, prefix: "cb-" }).posts;
}

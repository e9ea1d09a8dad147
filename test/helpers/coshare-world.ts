/**
 * A small world with known structure for co-share and campaign tests:
 *
 * - `planted` (6 accounts): share 8 new links, each link by all six within about 4 seconds (a fast unit);
 * - `slow` (5 accounts): share 6 new links, 12 seconds apart one after the other (within a minute, never within
 *   the 10-second fast window);
 * - `organic` (40 accounts): each shares 6 links picked at random from a pool of 60, at a random time in the link's
 *   10-minute life (links are news of the moment: every pool link lives 10 minutes somewhere in 10 days);
 * - `hyper` (2 accounts): share every pool link once, at a random time in its life; they meet each other and the
 *   organic accounts again and again, as often as their activity and the links' timing predict;
 * - a viral link shared once by every account within 30 minutes.
 *
 * Every planted and slow member also shares 3 pool links, so they look like ordinary users too.
 */
import { seededRng } from "../../src/detectors/detector.js";
import { accountIds, DAY, MINUTE, PostLog, SECOND, T0, type JsonlPost } from "./posts.js";

export interface CoShareWorld {
  posts: JsonlPost[];
  planted: string[];
  slow: string[];
  organic: string[];
  hyper: string[];
  plantedUrls: string[];
  slowUrls: string[];
  poolUrls: string[];
  viralUrl: string;
  /** Account id -> every URL it shared. */
  sharedBy: Map<string, Set<string>>;
}

const POOL = 60;
const LIFE = 10 * MINUTE;

export function coShareWorld(seed = 7): CoShareWorld {
  const rng = seededRng(seed);
  const log = new PostLog();
  const sharedBy = new Map<string, Set<string>>();
  const share = (account: string, ts: number, url: string): void => {
    log.add(account, ts, { urls: [url] });
    const set = sharedBy.get(account) ?? new Set<string>();
    set.add(url);
    sharedBy.set(account, set);
  };
  const planted = accountIds("planted", 6);
  const slow = accountIds("slow", 5);
  const organic = accountIds("organic", 40);
  const hyper = accountIds("hyper", 2);

  const poolUrls = Array.from({ length: POOL }, (_, k) => `https://site${k % 20}.example/news/${k}`);
  const poolStart = poolUrls.map(() => T0 + Math.floor(rng() * 10 * DAY));
  const inLife = (k: number): number => poolStart[k]! + Math.floor(rng() * LIFE);
  const pick = (n: number): number[] => {
    const chosen = new Set<number>();
    while (chosen.size < n) chosen.add(Math.floor(rng() * POOL));
    return [...chosen].sort((a, b) => a - b);
  };

  const plantedUrls = Array.from({ length: 8 }, (_, b) => `https://planted-news.example/story/${b + 1}`);
  plantedUrls.forEach((url, b) => {
    const burst = T0 + b * 29 * 3600 * SECOND + 3600 * SECOND;
    planted.forEach((acc, i) => share(acc, burst + i * 700 + Math.floor(rng() * 300), url));
  });
  const slowUrls = Array.from({ length: 6 }, (_, b) => `https://slow-news.example/item/${b + 1}`);
  slowUrls.forEach((url, b) => {
    const burst = T0 + b * 37 * 3600 * SECOND + 2.5 * 3600 * SECOND;
    slow.forEach((acc, i) => share(acc, burst + i * 12 * SECOND + Math.floor(rng() * 400), url));
  });
  for (const acc of [...planted, ...slow]) for (const k of pick(3)) share(acc, inLife(k), poolUrls[k]!);
  for (const acc of organic) for (const k of pick(6)) share(acc, inLife(k), poolUrls[k]!);
  for (const acc of hyper) for (let k = 0; k < POOL; k++) share(acc, inLife(k), poolUrls[k]!);

  const viralUrl = "https://viral.example/the-big-story";
  const viralStart = T0 + 9 * DAY;
  for (const acc of [...planted, ...slow, ...organic, ...hyper]) {
    share(acc, viralStart + Math.floor(rng() * 30 * MINUTE), viralUrl);
  }
  return {
    posts: log.posts,
    planted,
    slow,
    organic,
    hyper,
    plantedUrls,
    slowUrls,
    poolUrls,
    viralUrl,
    sharedBy,
  };
}

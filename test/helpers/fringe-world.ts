/**
 * A link unit with a fringe: accounts that post a handful of times in all, two of those posts inside the unit's
 * bursts (src/campaign/fringe.ts), among accounts that come near the bursts in the other ways an organic crowd does.
 *
 * - `crowd` (300) posts 3,000 times over 20 days: a link to one of 50 stories of `news.example` and, half of the
 *   time, the trend's hashtag `#trend`.
 * - `unit` (12) works 10 bursts, two days apart. In each, every member takes part with probability 0.8 and posts the
 *   burst's own link (`ourtruth.example/b<burst>`) with `#trend`, inside 20 seconds. Each member also posts 30 links
 *   to the news of its own.
 * - `fringe` (5) post three times each: the link of two bursts (different ones, each 5-25 seconds after the burst
 *   starts) and one story of the news.
 * - `adopters` (10) post the link of one burst inside it, and 5 stories of the news: one occasion each.
 * - `late` (5) post the links of two bursts three hours after each: outside the bursts.
 * - `riders` (5) post `#trend` with a story of the news inside one burst: the unit joins in on `#trend`, but the
 *   crowd made most of its shares. (Inside two, they meet the members there twice, and those ties beat chance.)
 * - `echoes` (2) post the link of one burst twice inside it: one occasion.
 */
import { seededRng } from "../../src/detectors/detector.js";
import { accountIds, DAY, HOUR, PostLog, SECOND, T0, type JsonlPost } from "./posts.js";

export interface FringeWorld {
  posts: JsonlPost[];
  unit: string[];
  fringe: string[];
  adopters: string[];
  late: string[];
  riders: string[];
  echoes: string[];
  /** Start of each burst, epoch ms. */
  bursts: number[];
}

export function fringeWorld(seed = 3): FringeWorld {
  const rng = seededRng(seed);
  const log = new PostLog();
  const story = (): string => `https://news.example/story-${Math.floor(rng() * 50)}`;
  const crowd = accountIds("crowd", 300);
  const unit = accountIds("unit", 12);
  const fringe = accountIds("fringe", 5);
  const adopters = accountIds("adopter", 10);
  const late = accountIds("late", 5);
  const riders = accountIds("rider", 5);
  const echoes = accountIds("echo", 2);
  for (let i = 0; i < 3000; i++) {
    log.add(crowd[Math.floor(rng() * crowd.length)]!, T0 + Math.floor(rng() * 20 * DAY), {
      urls: [story()],
      hashtags: rng() < 0.5 ? ["trend"] : [],
      text: `today's news ${i}`,
    });
  }
  for (const u of unit) {
    for (let i = 0; i < 30; i++) {
      log.add(u, T0 + Math.floor(rng() * 20 * DAY), { urls: [story()], text: `read this ${i}` });
    }
  }
  const bursts = Array.from({ length: 10 }, (_, b) => T0 + Math.floor((b * 2 + 0.5 + rng()) * DAY));
  const link = (b: number): string => `https://ourtruth.example/b${b}`;
  bursts.forEach((t, b) => {
    for (const u of unit) {
      if (rng() < 0.8) {
        log.add(u, t + Math.floor(rng() * 20 * SECOND), {
          urls: [link(b)],
          hashtags: ["trend"],
          text: `the truth they hide ${b}`,
        });
      }
    }
  });
  const inside = (b: number): number => bursts[b]! + Math.floor((5 + rng() * 20) * SECOND);
  fringe.forEach((u, i) => {
    const first = i % 10;
    const second = (i + 3) % 10;
    log.add(u, inside(first), { urls: [link(first)], text: `so true ${first}` });
    log.add(u, inside(second), { urls: [link(second)], text: `so true ${second}` });
    log.add(u, T0 + Math.floor(rng() * 20 * DAY), { urls: [story()], text: "my news" });
  });
  adopters.forEach((u, i) => {
    const b = i % 10;
    log.add(u, inside(b), { urls: [link(b)], text: `look at this ${b}` });
    for (let k = 0; k < 5; k++)
      log.add(u, T0 + Math.floor(rng() * 20 * DAY), { urls: [story()], text: "news" });
  });
  late.forEach((u, i) => {
    for (const b of [i % 10, (i + 5) % 10]) {
      log.add(u, bursts[b]! + 3 * HOUR + Math.floor(rng() * 60 * SECOND), {
        urls: [link(b)],
        text: `late ${b}`,
      });
    }
  });
  riders.forEach((u, i) => {
    const b = (i + 4) % 10;
    log.add(u, inside(b), { urls: [story()], hashtags: ["trend"], text: `trending ${b}` });
  });
  echoes.forEach((u, i) => {
    const b = (i + 7) % 10;
    log.add(u, inside(b), { urls: [link(b)], text: `share ${b}` });
    log.add(u, inside(b), { urls: [link(b)], text: `share again ${b}` });
  });
  return { posts: log.posts, unit, fringe, adopters, late, riders, echoes, bursts };
}

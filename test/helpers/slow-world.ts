/**
 * A unit that floods its hashtags slowly, among a crowd that talks about the trend of the day: the split unit that
 * the campaign step tests again as one group (src/campaign/split-units.ts).
 *
 * - `crowd` (600) posts 6,000 times over 20 days, each post with the trend's hashtag `#trend` half of the time and
 *   one of 40 everyday hashtags otherwise.
 * - `unit` (48) works 10 bursts. In each, every member takes part with probability 0.5 and posts the unit's two
 *   hashtags (`#ourcause`, `#truthnow`) with `#trend`, at a uniform time over 5 minutes: a few of them inside any one
 *   minute, so few pairs meet often enough to beat chance, and the clustering cuts the unit into several groups.
 *   Each member also posts 30 everyday posts of its own.
 * - `storm` (80) are the regulars of a daily storm of `#stormday`: 12 times, each joins with probability 0.7 and posts
 *   the tag once at a uniform time over 10 minutes, beside 300 posts of it by the crowd. Together they made a
 *   minority of the tag's shares: whatever groups the clustering finds among them are not a unit.
 * - `hijackers` (20) flood `#freethem` in 12 bursts of 30 seconds (each member with probability 0.8), adding one of
 *   the crowd's everyday hashtags to each burst, a different one each time; the crowd, who heard of it, posts
 *   `#freethem` 190 times too. By burst size alone, the 12 tags it rode would outweigh its own 12 to 1.
 * - `cored` (60) floods its own two hashtags (`#wakeup`, `#nomore`, with `#trend`) in 10 bursts. Its first 10 members
 *   (its core) take part in every burst, all inside 20 seconds; the other 50 each with probability 0.4, at a uniform
 *   time over 8 minutes. The core passes the tests alone, with a few of the others, and the rest are cut into
 *   groups that do not.
 */
import { seededRng } from "../../src/detectors/detector.js";
import { accountIds, DAY, MINUTE, PostLog, SECOND, T0, type JsonlPost } from "./posts.js";

export interface SlowWorld {
  posts: JsonlPost[];
  unit: string[];
  storm: string[];
  hijackers: string[];
  cored: string[];
}

export function slowWorld(seed = 5): SlowWorld {
  const rng = seededRng(seed);
  const log = new PostLog();
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;
  const everyday = accountIds("topic", 40);
  const crowd = accountIds("crowd", 600);
  const unit = accountIds("unit", 48);
  const storm = accountIds("storm", 80);
  for (let i = 0; i < 6000; i++) {
    log.add(pick(crowd), T0 + Math.floor(rng() * 20 * DAY), {
      hashtags: [rng() < 0.5 ? "trend" : pick(everyday)],
      text: `on the day ${i}`,
    });
  }
  for (const u of [...unit, ...storm]) {
    for (let i = 0; i < 30; i++) {
      log.add(u, T0 + Math.floor(rng() * 20 * DAY), { hashtags: [pick(everyday)], text: `my day ${i}` });
    }
  }
  for (let b = 0; b < 10; b++) {
    const t = T0 + Math.floor((b * 2 + rng()) * DAY);
    for (const u of unit) {
      if (rng() >= 0.5) continue;
      log.add(u, t + Math.floor(rng() * 5 * MINUTE), {
        hashtags: ["ourcause", "truthnow", "trend"],
        text: `they lie to you, stand up ${b}`,
      });
    }
  }
  for (let s = 0; s < 12; s++) {
    const t = T0 + Math.floor((s * 1.5 + 0.5 + rng()) * DAY);
    for (const u of storm) {
      if (rng() < 0.7)
        log.add(u, t + Math.floor(rng() * 10 * MINUTE), { hashtags: ["stormday"], text: `storm ${s}` });
    }
    for (let i = 0; i < 300; i++) {
      log.add(pick(crowd), t + Math.floor(rng() * 10 * MINUTE), {
        hashtags: ["stormday"],
        text: `storm ${s}`,
      });
    }
  }
  // last, so that the draws above are those of the world without them
  const hijackers = accountIds("hijacker", 20);
  for (let b = 0; b < 12; b++) {
    const t = T0 + Math.floor((b * 1.6 + 0.3 + rng()) * DAY);
    const riding = everyday[(b * 3) % everyday.length]!;
    for (const u of hijackers) {
      if (rng() >= 0.8) continue;
      log.add(u, t + Math.floor(rng() * 30 * SECOND), {
        hashtags: ["freethem", riding],
        text: `free them ${b}`,
      });
    }
  }
  for (let i = 0; i < 190; i++) {
    log.add(pick(crowd), T0 + Math.floor(rng() * 20 * DAY), {
      hashtags: ["freethem"],
      text: `heard of it ${i}`,
    });
  }
  // a unit with a fast core: its core posts inside 20 seconds, the rest over 8 minutes
  const cored = accountIds("cored", 60);
  for (let b = 0; b < 10; b++) {
    const t = T0 + Math.floor((b * 2 + 1 + rng()) * DAY);
    cored.forEach((u, i) => {
      if (i >= 10 && rng() >= 0.4) return;
      const at = i < 10 ? Math.floor(rng() * 20 * SECOND) : Math.floor(rng() * 8 * MINUTE);
      log.add(u, t + at, { hashtags: ["wakeup", "nomore", "trend"], text: `wake up ${b}` });
    });
  }
  return { posts: log.posts, unit, storm, hijackers, cored };
}

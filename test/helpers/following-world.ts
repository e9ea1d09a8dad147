/**
 * A star and its superfans, among a background of ordinary reposting: the loose following that the campaign step
 * sets aside (src/campaign/index.ts, `minRepostParticipation`).
 *
 * - `star` posts 200 times over 30 days and never reposts anyone.
 * - `superfans` (100) repost each of its posts with probability 0.5. Each repost comes 15 s after the post plus a
 *   log-normal delay with a median of 8 minutes: a few of them inside any one minute, post after post.
 * - `crowd` (400) posts 1,500 times; each of those posts is reposted 8 times by accounts drawn from the crowd and the
 *   superfans, at random times over the 12 hours after it, which gives every superfan activity of its own beside the
 *   star (the chance model then expects far fewer meetings among them than their shared interest brings).
 * - `unit` (12) reposts each of 40 posts of its `persona` within 20 seconds, every member every time: a unit whose
 *   members come to each post together.
 */
import { seededRng } from "../../src/detectors/detector.js";
import { accountIds, DAY, HOUR, lognormal, MINUTE, PostLog, SECOND, T0, type JsonlPost } from "./posts.js";

export interface FollowingWorld {
  posts: JsonlPost[];
  star: string;
  superfans: string[];
  persona: string;
  unit: string[];
}

export function followingWorld(seed = 11): FollowingWorld {
  const rng = seededRng(seed);
  const log = new PostLog();
  const crowd = accountIds("crowd", 400);
  const superfans = accountIds("superfan", 100);
  const everyone = [...crowd, ...superfans];
  for (let i = 0; i < 1500; i++) {
    const t = T0 + Math.floor(rng() * 30 * DAY);
    const original = log.add(crowd[Math.floor(rng() * crowd.length)]!, t, { text: `thoughts ${i}` });
    for (let k = 0; k < 8; k++) {
      const who = everyone[Math.floor(rng() * everyone.length)]!;
      log.add(who, t + MINUTE + Math.floor(rng() * 12 * HOUR), {
        repostOf: original,
        text: `RT thoughts ${i}`,
      });
    }
  }
  const star = "star";
  for (let i = 0; i < 200; i++) {
    const t = T0 + Math.floor(rng() * 30 * DAY);
    const original = log.add(star, t, { text: `news from the star ${i}` });
    for (const f of superfans) {
      if (rng() < 0.5) {
        log.add(f, t + 15 * SECOND + Math.floor(lognormal(rng, 8 * MINUTE, 1.4)), {
          repostOf: original,
          text: `RT news from the star ${i}`,
        });
      }
    }
  }
  const persona = "persona";
  const unit = accountIds("unit", 12);
  for (let i = 0; i < 40; i++) {
    const t = T0 + Math.floor(rng() * 30 * DAY);
    const original = log.add(persona, t, { text: `our message ${i}` });
    for (const u of unit) {
      log.add(u, t + 2 * SECOND + Math.floor(rng() * 18 * SECOND), { repostOf: original, text: `RT ${i}` });
    }
  }
  return { posts: log.posts, star, superfans, persona, unit };
}

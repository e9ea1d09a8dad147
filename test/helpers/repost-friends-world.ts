/**
 * Circles of friends who repost one another's posts over the minutes after them and answer them later in the day,
 * beside a ring that amplifies its own members' posts and hardly answers them, and a pod that reposts its members'
 * posts all at once and answers them too: the campaign step's test of friends who repost one another
 * (src/campaign/index.ts, `minAnswerRatio`).
 *
 * - `crowd` (300) posts 3,000 times over 20 days; each post is reposted by 0-4 of the crowd over the next 6 hours.
 * - `circles` (3 of 6): 50 times, one friend posts; each other friend reposts it with probability 0.4, 20 s to 4
 *   minutes after it, and replies to it with probability 0.4, one to six hours after it.
 * - `ring` (8): 40 times, one member posts; each other member reposts it with probability 0.6, 10 s to 2 minutes
 *   after it, and replies to it with probability 0.04.
 * - `pod` (6): 30 times, one member posts; every other member reposts it within 20 s, and replies to it with
 *   probability 0.5, one to six hours after it.
 */
import { seededRng } from "../../src/detectors/detector.js";
import { accountIds, crowdReposts, DAY, HOUR, MINUTE, PostLog, SECOND, T0, type JsonlPost } from "./posts.js";

export interface RepostFriendsWorld {
  posts: JsonlPost[];
  circles: string[][];
  ring: string[];
  pod: string[];
}

export function repostFriendsWorld(seed = 7): RepostFriendsWorld {
  const rng = seededRng(seed);
  const log = new PostLog();
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;
  const between = (lo: number, hi: number): number => lo + Math.floor(rng() * (hi - lo));
  const crowd = accountIds("crowd", 300);
  crowdReposts(log, rng, crowd, 3000);
  // `n` times, one of `group` posts; the others repost it with probability `pRepost` inside [lo, hi) after it, and
  // reply to it with probability `pReply`, one to six hours after it
  const share = (
    group: readonly string[],
    n: number,
    pRepost: number,
    lo: number,
    hi: number,
    pReply: number,
    name: string,
  ): void => {
    for (let i = 0; i < n; i++) {
      const author = pick(group);
      const t = T0 + Math.floor(rng() * 20 * DAY);
      const id = log.add(author, t, { text: `${name} news ${i}` });
      for (const m of group) {
        if (m === author) continue;
        if (rng() < pRepost) log.add(m, t + between(lo, hi), { repostOf: id, text: `RT ${name} ${i}` });
        if (rng() < pReply) log.add(m, t + between(HOUR, 6 * HOUR), { replyTo: id, text: `so true ${i}` });
      }
    }
  };
  const circles = [accountIds("amy", 6), accountIds("bea", 6), accountIds("cat", 6)];
  for (const [i, c] of circles.entries()) share(c, 50, 0.4, 20 * SECOND, 4 * MINUTE, 0.4, `circle${i}`);
  const ring = accountIds("ring", 8);
  share(ring, 40, 0.6, 10 * SECOND, 2 * MINUTE, 0.04, "ring");
  const pod = accountIds("pod", 6);
  share(pod, 30, 1, 2 * SECOND, 20 * SECOND, 0.5, "pod");
  return { posts: log.posts, circles, ring, pod };
}

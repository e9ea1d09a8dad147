/**
 * A repost unit that works over minutes, beside superfans who come to their star's posts over minutes too: the
 * bloc bounds of the campaign step (src/campaign/index.ts, `minBloc`, `minBlocParticipation`).
 *
 * - `crowd` (300) posts 3,000 times over 20 days; each post is reposted by 0-4 of the crowd over the next 6 hours
 *   (the background of the repost layer).
 * - `personas` (2) post 12 posts each that `unit` (12) amplifies: each member, with probability 0.75, reposts the
 *   post at a uniform time 5 s to 125 s after it, so a burst lasts two minutes, longer than the window. Each persona
 *   also posts 30 posts of its own that one account of the crowd reposts hours later, each post another account:
 *   the personas' audiences are mostly others (about 30 accounts each against the unit's 12), each reposting them
 *   once.
 * - `star` posts 150 posts that 8 of `fans` (30), a different 8 each time, repost over the 3 minutes after it, and
 *   60 posts that one account of the crowd reposts hours later. The fans make nearly all of the reposts of the posts
 *   they share, as the unit does, but each comes to about a quarter of the star's posts.
 */
import { seededRng } from "../../src/detectors/detector.js";
import { accountIds, crowdReposts, DAY, HOUR, PostLog, SECOND, T0, type JsonlPost } from "./posts.js";

export interface SlowBlocWorld {
  posts: JsonlPost[];
  personas: string[];
  unit: string[];
  star: string;
  fans: string[];
}

export function slowBlocWorld(seed = 11): SlowBlocWorld {
  const rng = seededRng(seed);
  const log = new PostLog();
  const crowd = accountIds("crowd", 300);
  crowdReposts(log, rng, crowd, 3000);
  // one account of the crowd reposts each of `n` posts of `author`, hours later, a different account each time
  let next = 0;
  const onceEach = (author: string, n: number): void => {
    for (let i = 0; i < n; i++) {
      const t = T0 + Math.floor(rng() * 20 * DAY);
      const id = log.add(author, t, { text: `${author} says ${i}` });
      log.add(crowd[next++ % crowd.length]!, t + 2 * HOUR + Math.floor(rng() * 4 * HOUR), {
        repostOf: id,
        text: `RT ${author} ${i}`,
      });
    }
  };

  const personas = accountIds("persona", 2);
  const unit = accountIds("unit", 12);
  for (const persona of personas) {
    for (let i = 0; i < 12; i++) {
      const t = T0 + Math.floor(rng() * 20 * DAY);
      const id = log.add(persona, t, { text: `the truth about it ${i}` });
      for (const m of unit) {
        if (rng() >= 0.75) continue;
        log.add(m, t + 5 * SECOND + Math.floor(rng() * 120 * SECOND), { repostOf: id, text: `RT ${i}` });
      }
    }
    onceEach(persona, 30);
  }

  const star = "star";
  const fans = accountIds("fan", 30);
  for (let i = 0; i < 150; i++) {
    const t = T0 + Math.floor(rng() * 20 * DAY);
    const id = log.add(star, t, { text: `on stage ${i}` });
    const coming = new Set<number>();
    while (coming.size < 8) coming.add(Math.floor(rng() * fans.length));
    for (const f of [...coming].sort((a, b) => a - b)) {
      log.add(fans[f]!, t + 5 * SECOND + Math.floor(rng() * 180 * SECOND), { repostOf: id, text: `RT ${i}` });
    }
  }
  onceEach(star, 60);
  return { posts: log.posts, personas, unit, star, fans };
}

/**
 * Circles of friends talking in their threads, beside a reply swarm on a journalist and an engagement pod: the
 * conversation test of the campaign step (src/campaign/index.ts, `minConversationOwn`).
 *
 * - `crowd` (400) posts 4,000 times over 20 days; each post gets 0-3 replies from the crowd over the next 6 hours,
 *   mentioning its author (the background of the reply and mention layers).
 * - `circles` (4 of 7 friends) each hold 100 threads: a friend posts, and each of the others, when online (70% of the
 *   time), replies with probability 0.7 after a log-normal delay with a median of 90 seconds, mentioning the poster,
 *   and reposts with probability 0.3 after one of 2 minutes. They also post on their own and reply to the crowd.
 * - `swarm` (10) replies to each of 20 posts of `journalist` within 40 seconds, each member with probability 0.6,
 *   mentioning the journalist: a unit acting on a target outside it. The journalist answers three of them, once each.
 * - `swarm2` (10) does the same to 6 reporters' posts (6 each); each reporter answers once, in a reply to one of its
 *   posts that names two of its accounts.
 * - `pod` (8) answers each of 40 posts of its members: every other member replies within 20 seconds, mentioning the
 *   poster: a unit answering its own posts, all at once.
 */
import { seededRng } from "../../src/detectors/detector.js";
import { accountIds, DAY, HOUR, lognormal, MINUTE, PostLog, SECOND, T0, type JsonlPost } from "./posts.js";

export interface ConversationWorld {
  posts: JsonlPost[];
  circles: string[][];
  journalist: string;
  swarm: string[];
  swarm2: string[];
  pod: string[];
}

export function conversationWorld(seed = 5): ConversationWorld {
  const rng = seededRng(seed);
  const log = new PostLog();
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;
  const handle = (account: string): string => `h_${account}`;
  const crowd = accountIds("crowd", 400);
  const circles = [1, 2, 3, 4].map((c) => accountIds(`friend${c}-`, 7));
  const crowdPosts: Array<{ id: string; author: string; t: number }> = [];
  for (let i = 0; i < 4000; i++) {
    const author = pick(crowd);
    const t = T0 + Math.floor(rng() * 20 * DAY);
    const id = log.add(author, t, { text: `my view ${i}` });
    crowdPosts.push({ id, author, t });
    const replies = Math.floor(rng() * 4);
    for (let r = 0; r < replies; r++) {
      log.add(pick(crowd), t + Math.floor(rng() * 6 * HOUR), {
        replyTo: id,
        mentions: [handle(author)],
        text: `re ${i}`,
      });
    }
  }
  for (const circle of circles) {
    for (let i = 0; i < 100; i++) {
      const poster = pick(circle);
      const t = T0 + Math.floor(rng() * 20 * DAY);
      const root = log.add(poster, t, { text: `what do you think ${i}` });
      for (const friend of circle) {
        if (friend === poster || rng() >= 0.7) continue;
        if (rng() < 0.7) {
          log.add(friend, t + Math.floor(lognormal(rng, 90 * SECOND, 0.8)), {
            replyTo: root,
            mentions: [handle(poster)],
            text: `agreed ${i}`,
          });
        }
        if (rng() < 0.3) {
          log.add(friend, t + Math.floor(lognormal(rng, 2 * MINUTE, 0.8)), {
            repostOf: root,
            text: `RT ${i}`,
          });
        }
      }
    }
    for (const friend of circle) {
      for (let i = 0; i < 20; i++) {
        log.add(friend, T0 + Math.floor(rng() * 20 * DAY), { text: `my day ${i}` });
        const other = pick(crowdPosts);
        log.add(friend, other.t + Math.floor(rng() * 6 * HOUR), {
          replyTo: other.id,
          mentions: [handle(other.author)],
          text: `hm ${i}`,
        });
      }
    }
  }
  const journalist = "journalist";
  const swarm = accountIds("swarm", 10);
  for (let i = 0; i < 20; i++) {
    const t = T0 + Math.floor(rng() * 20 * DAY);
    const post = log.add(journalist, t, { text: `my reporting ${i}` });
    for (const s of swarm) {
      if (rng() >= 0.6) continue;
      log.add(s, t + 5 * SECOND + Math.floor(rng() * 35 * SECOND), {
        replyTo: post,
        mentions: [handle(journalist)],
        text: `liar ${i}`,
      });
    }
  }
  // the journalist answers three of them, each on a post of its own: one account of the swarm's "circle"
  for (const s of swarm.slice(0, 3)) {
    const t = T0 + Math.floor(rng() * 20 * DAY);
    const post = log.add(s, t, { text: `you are finished` });
    log.add(journalist, t + 10 * MINUTE, { replyTo: post, mentions: [handle(s)], text: `stop this` });
  }
  // a second swarm on six journalists, each of whom answers once, in a reply that names two of its accounts (as a
  // reply in a thread does): the targets are not a circle of friends
  const targets = accountIds("reporter", 6);
  const swarm2 = accountIds("raider", 10);
  targets.forEach((target, ti) => {
    for (let i = 0; i < 6; i++) {
      const t = T0 + Math.floor(rng() * 20 * DAY);
      const post = log.add(target, t, { text: `report ${ti}-${i}` });
      for (const s of swarm2) {
        if (rng() >= 0.6) continue;
        log.add(s, t + 5 * SECOND + Math.floor(rng() * 35 * SECOND), {
          replyTo: post,
          mentions: [handle(target)],
          text: `shame ${ti}-${i}`,
        });
      }
    }
    const a = swarm2[(2 * ti) % swarm2.length]!;
    const b = swarm2[(2 * ti + 1) % swarm2.length]!;
    const t = T0 + Math.floor(rng() * 20 * DAY);
    const post = log.add(a, t, { text: `we see you ${ti}` });
    log.add(target, t + 15 * MINUTE, {
      replyTo: post,
      mentions: [handle(a), handle(b)],
      text: `leave us alone`,
    });
  });
  const pod = accountIds("pod", 8);
  for (let i = 0; i < 40; i++) {
    const poster = pick(pod);
    const t = T0 + Math.floor(rng() * 20 * DAY);
    const post = log.add(poster, t, { text: `our take ${i}` });
    for (const p of pod) {
      if (p === poster) continue;
      log.add(p, t + 2 * SECOND + Math.floor(rng() * 18 * SECOND), {
        replyTo: post,
        mentions: [handle(poster)],
        text: `so true ${i}`,
      });
    }
  }
  return { posts: log.posts, circles, journalist, swarm, swarm2, pod };
}

/**
 * The co-share world (coshare-world.ts) plus groups that coordinate in the open or organically, each of which a
 * campaign step must rule out for its own reason, and one repost ring it must keep:
 *
 * - `feed` (3 bots, named for their site as an outlet's feeds are): post the same 10 links of one site within 3 s,
 *   around the clock, and nothing else (syndication feeds);
 * - `fans` (4 accounts): share 8 popular links within 3 s of each other, links that 30 other accounts (`crowd`)
 *   also share over 6 hours (a small part of a large audience);
 * - `idolFans` (4 accounts): repost each of 8 posts of `idol` within 5 s; the idol never reposts them (one-way),
 *   and 12 accounts of the crowd repost each of its posts too, over the 6 hours after it (a larger audience);
 * - `starHubs` (2 fan accounts) and `starFans` (3 accounts): repost each of 8 posts of `star` within 8 s, as 12
 *   accounts of the crowd do later (a larger audience); the two fan accounts post 4 updates each that the other
 *   four repost within 8 s (so the group is not all one-way, but most of what it reposts together is the star's);
 * - `bandFans` (4 accounts): repost each of 8 posts of `band` within 5 s, and 3 posts of `label` too; 3 accounts of
 *   the crowd repost the band's posts, 30 the label's (the fans are 4/7 of the band's audience, just over half, and
 *   a slice of the label's: together, under half of everyone who reposted the two; fans of a band and its label);
 * - `amplifiers` (4 accounts): repost each of 8 posts of `persona` within 5 s; the persona never reposts them, and
 *   only 2 other accounts ever repost it (the amplifiers are most of its audience: an amplification network);
 * - `appUsers` (5 accounts): a prayer app posts the same supplication with a link to its own site for each of them,
 *   within 40 s, at 8 set times, sent by the client named for the site (`appClient`, `appDomain`); they also post
 *   links of their own from their phones (an app posting for its users);
 * - `blocAmplifiers` (5 accounts): repost each of 8 posts of `herald` within 6 s; 8 other accounts repost it, one a
 *   post, hours later (the amplifiers are under half of its audience, but act as a bloc: all at once, and nearly
 *   all of each post's reposts: an amplification network whose persona has an audience of its own);
 * - `relays` (4 aggregator bots): post each of 8 stories of two news agencies (`agencies`) within 40 s, through
 *   feed services (IFTTT, dlvr.it, Zapier, twittbot.net), and nothing else; the first agency's desk
 *   (`agencyDesk`) posts its 4 stories 15 s before them, by hand; 60 accounts of the crowd link other stories of the
 *   same agencies (relays of feeds and an outlet whose feed they relay: openly automated, carrying sites others
 *   share far more);
 * - `autoUnit` (4 accounts): post each of 8 links of two sites of their own within 40 s, through dlvr.it; nobody
 *   else links those sites (automated, but a unit carrying its own sites: kept);
 * - `ring` (4 accounts): take turns posting 8 originals that the other three repost within 5 s (mutual);
 * - `duo` (2 accounts): share 6 new links within 2 s of each other (a pair, not a group);
 * - `chain` (4 friends): every two of them share 5 new links within 20 s of each other, two at a time, never three
 *   (pairs that met, not a group acting together).
 *
 * Organic reposting gives the repost layer a baseline: 40 originals by organic accounts, each reposted by 5
 * accounts of the crowd at random times in the 3 hours after it.
 */
import { seededRng } from "../../src/detectors/detector.js";
import { coShareWorld, type CoShareWorld } from "./coshare-world.js";
import { accountIds, DAY, HOUR, MINUTE, PostLog, SECOND, T0 } from "./posts.js";

export interface CampaignWorld extends CoShareWorld {
  feed: string[];
  feedDomain: string;
  fans: string[];
  crowd: string[];
  idol: string;
  idolFans: string[];
  band: string;
  label: string;
  bandFans: string[];
  star: string;
  starHubs: string[];
  starFans: string[];
  persona: string;
  amplifiers: string[];
  herald: string;
  blocAmplifiers: string[];
  appUsers: string[];
  appClient: string;
  appDomain: string;
  relays: string[];
  agencyDesk: string;
  agencies: string[];
  autoUnit: string[];
  ring: string[];
  duo: string[];
  chain: string[];
}

export function campaignWorld(seed = 7): CampaignWorld {
  const base = coShareWorld(seed);
  const rng = seededRng(seed + 1000);
  const log = new PostLog();

  const feed = accountIds("feeddaily", 3);
  const feedDomain = "feed-daily.example";
  for (let i = 0; i < 10; i++) {
    const t = T0 + i * (2 * HOUR + 24 * MINUTE) + 11 * MINUTE;
    feed.forEach((acc, j) => log.add(acc, t + j * SECOND, { urls: [`https://${feedDomain}/a/${i}`] }));
  }

  const fans = accountIds("fan", 4);
  const crowd = accountIds("crowd", 60);
  for (let i = 0; i < 8; i++) {
    const u = `https://popular${i}.example/story`;
    const start = T0 + DAY / 2 + i * DAY;
    const burst = start + Math.floor(rng() * 5 * HOUR);
    fans.forEach((acc, j) => log.add(acc, burst + j * 900, { urls: [u] }));
    const chosen = new Set<number>();
    while (chosen.size < 30) chosen.add(Math.floor(rng() * crowd.length));
    for (const c of [...chosen].sort((a, b) => a - b)) {
      log.add(crowd[c]!, start + Math.floor(rng() * 6 * HOUR), { urls: [u] });
    }
  }

  for (let i = 0; i < 40; i++) {
    const t = T0 + Math.floor(rng() * 10 * DAY);
    const original = log.add(base.organic[i]!, t, { text: `everyday post ${i}` });
    const chosen = new Set<number>();
    while (chosen.size < 5) chosen.add(Math.floor(rng() * crowd.length));
    for (const c of [...chosen].sort((a, b) => a - b)) {
      log.add(crowd[c]!, t + Math.floor(rng() * 3 * HOUR), { repostOf: original, text: `RT everyday ${i}` });
    }
  }

  // 12 accounts of the crowd repost a popular post over the 6 hours after its first 10 minutes (a larger audience)
  const crowdReposts = (original: string, t: number, text: string): void => {
    const chosen = new Set<number>();
    while (chosen.size < 12) chosen.add(Math.floor(rng() * crowd.length));
    for (const c of [...chosen].sort((a, b) => a - b)) {
      log.add(crowd[c]!, t + 10 * MINUTE + Math.floor(rng() * 6 * HOUR), { repostOf: original, text });
    }
  };

  // `author` posts `text` at `t`; each of `reposters` reposts it `gap` ms after the one before (the first after
  // `gap`): the post's id, for the reposts that follow
  const reposted = (
    author: string,
    t: number,
    text: string,
    reposters: string[],
    gap: number,
    i: number,
  ): string => {
    const original = log.add(author, t, { text });
    reposters.forEach((acc, j) => log.add(acc, t + (j + 1) * gap, { repostOf: original, text: `RT ${i}` }));
    return original;
  };

  const idol = "idol";
  const idolFans = accountIds("idolfan", 4);
  for (let i = 0; i < 8; i++) {
    const t = T0 + i * 25 * HOUR + 5 * HOUR;
    const original = reposted(idol, t, `thoughts of the day ${i}`, idolFans, 1000, i);
    crowdReposts(original, t, `RT ${i}`);
  }

  const band = "band";
  const label = "label";
  const bandFans = accountIds("bandfan", 4);
  const bandCrowd = crowd.slice(40, 43);
  for (let i = 0; i < 11; i++) {
    const t = T0 + i * 26 * HOUR + 13 * HOUR;
    const author = i < 8 ? band : label;
    const original = reposted(author, t, `${author} news ${i}`, bandFans, 1100, i);
    const others = i < 8 ? bandCrowd : crowd.slice(0, 30);
    others.forEach((acc, j) => {
      log.add(acc, t + 20 * MINUTE + j * 7 * MINUTE, { repostOf: original, text: `RT ${i}` });
    });
  }

  const star = "star";
  const starHubs = accountIds("stanhub", 2);
  const starFans = accountIds("stan", 3);
  const stans = [...starHubs, ...starFans];
  for (let i = 0; i < 8; i++) {
    const t = T0 + i * 29 * HOUR + 11 * HOUR;
    const original = reposted(star, t, `on stage tonight ${i}`, stans, 1500, i);
    crowdReposts(original, t, `RT ${i}`);
  }
  for (let i = 0; i < 8; i++) {
    const t = T0 + i * 31 * HOUR + 17 * HOUR;
    const hub = starHubs[i % 2]!;
    const others = stans.filter((acc) => acc !== hub);
    reposted(hub, t, `star update ${i}`, others, 1700, i);
  }

  const persona = "persona";
  const amplifiers = accountIds("amp", 4);
  for (let i = 0; i < 8; i++) {
    const t = T0 + i * 27 * HOUR + 3 * HOUR;
    const original = reposted(persona, t, `the truth they hide ${i}`, amplifiers, 1100, i);
    if (i < 2) log.add(crowd[i]!, t + 3 * HOUR, { repostOf: original, text: `RT ${i}` });
  }

  const herald = "herald";
  const blocAmplifiers = accountIds("bloc", 5);
  for (let i = 0; i < 8; i++) {
    const t = T0 + i * 33 * HOUR + 19 * HOUR;
    const original = reposted(herald, t, `what they will not tell you ${i}`, blocAmplifiers, 1200, i);
    log.add(crowd[50 + i]!, t + 5 * HOUR, { repostOf: original, text: `RT ${i}` });
  }

  const appUsers = accountIds("prayer", 5);
  const appClient = "Dua Reminder";
  const appDomain = "dua-reminder.app";
  for (let i = 0; i < 8; i++) {
    const t = T0 + i * DAY + 4 * HOUR + 41 * MINUTE;
    appUsers.forEach((acc, j) => {
      log.add(acc, t + j * 8 * SECOND, {
        text: `اللهم اغفر لنا ولوالدينا ${i} — دعاء`,
        urls: [`https://${appDomain}/`],
        client: appClient,
      });
      log.add(acc, t + 9 * HOUR + j * 37 * MINUTE, {
        text: `my own day ${i}`,
        urls: [`https://site${i}-${j}.example/read`],
        client: "Twitter for Android",
      });
    });
  }

  const relays = accountIds("relay", 4);
  const agencyDesk = "agencydesk";
  const relayTools = ["IFTTT", "dlvr.it", "Zapier.com", "twittbot.net"];
  const agencies = ["wire-agency.example", "press-agency.example"];
  for (let i = 0; i < 8; i++) {
    const t = T0 + i * 26 * HOUR + 5 * HOUR + 7 * MINUTE;
    const u = `https://${agencies[i % 2]!}/story/${i}`;
    // the first agency's own desk posts its stories first
    if (i % 2 === 0)
      log.add(agencyDesk, t - 15 * SECOND, { text: `Headline ${i}`, urls: [u], client: "TweetDeck" });
    relays.forEach((acc, j) =>
      log.add(acc, t + j * 10 * SECOND, { text: `Headline ${i}`, urls: [u], client: relayTools[j]! }),
    );
  }
  for (let i = 0; i < 60; i++) {
    log.add(crowd[i]!, T0 + i * 7 * HOUR + 3 * MINUTE, { urls: [`https://${agencies[i % 2]!}/other/${i}`] });
  }

  const autoUnit = accountIds("auto", 4);
  const ownSites = ["truth-now.example", "real-voice.example"];
  for (let i = 0; i < 8; i++) {
    const t = T0 + i * 28 * HOUR + 15 * HOUR + 23 * MINUTE;
    const u = `https://${ownSites[i % 2]!}/a/${i}`;
    autoUnit.forEach((acc, j) => log.add(acc, t + j * 10 * SECOND, { urls: [u], client: "dlvr.it" }));
  }

  const ring = accountIds("ring", 4);
  for (let i = 0; i < 8; i++) {
    const t = T0 + i * 23 * HOUR + 7 * HOUR;
    const author = ring[i % ring.length]!;
    const others = ring.filter((acc) => acc !== author);
    reposted(author, t, `our message ${i}`, others, 1200, i);
  }

  const duo = accountIds("duo", 2);
  for (let i = 0; i < 6; i++) {
    const t = T0 + i * 31 * HOUR + 9 * HOUR;
    duo.forEach((acc, j) => log.add(acc, t + j * 1500, { urls: [`https://duo${i}.example/p`] }));
  }

  const chain = accountIds("friend", 4);
  let k = 0;
  for (let a = 0; a < chain.length; a++) {
    for (let b = a + 1; b < chain.length; b++) {
      for (let r = 0; r < 5; r++, k++) {
        const t = T0 + 2 * DAY + k * 5 * HOUR + 13 * MINUTE;
        const u = `https://blog${k}.example/note`;
        log.add(chain[a]!, t, { urls: [u] });
        log.add(chain[b]!, t + 20 * SECOND, { urls: [u] });
      }
    }
  }

  // ids of the added posts continue after the base world's
  const offset = base.posts.length;
  const added = log.posts.map((p) => {
    const n = Number(p.post_id.slice(1)) + offset;
    const id = `p${String(n).padStart(6, "0")}`;
    return p.repost_of === undefined
      ? { ...p, post_id: id }
      : {
          ...p,
          post_id: id,
          repost_of: `p${String(Number(p.repost_of.slice(1)) + offset).padStart(6, "0")}`,
        };
  });
  return {
    ...base,
    posts: [...base.posts, ...added],
    feed,
    feedDomain,
    fans,
    crowd,
    idol,
    idolFans,
    band,
    label,
    bandFans,
    star,
    starHubs,
    starFans,
    persona,
    amplifiers,
    herald,
    blocAmplifiers,
    appUsers,
    appClient,
    appDomain,
    relays,
    agencyDesk,
    agencies,
    autoUnit,
    ring,
    duo,
    chain,
  };
}

/**
 * Worlds with known timing structure for the `sync` and `automation` detectors.
 *
 * `syncWorld`: four days of a few thousand organic accounts in several time zones (Tehran, Riyadh, London, New
 * York) posting, reposting and replying on a daily cycle (awake hours, evening peak), with human repost delays
 * (minutes, rarely under ten seconds); and among them:
 * - `unit` (50 accounts): a dozen times, all of them post within the same clock second (a shared slogan);
 * - `viral`: 400 organic accounts post about the same breaking news within one minute, once;
 * - `amplifiers` (15 accounts): repost each of a leader's 10 posts 2 to 8 seconds after it;
 * - `fans` (40 accounts): repost each of an idol's 10 posts, minutes after it;
 * - with `storms`, `stormRegulars` (20 accounts): join each of 8 announced hashtag storms (two an evening) in the
 *   first seconds of its countdown, among 300 organic accounts (others each time) who post the storm's hashtag in
 *   the same seconds.
 * Everyone planted also posts like an ordinary user.
 *
 * `automationWorld`: a week of ordinary humans (some heavy), plus a metronome bot (every 10 minutes, a second of
 * jitter, day and night), a scheduled news feed (dlvr.it, on the hour, around the clock), a repost bot (reposts
 * only, at all hours, irregular), and a cron account that posts at the top of the hour during office hours.
 */
import { seededRng } from "../../src/detectors/detector.js";
import { accountIds, DAY, HOUR, lognormal, MINUTE, SECOND, T0, type JsonlPost } from "./posts.js";

export interface WorldPost extends JsonlPost {
  client?: string;
  kind?: string;
}

/** Posts with sequential ids, like PostLog, plus a client. */
class Log {
  readonly posts: WorldPost[] = [];
  private next = 1;
  add(
    account: string,
    tsMs: number,
    spec: { text?: string; hashtags?: string[]; urls?: string[]; repostOf?: string; replyTo?: string } = {},
    client?: string,
  ): string {
    const id = `s${String(this.next++).padStart(7, "0")}`;
    const p: WorldPost = {
      platform: "twitter",
      post_id: id,
      account_id: account,
      handle: `h_${account}`,
      ts: new Date(Math.round(tsMs)).toISOString(),
      text: spec.text ?? `${account} says ${id}`,
      urls: spec.urls ?? [],
      hashtags: spec.hashtags ?? [],
      mentions: [],
    };
    if (spec.repostOf !== undefined) {
      p.repost_of = spec.repostOf;
      p.text = "";
    }
    if (spec.replyTo !== undefined) p.reply_to = spec.replyTo;
    if (client !== undefined) p.client = client;
    this.posts.push(p);
    return id;
  }
}

const ZONES = [3.5, 3, 0, -5];

/** A local hour drawn from a waking-day profile (08-24, evening peak), as a UTC offset in ms into the day. */
function humanTimeOfDay(rng: () => number, zone: number): number {
  // weights per local hour 8..23
  const w = [1, 2, 3, 3, 3, 3, 3, 3, 3, 3, 4, 5, 6, 6, 5, 3];
  const total = w.reduce((s, x) => s + x, 0);
  let r = rng() * total;
  let h = 8;
  for (const x of w) {
    if (r < x) break;
    r -= x;
    h++;
  }
  const local = h * HOUR + rng() * HOUR;
  return (((local - zone * HOUR) % DAY) + DAY) % DAY;
}

export interface SyncWorld {
  posts: WorldPost[];
  organic: string[];
  unit: string[];
  /** Epoch ms of each unit burst's second. */
  unitBursts: number[];
  viral: string[];
  viralStart: number;
  amplifiers: string[];
  leader: string;
  fans: string[];
  idol: string;
  stormRegulars: string[];
}

export function syncWorld(
  seed = 11,
  organicCount = 2500,
  days = 4,
  opts: { storms?: boolean } = {},
): SyncWorld {
  const rng = seededRng(seed);
  const log = new Log();
  const organic = accountIds("org", organicCount);
  const unit = accountIds("unit", 50);
  const amplifiers = accountIds("amp", 15);
  const fans = accountIds("fan", 40);
  const leader = "leader";
  const idol = "idol";
  const stormRegulars = opts.storms === true ? accountIds("regular", 20) : [];
  const zone = new Map<string, number>();
  const everyone = [...organic, ...unit, ...amplifiers, ...fans, leader, idol, ...stormRegulars];
  everyone.forEach((a) => zone.set(a, ZONES[Math.floor(rng() * ZONES.length)]!));

  // ordinary activity: originals first, then reposts and replies of earlier originals at human delays
  const originals: Array<{ id: string; t: number }> = [];
  const ordinary = (a: string, perDay: number): void => {
    const n = Math.max(1, Math.round(perDay * days * (0.5 + rng())));
    for (let i = 0; i < n; i++) {
      const day = Math.floor(rng() * days);
      const t = T0 + day * DAY + humanTimeOfDay(rng, zone.get(a)!);
      const kind = rng();
      if (kind < 0.75 || originals.length < 50) originals.push({ id: log.add(a, t), t });
      else {
        const o = originals[Math.floor(rng() * originals.length)]!;
        const delay = Math.max(30 * SECOND, lognormal(rng, 20 * MINUTE, 1.2));
        if (kind < 0.92) log.add(a, o.t + delay, { repostOf: o.id });
        else log.add(a, o.t + delay, { replyTo: o.id, text: `reply from ${a}` });
      }
    }
  };
  for (const a of organic) ordinary(a, 3);
  for (const a of [...unit, ...amplifiers, ...fans, ...stormRegulars]) ordinary(a, 2);

  const unitBursts: number[] = [];
  for (let b = 0; b < 12; b++) {
    const second = Math.floor((T0 + rng() * (days * DAY - HOUR)) / SECOND) * SECOND;
    unitBursts.push(second);
    for (const a of unit) {
      log.add(a, second + Math.floor(rng() * 1000), {
        text: `Stand with us ${b} #truth${b}`,
        hashtags: [`truth${b}`],
      });
    }
  }

  const viralStart = T0 + Math.floor(days / 2) * DAY + 15 * HOUR + 17 * MINUTE;
  const viral = [...organic].sort(() => rng() - 0.5).slice(0, 400);
  viral.sort();
  for (const a of viral) {
    log.add(a, viralStart + rng() * MINUTE, { text: `omg the stadium ${a}`, hashtags: ["breaking"] });
  }

  for (let k = 0; k < 10; k++) {
    const t = T0 + (k + 0.5) * ((days * DAY) / 10) + rng() * HOUR;
    const orig = log.add(leader, t, { text: `leader message ${k}` });
    for (const a of amplifiers) log.add(a, t + 2 * SECOND + rng() * 6 * SECOND, { repostOf: orig });
    const song = log.add(idol, t + 3 * HOUR, { text: `new song ${k}` });
    for (const a of fans)
      log.add(a, t + 3 * HOUR + lognormal(rng, 6 * MINUTE, 0.8) + 30 * SECOND, { repostOf: song });
  }
  if (opts.storms === true) {
    for (let d = 0; d < 8; d++) {
      // 20:00 and 22:00 in Tehran, every day
      const start = T0 + Math.floor(d / 2) * DAY + 16 * HOUR + 30 * MINUTE + (d % 2) * 2 * HOUR;
      const tag = `storm${d + 1}`;
      const crowd = [...organic].sort(() => rng() - 0.5).slice(0, 300);
      for (const a of [...crowd.sort(), ...stormRegulars]) {
        log.add(a, start + rng() * 3 * SECOND, { text: `we will be heard #${tag} (${a})`, hashtags: [tag] });
      }
    }
  }
  return {
    posts: log.posts,
    organic,
    unit,
    unitBursts,
    viral,
    viralStart,
    amplifiers,
    leader,
    fans,
    idol,
    stormRegulars,
  };
}

export interface AutomationWorld {
  posts: WorldPost[];
  humans: string[];
  heavy: string[];
  metronome: string;
  feed: string;
  repostBot: string;
  officeCron: string;
}

export function automationWorld(seed = 5, humanCount = 300, days = 7): AutomationWorld {
  const rng = seededRng(seed);
  const log = new Log();
  const humans = Array.from({ length: humanCount }, (_, i) => `person${i + 1}`);
  const heavy = humans.slice(0, 20);
  const clients = ["Twitter for Android", "Twitter for iPhone", "Twitter Web App"];
  const originals: Array<{ id: string; t: number }> = [];
  for (const a of humans) {
    const z = ZONES[Math.floor(rng() * ZONES.length)]!;
    const perDay = heavy.includes(a) ? 25 : 1 + rng() * 5;
    const client = clients[Math.floor(rng() * clients.length)]!;
    const n = Math.round(perDay * days);
    for (let i = 0; i < n; i++) {
      const t = T0 + Math.floor(rng() * days) * DAY + humanTimeOfDay(rng, z);
      if (rng() < 0.8 || originals.length < 20) originals.push({ id: log.add(a, t, {}, client), t });
      else {
        const o = originals[Math.floor(rng() * originals.length)]!;
        log.add(a, o.t + Math.max(20 * SECOND, lognormal(rng, 15 * MINUTE, 1.3)), { repostOf: o.id }, client);
      }
    }
  }
  const metronome = "metronome";
  for (let t = T0 + 7 * MINUTE + 13 * SECOND; t < T0 + days * DAY; t += 10 * MINUTE) {
    log.add(metronome, t + (rng() - 0.5) * 2 * SECOND, { text: `reading ${t}` }, "metronome-app");
  }
  const feed = "newsfeed";
  for (let t = T0; t < T0 + days * DAY; t += HOUR) {
    log.add(
      feed,
      t + rng() * 2 * SECOND,
      { text: `Headline ${t}`, urls: [`https://news.example/${t}`] },
      "dlvr.it",
    );
  }
  const repostBot = "repostbot";
  for (let t = T0 + rng() * HOUR; t < T0 + days * DAY; t += lognormal(rng, 20 * MINUTE, 0.9)) {
    let o = originals[Math.floor(rng() * originals.length)]!;
    for (let k = 0; k < 50 && o.t >= t; k++) o = originals[Math.floor(rng() * originals.length)]!;
    if (o.t < t) log.add(repostBot, t, { repostOf: o.id }, "Twitter Web App");
  }
  const officeCron = "officecron";
  for (let d = 0; d < days; d++) {
    for (let h = 9; h < 17; h++)
      log.add(
        officeCron,
        T0 + d * DAY + h * HOUR + rng() * 800,
        { text: `update ${d} ${h}` },
        "Twitter Web App",
      );
  }
  return { posts: log.posts, humans, heavy, metronome, feed, repostBot, officeCron };
}

import { describe, expect, it } from "vitest";
import {
  checkConfig,
  defaultConfig,
  generatePosts,
  generateTruth,
  planWorld,
  SynthConfigError,
  toJsonLine,
  truthToJson,
  type SynthPost,
} from "./generate.js";
import { localHour } from "./plan.js";

const cfg = defaultConfig(4000, 11);
const plan = planWorld(cfg);
const posts = [...generatePosts(cfg, plan)];
const truth = generateTruth(cfg, plan);
const byId = new Map(posts.map((p) => [p.post_id, p]));
const ms = (p: SynthPost): number => Date.parse(p.ts);
const base = (u: string): string => u.split("?")[0] as string;
const campaignIds = new Set(truth.campaigns.flatMap((c) => c.accounts));

function lines(c: ReturnType<typeof defaultConfig>, limit: number): string[] {
  const out: string[] = [];
  for (const p of generatePosts(c)) {
    if (out.length >= limit) break;
    out.push(toJsonLine(p));
  }
  return out;
}

describe("determinism", () => {
  it("gives identical output for the same configuration and different output for another seed", () => {
    // The generator is lazy: the first 1,500 posts cost only the first days of the timeline.
    const first = posts.slice(0, 1500).map((p) => toJsonLine(p));
    expect(lines(defaultConfig(4000, 11), 1500)).toEqual(first);
    expect(lines(defaultConfig(4000, 12), 200)).not.toEqual(first.slice(0, 200));
    expect(truthToJson(generateTruth(cfg))).toBe(truthToJson(truth));
  });
});

describe("records", () => {
  it("are valid chorus-jsonl posts with unique ids and consistent accounts", () => {
    const iso = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
    const handles = new Map<string, string>();
    const owners = new Map<string, string>();
    const problems: string[] = [];
    const check = (ok: boolean, p: SynthPost, what: string): void => {
      if (!ok && problems.length < 5) problems.push(`${what}: ${JSON.stringify(p)}`);
    };
    for (const p of posts) {
      check(p.platform === "twitter", p, "platform");
      check(/^\d{18,19}$/.test(p.post_id), p, "post_id");
      check(/^\d+$/.test(p.account_id), p, "account_id");
      check(iso.test(p.ts), p, "ts");
      check(/^[A-Za-z0-9_]{1,15}$/.test(p.handle), p, "handle");
      check(p.display_name.length > 0 && p.text.length > 0 && p.client.length > 0, p, "empty field");
      check(["en", "fa", "ar"].includes(p.lang), p, "lang");
      check(Date.parse(p.account_created_at) < ms(p), p, "created after posting");
      check(
        p.urls.every((u) => /^https:\/\/[a-z0-9.-]+\.[a-z]{2,}\//.test(u)),
        p,
        "url",
      );
      // One handle per account and one account per handle.
      check((handles.get(p.account_id) ?? p.handle) === p.handle, p, "handle changes");
      check((owners.get(p.handle.toLowerCase()) ?? p.account_id) === p.account_id, p, "handle shared");
      handles.set(p.account_id, p.handle);
      owners.set(p.handle.toLowerCase(), p.account_id);
      // The snowflake id carries the post's own time.
      check(Number(BigInt(p.post_id) >> 22n) + 1288834974657 === ms(p), p, "snowflake time");
    }
    expect(problems).toEqual([]);
    expect(byId.size).toBe(posts.length);
  });

  it("repost and reply to posts in the dataset, after them", () => {
    let reposts = 0;
    const problems: string[] = [];
    for (const p of posts) {
      const ref = p.repost_of ?? p.reply_to;
      if (ref === null) continue;
      const o = byId.get(ref);
      if (o === undefined || ms(p) <= ms(o)) {
        problems.push(`${p.post_id} refers to ${ref}, missing or later`);
        continue;
      }
      if (p.repost_of === null) continue;
      reposts++;
      if (!p.text.startsWith(`RT @${o.handle}:`) || p.urls.join() !== o.urls.join()) {
        problems.push(`${p.post_id} does not carry the text and links of ${ref}`);
      }
    }
    expect(problems.slice(0, 5)).toEqual([]);
    expect(reposts).toBeGreaterThan(posts.length * 0.2);
  });

  it("come in about the configured numbers", () => {
    const burstPosts = truth.campaigns.reduce(
      (s, c) => s + c.bursts.reduce((t, b) => t + b.accounts.length, 0),
      0,
    );
    const organic = posts.length - burstPosts;
    expect(organic).toBeGreaterThan(cfg.posts * 0.85);
    expect(organic).toBeLessThan(cfg.posts * 1.15);
    const accounts = new Set(posts.map((p) => p.account_id));
    expect(accounts.size).toBeGreaterThan((cfg.accounts + campaignIds.size) * 0.8);
    expect(accounts.size).toBeLessThanOrEqual(plan.accounts.length);
  });

  it("mix English, Persian (with ZWNJ) and Arabic, with entities inline", () => {
    const fa = posts.filter((p) => p.lang === "fa");
    expect(fa.some((p) => p.text.includes("\u200c"))).toBe(true);
    expect(fa.some((p) => /[پچژگک]/.test(p.text))).toBe(true);
    expect(posts.some((p) => p.lang === "ar" && /[\u0600-\u06ff]/.test(p.text))).toBe(true);
    expect(posts.filter((p) => p.lang === "en").length).toBeGreaterThan(posts.length * 0.2);
    expect(posts.some((p) => p.urls.length > 0 && p.text.includes(p.urls[0]!))).toBe(true);
    expect(posts.some((p) => p.hashtags.length > 0 && p.text.includes(`#${p.hashtags[0]}`))).toBe(true);
    expect(posts.some((p) => p.urls.some((u) => u.includes("utm_source=")))).toBe(true);
  });

  it("have heavy-tailed activity, Zipf objects and daily rhythms in many time zones", () => {
    const perAccount = new Map<string, number>();
    for (const p of posts) perAccount.set(p.account_id, (perAccount.get(p.account_id) ?? 0) + 1);
    const counts = [...perAccount.values()].sort((a, b) => a - b);
    expect(counts[counts.length - 1]).toBeGreaterThanOrEqual(100);
    expect(counts[Math.floor(counts.length / 2)]).toBeLessThanOrEqual(15);
    const domains = new Set(
      posts.flatMap((p) => p.urls.map((u) => new URL(u).hostname.replace(/^www\./, ""))),
    );
    expect(domains.size).toBeGreaterThan(80);
    const tz = new Set(plan.accounts.map((a) => a.tzOffsetMin));
    for (const z of [-480, 0, 210, 540]) expect(tz).toContain(z);
    // Tehran-time organic accounts sleep: few posts between 02:00 and 06:00 local time.
    const tehran = new Set(
      plan.accounts.filter((a) => a.tzOffsetMin === 210 && a.role === "organic").map((a) => a.id),
    );
    const hours = new Array<number>(24).fill(0);
    for (const p of posts) if (tehran.has(p.account_id) && !p.repost_of) hours[localHour(ms(p), 210)]!++;
    const night = hours.slice(2, 6).reduce((a, b) => a + b, 0);
    const evening = hours.slice(18, 22).reduce((a, b) => a + b, 0);
    expect(night * 3).toBeLessThan(evening);
  });
});

describe("planted campaigns", () => {
  it("are several, of every kind, with 10-60 mostly young accounts", () => {
    expect(truth.campaigns.map((c) => c.kind).sort()).toEqual(["hashtag-flood", "link-burst", "repost-ring"]);
    const startMs = Date.parse(cfg.start);
    for (const c of truth.campaigns) {
      expect(c.accounts.length).toBeGreaterThanOrEqual(10);
      expect(c.accounts.length).toBeLessThanOrEqual(60);
      expect(new Set(c.accounts).size).toBe(c.accounts.length);
    }
    const members = plan.accounts.filter((a) => a.role === "campaign");
    const young = (a: (typeof members)[number]): boolean => a.createdMs > startMs - 60 * 86_400_000;
    expect(members.filter(young).length).toBeGreaterThan(members.length * 0.4);
    expect(members.filter(young).length).toBeLessThan(members.length);
    expect(plan.accounts.filter((a) => a.role === "organic" && young(a)).length).toBeGreaterThan(0);
  });

  it("co-share within their windows, each burst with part of the members", () => {
    for (const c of truth.campaigns) {
      for (const b of c.bursts) {
        const t0 = Date.parse(b.start);
        const t1 = Date.parse(b.end);
        const inBurst = posts.filter((p) => b.accounts.includes(p.account_id) && ms(p) >= t0 && ms(p) <= t1);
        let acts: SynthPost[];
        if (c.kind === "link-burst") acts = inBurst.filter((p) => p.urls.some((u) => base(u) === b.object));
        else if (c.kind === "hashtag-flood") acts = inBurst.filter((p) => p.hashtags.includes(b.object));
        else {
          const original = inBurst.find(
            (p) => p.account_id === b.object && p.repost_of === null && ms(p) === t0,
          );
          expect(original).toBeDefined();
          acts = [original!, ...inBurst.filter((p) => p.repost_of === original!.post_id)];
        }
        expect(new Set(acts.map((p) => p.account_id))).toEqual(new Set(b.accounts));
        const span = Math.max(...acts.map(ms)) - Math.min(...acts.map(ms));
        expect(span).toBeLessThanOrEqual(
          c.kind === "hashtag-flood" ? 151_000 : c.kind === "link-burst" ? 61_000 : 41_000,
        );
        expect(b.accounts.length).toBeLessThan(c.accounts.length * 0.85);
        expect(b.accounts.length).toBeGreaterThanOrEqual(2);
      }
      // Members post ordinary content too.
      const own = posts.filter((p) => c.accounts.includes(p.account_id)).length;
      const coordinated = c.bursts.reduce((s, b) => s + b.accounts.length, 0);
      expect(own).toBeGreaterThan(coordinated);
    }
  });
});

/** Naive co-share counting: distinct objects (url, hashtag, repost) each pair shared within 60 s. */
function rawCoShares(): Map<string, number> {
  const byObject = new Map<string, Array<[number, string]>>();
  for (const p of posts) {
    const objects = [...p.urls.map((u) => `u ${base(u)}`), ...p.hashtags.map((h) => `h ${h}`)];
    if (p.repost_of) objects.push(`r ${p.repost_of}`);
    for (const o of objects) {
      const list = byObject.get(o) ?? [];
      list.push([ms(p), p.account_id]);
      byObject.set(o, list);
    }
  }
  const pairs = new Map<string, Set<string>>();
  for (const [o, list] of byObject) {
    list.sort((x, y) => x[0] - y[0]);
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length && list[j]![0] - list[i]![0] <= 60_000; j++) {
        const [a, b] = [list[i]![1], list[j]![1]];
        if (a === b) continue;
        const key = a < b ? `${a} ${b}` : `${b} ${a}`;
        const set = pairs.get(key) ?? new Set<string>();
        set.add(o);
        pairs.set(key, set);
      }
    }
  }
  return new Map([...pairs].map(([k, s]) => [k, s.size]));
}

describe("organic traps", () => {
  it("include a viral link shared by dozens of accounts within 30 minutes", () => {
    const viral = truth.organicTraps.filter((t) => t.kind === "viral");
    expect(viral.length).toBeGreaterThanOrEqual(1);
    for (const v of viral) {
      const t0 = Date.parse(v.start!);
      const url = v.objects![0]!;
      const sharers = new Set(
        posts.filter((p) => ms(p) >= t0 && ms(p) <= t0 + 30 * 60_000 && p.urls.some((u) => base(u) === url)),
      );
      expect(new Set([...sharers].map((p) => p.account_id)).size).toBeGreaterThan(50);
    }
  });

  it("include fandoms whose fans repost the same celebrity within a minute, again and again", () => {
    const fandom = truth.organicTraps.find((t) => t.kind === "fandom")!;
    const celebrity = fandom.objects![0]!;
    const fans = new Set(fandom.accounts);
    const originals = posts.filter((p) => p.account_id === celebrity && p.repost_of === null);
    expect(originals.length).toBeGreaterThan(20);
    const together = new Map<string, number>();
    for (const o of originals) {
      const quick = posts
        .filter((p) => p.repost_of === o.post_id && fans.has(p.account_id) && ms(p) - ms(o) <= 60_000)
        .map((p) => p.account_id)
        .sort();
      for (let i = 0; i < quick.length; i++) {
        for (let j = i + 1; j < quick.length; j++) {
          const k = `${quick[i]} ${quick[j]}`;
          together.set(k, (together.get(k) ?? 0) + 1);
        }
      }
    }
    expect([...together.values()].filter((n) => n >= 5).length).toBeGreaterThanOrEqual(3);
  });

  it("make raw co-share counts a poor separator: organic pairs outrank campaign pairs", () => {
    const counts = rawCoShares();
    const memberOf = new Map<string, string>();
    for (const c of truth.campaigns) for (const a of c.accounts) memberOf.set(a, c.id);
    const campaign: number[] = [];
    const organic: number[] = [];
    for (const [key, n] of counts) {
      const [a, b] = key.split(" ") as [string, string];
      if (memberOf.has(a) && memberOf.get(a) === memberOf.get(b)) campaign.push(n);
      else if (!campaignIds.has(a) && !campaignIds.has(b)) organic.push(n);
    }
    campaign.sort((x, y) => x - y);
    organic.sort((x, y) => x - y);
    const campaignMedian = campaign[Math.floor(campaign.length / 2)]!;
    // The signal is real: a typical campaign pair co-shares more than a typical organic pair...
    expect(campaignMedian).toBeGreaterThan(organic[Math.floor(organic.length / 2)]!);
    // ...but the top of the raw ranking is organic (bots, fans, hyperactive accounts).
    expect(organic[organic.length - 1]!).toBeGreaterThan(campaign[campaign.length - 1]!);
    expect(organic.filter((n) => n > campaignMedian).length).toBeGreaterThan(10);
  });

  it("are listed in the truth: hyperactive accounts, news bots and trending hashtags", () => {
    const kinds = new Set(truth.organicTraps.map((t) => t.kind));
    for (const k of ["hyperactive", "fandom", "viral", "news-bots", "trending-hashtag"])
      expect(kinds).toContain(k);
    const bots = truth.organicTraps.find((t) => t.kind === "news-bots")!;
    const botPosts = posts.filter((p) => bots.accounts!.includes(p.account_id));
    expect(botPosts.length).toBeGreaterThan(cfg.days * 4);
    const hyper = truth.organicTraps.find((t) => t.kind === "hyperactive")!;
    for (const h of hyper.accounts!)
      expect(posts.filter((p) => p.account_id === h).length).toBeGreaterThan(80);
  });
});

describe("configuration", () => {
  it("scales with the post count", () => {
    const big = defaultConfig(10_000_000, 1);
    expect(big.campaigns.length).toBeGreaterThan(6);
    expect(big.accounts).toBeGreaterThan(100_000);
    for (const c of big.campaigns) expect(c.size >= 10 && c.size <= 60).toBe(true);
    expect(big.traps.viralAccounts).toBeGreaterThanOrEqual(1000);
    expect(() => checkConfig(big)).not.toThrow();
  });

  it("works without any organic traps", () => {
    const traps = {
      ...cfg.traps,
      hyperactive: 0,
      celebrities: 0,
      viralEvents: 0,
      newsOutlets: 0,
      trendingPerDay: 0,
    };
    const bare = { ...defaultConfig(2000, 2), traps };
    expect(lines(bare, 300)).toHaveLength(300);
    expect(generateTruth(bare).organicTraps.map((t) => t.kind)).toEqual(["hyperactive", "trending-hashtag"]);
  });

  it("rejects configurations it cannot honour", () => {
    expect(() => defaultConfig(10)).toThrow(SynthConfigError);
    expect(() => checkConfig({ ...cfg, start: "yesterday" })).toThrow(/start/);
    const late = { ...cfg.campaigns[0]!, firstDay: cfg.days };
    expect(() => checkConfig({ ...cfg, campaigns: [late] })).toThrow(/campaign 1/);
    expect(() => checkConfig({ ...cfg, traps: { ...cfg.traps, hyperactive: cfg.accounts } })).toThrow(
      /third/,
    );
  });
});

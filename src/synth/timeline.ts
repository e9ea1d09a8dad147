/**
 * Writes the posts of a planned world, one hour of the timeline at a time. Each hour has its own random stream
 * and id worker, so memory is bounded by one hour of posts plus a small pool of recent originals that later
 * hours repost and reply to. Reactions (fan reposts, burst members, viral sharers) may fall after the hour that
 * triggers them; output is sorted within each hour, not across hours.
 */
import { clipText } from "../normalize/text.js";
import {
  EMOJI,
  HEADLINES,
  LINK_OPENERS,
  PHRASES,
  REPLIES,
  SLOGAN_PREFIXES,
  SLOGAN_SUFFIXES,
  SLOGANS,
  VIRAL_REACTIONS,
} from "./banks.js";
import { EVERYDAY, GREETINGS, QUOTE_FRAMES, UNIT_POINTS } from "./banks-text.js";
import type { PlannedBurst, PlannedCampaign } from "./campaigns.js";
import { pasteCopy } from "./copypasta.js";
import type { SynthLang } from "./config.js";
import { organicTag, organicUrl, pageUrl, withTracking } from "./content.js";
import { PostIdMinter } from "./ids.js";
import { DIURNAL, HOUR_MS, hyperFlat, localHour, type SynthPlan } from "./plan.js";
import type { SynthAccount } from "./population.js";
import type { SynthPost } from "./post.js";
import { Rng } from "./rng.js";
import { scheduleRange } from "./schedule.js";
import type { PlannedShiftUnit } from "./shifts.js";

interface Original {
  id: string;
  account: number;
  text: string;
  urls: string[];
  hashtags: string[];
  mentions: string[];
  lang: SynthLang;
  ms: number;
}

interface Body {
  text: string;
  urls: string[];
  hashtags: string[];
  mentions: string[];
}

const POOL_SIZE = 1024;
const MAX_SPILL_MS = 6 * HOUR_MS;
const VIRAL_WINDOW_MS = 30 * 60_000;

/** Cut to at most n UTF-16 units without splitting a surrogate pair, marked by an ellipsis. */
function clip(s: string, n: number): string {
  return s.length <= n ? s : clipText(s, n) + "…";
}

export class Timeline {
  private readonly pool: Original[] = [];
  private poolNext = 0;
  private readonly articles: string[] = [];
  private articlesNext = 0;
  private readonly everyone: number[];

  // Per-slice state.
  private out: Array<{ ms: number; post: SynthPost }> = [];
  private pending: Original[] = [];
  private minter = new PostIdMinter(0);
  private rng = new Rng(0);
  private day = 0;

  constructor(private readonly plan: SynthPlan) {
    this.everyone = plan.buckets.flatMap((b) => Array.from(b.accounts));
  }

  /** The posts of hour `s` (0-based), sorted by time. */
  slice(s: number): SynthPost[] {
    const p = this.plan;
    const sliceStart = p.startMs + s * HOUR_MS;
    const sliceEnd = sliceStart + HOUR_MS;
    this.out = [];
    this.pending = [];
    this.minter = new PostIdMinter(s % 1024);
    this.rng = Rng.for(p.cfg.seed, "slice", s);
    this.day = Math.floor(s / 24);
    this.celebrities(sliceStart);
    this.newsBots(sliceStart, sliceEnd);
    for (const v of p.viral) if (v.startMs >= sliceStart && v.startMs < sliceEnd) this.viralEvent(v);
    p.campaigns.forEach((c, ci) => {
      c.bursts.forEach((b, k) => {
        if (b.startMs >= sliceStart && b.startMs < sliceEnd) this.burst(c, ci, b, k);
      });
    });
    for (const c of p.campaigns) if (c.shift) this.shiftPosts(c, c.shift, sliceStart, sliceEnd);
    this.nightShifts(sliceStart, sliceEnd);
    this.textTraps(sliceStart, sliceEnd);
    this.background(sliceStart);
    for (const o of this.pending) {
      if (this.pool.length < POOL_SIZE) this.pool.push(o);
      else this.pool[this.poolNext] = o;
      this.poolNext = (this.poolNext + 1) % POOL_SIZE;
    }
    this.out.sort((a, b) => a.ms - b.ms);
    return this.out.map((x) => x.post);
  }

  private account(i: number): SynthAccount {
    return this.plan.accounts[i] as SynthAccount;
  }

  private emit(
    a: SynthAccount,
    msRaw: number,
    body: Body,
    lang: SynthLang,
    repostOf = "",
    replyTo = "",
  ): string {
    const ms = Math.round(msRaw);
    if (ms >= this.plan.endMs) return "";
    const id = this.minter.mint(ms);
    this.out.push({
      ms,
      post: {
        platform: this.plan.cfg.platform,
        post_id: id,
        account_id: a.id,
        handle: a.handle,
        display_name: a.displayName,
        ts: new Date(ms).toISOString(),
        text: body.text,
        urls: body.urls,
        hashtags: body.hashtags,
        mentions: body.mentions,
        repost_of: repostOf || null,
        reply_to: replyTo || null,
        account_created_at: a.createdAt,
        bio: a.bio,
        lang,
        client: a.client,
      },
    });
    return id;
  }

  /** Post an original and offer it to later reposters in proportion to the author's reach. */
  private original(a: SynthAccount, ms: number, body: Body, lang: SynthLang, keep: boolean): Original | null {
    const id = this.emit(a, ms, body, lang);
    if (!id) return null;
    const o: Original = { id, account: a.index, ...body, lang, ms: Math.round(ms) };
    if (keep || this.rng.chance(Math.min(1, a.reach * 3))) this.pending.push(o);
    return o;
  }

  private repost(a: SynthAccount, ms: number, o: Original): void {
    const author = this.account(o.account).handle;
    const body: Body = {
      text: clip(`RT @${author}: ${o.text}`, 140),
      urls: o.urls,
      hashtags: o.hashtags,
      mentions: o.mentions.includes(author) ? o.mentions : [author, ...o.mentions],
    };
    this.emit(a, ms, body, o.lang, o.id);
  }

  private postLang(a: SynthAccount): SynthLang {
    return a.lang !== "en" && this.rng.chance(0.1) ? "en" : a.lang;
  }

  private phrase(lang: SynthLang): string {
    const r = this.rng;
    // In the evaluation's world, everyday greetings too ("Good morning", "صبح بخیر").
    if (this.plan.textTraps !== null && r.chance(0.04)) return r.pick(EVERYDAY[lang]);
    const p = r.pick(PHRASES[lang]);
    return r.chance(0.2) ? `${p} ${r.pick(EMOJI)}` : p;
  }

  /** Today's trending tag for this language if the hour is near its peak, else a Zipf draw. */
  private tag(ms: number, lang: SynthLang, eager: boolean): string {
    const r = this.rng;
    for (let d = Math.max(0, this.day - 1); d <= Math.min(this.plan.trending.length - 1, this.day + 1); d++) {
      for (const t of this.plan.trending[d] ?? []) {
        const z = (ms - t.peakMs) / t.widthMs;
        if (z < -3 || z > 3) continue;
        const w = Math.exp(-0.5 * z * z) * (t.lang === lang ? 0.6 : 0.15);
        if (r.chance(eager ? Math.min(1, w * 2) : w)) return t.tag;
      }
    }
    return organicTag(this.plan.content, r, lang);
  }

  private url(): string {
    const r = this.rng;
    const u =
      this.articles.length > 0 && r.chance(0.15)
        ? r.pick(this.articles)
        : organicUrl(this.plan.content, r, this.day);
    return r.chance(0.15) ? withTracking(r, u) : u;
  }

  /**
   * Pick a recent original, favouring followed authors (tournament of three). Originals posted less than 30 s
   * before `ms` are skipped: late reactions of earlier hours can lie after the hour being written.
   */
  private pickOriginal(not: number, ms: number): Original | null {
    if (this.pool.length === 0) return null;
    const r = this.rng;
    let best: Original | null = null;
    for (let k = 0; k < 3; k++) {
      const o = r.pick(this.pool);
      if (o.account === not || o.ms > ms - 30_000) continue;
      if (best === null || this.account(o.account).reach > this.account(best.account).reach) best = o;
    }
    return best;
  }

  /** An ordinary post: text, a link, hashtags, a reply or a repost. */
  private organicPost(a: SynthAccount, ms: number, hyper: boolean): void {
    const r = this.rng;
    if (r.chance(hyper ? 0.45 : a.repostRate)) {
      const o = this.pickOriginal(a.index, ms);
      if (o) return this.repost(a, ms, o);
    }
    const lang = this.postLang(a);
    const kind = r.next();
    if (kind < 0.3) {
      const u = this.url();
      const inline = r.chance(0.55);
      const hashtags = r.chance(0.2) ? [this.tag(ms, lang, hyper)] : [];
      let text = inline ? `${r.pick(LINK_OPENERS[lang])} ${u}` : r.pick(LINK_OPENERS[lang]);
      if (hashtags.length > 0) text += ` #${hashtags[0]}`;
      this.original(a, ms, { text, urls: [u], hashtags, mentions: [] }, lang, false);
      return;
    }
    if (kind < 0.52 || hyper) {
      const hashtags = [this.tag(ms, lang, hyper)];
      if (r.chance(0.25)) {
        const second = organicTag(this.plan.content, r, lang);
        if (second !== hashtags[0]) hashtags.push(second);
      }
      const tags = hashtags.map((t) => `#${t}`).join(" ");
      const text = r.chance(0.7) ? `${this.phrase(lang)} ${tags}` : `${tags} ${this.phrase(lang)}`;
      this.original(a, ms, { text, urls: [], hashtags, mentions: [] }, lang, false);
      return;
    }
    if (kind < 0.62) {
      const o = this.pickOriginal(a.index, ms);
      if (o) {
        const h = this.account(o.account).handle;
        const body = { text: `@${h} ${r.pick(REPLIES[lang])}`, urls: [], hashtags: [], mentions: [h] };
        this.emit(a, ms, body, lang, "", o.id);
        return;
      }
    }
    if (r.chance(0.06) && this.plan.celebrities.length > 0) {
      const h = this.account(r.pick(this.plan.celebrities)).handle;
      this.original(
        a,
        ms,
        { text: `@${h} ${this.phrase(lang)}`, urls: [], hashtags: [], mentions: [h] },
        lang,
        false,
      );
      return;
    }
    this.original(a, ms, { text: this.phrase(lang), urls: [], hashtags: [], mentions: [] }, lang, false);
  }

  private background(sliceStart: number): void {
    const p = this.plan;
    const r = this.rng;
    for (const b of p.buckets) {
      const n = r.poisson(
        p.backgroundRate * b.weight * (DIURNAL[localHour(sliceStart, b.tzOffsetMin)] as number),
      );
      for (let k = 0; k < n; k++) {
        const a = this.account(b.accounts[b.table.draw(r)] as number);
        this.organicPost(a, sliceStart + r.int(HOUR_MS), false);
      }
    }
    p.hyperactive.forEach((i, k) => {
      const a = this.account(i);
      const n = r.poisson((p.hyperactiveRate[k] as number) * hyperFlat(localHour(sliceStart, a.tzOffsetMin)));
      for (let j = 0; j < n; j++) this.organicPost(a, sliceStart + r.int(HOUR_MS), true);
    });
  }

  /** Celebrities post; their fans repost, the notified ones within seconds, the others within minutes. */
  private celebrities(sliceStart: number): void {
    const p = this.plan;
    const r = this.rng;
    const perHour = p.cfg.traps.celebrityPostsPerDay / 24;
    for (const f of p.fandoms) {
      const c = this.account(f.celebrity);
      const n = r.poisson(perHour * (DIURNAL[localHour(sliceStart, c.tzOffsetMin)] as number));
      for (let k = 0; k < n; k++) {
        const t0 = sliceStart + r.int(HOUR_MS);
        const lang = c.lang;
        const kind = r.next();
        let body: Body;
        if (kind < 0.3) {
          const u = this.url();
          body = { text: `${this.phrase(lang)} ${u}`, urls: [u], hashtags: [], mentions: [] };
        } else if (kind < 0.5) {
          const t = this.tag(t0, lang, false);
          body = { text: `${this.phrase(lang)} #${t}`, urls: [], hashtags: [t], mentions: [] };
        } else {
          body = { text: this.phrase(lang), urls: [], hashtags: [], mentions: [] };
        }
        const o = this.original(c, t0, body, lang, true);
        if (!o) continue;
        for (let j = 0; j < f.fans.length; j++) {
          if (!r.chance(f.fidelity[j] as number)) continue;
          const delayS = r.lognormal(f.delayMedianS[j] as number, f.delaySigma[j] as number);
          const delayMs = Math.min(MAX_SPILL_MS, Math.max(3_000, delayS * 1000));
          this.repost(this.account(f.fans[j] as number), t0 + delayMs, o);
        }
      }
    }
  }

  /** Syndication bots: every tick of an outlet's feed, each of its bots posts the new link after its own lag. */
  private newsBots(sliceStart: number, sliceEnd: number): void {
    const p = this.plan;
    p.outlets.forEach((o, oi) => {
      const first = Math.ceil((sliceStart - p.startMs - o.phaseMs) / o.periodMs);
      for (let k = Math.max(0, first); ; k++) {
        const tick = p.startMs + o.phaseMs + k * o.periodMs;
        if (tick >= sliceEnd) break;
        if (tick < sliceStart) continue;
        const key = Rng.for(p.cfg.seed, "news", oi, k);
        const jitter = key.between(-90_000, 90_000);
        const url = pageUrl(o.domain, tick, key);
        const headline = key.pick(HEADLINES[o.lang]);
        o.bots.forEach((b, j) => {
          const a = this.account(b);
          const text =
            j % 3 === 0 ? `${headline} ${url}` : j % 3 === 1 ? `${headline} | ${url}` : `${headline}\n${url}`;
          const ms = tick + jitter + (o.lagMs[j] as number) + this.rng.int(8_000);
          this.original(a, ms, { text, urls: [url], hashtags: [], mentions: [] }, o.lang, false);
        });
        if (this.articles.length < 64) this.articles.push(url);
        else this.articles[this.articlesNext] = url;
        this.articlesNext = (this.articlesNext + 1) % 64;
      }
    });
  }

  /** One link shared by a large part of the population within half an hour, then a tail for hours. */
  private viralEvent(v: SynthPlan["viral"][number]): void {
    const r = this.rng;
    const origin = this.account(v.originator);
    const first = this.original(
      origin,
      v.startMs,
      { text: `${r.pick(VIRAL_REACTIONS[v.lang])} ${v.url}`, urls: [v.url], hashtags: [], mentions: [] },
      v.lang,
      true,
    );
    if (!first) return;
    const share = (a: SynthAccount, ms: number): void => {
      if (r.chance(0.35)) return this.repost(a, ms, first);
      const lang = this.postLang(a);
      const u = r.chance(0.2) ? withTracking(r, v.url) : v.url;
      const text = r.chance(0.6) ? `${r.pick(VIRAL_REACTIONS[lang])} ${u}` : `${this.phrase(lang)} ${u}`;
      this.original(a, ms, { text, urls: [u], hashtags: [], mentions: [] }, lang, false);
    };
    for (const i of v.participants) {
      share(this.account(i), v.startMs + 5_000 + r.kumaraswamy(1.6, 5) * (VIRAL_WINDOW_MS - 5_000));
    }
    for (let k = 0; k < v.tail && this.everyone.length > 0; k++) {
      const late = VIRAL_WINDOW_MS + Math.min(MAX_SPILL_MS, r.exponential(1.5 * HOUR_MS));
      share(this.account(r.pick(this.everyone)), v.startMs + late);
    }
  }

  private burst(c: PlannedCampaign, ci: number, b: PlannedBurst, k: number): void {
    if (b.kind === "repost-ring") return this.ring(c, ci, b, k);
    if (b.kind === "copypasta") return this.paste(c, ci, b, k);
    const r = this.rng;
    const lang = c.spec.lang;
    const target = c.target >= 0 ? this.account(c.target).handle : null;
    b.members.forEach((m, j) => {
      const a = this.account(m);
      const ms = b.startMs + (b.offsetsMs[j] as number) + r.int(1000);
      const slogan = `${r.pick(SLOGAN_PREFIXES)}${r.pick(SLOGANS[lang])}${r.pick(SLOGAN_SUFFIXES)}`;
      const mentions = target !== null && r.chance(0.15) ? [target] : [];
      const at = mentions.length > 0 ? `@${target} ` : "";
      if (b.kind === "link-burst") {
        const u = r.chance(0.25) ? withTracking(r, b.object) : b.object;
        const hashtags = r.chance(0.3) ? [c.tags[0] as string] : [];
        const lead = r.chance(0.5) ? slogan : r.pick(LINK_OPENERS[lang]);
        const text = `${at}${lead} ${u}${hashtags.length > 0 ? ` #${hashtags[0]}` : ""}`;
        this.emit(a, ms, { text, urls: [u], hashtags, mentions }, lang);
        return;
      }
      const hashtags = [b.object];
      if (b.extraTag && r.chance(0.6)) hashtags.push(b.extraTag);
      const tags = hashtags.map((t) => `#${t}`).join(" ");
      const emoji = r.chance(0.3) ? ` ${r.pick(EMOJI)}` : "";
      const text = r.chance(0.6) ? `${at}${slogan} ${tags}${emoji}` : `${tags} ${at}${slogan}${emoji}`;
      this.emit(a, ms, { text, urls: [], hashtags, mentions }, lang);
    });
    // A few ordinary users pick the link or hashtag up later: campaign content reaches real people.
    const n = r.poisson(0.8);
    for (let j = 0; j < n && this.everyone.length > 0; j++) {
      const a = this.account(r.pick(this.everyone));
      const lang2 = this.postLang(a);
      const body =
        b.kind === "link-burst"
          ? {
              text: `${r.pick(LINK_OPENERS[lang2])} ${b.object}`,
              urls: [b.object],
              hashtags: [],
              mentions: [],
            }
          : { text: `${this.phrase(lang2)} #${b.object}`, urls: [], hashtags: [b.object], mentions: [] };
      this.original(a, b.startMs + r.between(10 * 60_000, MAX_SPILL_MS), body, lang2, false);
    }
  }

  private ring(c: PlannedCampaign, ci: number, b: PlannedBurst, k: number): void {
    const r = this.rng;
    const lang = c.spec.lang;
    const origin = this.account(b.originator);
    const urls: string[] = [];
    const hashtags: string[] = [];
    let text = `${r.pick(SLOGAN_PREFIXES)}${r.pick(SLOGANS[lang])}${r.pick(SLOGAN_SUFFIXES)}`;
    if (c.domains.length > 0 && r.chance(0.4)) {
      const u = pageUrl(r.pick(c.domains), b.startMs, Rng.for(this.plan.cfg.seed, "ring-url", ci, k));
      urls.push(u);
      text += ` ${u}`;
    }
    if (r.chance(0.4)) {
      hashtags.push(r.pick(c.tags));
      text += ` #${hashtags[0]}`;
    }
    const o = this.original(origin, b.startMs, { text, urls, hashtags, mentions: [] }, lang, true);
    if (!o) return;
    for (let j = 1; j < b.members.length; j++) {
      this.repost(
        this.account(b.members[j] as number),
        b.startMs + (b.offsetsMs[j] as number) + r.int(1000),
        o,
      );
    }
    const n = r.poisson(0.7);
    for (let j = 0; j < n && this.everyone.length > 0; j++) {
      this.repost(this.account(r.pick(this.everyone)), b.startMs + r.between(10 * 60_000, MAX_SPILL_MS), o);
    }
  }

  /** Members paste the burst's message, each copy with its own 0-3 edits; no link, no hashtag. */
  private paste(c: PlannedCampaign, ci: number, b: PlannedBurst, k: number): void {
    const r = this.rng;
    const lang = c.spec.lang;
    const seed = this.plan.cfg.seed;
    b.members.forEach((m, j) => {
      const copy = pasteCopy(Rng.for(seed, "copy", ci, k, j), b.object, lang);
      const ms = b.startMs + (b.offsetsMs[j] as number) + r.int(1000);
      this.original(
        this.account(m),
        ms,
        { text: copy.text, urls: [], hashtags: [], mentions: [] },
        lang,
        false,
      );
    });
    // Now and then an ordinary reader pastes the message on, much later.
    const n = r.poisson(0.5);
    for (let j = 0; j < n && this.everyone.length > 0; j++) {
      const a = this.account(r.pick(this.everyone));
      const copy = pasteCopy(Rng.for(seed, "copy-on", ci, k, j), b.object, lang);
      const body = { text: copy.text, urls: [], hashtags: [], mentions: [] };
      this.original(a, b.startMs + r.between(10 * 60_000, MAX_SPILL_MS), body, lang, false);
    }
  }

  /**
   * A shift unit's posts in this hour: now and then a unit hashtag, some talking points (at the unit's target
   * too), otherwise whatever anyone posts: links, hashtags, replies, reposts.
   */
  private shiftPosts(c: PlannedCampaign, u: PlannedShiftUnit, from: number, to: number): void {
    const r = this.rng;
    const s = u.schedule;
    const [lo, hi] = scheduleRange(s, from, to);
    const target = c.target >= 0 ? this.account(c.target).handle : null;
    for (let i = lo; i < hi; i++) {
      const a = this.account(s.account[i] as number);
      const ms = s.ms[i] as number;
      const lang = a.lang === c.spec.lang || r.chance(0.5) ? c.spec.lang : a.lang;
      if (r.chance(u.tagShare.get(a.index) ?? 0)) {
        const hashtags = [r.pick(c.tags)];
        if (r.chance(0.2)) {
          const second = organicTag(this.plan.content, r, lang);
          if (second !== hashtags[0]) hashtags.push(second);
        }
        const tags = hashtags.map((t) => `#${t}`).join(" ");
        const point = r.pick(UNIT_POINTS[lang]);
        const text = r.chance(0.7) ? `${point} ${tags}` : `${tags} ${point}`;
        this.original(a, ms, { text, urls: [], hashtags, mentions: [] }, lang, false);
      } else if (r.chance(0.2)) {
        const point = r.pick(UNIT_POINTS[lang]);
        const mentions = target !== null && r.chance(0.4) ? [target] : [];
        const text = mentions.length > 0 ? `@${target} ${point}` : point;
        this.original(a, ms, { text, urls: [], hashtags: [], mentions }, lang, false);
      } else {
        this.organicPost(a, ms, false);
      }
    }
  }

  /** Ordinary night-shift workers: whatever they post, at the times their roster gives. */
  private nightShifts(from: number, to: number): void {
    const s = this.plan.nightSchedule;
    const [lo, hi] = scheduleRange(s, from, to);
    for (let i = lo; i < hi; i++)
      this.organicPost(this.account(s.account[i] as number), s.ms[i] as number, false);
  }

  /** Holiday greetings and quoted sentences of this hour. */
  private textTraps(from: number, to: number): void {
    const t = this.plan.textTraps;
    if (t === null) return;
    const r = this.rng;
    const g = t.greetings;
    let [lo, hi] = scheduleRange(g, from, to);
    for (let i = lo; i < hi; i++) {
      const a = this.account(g.account[i] as number);
      const greeting = GREETINGS[a.lang][g.arg[i] as number] as string;
      const text = r.chance(0.3) ? `${greeting} ${r.pick(EMOJI)}` : greeting;
      this.original(a, g.ms[i] as number, { text, urls: [], hashtags: [], mentions: [] }, a.lang, false);
    }
    const q = t.quoteSchedule;
    [lo, hi] = scheduleRange(q, from, to);
    for (let i = lo; i < hi; i++) {
      const quote = t.quotes[q.arg[i] as number] as (typeof t.quotes)[number];
      const text = r.pick(QUOTE_FRAMES[quote.lang]).replace("{q}", quote.text);
      const body = { text, urls: [], hashtags: [], mentions: [] };
      this.original(this.account(q.account[i] as number), q.ms[i] as number, body, quote.lang, false);
    }
  }
}

import { describe, expect, it } from "vitest";
import { COPYPASTA, GREETINGS, VIRAL_QUOTES } from "./banks-text.js";
import { copyWords, pasteCopy, wordDistance, type CopyEdit } from "./copypasta.js";
import {
  defaultConfig,
  evalConfig,
  generatePosts,
  generateTruth,
  planWorld,
  toJsonLine,
  truthToJson,
  type SynthPost,
} from "./generate.js";
import { Rng } from "./rng.js";

const LANGS = ["en", "fa", "ar"] as const;

describe("pasted copies", () => {
  it("measure words as a reader does: ZWNJ and spaced Persian affixes join their word", () => {
    expect(copyWords("می\u200cخواهم بروم")).toEqual(copyWords("می خواهم بروم"));
    expect(copyWords("کتاب\u200cها")).toEqual(copyWords("کتاب ها"));
    expect(copyWords("کتاب\u200cها")).toEqual(copyWords("کتابها"));
    expect(wordDistance(["a", "b", "c"], ["b", "a", "c"])).toBe(1);
    expect(wordDistance(["a", "b", "c"], ["a", "c"])).toBe(1);
    expect(wordDistance(["a", "b", "c"], ["a", "x", "b", "c", "!"])).toBe(2);
    expect(wordDistance([], ["a"])).toBe(1);
  });

  it("bank messages run 15 to 40 words, in every language", () => {
    for (const lang of LANGS) {
      expect(COPYPASTA[lang].length).toBeGreaterThanOrEqual(10);
      for (const t of COPYPASTA[lang]) {
        const n = copyWords(t).length;
        expect(n, t).toBeGreaterThanOrEqual(15);
        expect(n, t).toBeLessThanOrEqual(40);
      }
      expect(new Set(COPYPASTA[lang]).size).toBe(COPYPASTA[lang].length);
    }
    expect(COPYPASTA.fa.some((t) => t.includes("\u200c"))).toBe(true);
  });

  it("carry 0-3 edits each, at most that many words away from the message, in varied patterns", () => {
    for (const lang of LANGS) {
      const counts = [0, 0, 0, 0];
      const kinds = new Set<CopyEdit>();
      const patterns = new Set<string>();
      COPYPASTA[lang].forEach((template, t) => {
        const words = copyWords(template);
        for (let j = 0; j < 60; j++) {
          const copy = pasteCopy(Rng.for(7, "test-copy", t, j), template, lang);
          expect(copy.edits.length).toBeLessThanOrEqual(3);
          const d = wordDistance(words, copyWords(copy.text));
          expect(d, `${copy.text} (${copy.edits.join(", ")})`).toBeLessThanOrEqual(copy.edits.length);
          if (copy.edits.length === 0) expect(copy.text).toBe(template);
          counts[copy.edits.length]!++;
          copy.edits.forEach((e) => kinds.add(e));
          patterns.add(copy.edits.join("+"));
        }
      });
      for (const c of counts) expect(c).toBeGreaterThan(0);
      expect(patterns.size).toBeGreaterThan(10);
      for (const k of ["swap", "drop", "insert", "emoji", "punctuation"] as const) expect(kinds).toContain(k);
      if (lang === "fa") {
        expect(kinds).toContain("zwnj");
        expect(kinds).toContain("letters");
      }
    }
  });

  it("differ from the message by whole words most of the time (three-edit copies are usually three away)", () => {
    let three = 0;
    let atThree = 0;
    COPYPASTA.en.forEach((template, t) => {
      for (let j = 0; j < 40; j++) {
        const copy = pasteCopy(Rng.for(3, "test-copy3", t, j), template, "en");
        if (copy.edits.length !== 3) continue;
        three++;
        if (wordDistance(copyWords(template), copyWords(copy.text)) === 3) atThree++;
      }
    });
    expect(three).toBeGreaterThan(50);
    expect(atThree).toBeGreaterThan(three * 0.6);
  });
});

// A small evaluation world: six weeks, the old kinds, two copypasta campaigns and a shift unit.
const cfg = evalConfig(20_000, 5);
const plan = planWorld(cfg);
const posts = [...generatePosts(cfg, plan)];
const truth = generateTruth(cfg, plan);
const ms = (p: SynthPost): number => Date.parse(p.ts);

describe("the evaluation world", () => {
  it("keeps defaultConfig's campaigns and adds copypasta and a shift unit on top", () => {
    const base = defaultConfig(20_000, 5, 42);
    expect(cfg.campaigns.slice(0, base.campaigns.length)).toEqual(base.campaigns);
    const added = cfg.campaigns.slice(base.campaigns.length).map((c) => `${c.kind}/${c.lang}`);
    expect(added).toEqual(["copypasta/fa", "copypasta/en", "shift-unit/fa"]);
    expect(cfg.days).toBe(42);
    expect(defaultConfig(20_000, 5).traps.nightWorkers).toBeUndefined();
  });

  it("is deterministic for a seed and differs for another", () => {
    const again = evalConfig(20_000, 5);
    const first = posts.slice(0, 3000).map((p) => toJsonLine(p));
    const lines: string[] = [];
    for (const p of generatePosts(again)) {
      if (lines.length >= 3000) break;
      lines.push(toJsonLine(p));
    }
    expect(lines).toEqual(first);
    expect(truthToJson(generateTruth(again))).toBe(truthToJson(truth));
    expect(truthToJson(generateTruth(evalConfig(20_000, 6)))).not.toBe(truthToJson(truth));
  });
});

describe("copypasta campaigns", () => {
  const copy = truth.campaigns.filter((c) => c.kind === "copypasta");

  it("have 20-40 members, 10-20 bursts over one to two weeks, in Persian and English", () => {
    expect(copy.map((c) => c.lang).sort()).toEqual(["en", "fa"]);
    for (const c of copy) {
      expect(c.accounts.length).toBeGreaterThanOrEqual(20);
      expect(c.accounts.length).toBeLessThanOrEqual(40);
      expect(c.bursts.length).toBeGreaterThanOrEqual(10);
      expect(c.bursts.length).toBeLessThanOrEqual(20);
      expect(Date.parse(c.last_seen) - Date.parse(c.first_seen)).toBeLessThanOrEqual(15 * 86_400_000);
      expect(c.tags).toEqual([]);
      expect(c.domains).toEqual([]);
    }
  });

  it("paste the burst's message within minutes, 0-3 words away, with no link, hashtag or mention", () => {
    for (const c of copy) {
      let verbatim = 0;
      let edited = 0;
      for (const b of c.bursts) {
        const template = copyWords(b.object);
        const t0 = Date.parse(b.start);
        const t1 = Date.parse(b.end);
        const who = new Set(b.accounts);
        const copies = posts.filter(
          (p) =>
            who.has(p.account_id) &&
            ms(p) >= t0 &&
            ms(p) <= t1 &&
            p.repost_of === null &&
            wordDistance(template, copyWords(p.text)) <= 3,
        );
        expect(new Set(copies.map((p) => p.account_id))).toEqual(who);
        expect(copies.length).toBe(b.accounts.length);
        for (const p of copies) {
          expect(p.urls).toEqual([]);
          expect(p.hashtags).toEqual([]);
          expect(p.mentions).toEqual([]);
          expect(p.lang).toBe(c.lang);
          if (p.text === b.object) verbatim++;
          else edited++;
        }
        expect(Math.max(...copies.map(ms)) - Math.min(...copies.map(ms))).toBeLessThanOrEqual(301_000);
        expect(new Set(copies.map((p) => p.text)).size).toBeGreaterThan(1);
      }
      expect(verbatim).toBeGreaterThan(0);
      expect(edited).toBeGreaterThan(verbatim);
    }
  });

  it("never paste the same message as another campaign", () => {
    const [a, b] = copy as [(typeof copy)[number], (typeof copy)[number]];
    const other = new Set(b.bursts.map((x) => x.object));
    expect(a.bursts.some((x) => other.has(x.object))).toBe(false);
  });
});

describe("text traps", () => {
  it("have hundreds of ordinary accounts post the same holiday greetings, each once, at their own times", () => {
    const trap = truth.organicTraps.find((t) => t.kind === "holiday-greeting")!;
    expect(trap.accounts!.length).toBeGreaterThan(30);
    const greetings = new Set(LANGS.flatMap((l) => GREETINGS[l]));
    const planted = new Set(truth.campaigns.flatMap((c) => c.accounts));
    expect(trap.accounts!.some((a) => planted.has(a))).toBe(false);
    const greeters = new Set(trap.accounts);
    const day = Date.parse(trap.start!);
    const isGreeting = (p: SynthPost): boolean =>
      p.repost_of === null && (greetings.has(p.text) || greetings.has(p.text.replace(/ \S+$/u, "")));
    const onHoliday = posts.filter(
      (p) =>
        greeters.has(p.account_id) &&
        isGreeting(p) &&
        ms(p) >= day - 86_400_000 &&
        ms(p) < day + 2 * 86_400_000,
    );
    expect(new Set(onHoliday.map((p) => p.account_id))).toEqual(greeters);
    const hours = new Set(onHoliday.map((p) => Math.floor(ms(p) / 3_600_000)));
    expect(hours.size).toBeGreaterThan(10);
  });

  it("have a few accounts quote one sentence, hours apart", () => {
    const quotes = truth.organicTraps.filter((t) => t.kind === "viral-quote");
    expect(quotes.length).toBe(cfg.traps.viralQuotes);
    for (const q of quotes) {
      const text = q.objects![0]!;
      expect(LANGS.some((l) => VIRAL_QUOTES[l].includes(text))).toBe(true);
      const times = posts
        .filter((p) => p.text.includes(text) && p.repost_of === null)
        .map(ms)
        .sort((x, y) => x - y);
      expect(times.length).toBe(q.accounts!.length);
      if (times.length < 3) continue;
      const gaps = times.slice(1).map((t, i) => t - times[i]!);
      gaps.sort((x, y) => x - y);
      expect(gaps[Math.floor(gaps.length / 2)]!).toBeGreaterThan(3_600_000);
    }
  });
});

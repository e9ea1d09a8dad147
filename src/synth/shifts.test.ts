import { describe, expect, it } from "vitest";
import { evalConfig, generatePosts, generateTruth, planWorld, type SynthPost } from "./generate.js";
import { localHour } from "./plan.js";
import { localDay, localMinute, weekdayOf } from "./shifts.js";

const TEHRAN = 210;
const FRIDAY = 5;
const DAY_MS = 86_400_000;

const cfg = evalConfig(20_000, 8);
const plan = planWorld(cfg);
const posts = [...generatePosts(cfg, plan)];
const truth = generateTruth(cfg, plan);
const ms = (p: SynthPost): number => Date.parse(p.ts);
const unit = truth.campaigns.find((c) => c.kind === "shift-unit")!;
const byAccount = new Map<string, SynthPost[]>();
for (const p of posts) {
  const list = byAccount.get(p.account_id) ?? [];
  list.push(p);
  byAccount.set(p.account_id, list);
}
const of = (a: string): SynthPost[] => byAccount.get(a) ?? [];

describe("calendar helpers", () => {
  it("read Tehran dates, weekdays and minutes", () => {
    // 2024-03-01 was a Friday; 21:00 UTC on Thursday 29 February is 00:30 on Friday in Tehran.
    const t = Date.parse("2024-02-29T21:00:00Z");
    expect(weekdayOf(localDay(t, TEHRAN))).toBe(FRIDAY);
    expect(weekdayOf(localDay(t, 0))).toBe(4);
    expect(localMinute(t, TEHRAN)).toBe(30);
    expect(localMinute(Date.parse("2024-03-01T00:00:00Z"), -300)).toBe(19 * 60);
  });
});

describe("the shift unit", () => {
  it("has 30-45 accounts in three cohorts whose 8-hour shifts tile the day in Tehran time", () => {
    expect(unit.accounts.length).toBeGreaterThanOrEqual(30);
    expect(unit.accounts.length).toBeLessThanOrEqual(45);
    expect(unit.bursts).toEqual([]);
    const s = unit.shift!;
    expect(s.zone).toBe("+03:30");
    expect(s.day_off).toBe("Friday");
    expect(s.cohorts.map((c) => c.local)).toEqual(["00:00-08:00", "08:00-16:00", "16:00-24:00"]);
    expect(s.cohorts.map((c) => c.utc)).toEqual(["20:30-04:30", "04:30-12:30", "12:30-20:30"]);
    expect(s.cohorts.flatMap((c) => c.accounts).sort()).toEqual([...unit.accounts].sort());
    for (const c of s.cohorts) expect(c.accounts.length).toBeGreaterThanOrEqual(9);
  });

  it("posts only inside each member's shift, never on a Friday in Tehran, 40-150 times over 3-6 weeks", () => {
    const outside: string[] = [];
    unit.shift!.cohorts.forEach((c, k) => {
      const [lo, hi] = [k * 480, (k + 1) * 480];
      for (const a of c.accounts) {
        const mine = of(a);
        expect(mine.length).toBeGreaterThanOrEqual(40);
        expect(mine.length).toBeLessThanOrEqual(150);
        for (const p of mine) {
          const m = localMinute(ms(p), TEHRAN);
          if (m < lo || m >= hi || weekdayOf(localDay(ms(p), TEHRAN)) === FRIDAY)
            outside.push(`${a} ${p.ts}`);
        }
        const span = ms(mine[mine.length - 1]!) - ms(mine[0]!);
        expect(span).toBeGreaterThanOrEqual(14 * DAY_MS);
        expect(span).toBeLessThanOrEqual(42 * DAY_MS);
      }
    });
    expect(outside).toEqual([]);
    const days = (Date.parse(unit.last_seen) - Date.parse(unit.first_seen)) / DAY_MS;
    expect(days).toBeGreaterThanOrEqual(18);
    expect(days).toBeLessThanOrEqual(42);
  });

  it("fills each shift evenly to its edges: every hour of the shift is busy, the hours beside it are empty", () => {
    unit.shift!.cohorts.forEach((c, k) => {
      const hours = new Array<number>(24).fill(0);
      for (const a of c.accounts) for (const p of of(a)) hours[localHour(ms(p), TEHRAN)]!++;
      const inside = hours.slice(k * 8, k * 8 + 8);
      const mean = inside.reduce((x, y) => x + y, 0) / 8;
      for (const h of inside) expect(h).toBeGreaterThan(mean * 0.6);
      expect(hours[(k * 8 + 23) % 24]).toBe(0);
      expect(hours[(k * 8 + 8) % 24]).toBe(0);
    });
  });

  it("acts without synchrony: no more than a few members ever post within the same minute", () => {
    const times = unit.accounts.flatMap((a) => of(a).map(ms)).sort((x, y) => x - y);
    let most = 0;
    for (let i = 0, j = 0; i < times.length; i++) {
      while (times[i]! - times[j]! > 60_000) j++;
      most = Math.max(most, i - j + 1);
    }
    expect(most).toBeLessThanOrEqual(4);
  });

  it("uses its hashtags in a modest share of posts (about 10-20%), spread over members", () => {
    const tags = new Set(unit.tags);
    expect(tags.size).toBeGreaterThanOrEqual(2);
    const all = unit.accounts.flatMap(of);
    const tagged = all.filter((p) => p.hashtags.some((h) => tags.has(h)));
    expect(tagged.length / all.length).toBeGreaterThan(0.06);
    expect(tagged.length / all.length).toBeLessThan(0.25);
    expect(new Set(tagged.map((p) => p.account_id)).size).toBeGreaterThan(unit.accounts.length * 0.6);
    for (const p of tagged) expect(p.text).toContain(`#${p.hashtags[0]}`);
  });
});

describe("rhythm traps", () => {
  it("include night-shift workers who mostly post at night, on every weekday, with days off on a roster", () => {
    const night = truth.organicTraps.find((t) => t.kind === "night-shift")!;
    expect(night.accounts!.length).toBe(cfg.traps.nightWorkers);
    for (const w of plan.nightWorkers) {
      const a = plan.accounts[w.account]!;
      const mine = of(a.id);
      expect(mine.length).toBeGreaterThan(40);
      const inShift = mine.filter((p) => {
        const m = localMinute(ms(p), a.tzOffsetMin);
        const from = w.startLocalMin;
        const rel = (m - from + 1440) % 1440;
        return rel < w.hours * 60;
      }).length;
      expect(inShift / mine.length).toBeGreaterThan(0.35);
      expect(inShift / mine.length).toBeLessThan(0.9);
      const weekdays = new Set(mine.map((p) => weekdayOf(localDay(ms(p), a.tzOffsetMin))));
      expect(weekdays.size).toBe(7);
      expect(a.role).toBe("organic");
    }
  });

  it("keep ordinary accounts on smooth days that peak in the evening, and news bots round the clock", () => {
    // Every syndication bot posts at all hours: no ten-hour stretch of the day holds 90% of its posts.
    for (const t of truth.organicTraps.filter((x) => x.kind === "news-bots")) {
      for (const bot of t.accounts!) {
        const hours = new Array<number>(24).fill(0);
        for (const p of of(bot)) hours[new Date(p.ts).getUTCHours()]!++;
        const total = hours.reduce((x, y) => x + y, 0);
        expect(total).toBeGreaterThan(cfg.days);
        for (let h = 0; h < 24; h++) {
          let block = 0;
          for (let k = 0; k < 10; k++) block += hours[(h + k) % 24]!;
          expect(block / total).toBeLessThan(0.9);
        }
      }
    }
    const tehran = new Set(
      plan.accounts
        .filter((a) => a.role === "organic" && a.tzOffsetMin === TEHRAN && a.activity > 0)
        .map((a) => a.id),
    );
    const hours = new Array<number>(24).fill(0);
    for (const p of posts) if (tehran.has(p.account_id) && !p.repost_of) hours[localHour(ms(p), TEHRAN)]!++;
    const peak = hours.indexOf(Math.max(...hours));
    expect(peak).toBeGreaterThanOrEqual(17);
    expect(peak).toBeLessThanOrEqual(23);
    expect(Math.min(...hours)).toBeGreaterThan(0);
  });
});

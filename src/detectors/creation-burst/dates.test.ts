/**
 * Creation dates that are not creations (a source's collection time, a placeholder) and dates given to the month
 * or to the day in a zone east or west of UTC.
 */
import { describe, expect, it } from "vitest";
import { seededRng } from "../detector.js";
import { runDetectors, type DetectorRun } from "../run.js";
import { DAY, HOUR, key, suiteCases } from "../../../test/helpers/posts.js";
import type { ProfilePost } from "../../../test/helpers/creation-world.js";
import { dayOf, firstOfMonthShare, monthOf, placeholderInstants, stampInstant } from "./dates.js";

describe("what a source writes in place of a creation date", () => {
  it("takes an instant that two impossible dates share as the source's placeholder", () => {
    expect([...placeholderInstants([5, 7, 5, 9])]).toEqual([5]);
    expect(placeholderInstants([5, 7, 9]).size).toBe(0);
  });

  it("takes one instant for half the accounts or more (ten at least) as the source's stamp", () => {
    const t = Float64Array.from({ length: 30 }, (_, i) =>
      i < 16 ? 1_700_000_000_000 : 1_600_000_000_000 + i * 1000,
    );
    expect(stampInstant(t)).toBe(1_700_000_000_000);
    expect(stampInstant(t.subarray(0, 20))).toBe(1_700_000_000_000);
    expect(stampInstant(t.subarray(10))).toBeNull();
    // a factory's ten accounts in one second among 30 people is not half the case
    const few = Float64Array.from({ length: 40 }, (_, i) => (i < 10 ? 1_700_000_000_000 : i * 1000));
    expect(stampInstant(few)).toBeNull();
  });
});

describe("dates given to the day or the month", () => {
  it("reads the date in the zone whose midnight it marks", () => {
    // midnight in Berlin in winter (23:00 UTC the day before), in New York (05:00 UTC), in Tehran (20:30 UTC)
    expect(dayOf(Date.UTC(2024, 1, 9, 23))).toBe("2024-02-10");
    expect(dayOf(Date.UTC(2024, 1, 10, 5))).toBe("2024-02-10");
    expect(dayOf(Date.UTC(2024, 1, 9, 20, 30))).toBe("2024-02-10");
    expect(monthOf(Date.UTC(2019, 1, 28, 20, 30))).toBe("2019-03");
  });

  it("tells dates given to the month from dates given to the day", () => {
    const rng = seededRng(2);
    const days = Array.from(
      { length: 600 },
      () => Math.floor((Date.UTC(2015, 0, 1) + rng() * 3000 * DAY) / DAY) * DAY,
    );
    expect(firstOfMonthShare(days)).toBeLessThan(0.1);
    const months = days.map((t) => Date.UTC(new Date(t).getUTCFullYear(), new Date(t).getUTCMonth(), 1));
    expect(firstOfMonthShare(months)).toBe(1);
    expect(firstOfMonthShare(months.map((t) => t - HOUR))).toBe(1);
  });
});

const cases = suiteCases();

async function detect(posts: ProfilePost[], name: string): Promise<DetectorRun> {
  const { store } = await cases.open(posts, name);
  const { runs } = await runDetectors(store, {
    only: ["creation-burst"],
    now: new Date("2024-06-01T00:00:00Z"),
  });
  return runs[0]!;
}

/** An account with one post at `ts`, created at `created` (ISO), with a full profile or a factory's empty one. */
function account(id: string, handle: string, created: string, ts: string, factory = false): ProfilePost {
  return {
    platform: "twitter",
    post_id: `post-${id}`,
    account_id: id,
    handle,
    ts,
    text: "hello",
    urls: [],
    hashtags: [],
    mentions: [],
    account_created_at: created,
    ...(factory
      ? {}
      : { display_name: handle, bio: "Photographer", avatar_url: `https://img.example/${id}.jpg` }),
  };
}

/** `n` people who joined between 2012 and 2024 (at the second), posting in March 2024. */
function people(n: number, seed: number, prefix = "u"): ProfilePost[] {
  const rng = seededRng(seed);
  const from = Date.UTC(2012, 0, 1);
  return Array.from({ length: n }, (_, i) =>
    account(
      `${prefix}${i}`,
      `person_${prefix}${i}`,
      new Date(from + Math.floor((rng() * (Date.UTC(2024, 0, 1) - from)) / 1000) * 1000).toISOString(),
      new Date(Date.UTC(2024, 2, 1) + Math.floor(rng() * 20 * DAY)).toISOString(),
    ),
  );
}

/** `n` factory accounts created at `created(i)` (epoch ms), posting in March 2024. */
function factory(n: number, created: (i: number) => number): ProfilePost[] {
  return Array.from({ length: n }, (_, i) =>
    account(
      `made${i}`,
      `vatan${48213000 + i}`,
      new Date(created(i)).toISOString(),
      "2024-03-05T10:00:00Z",
      true,
    ),
  );
}

describe("a source that wrote its collection time for the accounts' creation", () => {
  // Guards a fixed bug: 500 accounts stamped with one collection time made one "burst" of every account.
  it("skips, saying why, when every account has the same creation instant", async () => {
    const stamped = people(300, 3).map((p) => ({
      ...p,
      ts: "2024-05-20T08:00:00Z",
      account_created_at: "2024-05-20T09:12:44Z",
    }));
    const r = await detect(stamped, "stamped");
    expect(r.status).toBe("skipped");
    expect(r.message).toMatch(
      /300 of the accounts' creation dates are one instant, 2024-05-20T09:12:44\.000Z: a time the source wrote for all of them/,
    );
  });

  // Guards a fixed bug: the 481 accounts that had posted before the collection time were left out, and the 19 that
  // posted after it made a burst of accounts "created in one second".
  it("leaves out every account at an instant that is impossible for others", async () => {
    const rng = seededRng(4);
    const collected = people(200, 5, "c").map((p) => ({
      ...p,
      ts: new Date(Date.UTC(2024, 4, 13) + Math.floor(rng() * 7.3 * DAY)).toISOString(),
      account_created_at: "2024-05-20T09:12:44Z",
    }));
    const r = await detect(
      [...people(1500, 6), ...collected, ...factory(20, (i) => Date.UTC(2024, 1, 10, 6) + i * 300_000)],
      "collected",
    );
    const later = collected.filter((p) => Date.parse(p.ts) > Date.parse("2024-05-19T09:12:44Z")).length;
    expect(later).toBeGreaterThan(5);
    expect(r.result.warnings.join(" ")).toContain(
      `${200 - later} accounts' creation dates are more than a day after their first post in the case, which no creation can be (a placeholder or the time of an export): left out, with ${later} other accounts given the same instant by the source`,
    );
    const flagged = new Set(r.result.findings.map((f) => f.subject));
    expect(collected.filter((p) => flagged.has(key(p.account_id)))).toEqual([]);
    expect(factory(20, () => 0).every((p) => flagged.has(key(p.account_id)))).toBe(true);
  });
});

describe("creation dates given to the month or to the day", () => {
  const toMonth = (p: ProfilePost): ProfilePost => ({
    ...p,
    account_created_at: `${p.account_created_at!.slice(0, 7)}-01T00:00:00Z`,
  });

  // Guards a fixed bug: a profile page's "Joined March 2019", stored as 2019-03-01, put a month's sign-ups on one
  // day, and 139 of 140 months were bursts of a day.
  it("tests windows of a month when the source gives the month only, and finds a month's factory", async () => {
    const even = await detect(people(1500, 7).map(toMonth), "by-month");
    expect(even.result.findings).toEqual([]);
    expect(even.result.details).toMatchObject({ date_precision: "month", windows_hours: [28 * 24] });
    expect(even.result.warnings[0]).toMatch(
      /most on the first of a month: the source gives them to the month/,
    );

    const made = factory(120, (i) => Date.UTC(2022, 4, 3) + i * 3 * HOUR);
    const withFactory = await detect([...people(1500, 7), ...made].map(toMonth), "by-month-factory");
    const found = new Map(withFactory.result.findings.map((f) => [f.subject, f]));
    for (const p of made) expect(found.get(key(p.account_id))?.strength).toBe("strong");
    expect(found.get(key(made[0]!.account_id))!.explanation).toMatch(
      /^@vatan48213000 was created in 2022-05 \(the source gives the month only\), one of \d+ accounts created in the same month where about/,
    );
  });

  // Guards a fixed bug: a date given to the day at midnight in Berlin (23:00 UTC the day before) was explained as
  // created the day before.
  it("names the day a date given to the day marks, in the zone of its midnight", async () => {
    const berlin = (p: ProfilePost): ProfilePost => {
      const d = Date.parse(`${p.account_created_at!.slice(0, 10)}T00:00:00Z`);
      const summer = new Date(d).getUTCMonth() >= 3 && new Date(d).getUTCMonth() <= 8;
      return { ...p, account_created_at: new Date(d - (summer ? 2 : 1) * HOUR).toISOString() };
    };
    const made = factory(30, (i) => Date.UTC(2024, 1, 10, 3) + i * 60_000);
    const r = await detect([...people(1500, 8), ...made].map(berlin), "berlin-days");
    expect(r.result.details).toMatchObject({ date_precision: "day" });
    const f = r.result.findings.find((x) => x.subject === key(made[0]!.account_id))!;
    expect(f.explanation).toContain("was created on 2024-02-10 (the source gives the day only)");
  });
});

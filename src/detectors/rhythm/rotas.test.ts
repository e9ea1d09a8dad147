/**
 * Rotas against organisations that only look like one, end to end on ingested cases. Each world is built as the
 * phenomenon is: people at desks or on shifts in a zone of their own, each arriving and leaving a little off the
 * hour, now and then absent, posting at their own random times, the desks closed on their own weekends and holidays.
 * Regressions of the QA pass: three follow-the-sun offices read as one unit, a Berlin rota read at UTC-05:00, and a
 * one-zone unit resting at weekends ruled out as offices.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { Finding } from "../../model/index.js";
import { runDetectors, type DetectorRun } from "../run.js";
import { seededRng } from "../detector.js";
import { accountIds, DAY, HOUR, key, MINUTE, PostLog, suiteCases } from "../../../test/helpers/posts.js";

const NOW = new Date("2024-09-01T00:00:00Z");
const cases = suiteCases();

async function rhythmOf(log: PostLog, name: string): Promise<DetectorRun> {
  const { store } = await cases.open(log.posts, name);
  const { runs } = await runDetectors(store, { only: ["rhythm"], params: { rhythm: {} }, now: NOW });
  return runs[0]!;
}

/** A place of work: who works there, in which zone, when, and on which local days. */
interface Workplace {
  name: string;
  staff: number;
  /** Minutes east of UTC. */
  zone: number;
  /** Local opening time, minutes after midnight, and hours open. */
  opens: number;
  hours: number;
  /** Local weekdays worked (0 = Monday). */
  weekdays: number[];
  /** Local dates (YYYY-MM-DD) closed although they are working weekdays: the place's own holidays. */
  holidays?: string[];
  /** Largest minutes a person arrives late or leaves early (a shift hands over on time; an office is looser). */
  slack: number;
  /** Mean posts of a person per working day. */
  rate: number;
}

/**
 * The posts of every person working at `w` for `days` local days from the local date `first` (YYYY-MM-DD).
 * A person's posts fall at random inside their own hours that day; one in twenty working days they are away; one
 * in fifty days they post once in the evening at home.
 */
function staff(log: PostLog, rng: () => number, w: Workplace, first: string, days: number): string[] {
  const people = accountIds(`${w.name}_`, w.staff);
  const poisson = (mean: number): number => {
    const l = Math.exp(-mean);
    let k = 0;
    for (let p = rng(); p > l; p *= rng()) k++;
    return k;
  };
  const day0 = Date.parse(`${first}T00:00:00Z`) / DAY;
  for (const person of people) {
    const rate = w.rate * (0.6 + 0.8 * rng());
    for (let d = day0; d < day0 + days; d++) {
      const localMidnight = d * DAY - w.zone * MINUTE;
      const weekday = (((d + 3) % 7) + 7) % 7;
      const date = new Date(d * DAY).toISOString().slice(0, 10);
      if (rng() < 0.02) log.add(person, localMidnight + 19 * HOUR + Math.floor(rng() * 3 * HOUR));
      if (!w.weekdays.includes(weekday) || w.holidays?.includes(date) || rng() < 0.05) continue;
      const from = (w.opens + rng() * w.slack) * MINUTE;
      const to = (w.opens + w.hours * 60 - rng() * w.slack) * MINUTE;
      const n = poisson(rate);
      for (let i = 0; i < n; i++) log.add(person, localMidnight + Math.floor(from + rng() * (to - from)));
    }
  }
  return people;
}

const MON_FRI = [0, 1, 2, 3, 4];
const EVERY_DAY = [0, 1, 2, 3, 4, 5, 6];

const bySubject = (r: DetectorRun): Map<string, Finding> =>
  new Map(r.result.findings.map((f) => [f.subject, f]));

describe("follow the sun: three offices that tile the day are not one unit (QA defect 1)", () => {
  // a customer-support desk in Manila open every day 08:00-16:00 (00:00-08:00 UTC), and offices in Dublin and Los
  // Angeles open 09:00-17:00 Monday to Friday (08:00-16:00 and 16:00-24:00 UTC in summer): they hand over to one
  // another on the hour, as one unit's three shifts would, but each keeps the week of an office in its own zone
  let run: DetectorRun;
  const people: string[] = [];
  beforeAll(async () => {
    const rng = seededRng(101);
    const log = new PostLog();
    const first = "2024-05-06"; // a Monday
    const desks: Workplace[] = [
      {
        name: "manila",
        staff: 6,
        zone: 480,
        opens: 480,
        hours: 8,
        weekdays: EVERY_DAY,
        holidays: ["2024-06-12"],
        slack: 20,
        rate: 6,
      },
      {
        name: "dublin",
        staff: 5,
        zone: 60,
        opens: 540,
        hours: 8,
        weekdays: MON_FRI,
        holidays: ["2024-06-03"],
        slack: 20,
        rate: 6,
      },
      {
        name: "losangeles",
        staff: 5,
        zone: -420,
        opens: 540,
        hours: 8,
        weekdays: MON_FRI,
        holidays: ["2024-05-27"],
        slack: 20,
        rate: 6,
      },
    ];
    for (const w of desks) people.push(...staff(log, rng, w, first, 35));
    run = await rhythmOf(log, "follow-the-sun-seven-day-desk");
  });

  it("gives no strong finding and binds no one, listing the tiling as ruled out", () => {
    expect(run.status).toBe("ok");
    const found = bySubject(run);
    // the offices are block-shaped: the detector sees them, and must not take them for a unit
    expect(people.filter((p) => found.has(key(p))).length).toBeGreaterThan(people.length / 2);
    for (const f of run.result.findings) expect(f.strength, f.subject).not.toBe("strong");
    expect(run.result.counts["rotas"]).toBe(0);
    expect(run.result.edges.filter((e) => e.evidence["significant"])).toEqual([]);
    expect(run.result.counts["office_hour_tilings"]).toBe(1);
    const ruled = (run.result.details as { ruled_out: Array<{ reason: string; cohorts: unknown[] }> })
      .ruled_out;
    expect(ruled).toHaveLength(1);
    expect(ruled[0]!.cohorts).toHaveLength(3);
    expect(ruled[0]!.reason).toMatch(/do not rest on the same days/);
  });

  it("explains that each cohort keeps an office's week in a zone of its own", () => {
    const found = bySubject(run);
    const manila = found.get(key("manila_1"));
    expect(manila?.evidence["role"]).toBe("office-hours tiling");
    expect(manila!.explanation).toMatch(/every day/);
    const dublin = found.get(key("dublin_1"));
    expect(dublin?.evidence["role"]).toBe("office-hours tiling");
    expect(dublin!.explanation).toMatch(/Monday to Friday/);
  });
});

describe("follow the sun, eight hours apart on the hour: the offices' own holidays", () => {
  // Los Angeles, London and Singapore in winter are exactly eight hours apart: their offices, open 09:00-17:00
  // Monday to Friday, hand over on the hour and share a Saturday-Sunday weekend in UTC, as one unit resting at
  // weekends would. Each keeps its own holidays: Martin Luther King Day and Presidents' Day in Los Angeles, the
  // Chinese New Year's Monday in Singapore; a unit rests whole days
  it("rules the tiling out by the holiday one office keeps while the others work", async () => {
    const rng = seededRng(404);
    const log = new PostLog();
    const desks: Workplace[] = [
      { name: "la", zone: -480, holidays: ["2024-01-15", "2024-02-19"] },
      { name: "london", zone: 0, holidays: [] },
      { name: "singapore", zone: 480, holidays: ["2024-02-12"] },
    ].map((d) => ({ ...d, staff: 5, opens: 540, hours: 8, weekdays: MON_FRI, slack: 20, rate: 6 }));
    const people = desks.flatMap((w) => staff(log, rng, w, "2024-01-08", 49));
    const run = await rhythmOf(log, "follow-the-sun-holidays");
    const found = bySubject(run);
    expect(people.filter((p) => found.has(key(p))).length).toBeGreaterThan(people.length / 2);
    for (const f of run.result.findings) expect(f.strength, f.subject).toBe("weak");
    expect(run.result.counts["rotas"]).toBe(0);
    const ruled = (run.result.details as { ruled_out: Array<{ reason: string }> }).ruled_out;
    expect(ruled).toHaveLength(1);
    expect(ruled[0]!.reason).toMatch(/holiday of their own/);
  });
});

describe("a rota's zone (QA defect 2)", () => {
  // a unit in Berlin in winter (UTC+01:00) on 06:00-14:00, 14:00-22:00 and 22:00-06:00, resting on Sundays: every
  // zone from UTC-05:00 to UTC+02:00 puts its changes on the hour and its rest on one local day; the old midnight
  // rule named UTC-05:00, where the early shift starts at midnight
  let run: DetectorRun;
  let unit: string[];
  beforeAll(async () => {
    const rng = seededRng(202);
    const log = new PostLog();
    const shifts = [6, 14, 22].map((h, i) => ({
      name: `berlin${i + 1}`,
      staff: 5,
      zone: 60,
      opens: h * 60,
      hours: 8,
      weekdays: [0, 1, 2, 3, 4, 5],
      slack: 5,
      rate: 7,
    }));
    unit = shifts.flatMap((w) => staff(log, rng, w, "2024-01-08", 42));
    run = await rhythmOf(log, "berlin");
  });

  it("finds the unit, and does not name a zone the schedule cannot single out", () => {
    const found = bySubject(run);
    for (const acc of unit) expect(found.get(key(acc))?.strength, acc).toBe("strong");
    const f = found.get(key(unit[0]!))!;
    const ev = f.evidence as Record<string, unknown>;
    const consistent = [ev["zone"], ...(ev["zone_alternatives"] as string[])];
    // Berlin's offset is among those the schedule fits, and the reading says it cannot choose among them
    expect(consistent).toContain("+01:00");
    expect(ev["zone_determined"]).toBe(false);
    expect(f.explanation).toMatch(/cannot tell/);
    expect(f.explanation).not.toMatch(/reads best/);
    // the day of rest is the same in every zone the schedule fits, so it is named
    const days = (ev["days_off"] as Array<{ weekday_local: string }>).map((d) => d.weekday_local);
    expect(days).toEqual(["Sunday"]);
  });
});

describe("a one-zone unit that rests at weekends (QA defect 3)", () => {
  // three shifts round the clock in Moscow (UTC+03:00, no daylight saving), 00:00-08:00, 08:00-16:00 and
  // 16:00-24:00, Monday to Friday: each shift alone could be an office's hours in some zone, but the unit covers
  // the whole day and hands over on the minute, and rests on the same two days
  it("flags every member as strong, in one rota, not ruled out as offices", async () => {
    const rng = seededRng(303);
    const log = new PostLog();
    const shifts = [0, 8, 16].map((h, i) => ({
      name: `moscow${i + 1}`,
      staff: 5,
      zone: 180,
      opens: h * 60,
      hours: 8,
      weekdays: MON_FRI,
      slack: 5,
      rate: 7,
    }));
    const unit = shifts.flatMap((w) => staff(log, rng, w, "2024-03-04", 35));
    const run = await rhythmOf(log, "moscow");
    const found = bySubject(run);
    for (const acc of unit) {
      const f = found.get(key(acc));
      expect(f?.strength, acc).toBe("strong");
      expect(f!.evidence["role"]).toBe("rota");
      const days = (f!.evidence["days_off"] as Array<{ weekday_local: string }>).map((d) => d.weekday_local);
      expect(days).toEqual(["Saturday", "Sunday"]);
    }
    expect(run.result.counts["rotas"]).toBe(1);
    expect(run.result.counts["office_hour_tilings"]).toBe(0);
  });
});

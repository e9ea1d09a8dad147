import { describe, expect, it } from "vitest";
import { ALL_LAYERS } from "../../../src/campaign/layers.js";
import {
  formatDate,
  formatGap,
  formatNumber,
  formatP,
  KEYS,
  layerList,
  layerName,
  PERSIAN,
  roleKey,
  t,
  term,
  type Vocabulary,
} from "./i18n.js";

describe("interface strings", () => {
  it("has every English string in Persian too, with the same placeholders", () => {
    const missing = KEYS.filter((k) => PERSIAN[k] === undefined);
    expect(missing).toEqual([]);
    for (const k of KEYS) {
      const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(names(t("fa", k)), k).toEqual(names(t("en", k)));
    }
  });

  it("fills placeholders", () => {
    expect(t("en", "showing", { n: 3, m: 10, what: "accounts" })).toBe("Showing 3 of 10 accounts");
  });
});

describe("numbers and dates for display", () => {
  const fa = { lang: "fa" as const, calendar: "persian" as const, tz: "UTC" };
  const en = { lang: "en" as const, calendar: "gregorian" as const, tz: "UTC" };

  it("writes Persian digits and the Jalali calendar, the data staying UTC", () => {
    expect(formatNumber(1234, fa)).toBe("۱٬۲۳۴");
    // the Persian new year 1403 began on 20 March 2024
    expect(formatDate("2024-03-20T12:00:00Z", fa)).toMatch(/۱ فروردین ۱۴۰۳/);
    expect(formatDate("2024-03-19T12:00:00Z", fa)).toMatch(/۱۴۰۲/);
    expect(formatDate("2024-03-20T12:00:00Z", en)).toBe("20 Mar 2024");
    // a zone moves the clock, not the data
    expect(formatDate("2024-03-20T22:00:00Z", { ...en, tz: "Asia/Tehran" }, true)).toMatch(
      /21 Mar 2024, 01:30:00/,
    );
    expect(formatDate("not a date", en)).toBe("not a date");
    expect(formatDate(null, en)).toBe("–");
  });

  it("keeps tiny p-values readable and gaps in sensible units", () => {
    expect(formatP(4.9e-11, en)).toBe("4.9×10^-11");
    expect(formatP(0.02, en)).toBe("0.02");
    expect(formatGap(2.077, en)).toBe("2.077 s");
    expect(formatGap(250, en)).toBe("4 min 10 s");
    expect(formatGap(-3 * 3600 - 300, en)).toBe("3 h 5 min");
  });
});

describe("a member's role", () => {
  it("is said in the interface's language, and a role it does not know as the data names it", () => {
    expect(roleKey("core")).toBe("role_core");
    expect(t("fa", roleKey("fringe")!)).toBe("حاشیه");
    expect(t("en", roleKey("member")!)).toBe("member");
    expect(roleKey("lead")).toBeNull();
  });
});

describe("a layer's name", () => {
  it("is said in Persian for every layer a tie can be on, and in English as the data names it", () => {
    const untranslated = ALL_LAYERS.filter(
      (l) => layerName("fa", l) === l || /[A-Za-z]/.test(layerName("fa", l)),
    );
    expect(untranslated).toEqual([]);
    for (const l of ALL_LAYERS) expect(layerName("en", l)).toBe(l);
    // one Persian word each: no two layers read the same
    expect(new Set(ALL_LAYERS.map((l) => layerName("fa", l))).size).toBe(ALL_LAYERS.length);
  });

  it("leaves a layer the interface does not know as the data names it, and lists layers with the language's comma", () => {
    expect(layerName("fa", "telepathy")).toBe("telepathy");
    expect(layerList("fa", ["repost", "reply"])).toBe(
      `${layerName("fa", "repost")}، ${layerName("fa", "reply")}`,
    );
    expect(layerList("en", ["repost", "reply"])).toBe("repost, reply");
  });
});

describe("the data's vocabularies", () => {
  /** Each vocabulary's values, as the dictionary holds them (`<vocabulary>_<value>`). */
  const valuesOf = (v: Vocabulary): string[] =>
    KEYS.filter((k) => k.startsWith(`${v}_`)).map((k) => k.slice(v.length + 1));
  const vocabularies: Vocabulary[] = [
    "layer",
    "tier",
    "strength",
    "detector",
    "verdict",
    "role",
    "status",
    "label",
  ];

  it("are said in Persian words, one word a value, and in English as the data names them", () => {
    for (const v of vocabularies) {
      const values = valuesOf(v);
      expect(values.length, v).toBeGreaterThan(0);
      const persian = values.map((x) => term("fa", v, x));
      expect(
        persian.filter((p) => /[A-Za-z]/.test(p)),
        v,
      ).toEqual([]);
      expect(new Set(persian).size, v).toBe(values.length);
    }
    // the tiers, strengths and detectors are the data's own words in English, as the layers are
    for (const v of ["tier", "strength", "detector", "layer"] as const)
      for (const x of valuesOf(v)) expect(term("en", v, x)).toBe(x);
  });

  it("leaves a value it does not know as the data names it", () => {
    expect(term("fa", "detector", "telepathy")).toBe("telepathy");
    expect(term("fa", "tier", "")).toBe("");
    expect(layerName("fa", "repost")).toBe(term("fa", "layer", "repost"));
  });
});

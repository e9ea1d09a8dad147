import { describe, expect, it } from "vitest";
import { seededRng } from "../detectors/detector.js";
import type { Edge } from "../model/index.js";
import type { SharedObjectFact } from "./facts.js";
import { burstExclusivity, clientNamesSite, confidence, oneWayShare, strongestFirst } from "./index.js";
import { windowWords } from "./summary.js";

function fact(
  kind: string,
  value: string,
  burst: number,
  shares: number,
  total: number,
  members = shares,
  together = 0,
): SharedObjectFact {
  return { kind, value, burst, shares, total, members, together };
}

describe("burstExclusivity", () => {
  const objects = [
    fact("url", "u1", 4, 4, 34), // 4 members in a burst, 30 others share it too
    fact("url", "u2", 3, 3, 3), // only the group shares it
    fact("hashtag", "h1", 5, 5, 10),
    fact("url", "u3", 1, 1, 100), // no burst: one member alone
    fact("url", "u4", 2, 6, 2), // total below the group's own shares (other layers' counting): capped at 1
  ];

  it("is the mean of the group's part of each object's shares, on its binding layers, weighted by burst size when the group did no more than that together", () => {
    expect(burstExclusivity(objects, ["url"])).toBeCloseTo((4 * (4 / 34) + 3 * 1 + 2 * 1) / (4 + 3 + 2), 12);
    expect(burstExclusivity(objects, ["url", "hashtag"])).toBeCloseTo(
      (4 * (4 / 34) + 3 * 1 + 5 * (5 / 10) + 2 * 1) / (4 + 3 + 5 + 2),
      12,
    );
    expect(burstExclusivity(objects, ["hashtag"])).toBeCloseTo(0.5, 12);
  });

  it("is 0 when the group never acted in a burst on its layers", () => {
    expect(burstExclusivity([], ["url"])).toBe(0);
    expect(burstExclusivity(objects, ["repost"])).toBe(0);
    expect(burstExclusivity([fact("url", "u", 1, 1, 1)], ["url"])).toBe(0);
  });

  it("tells a unit that is its objects' whole audience from fans in a crowd", () => {
    const unit = Array.from({ length: 8 }, (_, i) => fact("url", `p${i}`, 6, 6, 6));
    const fans = Array.from({ length: 8 }, (_, i) => fact("url", `v${i}`, 6, 6, 300));
    expect(burstExclusivity(unit, ["url"])).toBe(1);
    expect(burstExclusivity(fans, ["url"])).toBeCloseTo(0.02, 12);
  });

  it("weighs each object by what the group did on it together, so that riding trends does not hide its own tag", () => {
    // a unit of 30 floods its own tag in 15 bursts (half of that tag's shares: it caught on) and adds a trending tag
    // to one burst each time: by burst size alone, the trends would count as much as the tag, 4 to 1
    const own = fact("hashtag", "ourtag", 20, 385, 750, 30, 300);
    const trends = ["a", "b", "c", "d"].map((t) => fact("hashtag", t, 17, 17, 1400, 17, 17));
    const byBurst = (20 * (385 / 750) + 4 * 17 * (17 / 1400)) / (20 + 4 * 17);
    expect(byBurst).toBeLessThan(0.25);
    expect(burstExclusivity([own, ...trends], ["hashtag"])).toBeCloseTo(
      (300 * (385 / 750) + 4 * 17 * (17 / 1400)) / (300 + 4 * 17),
      12,
    );
    expect(burstExclusivity([own, ...trends], ["hashtag"])).toBeGreaterThan(0.4);
  });
});

describe("oneWayShare", () => {
  const objects = [
    fact("repost", "r1", 3, 3, 3), // author outside, never reposts a member
    fact("repost", "r2", 2, 2, 2), // author m1 reposts other members
    fact("repost", "r3", 4, 4, 4), // author unknown
    fact("repost", "r4", 1, 1, 1), // no burst
    fact("url", "r1", 5, 5, 5), // not a repost
  ];
  const authors = new Map([
    ["r1", "twitter:idol"],
    ["r2", "twitter:m1"],
    ["r4", "twitter:idol"],
  ]);

  it("is the burst-weighted share of joint reposts whose author reposts no member", () => {
    expect(oneWayShare(objects, new Set(["twitter:m1", "twitter:m2"]), authors)).toBeCloseTo(3 / 5, 12);
    // when m1 does not repost the others either, every known joint repost is one-way
    expect(oneWayShare(objects, new Set(["twitter:m2"]), authors)).toBe(1);
    expect(oneWayShare(objects, new Set(["twitter:idol", "twitter:m1"]), authors)).toBe(0);
  });

  it("is null when no author of a joint repost is known", () => {
    expect(oneWayShare(objects, new Set(), new Map())).toBeNull();
    expect(oneWayShare([fact("repost", "r4", 1, 1, 1)], new Set(), authors)).toBeNull();
    expect(oneWayShare([], new Set(), authors)).toBeNull();
  });
});

describe("confidence", () => {
  const none = { density: 0, burstShare: 0, exclusivity: 0, objects: 0, fastCoreShare: 0, layers: 0, n: 3 };
  const all = { density: 1, burstShare: 1, exclusivity: 1, objects: 200, fastCoreShare: 1, layers: 3, n: 30 };

  it("is 0 with no support and 1 with every term at its best", () => {
    expect(confidence(none)).toBe(0);
    expect(confidence(all)).toBe(1);
  });

  it("weighs the documented terms: density and exclusivity 0.25, bursts 0.2, objects 0.15, fast 0.1, layers 0.05", () => {
    const half = {
      density: 0.5,
      burstShare: 0.5,
      exclusivity: 0.5,
      objects: 5,
      fastCoreShare: 0.5,
      layers: 1,
      n: 5,
    };
    const want = 0.125 + 0.125 + 0.1 + 0.15 * (1 - Math.exp(-1)) + 0.05 + 0.025;
    expect(confidence(half)).toBe(Math.round(want * 1000) / 1000);
    expect(confidence({ ...none, density: 1 })).toBe(0.25);
    expect(confidence({ ...none, exclusivity: 1 })).toBe(0.25);
    expect(confidence({ ...none, burstShare: 1 })).toBe(0.2);
    expect(confidence({ ...none, fastCoreShare: 1 })).toBe(0.1);
    expect(confidence({ ...none, layers: 1 })).toBe(0.025);
    expect(confidence({ ...none, layers: 5 })).toBe(0.05);
  });

  it("stays in [0, 1] and never falls when a term improves", () => {
    const rng = seededRng(4);
    const terms = ["density", "burstShare", "exclusivity", "objects", "fastCoreShare", "layers"] as const;
    for (let i = 0; i < 200; i++) {
      const f = {
        density: rng(),
        burstShare: rng(),
        exclusivity: rng(),
        objects: Math.floor(rng() * 40),
        fastCoreShare: rng(),
        layers: Math.floor(rng() * 4),
        n: 3 + Math.floor(rng() * 20),
      };
      const s = confidence(f);
      expect(s).toBeGreaterThanOrEqual(0);
      expect(s).toBeLessThanOrEqual(1);
      for (const t of terms) {
        const better = { ...f, [t]: t === "objects" || t === "layers" ? f[t] + 1 : Math.min(1, f[t] + 0.2) };
        expect(confidence(better), t).toBeGreaterThanOrEqual(s);
      }
    }
  });
});

describe("strongestFirst", () => {
  const tie = (a: string, b: string, layer: string, pValue: number | null): Edge => ({
    layer,
    a,
    b,
    weight: 1,
    nObjects: 1,
    lift: null,
    pValue,
    evidence: {},
  });
  it("orders by p-value (none as 1), then accounts, then layer, the same whatever the input order", () => {
    // one pair's url and domain ties both at p = 0 (the strongest underflow to 0): only the layer tells them apart
    const ties = [
      tie("x:1", "x:2", "url", 0),
      tie("x:3", "x:4", "url", 1e-9),
      tie("x:1", "x:2", "domain", 0),
      tie("x:0", "x:9", "sync", null),
      tie("x:0", "x:5", "url", 0.5),
      tie("x:0", "x:1", "hashtag", 1e-9),
    ];
    const expected = [
      ["x:1x:2", "domain"],
      ["x:1x:2", "url"],
      ["x:0x:1", "hashtag"],
      ["x:3x:4", "url"],
      ["x:0x:5", "url"],
      ["x:0x:9", "sync"],
    ];
    const rng = seededRng(11);
    for (let round = 0; round < 20; round++) {
      const shuffled = [...ties].sort(() => rng() - 0.5);
      expect(strongestFirst(shuffled).map((e) => [e.a + e.b, e.layer])).toEqual(expected);
    }
  });
});

describe("clientNamesSite", () => {
  it("matches a client to the site it is named for, either name inside the other", () => {
    expect(clientNamesSite("Dua Reminder", "dua-reminder.app")).toBe(true);
    expect(clientNamesSite("du3a.org", "du3a.org")).toBe(true);
    expect(clientNamesSite("Ghared App", "ghared.com")).toBe(true);
    expect(clientNamesSite("Quran", "quran-daily.net")).toBe(true);
    // Arabic names match Arabic letters only: a client named in Arabic does not name a Latin domain
    expect(clientNamesSite("تطبيق أذكار", "athkar.app")).toBe(false);
  });

  it("never takes the platforms, sites that host many sources, shorteners or short names for an app's site", () => {
    expect(clientNamesSite("Twitter for iPhone", "twitter.com")).toBe(false);
    expect(clientNamesSite("WordPress.com", "wordpress.com")).toBe(false);
    expect(clientNamesSite("Instagram", "instagram.com")).toBe(false);
    // buff.ly is Buffer's shortener: a scheduling tool that campaigns use, not an app signing posts with its site
    expect(clientNamesSite("Buffer", "buff.ly")).toBe(false);
    expect(clientNamesSite("Zad", "zad.app")).toBe(false);
    expect(clientNamesSite("TweetDeck", "thenewsfront18.online")).toBe(false);
  });
});

describe("windowWords", () => {
  it("says a window in seconds up to two minutes, then in the largest whole unit", () => {
    expect(windowWords(60)).toEqual({ length: "60 seconds", adjective: "60-second" });
    expect(windowWords(1)).toEqual({ length: "1 second", adjective: "1-second" });
    expect(windowWords(0.5)).toEqual({ length: "0.5 seconds", adjective: "0.5-second" });
    expect(windowWords(90)).toEqual({ length: "90 seconds", adjective: "90-second" });
    expect(windowWords(120)).toEqual({ length: "2 minutes", adjective: "2-minute" });
    expect(windowWords(150)).toEqual({ length: "150 seconds", adjective: "150-second" });
    expect(windowWords(7200)).toEqual({ length: "2 hours", adjective: "2-hour" });
    expect(windowWords(5400)).toEqual({ length: "90 minutes", adjective: "90-minute" });
    expect(windowWords(604800)).toEqual({ length: "7 days", adjective: "7-day" });
  });
});

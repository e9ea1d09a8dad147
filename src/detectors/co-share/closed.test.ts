/**
 * A closed layer: a unit pasting texts of its own, in a case where no one else pastes any. Each object's own timing
 * then explains every meeting, and the layer is tested against the timing of its shares at large (layer.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { analyzeCase, type AnalysisResult } from "../../report/pipeline.js";
import type { CaseStore } from "../../store/case.js";
import { caseOf, HOUR, key, PostLog, SECOND, T0 } from "../../../test/helpers/posts.js";
import { tempDir } from "../../../test/helpers/tmp.js";
import { isClosed, pooledTiming } from "./layer.js";

const NOW = new Date("2024-06-01T00:00:00Z");
const UNIT = Array.from({ length: 12 }, (_, i) => `paster${i}`);
let tmp: ReturnType<typeof tempDir>;
let store: CaseStore;
let result: AnalysisResult;

beforeAll(async () => {
  tmp = tempDir();
  let seed = 17;
  const rnd = (): number => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const log = new PostLog();
  // 8 rounds, 9 hours apart: each time 10 or 11 of the 12 paste the round's long text within 40 s
  for (let r = 0; r < 8; r++) {
    const text = `بیانیه شماره ${r}: حقیقت را همه باید بدانند و این پیام را تا آخر بخوانند و به اشتراک بگذارند ${r}`;
    UNIT.forEach((a, i) => {
      if ((r + i) % 12 === 0) return;
      log.add(a, T0 + r * 9 * HOUR + Math.floor(rnd() * 40) * SECOND, { text });
    });
  }
  // 40 people posting their own words and links over the same days; nobody pastes
  for (let u = 0; u < 40; u++) {
    for (let k = 0; k < 15; k++) {
      log.add(`person${u}`, T0 + Math.floor(rnd() * 80 * 3600) * SECOND, {
        // words of their own: no two notes are near-duplicates
        text: Array.from({ length: 8 }, () => Math.floor(rnd() * 1e9).toString(36)).join(" "),
        urls: rnd() < 0.3 ? [`https://news${u % 5}.example/${k}`] : [],
      });
    }
  }
  // the unit's accounts have names but no handles, as Telegram's exports give them
  const posts = log.posts.map((p) => {
    if (!p.account_id.startsWith("paster")) return p;
    const { handle: _handle, ...rest } = p;
    return { ...rest, display_name: `Paster ${p.account_id.slice(6)}` } as unknown as typeof p;
  });
  store = (await caseOf(tmp, posts, "paste")).store;
  result = await analyzeCase(store, { outDir: tmp.path("out"), now: NOW, report: false });
});
afterAll(() => {
  store.close();
  tmp.cleanup();
});

describe("a unit pasting texts no one else pastes", () => {
  it("is found as a campaign bound by text, the layer tested against its shares' timing at large", () => {
    const unit = result.campaigns.find((c) => c.members.some((m) => m.key === key(UNIT[0]!)));
    expect(unit?.members.map((m) => m.key).sort()).toEqual(UNIT.map(key).sort());
    expect(unit?.layers).toContain("text");
    // its members are named by their names, with their ids, where they have no handles
    expect(unit?.summary).toMatch(
      /^12 accounts \(among them Paster \d+ \(paster\d+\), Paster \d+ \(paster\d+\)/,
    );
    // its texts are quoted, not only named by the cluster's first post
    expect(unit?.summary).toMatch(/most shared object was the text "بیانیه شماره \d: حقیقت را همه/);
    const texts = unit!.topObjects.filter((o) => o.kind === "text");
    expect(texts.length).toBeGreaterThan(0);
    for (const o of texts) expect(o.text).toMatch(/^بیانیه شماره \d/);
    const co = result.findings.detectors.find((d) => d.id === "co-share")!;
    expect(co.warnings.join(" ")).toMatch(
      /^text: the accounts that meet are nearly all who share this layer's objects/,
    );
    expect(result.campaigns.filter((c) => c.members.some((m) => m.key.includes(":person")))).toEqual([]);
  });
});

describe("isClosed and pooledTiming", () => {
  it("call a layer closed when repeated meetings stay under twice what is expected and their accounts made it", () => {
    const a = Int32Array.from([0, 0, 2]);
    const b = Int32Array.from([1, 2, 3]);
    // accounts 0, 1 and 2 meet again and again; 3 met once. Shares: 0, 1, 2 made 9 of 10
    const mostly = Int32Array.from([0, 0, 0, 1, 1, 1, 2, 2, 2, 3]);
    expect(isClosed(a, b, Uint32Array.from([5, 4, 1]), Float64Array.from([5, 3.9, 0.2]), mostly)).toBe(true);
    expect(isClosed(a, b, Uint32Array.from([5, 4, 1]), Float64Array.from([5, 1.5, 0.2]), mostly)).toBe(false);
    // no pair met three times: nothing to call closed
    expect(isClosed(a, b, Uint32Array.from([2, 1, 1]), Float64Array.from([2, 1, 1]), mostly)).toBe(false);
    // a crowd (account 3) made most of the layer's shares: it has a background
    const crowd = Int32Array.from([0, 1, 2, 3, 3, 3, 3, 3, 3, 3]);
    expect(isClosed(a, b, Uint32Array.from([5, 4, 1]), Float64Array.from([5, 3.9, 0.2]), crowd)).toBe(false);
  });

  it("count the pairs of shares by two accounts within the window, whatever their objects", () => {
    // accounts 0, 1, 2 at 0, 10 and 20 s, and again at 1000 s (0) and 1005 s (1): within 15 s, pairs (0,10), (10,20),
    // (1000,1005) of the 8 pairs by two different accounts (one account's own pairs left out)
    const account = Int32Array.from([0, 1, 2, 0, 1]);
    const ts = Float64Array.from([0, 10_000, 20_000, 1_000_000, 1_005_000]);
    expect(pooledTiming(account, ts, 15_000)).toBeCloseTo(3 / 8);
  });
});

/**
 * The co-share detector end to end on hand-built cases (chorus-jsonl ingested into a temporary case): a planted
 * fast unit and a slower unit among organic accounts, hyperactive accounts and a viral link (see
 * test/helpers/coshare-world.ts), plus tiny cases for the window's bounds and its estimate.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Edge } from "../../model/index.js";
import type { CaseStore } from "../../store/case.js";
import { runDetectors, type DetectorRun } from "../run.js";
import { coShareWorld, type CoShareWorld } from "../../../test/helpers/coshare-world.js";
import { caseOf, HOUR, key, PostLog, SECOND, T0, type JsonlPost } from "../../../test/helpers/posts.js";
import { tempDir } from "../../../test/helpers/tmp.js";

const NOW = new Date("2024-06-01T00:00:00Z");

type CoShareRun = DetectorRun & { runId: number };

async function coShare(store: CaseStore, params: Record<string, unknown>): Promise<CoShareRun> {
  const { runId, runs } = await runDetectors(store, {
    only: ["co-share"],
    params: { "co-share": params },
    now: NOW,
  });
  expect(runs).toHaveLength(1);
  return { ...runs[0]!, runId };
}

/**
 * The example of each of a run's edges (by index), as saved in the case: the detector builds examples by SQL and
 * the runner adds them to the stored evidence, so the edges in memory carry none.
 */
async function savedExamples(store: CaseStore, run: CoShareRun): Promise<Array<Example | undefined>> {
  const rows = await store.all<{ layer: string; a: string; b: string; evidence: string }>(
    "SELECT layer, a, b, evidence::VARCHAR AS evidence FROM edges WHERE run_id = $run",
    { run: run.runId },
  );
  expect(rows).toHaveLength(run.result.edges.length);
  const byTie = new Map(rows.map((r) => [`${r.layer} ${r.a} ${r.b}`, JSON.parse(r.evidence) as Evidence]));
  return run.result.edges.map((e) => {
    const saved = byTie.get(`${e.layer} ${e.a} ${e.b}`)!;
    // the saved evidence is the edge's own, plus its example
    const { example, ...rest } = saved;
    expect(rest).toEqual(e.evidence);
    expect(Object.keys(saved).at(-1)).toBe(example === undefined ? Object.keys(rest).at(-1) : "example");
    return example;
  });
}

const pairKey = (a: string, b: string): string => (a < b ? `${a}|${b}` : `${b}|${a}`);

function pairsOf(accounts: string[]): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i < accounts.length; i++) {
    for (let j = i + 1; j < accounts.length; j++) out.add(pairKey(key(accounts[i]!), key(accounts[j]!)));
  }
  return out;
}

/** The definition, by brute force: distinct URLs two accounts both shared with shares at most `windowMs` apart. */
function bruteCoShares(posts: JsonlPost[], windowMs: number): Map<string, Set<string>> {
  const byUrl = new Map<string, Array<{ account: string; t: number }>>();
  for (const p of posts) {
    for (const u of p.urls)
      byUrl.set(u, [...(byUrl.get(u) ?? []), { account: key(p.account_id), t: Date.parse(p.ts) }]);
  }
  const out = new Map<string, Set<string>>();
  for (const [url, shares] of byUrl) {
    for (let i = 0; i < shares.length; i++) {
      for (let j = i + 1; j < shares.length; j++) {
        const x = shares[i]!;
        const y = shares[j]!;
        if (x.account === y.account || Math.abs(x.t - y.t) > windowMs) continue;
        const k = pairKey(x.account, y.account);
        out.set(k, (out.get(k) ?? new Set<string>()).add(url));
      }
    }
  }
  return out;
}

interface Example {
  object: string;
  a: { post_id: string; ts: string; input_id: number; source_row: number };
  b: { post_id: string; ts: string; input_id: number; source_row: number };
  gap_seconds: number;
  first: string;
  within_window_seconds: number;
}

type Evidence = Record<string, unknown> & { example?: Example };

const tier = (e: Edge): string => String(e.evidence["tier"]);
const bound = (edges: Edge[]): Edge[] => edges.filter((e) => tier(e) !== "chance");

describe("co-share on a world with a planted unit, organic users, hyperactive accounts and a viral link", () => {
  let tmp: ReturnType<typeof tempDir>;
  let store: CaseStore;
  let world: CoShareWorld;
  let url: CoShareRun;
  const unitPairs = (): Set<string> => pairsOf(world.planted);
  const slowPairs = (): Set<string> => pairsOf(world.slow);

  beforeAll(async () => {
    tmp = tempDir();
    world = coShareWorld(7);
    store = (await caseOf(tmp, world.posts)).store;
    url = await coShare(store, { layers: ["url"] });
  });
  afterAll(() => {
    store.close();
    tmp.cleanup();
  });

  it("counts exactly the pairs and co-shared links the definition gives", () => {
    const brute = bruteCoShares(world.posts, 60 * SECOND);
    expect(url.status).toBe("ok");
    expect(url.result.counts["url_shares"]).toBe(world.posts.length);
    expect(url.result.counts["url_pairs"]).toBe(brute.size);
    expect(url.result.counts["accounts"]).toBe(
      world.planted.length + world.slow.length + world.organic.length + world.hyper.length,
    );
    // every pair with at least two co-shared links is an edge (kept even when explained by chance), with its k
    const edges = new Map(url.result.edges.map((e) => [pairKey(e.a, e.b), e]));
    const twice = [...brute].filter(([, objs]) => objs.size >= 2);
    expect(edges.size).toBe(twice.length);
    for (const [pair, objs] of twice) {
      expect(edges.get(pair)?.nObjects, pair).toBe(objs.size);
      expect(edges.get(pair)?.weight, pair).toBe(objs.size);
    }
  });

  it("flags every pair of the fast unit and of the slow unit as significant", () => {
    const sig = url.result.edges.filter((e) => e.evidence["significant"]);
    const sigPairs = new Set(sig.map((e) => pairKey(e.a, e.b)));
    for (const p of [...unitPairs(), ...slowPairs()]) expect(sigPairs.has(p), p).toBe(true);
    for (const e of sig) {
      const unit = unitPairs().has(pairKey(e.a, e.b));
      // the unit shared 8 links together, the slow unit 6; chance may add a pool or the viral link
      expect(e.nObjects).toBeGreaterThanOrEqual(unit ? 8 : 6);
      expect(e.evidence["tier"]).toBe("significant");
      expect(e.pValue!).toBeLessThan(0.01);
      expect(e.pValue!).toBeGreaterThan(0);
      expect(e.lift!).toBeCloseTo(e.nObjects / Number(e.evidence["expected"]), 9);
      expect(e.lift!).toBeGreaterThan(5);
      expect(Number(e.evidence["log10_p"])).toBeCloseTo(Math.log10(e.pValue!), 9);
      expect(e.evidence["window_seconds"]).toBe(60);
    }
    expect(url.result.counts["edges_significant"]).toBe(sig.length);
    expect(url.result.counts["url_significant"]).toBe(sig.length);
  });

  it("does not flag pairs that met only on the viral link, nor the hyperactive accounts", () => {
    const expected = new Set([...unitPairs(), ...slowPairs()]);
    expect(new Set(bound(url.result.edges).map((e) => pairKey(e.a, e.b)))).toEqual(expected);
    // the traps are real: many pairs met on the viral link, and the hyperactive accounts met each other and
    // the organic accounts on several links within the window
    const brute = bruteCoShares(world.posts, 60 * SECOND);
    const viralOnly = [...brute.values()].filter((objs) => objs.size === 1 && objs.has(world.viralUrl));
    expect(viralOnly.length).toBeGreaterThan(50);
    const hyperPair = pairKey(key(world.hyper[0]!), key(world.hyper[1]!));
    expect(brute.get(hyperPair)!.size).toBeGreaterThanOrEqual(5);
    const hyperEdges = url.result.edges.filter((e) => [e.a, e.b].some((x) => x.startsWith("twitter:hyper")));
    expect(hyperEdges.length).toBeGreaterThan(10);
    for (const e of hyperEdges) {
      expect(tier(e)).toBe("chance");
      expect(e.evidence["significant"]).toBe(false);
      expect(e.pValue!).toBeGreaterThan(0.001);
    }
  });

  it("holds its ties as columns that say what its edges say, tie by tie", () => {
    const t = url.result.ties!;
    const edges = url.result.edges;
    expect(t.tier).toHaveLength(edges.length);
    expect(new Set(t.tier)).toEqual(new Set([0, 2]));
    edges.forEach((e, i) => {
      expect(t.edge(i)).toEqual(e);
      expect([t.layers[t.layer[i]!], t.keys[t.a[i]!], t.keys[t.b[i]!]]).toEqual([e.layer, e.a, e.b]);
      expect(t.weight[i]).toBe(e.weight);
      expect(t.pValue[i]).toBe(e.pValue);
      expect(["significant", "candidate", "chance"][t.tier[i]!]).toBe(e.evidence["tier"]);
      expect(t.fast[i] === 1).toBe(e.evidence["fast_core"]);
    });
  });

  it("states what it found and names the accounts in findings", () => {
    const members = [...world.planted, ...world.slow].map(key).sort();
    expect(url.result.counts["edges_significant"]).toBe(15 + 10);
    expect(url.result.counts["accounts_in_significant_edges"]).toBe(members.length);
    expect(url.message).toBe(
      "25 ties co-shared beyond chance (account pairs, one per layer; 11 accounts) within 60 s",
    );
    expect(url.result.findings.map((f) => f.subject)).toEqual(members);
    for (const f of url.result.findings) {
      const unit = f.subject.startsWith("twitter:planted") ? world.planted : world.slow;
      const partners = unit.map(key).filter((k) => k !== f.subject);
      expect(f.detector).toBe("co-share");
      // every partner named (fewer than PARTNERS_SHOWN), once each, strongest tie first
      expect([...(f.evidence["partners"] as string[])].sort()).toEqual(partners.sort());
      expect(f.evidence["partner_count"]).toBe(partners.length);
      expect(f.explanation).toContain(`within 60 s of ${partners.length} other accounts`);
      expect(f.score).toBeGreaterThan(0);
      expect(f.score).toBeLessThanOrEqual(1);
      // five partners is a strong finding; four at least moderate
      if (unit === world.planted) expect(f.strength).toBe("strong");
      else expect(["moderate", "strong"]).toContain(f.strength);
      // the strongest tie named is the account's significant tie of smallest p-value, then most objects, then
      // the partner first by key, whatever the order of the ties
      const mine = url.result.edges.filter(
        (e) => e.evidence["significant"] && (e.a === f.subject || e.b === f.subject),
      );
      const partnerOf = (e: Edge): string => (e.a === f.subject ? e.b : e.a);
      const strongest = [...mine].sort(
        (x, y) =>
          x.pValue! - y.pValue! ||
          y.nObjects - x.nObjects ||
          (partnerOf(x) < partnerOf(y) ? -1 : partnerOf(x) > partnerOf(y) ? 1 : 0),
      )[0]!;
      const other = partnerOf(strongest);
      expect(f.evidence["strongest"]).toEqual({ account: other, layer: "url" });
      expect(f.evidence["layers"]).toEqual(["url"]);
      expect(f.explanation).toContain(
        `strongest tie: ${strongest.nObjects} url objects with @h_${other.slice("twitter:".length)} where ` +
          `${(strongest.evidence["expected"] as number).toPrecision(2)} were expected`,
      );
    }
  });

  it("gives each tie an example post pair with both timestamps, the gap and who was first", async () => {
    const saved = await savedExamples(store, url);
    const edges = bound(url.result.edges);
    const exampleOf = new Map(url.result.edges.map((e, i) => [e, saved[i]!]));
    expect(edges.length).toBeGreaterThan(0);
    const ids = edges.flatMap((e) => {
      const ex = exampleOf.get(e)!;
      return [ex.a.post_id, ex.b.post_id];
    });
    const rows = await store.all<{
      post_id: string;
      account: string;
      t: number;
      input_id: number;
      source_row: number;
    }>(
      `SELECT post_id, platform || ':' || account_id AS account, epoch_ms(ts)::DOUBLE AS t, input_id,
              source_row::INTEGER AS source_row
         FROM posts WHERE post_id IN (SELECT unnest($ids::VARCHAR[]))`,
      { ids: JSON.stringify(ids) },
    );
    const posts = new Map(rows.map((r) => [r.post_id, r]));
    for (const e of edges) {
      const ex = exampleOf.get(e)!;
      const pa = posts.get(ex.a.post_id)!;
      const pb = posts.get(ex.b.post_id)!;
      expect(pa.account).toBe(e.a);
      expect(pb.account).toBe(e.b);
      expect(Date.parse(ex.a.ts)).toBe(pa.t);
      expect(Date.parse(ex.b.ts)).toBe(pb.t);
      expect([ex.a.input_id, ex.a.source_row]).toEqual([pa.input_id, pa.source_row]);
      expect([ex.b.input_id, ex.b.source_row]).toEqual([pb.input_id, pb.source_row]);
      expect(ex.gap_seconds).toBeCloseTo(Math.abs(pa.t - pb.t) / 1000, 9);
      expect(ex.gap_seconds).toBeLessThanOrEqual(60);
      expect(ex.first).toBe(pa.t < pb.t ? "a" : pb.t < pa.t ? "b" : "same time");
      expect(ex.within_window_seconds).toBe(60);
      // the object is one both accounts shared
      const raw = (acc: string): Set<string> => world.sharedBy.get(acc.slice("twitter:".length))!;
      expect(raw(e.a).has(ex.object) && raw(e.b).has(ex.object), ex.object).toBe(true);
    }
  });

  it("marks the ties that hold in the narrower fast window", async () => {
    expect(url.result.details?.["fast_window_seconds"]).toBe(10);
    for (const e of bound(url.result.edges)) {
      // the unit shares within about 4 s, the slow unit 12 s apart: never within 10 s
      expect(e.evidence["fast_core"], pairKey(e.a, e.b)).toBe(unitPairs().has(pairKey(e.a, e.b)));
    }
    // at 15 s, neighbours in the slow chain (12 s apart) hold; members two steps apart (24 s) do not
    const wider = await coShare(store, { layers: ["url"], fastWindow: 15 });
    const slowEdges = bound(wider.result.edges).filter((e) => e.a.startsWith("twitter:slow"));
    expect(slowEdges).toHaveLength(10);
    for (const e of slowEdges) {
      const step = Math.abs(
        Number(e.a.slice("twitter:slow".length)) - Number(e.b.slice("twitter:slow".length)),
      );
      expect(e.evidence["fast_core"], `${e.a} ${e.b}`).toBe(step === 1);
    }
  });

  it("keeps ties unlikely for the pair but not beyond multiple-testing control as candidates", async () => {
    const strict = await coShare(store, { layers: ["url"], alpha: 1e-300 });
    const strictExamples = await savedExamples(store, strict);
    const candidates = strict.result.edges.filter((e) => tier(e) === "candidate");
    expect(new Set(candidates.map((e) => pairKey(e.a, e.b)))).toEqual(
      new Set([...unitPairs(), ...slowPairs()]),
    );
    for (const e of candidates) {
      expect(e.evidence["significant"]).toBe(false);
      expect(e.pValue!).toBeLessThanOrEqual(0.001);
      expect(strictExamples[strict.result.edges.indexOf(e)]?.a.post_id).toBeDefined();
    }
    expect(strict.result.counts["edges_significant"]).toBe(0);
    expect(strict.result.counts["edges_candidate"]).toBe(25);
    expect(strict.result.counts["url_candidates"]).toBe(25);
    expect(strict.result.findings).toEqual([]);
    expect(strict.message).toBe("ran on url: no pair of accounts co-shared beyond chance");
    // the same pairs, with the same p-values, as in the run at the default alpha
    const byPair = new Map(url.result.edges.map((e) => [pairKey(e.a, e.b), e.pValue]));
    for (const e of candidates) expect(e.pValue).toBe(byPair.get(pairKey(e.a, e.b)));
  });

  it("uses every layer present when none is named", async () => {
    const all = await coShare(store, {});
    expect(all.result.details?.["layers"]).toEqual(["url", "domain"]);
    expect(all.result.counts["domain_shares"]).toBe(world.posts.length);
    const urlSig = all.result.edges.filter((e) => e.layer === "url" && e.evidence["significant"]);
    expect(new Set(urlSig.map((e) => pairKey(e.a, e.b)))).toEqual(new Set([...unitPairs(), ...slowPairs()]));
  });

  // Regression: on the domain layer an account shares the same object many times (here every pool link of 20
  // sites). The null model once gave each (account, object) one share and flagged the hyperactive pair (8 domains
  // co-shared, 1.15 expected); it now counts each account's multiplicity.
  it("does not flag the hyperactive accounts on the domain layer either", async () => {
    const all = await coShare(store, {});
    const hyper = all.result.edges.filter(
      (e) => e.evidence["significant"] && [e.a, e.b].some((x) => x.startsWith("twitter:hyper")),
    );
    expect(hyper).toEqual([]);
  });
});

describe("co-share window", () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeAll(() => (tmp = tempDir()));
  afterAll(() => tmp.cleanup());

  /**
   * a and b share six links, each exactly 60 s apart; c and d six links, each 60.001 s apart; 30 other accounts
   * share 3 links each that nobody else shares.
   */
  function boundaryCase(): JsonlPost[] {
    const log = new PostLog();
    const pairUp = (x: string, y: string, site: string, start: number, gapMs: number): void => {
      for (let i = 0; i < 6; i++) {
        const u = `https://${site}.example/${i}`;
        log.add(x, start + i * HOUR, { urls: [u] });
        log.add(y, start + i * HOUR + gapMs, { urls: [u] });
      }
    };
    pairUp("a", "b", "one", T0 + HOUR, 60_000);
    pairUp("c", "d", "two", T0 + 30 * HOUR, 60_001);
    for (let i = 0; i < 30; i++) {
      for (let j = 0; j < 3; j++)
        log.add(`other${i}`, T0 + (i * 3 + j) * 17 * 60_000, { urls: [`https://own${i}.example/${j}`] });
    }
    return log.posts;
  }

  it("counts a gap exactly equal to the window, and not one millisecond more", async () => {
    const { store } = await caseOf(tmp, boundaryCase(), "boundary");
    try {
      const at60 = await coShare(store, { layers: ["url"] });
      expect(at60.result.counts["url_pairs"]).toBe(1);
      expect(at60.result.edges.map((e) => [e.a, e.b, e.nObjects, tier(e)])).toEqual([
        ["twitter:a", "twitter:b", 6, "significant"],
      ]);
      const ex = (await savedExamples(store, at60))[0]!;
      expect(ex.gap_seconds).toBe(60);
      expect(ex.first).toBe("a");
      const wider = await coShare(store, { layers: ["url"], window: 60.001 });
      expect(wider.result.counts["url_pairs"]).toBe(2);
      expect(wider.result.edges.map((e) => [e.a, e.b, e.nObjects]).sort()).toEqual([
        ["twitter:a", "twitter:b", 6],
        ["twitter:c", "twitter:d", 6],
      ]);
    } finally {
      store.close();
    }
  });

  it("falls back to 60 s, with a warning, when too few objects were re-shared to estimate a window", async () => {
    const { store } = await caseOf(tmp, boundaryCase(), "few");
    try {
      const auto = await coShare(store, { window: "auto", layers: ["url"] });
      expect(auto.result.details?.["window_seconds"]).toBe(60);
      expect(auto.result.details?.["window_estimate"]).toBeNull();
      expect(auto.result.warnings).toContain("too few re-shared objects to estimate a window: used 60 s");
    } finally {
      store.close();
    }
  });

  it("lowers the viral guard when one burst of accounts meets more pairs than the layer may hold, and says so", async () => {
    // 600 accounts post one link within a second, beside the boundary case: 179,700 pairs at the default cap
    const log = new PostLog();
    for (let i = 0; i < 600; i++)
      log.add(`burst${i}`, T0 + 50 * HOUR + i, { urls: ["https://viral.example/x"] });
    const { store } = await caseOf(tmp, [...boundaryCase(), ...log.posts], "budget");
    try {
      const roomy = await coShare(store, { layers: ["url"] });
      expect(roomy.result.warnings ?? []).not.toContainEqual(expect.stringContaining("memory guard"));
      const held = await coShare(store, { layers: ["url"], maxPairs: 1000 });
      // the budget is 10 pairs a share here (714 shares: the burst's 600, the pairs' 24, the others' 90), and the
      // cap halves from 1000 to the floor of 10 nearest
      const warning = (held.result.warnings ?? []).find((w) => w.includes("memory guard"));
      expect(warning).toMatch(
        /^url: more than 7,140 account pairs met .* its 10 nearest instead of 1000, on 1 objects/,
      );
      expect(held.result.counts["url_pairs"]).toBeLessThan(roomy.result.counts["url_pairs"]!);
      // the pair far from the burst is counted and tested as before
      const ab = (r: CoShareRun) => r.result.edges.find((e) => e.a === "twitter:a" && e.b === "twitter:b");
      expect(ab(roomy)).toBeDefined();
      expect(ab(held)?.evidence).toEqual(ab(roomy)?.evidence);
    } finally {
      store.close();
    }
  });

  it("narrows a fast-core window wider than the window to the window, with a warning", async () => {
    const { store } = await caseOf(tmp, boundaryCase(), "fast");
    try {
      const wide = await coShare(store, { window: 30, fastWindow: 120, layers: ["url"] });
      expect(wide.result.details?.["fast_window_seconds"]).toBe(30);
      expect(wide.result.warnings).toContain(
        "the fast-core window (120 s) was wider than the window: used 30 s",
      );
      // a fast-core window as wide as the window: every significant tie holds in it
      const ties = wide.result.edges.filter((e) => e.evidence["significant"]);
      for (const e of ties) expect(e.evidence["fast_core"]).toBe(true);
    } finally {
      store.close();
    }
  });

  it("keeps the default fast-core window within a window under a second", async () => {
    const { store } = await caseOf(tmp, boundaryCase(), "subsecond");
    try {
      const short = await coShare(store, { window: 0.5, layers: ["url"] });
      expect(short.result.details?.["fast_window_seconds"]).toBe(0.5);
      expect(short.result.warnings ?? []).not.toContainEqual(expect.stringContaining("fast-core"));
    } finally {
      store.close();
    }
  });

  it("estimates the window from how fast the second sharer follows, and explains it", async () => {
    // 30 links, each shared by two accounts; the second follows the first after 10, 20, ..., 300 s.
    // The 10th percentile of these gaps is 39 s (between 30 s and 40 s), rounded to the nearest readable 45 s.
    // a and b share the first four (10-40 s apart): with a 45 s window they co-share 4 links, nobody else any.
    const log = new PostLog();
    for (let i = 1; i <= 30; i++) {
      const [x, y] = i <= 4 ? ["a", "b"] : [`first${i}`, `second${i}`];
      const start = T0 + i * HOUR;
      log.add(x, start, { urls: [`https://auto.example/o/${i}`] });
      log.add(y, start + i * 10 * SECOND, { urls: [`https://auto.example/o/${i}`] });
    }
    const { store } = await caseOf(tmp, log.posts, "auto");
    try {
      const auto = await coShare(store, { window: "auto", layers: ["url"] });
      const est = auto.result.details?.["window_estimate"] as {
        windowSec: number;
        quantileSec: number;
        quantile: number;
        objectsUsed: number;
        explanation: string;
      };
      expect(est.objectsUsed).toBe(30);
      expect(est.quantile).toBe(0.1);
      expect(est.quantileSec).toBeCloseTo(39, 9);
      expect(est.windowSec).toBe(45);
      expect(est.explanation).toContain("on 30 objects");
      expect(est.explanation).toContain("39.0 s");
      expect(est.explanation).toContain("rounded to 45 s");
      expect(auto.result.details?.["window_seconds"]).toBe(45);
      expect(auto.result.details?.["fast_window_seconds"]).toBe(8);
      expect(auto.result.counts["url_pairs"]).toBe(1);
      expect(auto.result.edges.map((e) => [e.a, e.b, e.nObjects, e.evidence["window_seconds"]])).toEqual([
        ["twitter:a", "twitter:b", 4, 45],
      ]);
      expect(auto.message).toMatch(
        /co-shared beyond chance \(account pairs, one per layer; 2 accounts\) within 45 s$/,
      );
    } finally {
      store.close();
    }
  });
});

describe("co-share and reposts", () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeAll(() => (tmp = tempDir()));
  afterAll(() => tmp.cleanup());

  /**
   * c posts six links with a hashtag, hours apart; a reposts each 5 s later and b 12 s later, copying the link,
   * the hashtag and "RT @h_c" as a retweet does (`reposts`), or a and b post the same link and hashtag themselves
   * (not). 30 other accounts post links and hashtags of their own, and each reposts another once.
   */
  function fanCase(reposts: boolean): JsonlPost[] {
    const log = new PostLog();
    for (let i = 0; i < 6; i++) {
      const body = { urls: [`https://news.example/${i}`], hashtags: ["breaking"] };
      const t = T0 + (i + 1) * 3 * HOUR;
      const original = log.add("c", t, body);
      for (const [who, after] of [
        ["a", 5],
        ["b", 12],
      ] as const) {
        log.add(who, t + after * SECOND, reposts ? { ...body, mentions: ["h_c"], repostOf: original } : body);
      }
    }
    const firsts: string[] = [];
    for (let i = 0; i < 30; i++) {
      for (let j = 0; j < 3; j++) {
        const body = { urls: [`https://own${i}.example/${j}`], hashtags: [`own${i}`] };
        const id = log.add(`other${i}`, T0 + (i * 3 + j) * 17 * 60_000, body);
        if (j === 0) firsts.push(id);
      }
    }
    // each of them reposts another's first post half an hour later: the reposts and hashtags the pairs above are
    // measured against
    for (let i = 0; i < 30; i++)
      log.add(`other${i}`, T0 + ((i + 1) % 30) * 51 * 60_000 + 30 * 60_000, {
        repostOf: firsts[(i + 1) % 30]!,
      });
    return log.posts;
  }

  const ties = (run: CoShareRun): string[] =>
    run.result.edges
      .filter((e) => tier(e) === "significant")
      .map((e) => `${e.layer} ${e.a} ${e.b} ${e.nObjects}`)
      .sort();

  it("meets reposters of one post once, in the repost layer, with the post's author among them", async () => {
    const { store } = await caseOf(tmp, fanCase(true), "reposts");
    try {
      const run = await coShare(store, {});
      // the copied link, domain, hashtag and mention are the reposts', not shares of their own: only c shared
      // them, and nobody met there
      for (const layer of ["url", "domain", "hashtag", "mention"])
        expect(run.result.counts[`${layer}_pairs`]).toBe(0);
      expect(ties(run)).toEqual([
        "repost twitter:a twitter:b 6",
        "repost twitter:a twitter:c 6",
        "repost twitter:b twitter:c 6",
      ]);
      const examples = await savedExamples(store, run);
      const ac = run.result.edges.findIndex((e) => e.a === "twitter:a" && e.b === "twitter:c");
      // the author's original is the first post of the pair, 5 s before a's repost
      expect(examples[ac]).toMatchObject({ gap_seconds: 5, first: "b" });
    } finally {
      store.close();
    }
  });

  it("meets no one on the domain of an open link shortener, which names no site; a branded one names its outlet", async () => {
    // a, b and c post links of one host within seconds, six times, each a link of their own; 30 others post
    // links of their own sites
    const shortCase = (host: string): JsonlPost[] => {
      const log = new PostLog();
      for (let i = 0; i < 6; i++) {
        const t = T0 + (i + 1) * 3 * HOUR;
        for (const [who, after] of [
          ["a", 0],
          ["b", 5],
          ["c", 12],
        ] as const)
          log.add(who, t + after * SECOND, { urls: [`https://${host}/${who}${i}`] });
      }
      for (let i = 0; i < 30; i++)
        for (let j = 0; j < 3; j++)
          log.add(`other${i}`, T0 + (i * 3 + j) * 17 * 60_000, { urls: [`https://own${i}.example/${j}`] });
      return log.posts;
    };
    const domainTies = async (host: string): Promise<string[]> => {
      const { store } = await caseOf(tmp, shortCase(host), host.replace(/\W/g, "-"));
      try {
        return ties(await coShare(store, {})).filter((t) => t.startsWith("domain "));
      } finally {
        store.close();
      }
    };
    expect(await domainTies("bit.ly")).toEqual([]);
    expect(await domainTies("t.co")).toEqual([]);
    expect(await domainTies("bbc.in")).toEqual([
      "domain twitter:a twitter:b 6",
      "domain twitter:a twitter:c 6",
      "domain twitter:b twitter:c 6",
    ]);
  });

  it("tests a closed layer against its shares' timing at large: the accounts that meet in it are all who share its objects", async () => {
    // a, b, c and d post six hashtags of their own within seconds, six times each; no one else uses any hashtag,
    // so the layer's chance model, which keeps every account's activity and every hashtag's popularity and timing,
    // expects every meeting; timed like the layer's shares in general, they meet far more than chance; 30 others
    // post links of their own
    const log = new PostLog();
    for (let i = 0; i < 6; i++)
      for (let r = 0; r < 6; r++) {
        const t = T0 + (i * 6 + r + 1) * 2 * HOUR;
        for (const [k, who] of ["a", "b", "c", "d"].entries())
          log.add(who, t + k * 3 * SECOND, { hashtags: [`own${i}`] });
      }
    for (let i = 0; i < 30; i++)
      for (let j = 0; j < 3; j++)
        log.add(`other${i}`, T0 + (i * 3 + j) * 17 * 60_000, { urls: [`https://own${i}.example/${j}`] });
    const { store } = await caseOf(tmp, log.posts, "closed");
    try {
      const run = await coShare(store, {});
      expect(ties(run).filter((t) => t.startsWith("hashtag "))).toEqual([
        "hashtag twitter:a twitter:b 36",
        "hashtag twitter:a twitter:c 36",
        "hashtag twitter:a twitter:d 36",
        "hashtag twitter:b twitter:c 36",
        "hashtag twitter:b twitter:d 36",
        "hashtag twitter:c twitter:d 36",
      ]);
      const warning = run.result.warnings.find((w) => w.startsWith("hashtag: "));
      expect(warning).toMatch(
        /^hashtag: the accounts that meet are nearly all who share this layer's objects, .* at large instead \(two shares by two accounts within 60 s of each other: 2\.\d% of all pairs of its shares\)$/,
      );
    } finally {
      store.close();
    }
  });

  it("meets the same accounts on the link, its domain and the hashtag when they post them themselves", async () => {
    const { store } = await caseOf(tmp, fanCase(false), "originals");
    try {
      const run = await coShare(store, {});
      const layers = new Set(ties(run).map((t) => t.split(" ")[0]));
      expect([...layers].sort()).toEqual(["domain", "hashtag", "url"]);
      expect(ties(run).filter((t) => t.startsWith("url "))).toEqual([
        "url twitter:a twitter:b 6",
        "url twitter:a twitter:c 6",
        "url twitter:b twitter:c 6",
      ]);
    } finally {
      store.close();
    }
  });
});

/**
 * Sync writes its ties' evidence by SQL from columns (ties.ts); what it writes must be the JSON that JavaScript's
 * JSON.stringify would write for the same values, key for key and byte for byte, since readers compare, quote and
 * parse it: post references with ISO times, bursts as {start, end}, originals in the case or known only by id,
 * unknown delays and times as null, and chance ties without an example.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CaseStore } from "../../store/case.js";
import { EDGE_ROWS, edgeEvidenceSql, tieExampleJoinsSql } from "../../store/edges.js";
import { caseOf, key, PostLog, SECOND, T0 } from "../../../test/helpers/posts.js";
import { tempDir } from "../../../test/helpers/tmp.js";
import { buildAccounts, ACCOUNTS_TABLE } from "./load.js";
import {
  emptyTieColumns,
  FAST_REPOST,
  stageSyncTies,
  SYNC,
  syncTieTable,
  writeSyncTies,
  type RepostExample,
} from "./ties.js";

interface StoredPost {
  rid: number;
  post_id: string;
  input_id: number;
  source_row: number;
  ts: string;
  account: string;
}

describe("sync ties written by SQL", () => {
  let tmp: ReturnType<typeof tempDir>;
  let store: CaseStore;
  const log = new PostLog();
  const original = log.add("leader", T0);
  const posts = {
    a1: log.add("alice", T0 + 10 * SECOND),
    b1: log.add("bob", T0 + 10 * SECOND + 250),
    ra: log.add("alice", T0 + 2500, { repostOf: original }),
    rb: log.add("bob", T0 + 4 * SECOND, { repostOf: "1790000000000000000" }),
  };
  let stored: Map<string, StoredPost>;
  let aid: Map<string, number>;

  beforeAll(async () => {
    tmp = tempDir();
    ({ store } = await caseOf(tmp, log.posts, "sync-ties"));
    await buildAccounts(store);
    const rows = await store.all<Omit<StoredPost, "ts"> & { ms: number }>(
      `SELECT rowid::DOUBLE AS rid, post_id, input_id, source_row::DOUBLE AS source_row,
              epoch_ms(ts)::DOUBLE AS ms, platform || ':' || account_id AS account FROM posts`,
    );
    stored = new Map(rows.map(({ ms, ...r }) => [r.post_id, { ...r, ts: new Date(ms).toISOString() }]));
    const keys = await store.all<{ aid: number; k: string }>(
      `SELECT aid, platform || ':' || account_id AS k FROM ${ACCOUNTS_TABLE}`,
    );
    aid = new Map(keys.map((r) => [r.k, r.aid]));
  });
  afterAll(() => {
    store.close();
    tmp.cleanup();
  });

  const ref = (id: string): Record<string, unknown> => {
    const p = stored.get(id)!;
    return { post_id: p.post_id, ts: p.ts, input_id: p.input_id, source_row: p.source_row };
  };

  it("writes each tie's evidence as JSON.stringify writes the same object", async () => {
    const ties = emptyTieColumns(4);
    const alice = aid.get(key("alice"))!;
    const bob = aid.get(key("bob"))!;
    const bursts = [
      { start: T0 / 1000 + 10, end: T0 / 1000 + 11 },
      { start: T0 / 1000 + 70, end: T0 / 1000 + 75 },
      { start: T0 / 1000 + 3600, end: T0 / 1000 + 3601 },
    ];
    const set = (t: number, layer: number, n: number, expected: number, lnP: number, tier: number): void => {
      ties.layer[t] = layer;
      ties.a[t] = alice;
      ties.b[t] = bob;
      ties.n[t] = n;
      ties.expected[t] = expected;
      ties.pValue[t] = Math.exp(lnP);
      ties.log10P[t] = Math.max(-400, lnP / Math.LN10);
      ties.tier[t] = tier;
    };
    // 0: a significant sync tie over three bursts; its example is in the first
    set(0, SYNC, 3, 0.0123456789, -1000, 0);
    ties.shared[0] = 3;
    [0, 1, 2].forEach((g, k) => (ties.burst[k]![0] = g));
    ties.exA[0] = stored.get(posts.a1)!.rid;
    ties.exB[0] = stored.get(posts.b1)!.rid;
    // 1: a chance tie: no example
    set(1, SYNC, 2, 2, -0.5, 2);
    // 2: a fast-repost tie: alice's original is in the case, bob's is known only by id, with no derived time
    set(2, FAST_REPOST, 4, 1 / 3, -20.5, 1);
    ties.shared[2] = 2;
    ties.exA[2] = 7;
    ties.exB[2] = 9;
    const reposts = new Map<number, RepostExample>([
      [
        7,
        {
          row: stored.get(posts.ra)!.rid,
          originalRow: stored.get(original)!.rid,
          originalMs: T0,
          delayMs: 2500,
        },
      ],
      [9, { row: stored.get(posts.rb)!.rid, originalRow: NaN, originalMs: NaN, delayMs: NaN }],
    ]);
    // 3: a sync tie whose example posts are not in the case (nothing to name)
    set(3, SYNC, 2, 5, -9, 1);
    ties.shared[3] = 1;
    ties.burst[0]![3] = 2;
    [ties.a[3], ties.b[3]] = [bob, alice];

    await stageSyncTies(store, ties, bursts, reposts);
    await writeSyncTies(store, 41, 10);
    const saved = await store.all<{ layer: string; a: string; b: string; evidence: string; tier: string }>(
      "SELECT layer, a, b, evidence::VARCHAR AS evidence, tier FROM edges WHERE run_id = 41 ORDER BY tier, layer DESC, a",
    );
    const iso = (sec: number): string => new Date(sec * 1000).toISOString();
    const head = (t: number, tier: string): Record<string, unknown> => ({
      significant: tier === "significant",
      tier,
      expected: ties.expected[t],
      log10_p: ties.log10P[t],
    });
    const expected = [
      {
        layer: "sync",
        a: key("bob"),
        b: key("alice"),
        tier: "candidate",
        evidence: {
          ...head(3, "candidate"),
          shared_bursts: [{ start: iso(bursts[2]!.start), end: iso(bursts[2]!.end) }],
          example: { burst_start: iso(bursts[2]!.start), a: null, b: null },
        },
      },
      {
        layer: "fast-repost",
        a: key("alice"),
        b: key("bob"),
        tier: "candidate",
        evidence: {
          ...head(2, "candidate"),
          example: {
            a: { repost: ref(posts.ra), original: ref(original), delay_seconds: 2.5 },
            b: {
              repost: ref(posts.rb),
              original: { original_id: "1790000000000000000", derived_ts: null },
              delay_seconds: NaN,
            },
          },
          fast_repost_seconds: 10,
        },
      },
      { layer: "sync", a: key("alice"), b: key("bob"), tier: "chance", evidence: head(1, "chance") },
      {
        layer: "sync",
        a: key("alice"),
        b: key("bob"),
        tier: "significant",
        evidence: {
          ...head(0, "significant"),
          shared_bursts: bursts.map((x) => ({ start: iso(x.start), end: iso(x.end) })),
          example: { burst_start: iso(bursts[0]!.start), a: ref(posts.a1), b: ref(posts.b1) },
        },
      },
    ];
    expect(saved).toHaveLength(expected.length);
    saved.forEach((row, i) => {
      const want = expected[i]!;
      expect({ layer: row.layer, a: row.a, b: row.b, tier: row.tier }).toEqual({
        layer: want.layer,
        a: want.a,
        b: want.b,
        tier: want.tier,
      });
      expect(row.evidence).toBe(JSON.stringify(want.evidence));
    });
    // the sync ties keep their evidence as columns, which the view writes as JSON; a join that writes it for the
    // rows it matches gives the same text
    const forms = await store.all<{ layer: string; json: number; bursts: number }>(
      `SELECT layer, count(evidence)::INTEGER AS json, count(burst_starts)::INTEGER AS bursts FROM ${EDGE_ROWS}
        WHERE run_id = 41 GROUP BY layer ORDER BY layer`,
    );
    expect(forms).toEqual([
      { layer: "fast-repost", json: 1, bursts: 0 },
      { layer: "sync", json: 0, bursts: 2 },
    ]);
    const joined = await store.all<{ evidence: string }>(
      `SELECT (${edgeEvidenceSql("r")})::VARCHAR AS evidence FROM ${EDGE_ROWS} r
         JOIN (SELECT unnest(['significant', 'chance', 'candidate']) AS tier) w ON w.tier = r.tier
         ${tieExampleJoinsSql("r")}
        WHERE r.run_id = 41 ORDER BY r.tier, r.layer DESC, r.a`,
    );
    expect(joined.map((r) => r.evidence)).toEqual(saved.map((r) => r.evidence));
    // the staging tables are gone once the ties are written
    const left = await store.scalar<number>(
      "SELECT count(*)::INTEGER FROM duckdb_tables() WHERE table_name LIKE 'chorus_sync_tie%'",
    );
    expect(left).toBe(0);
  });

  it("hands the campaign step the same ties, each as an edge with the evidence held in memory", () => {
    const ties = emptyTieColumns(1);
    ties.layer[0] = FAST_REPOST;
    ties.a[0] = 3;
    ties.b[0] = 1;
    ties.n[0] = 6;
    ties.expected[0] = 1.5;
    ties.pValue[0] = 1e-9;
    ties.log10P[0] = -9;
    const table = syncTieTable(ties, (a) => `twitter:${a}`);
    expect(table.keys[3]).toBe("twitter:3");
    expect(table.keys[2]).toBeUndefined();
    expect(table.edge(0)).toEqual({
      layer: "fast-repost",
      a: "twitter:3",
      b: "twitter:1",
      weight: 6,
      nObjects: 6,
      lift: 4,
      pValue: 1e-9,
      evidence: { significant: true, tier: "significant", expected: 1.5, log10_p: -9 },
    });
  });
});

/**
 * The `edges` view writes co-share evidence from columns when it is read. Readers (campaign examples, the report,
 * the app, exports) compare, quote and parse that JSON as JavaScript's JSON.stringify would write it, so the view
 * must write exactly that text: numbers, times, key order, and the example's gap and order. Its times:
 * src/store/sql-time.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { join } from "node:path";
import { storeTiesAsVersion } from "../../test/helpers/older-case.js";
import { tempDir } from "../../test/helpers/tmp.js";
import { CaseStore } from "./case.js";
import {
  CO_SHARE_EVIDENCE_COLUMNS,
  EDGE_ROWS,
  edgeEvidenceSql,
  tieExampleJoinsSql,
  edgeRowsById,
  jsonNumber,
  numberTieAccounts,
  tieSource,
} from "./edges.js";
import { SCHEMA_VERSION } from "./schema.js";

describe("JSON numbers in SQL", () => {
  let store: CaseStore;
  beforeAll(async () => {
    store = await CaseStore.open(":memory:");
  });
  afterAll(() => store.close());

  it("writes numbers as JSON.stringify does: integers without a fraction, the rest in shortest form", async () => {
    const values = [0, 5, -3, 60, 0.5, 0.123, 12.5, 1 / 3, 86_400, 1e-7, 123_456_789.001, 2 ** 40];
    for (const x of values) {
      const sql = await store.scalar<string>(`SELECT (${jsonNumber("$x::DOUBLE")})::VARCHAR`, { x });
      expect(sql, String(x)).toBe(JSON.stringify(x));
    }
  });

  it("writes NaN and infinities as null, as JSON.stringify does", async () => {
    for (const x of [Number.NaN, Infinity, -Infinity]) {
      const sql = await store.scalar<string>(`SELECT (${jsonNumber("$x::DOUBLE")})::VARCHAR`, { x });
      expect(sql, String(x)).toBe(JSON.stringify(x));
    }
  });
});

interface Post {
  post_id: string;
  ms: number;
  input_id: number;
  source_row: number;
}

interface CoShareTie {
  layer: string;
  a: string;
  b: string;
  tier: "significant" | "candidate" | "chance";
  fast: boolean;
  sharePairs: number;
  expected: number;
  log10P: number;
  window: number;
  example?: { object: string; a: Post; b: Post };
}

/** The evidence of a co-share tie as co-share wrote it in JavaScript before schema version 7, key by key. */
function javascriptEvidence(t: CoShareTie): string {
  const post = (p: Post): Record<string, unknown> => ({
    post_id: p.post_id,
    ts: new Date(p.ms).toISOString(),
    input_id: p.input_id,
    source_row: p.source_row,
  });
  const ex = t.example;
  return JSON.stringify({
    significant: t.tier === "significant",
    tier: t.tier,
    share_pairs: t.sharePairs,
    expected: t.expected,
    log10_p: t.log10P,
    window_seconds: t.window,
    fast_core: t.fast,
    ...(ex === undefined
      ? {}
      : {
          example: {
            object: ex.object,
            a: post(ex.a),
            b: post(ex.b),
            gap_seconds: Math.abs(ex.a.ms - ex.b.ms) / 1000,
            first: ex.a.ms < ex.b.ms ? "a" : ex.b.ms < ex.a.ms ? "b" : "same time",
            within_window_seconds: t.window,
          },
        }),
  });
}

describe("the edges view", () => {
  let store: CaseStore;
  const t0 = Date.UTC(2024, 4, 1, 12, 0, 0, 0);
  const post = (id: string, ms: number, row: number): Post => ({
    post_id: id,
    ms,
    input_id: 2,
    source_row: row,
  });
  const ties: CoShareTie[] = [
    {
      layer: "url",
      a: "x:1",
      b: "x:2",
      tier: "significant",
      fast: true,
      sharePairs: 12,
      expected: 0.012_345_678_9,
      log10P: -17.25,
      window: 60,
      example: {
        object: 'https://example.org/a?b=c&d="e"',
        a: post("101", t0, 3),
        b: post("207", t0 + 1_234, 9),
      },
    },
    {
      layer: "hashtag",
      a: "x:1",
      b: "x:3",
      tier: "candidate",
      fast: false,
      sharePairs: 3.5,
      expected: 1 / 3,
      log10P: -2.000_000_1,
      window: 30.5,
      // the later post is a's: b was first
      example: { object: "مهسا_امینی", a: post("9", t0 + 90_001, 1), b: post("8", t0 + 60_000, 12) },
    },
    {
      layer: "mention",
      a: "x:2",
      b: "x:3",
      tier: "candidate",
      fast: false,
      sharePairs: 2,
      expected: 2,
      log10P: -1,
      window: 60,
      example: { object: "@same", a: post("1", t0, 1), b: post("2", t0, 2) },
    },
    {
      layer: "domain",
      a: "x:2",
      b: "x:4",
      tier: "chance",
      fast: false,
      sharePairs: 1,
      expected: 4.75,
      log10P: 0,
      window: 60,
    },
  ];
  /** Another detector's tie, whose JSON is stored as it is. */
  const other = '{"significant":true,"tier":"significant","bursts":[1,2],"note":"<b>kept</b>"}';

  beforeAll(async () => {
    store = await CaseStore.open(":memory:");
    const names = CO_SHARE_EVIDENCE_COLUMNS.map(([n]) => n).join(", ");
    for (const t of ties) {
      const ex = t.example;
      await store.conn.run(
        `INSERT INTO ${EDGE_ROWS} (run_id, layer, a, b, weight, n_objects, lift, p_value, significant, tier,
                                   fast_core, ${names})
         VALUES (1, $layer, $a, $b, 1, 1, NULL, NULL, $sig, $tier, $fast, $sp, $exp, $lp, $w, $obj,
                 $ap, make_timestamp(($ams * 1000)::BIGINT)::TIMESTAMPTZ, $ai, $ar,
                 $bp, make_timestamp(($bms * 1000)::BIGINT)::TIMESTAMPTZ, $bi, $br)`,
        {
          layer: t.layer,
          a: t.a,
          b: t.b,
          sig: t.tier === "significant",
          tier: t.tier,
          fast: t.fast,
          sp: t.sharePairs,
          exp: t.expected,
          lp: t.log10P,
          w: t.window,
          obj: ex?.object ?? null,
          ap: ex?.a.post_id ?? null,
          ams: ex?.a.ms ?? null,
          ai: ex?.a.input_id ?? null,
          ar: ex?.a.source_row ?? null,
          bp: ex?.b.post_id ?? null,
          bms: ex?.b.ms ?? null,
          bi: ex?.b.input_id ?? null,
          br: ex?.b.source_row ?? null,
        },
      );
    }
    await store.conn.run(
      `INSERT INTO ${EDGE_ROWS} (run_id, layer, a, b, weight, n_objects, significant, evidence, tier, fast_core)
       VALUES (1, 'sync', 'x:5', 'x:6', 2, 2, true, $ev::JSON, 'significant', false)`,
      { ev: other },
    );
  });
  afterAll(() => store.close());

  it("writes a co-share tie's evidence from its columns, as JavaScript wrote it, with and without an example", async () => {
    const rows = await store.all<{ layer: string; evidence: string }>(
      "SELECT layer, evidence::VARCHAR AS evidence FROM edges WHERE run_id = 1 AND layer <> 'sync'",
    );
    expect(rows).toHaveLength(ties.length);
    for (const t of ties) {
      const got = rows.find((r) => r.layer === t.layer)!.evidence;
      expect(got, t.layer).toBe(javascriptEvidence(t));
    }
    const firsts = rows.map(
      (r) => (JSON.parse(r.evidence) as { example?: { first: string } }).example?.first,
    );
    expect(firsts.sort()).toEqual(["a", "b", "same time", undefined]);
  });

  it("hands another detector's JSON evidence back as stored", async () => {
    const ev = await store.scalar<string>("SELECT evidence::VARCHAR FROM edges WHERE layer = 'sync'");
    expect(ev).toBe(other);
  });

  it("keeps the columns readers have known, in their order", async () => {
    const cols = await store.all<{ column_name: string }>(
      "SELECT column_name FROM information_schema.columns WHERE table_name = 'edges' ORDER BY ordinal_position",
    );
    expect(cols.map((c) => c.column_name)).toEqual([
      "run_id",
      "layer",
      "a",
      "b",
      "weight",
      "n_objects",
      "lift",
      "p_value",
      "significant",
      "evidence",
      "tier",
      "fast_core",
    ]);
  });

  it("writes the same evidence for the rows of a join as the view does", async () => {
    const joined = await store.all<{ layer: string; evidence: string }>(
      `WITH wanted AS (SELECT unnest(['hashtag', 'sync']) AS layer)
       SELECT r.layer, (${edgeEvidenceSql("r")})::VARCHAR AS evidence
         FROM ${EDGE_ROWS} r JOIN wanted w ON w.layer = r.layer ${tieExampleJoinsSql("r")} ORDER BY r.layer`,
    );
    const viewed = await store.all<{ layer: string; evidence: string }>(
      "SELECT layer, evidence::VARCHAR AS evidence FROM edges WHERE layer IN ('hashtag', 'sync') ORDER BY layer",
    );
    expect(joined).toHaveLength(2);
    expect(joined).toEqual(viewed);
  });
});

describe("reading ties by their row ids", () => {
  it("gives each asked-for row once per asking, in the order asked, across batches, and skips ids not there", async () => {
    const store = await CaseStore.open(":memory:");
    try {
      await store.conn.run(
        `INSERT INTO ${EDGE_ROWS} (run_id, layer, a, b, weight, n_objects)
         SELECT 1, 'url', 'x:' || i, 'x:b', i * 1.5, i FROM range(7000) r(i)`,
      );
      const weightOf = new Map(
        (await store.all<{ r: bigint; w: number }>(`SELECT rowid AS r, weight AS w FROM ${EDGE_ROWS}`)).map(
          (x) => [Number(x.r), x.w],
        ),
      );
      expect(weightOf.size).toBe(7000);
      // every third row, in a scrambled order (several batches, none of them in the table's order), one id asked
      // twice and one that no row has
      const asked: number[] = [];
      for (let i = 0; i < 7000; i += 3) asked.push((i * 7919) % 7000);
      asked.splice(10, 0, asked[2000]!);
      asked.splice(20, 0, 123_456);
      const rows = await edgeRowsById<{ weight: number; n_objects: bigint }>(
        store,
        asked.map((r) => BigInt(r)),
        "e.weight, e.n_objects",
      );
      const expected = asked.flatMap((r, o) =>
        weightOf.has(r) ? [{ o, weight: weightOf.get(r)!, n: Math.round(weightOf.get(r)! / 1.5) }] : [],
      );
      expect(rows.map((r) => ({ o: Number(r.o), weight: r.weight, n: Number(r.n_objects) }))).toEqual(
        expected,
      );
      expect(rows).toHaveLength(asked.length - 1);
    } finally {
      store.close();
    }
  });
});

describe("numbering a run's tie accounts", () => {
  it("numbers each key once per run, in key order, and goes on from the run's last number", async () => {
    const store = await CaseStore.open(":memory:");
    try {
      const keys = (pairs: Array<[number, string]>): string =>
        `SELECT * FROM (VALUES ${pairs.map(([aid, key]) => `(${aid}, '${key}')`).join(", ")}) k(aid, key)`;
      const refs = async (): Promise<Array<[number, number]>> =>
        (await store.all<{ aid: number; ref: number }>("SELECT aid, ref FROM refs ORDER BY aid")).map((r) => [
          r.aid,
          r.ref,
        ]);
      // a first detector: its dense ids are not the run's numbers
      await numberTieAccounts(
        store,
        5,
        keys([
          [0, "x:c"],
          [1, "x:a"],
          [2, "x:b"],
        ]),
        "refs",
      );
      expect(await refs()).toEqual([
        [0, 2],
        [1, 0],
        [2, 1],
      ]);
      // a second detector of the same run, with ids of its own: known keys keep their numbers
      await numberTieAccounts(
        store,
        5,
        keys([
          [0, "x:b"],
          [1, "x:e"],
          [2, "x:d"],
        ]),
        "refs",
      );
      expect(await refs()).toEqual([
        [0, 1],
        [1, 4],
        [2, 3],
      ]);
      // another run numbers from 0
      await numberTieAccounts(store, 6, keys([[7, "x:e"]]), "refs");
      expect(await refs()).toEqual([[7, 0]]);
      expect(await store.all("SELECT run_id, ref, key FROM tie_accounts ORDER BY run_id, ref")).toEqual([
        { run_id: 5, ref: 0, key: "x:a" },
        { run_id: 5, ref: 1, key: "x:b" },
        { run_id: 5, ref: 2, key: "x:c" },
        { run_id: 5, ref: 3, key: "x:d" },
        { run_id: 5, ref: 4, key: "x:e" },
        { run_id: 6, ref: 0, key: "x:e" },
      ]);
    } finally {
      store.close();
    }
  });
});

describe("a case written before sync's ties were columns (version 7)", () => {
  let tmp: ReturnType<typeof tempDir>;
  let path: string;
  const json = '{"significant":true,"tier":"significant","expected":0.5,"log10_p":-3}';

  beforeAll(async () => {
    tmp = tempDir();
    path = join(tmp.dir, "v7.duckdb");
    const store = await CaseStore.open(path);
    await store.conn.run(
      `INSERT INTO ${EDGE_ROWS} (run_id, layer, a, b, weight, n_objects, significant, evidence, tier, fast_core)
       VALUES (1, 'sync', 'x:1', 'x:2', 2, 2, true, $ev::JSON, 'significant', false)`,
      { ev: json },
    );
    // back to version 7 as it was: without the burst columns, and the view of version 7
    await storeTiesAsVersion(store.conn, 7);
    store.close();
  });
  afterAll(() => tmp.cleanup());

  it("is read as it is when opened read-only (no migration)", async () => {
    const store = await CaseStore.open(path, { readOnly: true });
    try {
      const ties = await tieSource(store);
      expect(ties.table).toBe(EDGE_ROWS);
      const viaSource = await store.scalar<string>(
        `SELECT (${ties.evidence("e")})::VARCHAR FROM ${EDGE_ROWS} e`,
      );
      expect(viaSource).toBe(json);
      expect(await store.scalar<string>("SELECT evidence::VARCHAR FROM edges")).toBe(json);
    } finally {
      store.close();
    }
  });

  it("migrates to version 8 and on keeping the JSON evidence and the account keys of its ties", async () => {
    const store = await CaseStore.open(path);
    try {
      expect(await store.scalar<string>("SELECT value FROM meta WHERE key = 'schema_version'")).toBe(
        String(SCHEMA_VERSION),
      );
      expect(SCHEMA_VERSION).toBeGreaterThanOrEqual(9);
      expect(await store.scalar<string>("SELECT evidence::VARCHAR FROM edges")).toBe(json);
      expect(await store.all("SELECT a, b FROM edges")).toEqual([{ a: "x:1", b: "x:2" }]);
      // a tie of a later run that names its accounts by number reads the same through the view
      await store.conn.run(
        `INSERT INTO tie_accounts VALUES (2, 0, 'x:2'), (2, 1, 'x:1'), (3, 0, 'x:1'), (3, 1, 'x:2')`,
      );
      await store.conn.run(
        `INSERT INTO ${EDGE_ROWS} (run_id, layer, a_ref, b_ref, weight, n_objects, significant, evidence, tier,
                                   fast_core)
         VALUES (2, 'sync', 1, 0, 2, 2, true, $ev::JSON, 'significant', false)`,
        { ev: json },
      );
      expect(await store.all("SELECT run_id, a, b FROM edges WHERE a = 'x:1' ORDER BY run_id")).toEqual([
        { run_id: 1, a: "x:1", b: "x:2" },
        { run_id: 2, a: "x:1", b: "x:2" },
      ]);
      const cols = await store.all<{ column_name: string }>(
        `SELECT column_name FROM information_schema.columns WHERE table_name = '${EDGE_ROWS}'
            AND column_name IN ('burst_starts', 'burst_ends') ORDER BY column_name`,
      );
      expect(cols.map((c) => c.column_name)).toEqual(["burst_ends", "burst_starts"]);
    } finally {
      store.close();
    }
  });
});

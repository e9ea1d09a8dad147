/**
 * A campaign's fringe: accounts outside every campaign that joined its bursts, on objects it made most of the
 * shares of, on at least two separate occasions. Units have members that post a handful of times in all; too few
 * shares to tie them to anyone beyond chance, but each of those few lands inside the unit's own bursts. One such post
 * is what an adopter of a campaign's hashtag or link does once; two, on separate occasions, on objects the unit
 * dominates, is rare outside the unit (docs/chance-model.md, "A campaign's fringe").
 */
import type { FringeJoin, ObjectKind } from "../model/index.js";
import { denseAccountNames, writeAccountKeys } from "../store/account-keys.js";
import type { CaseStore } from "../store/case.js";
import { readColumns } from "../store/columns.js";
import { layerList } from "../store/shares.js";
import { writeTempInts } from "../store/temp-table.js";

export type { FringeJoin };

export interface FringeAccount {
  key: string;
  handle: string | null;
  /** Separate occasions (posts more than a window apart) on which it joined the campaign's bursts. */
  occasions: number;
  joined: FringeJoin[];
}

export interface FringeOptions {
  windowSec: number;
  /** Fewest separate occasions on which an account must have joined the campaign's bursts. */
  minOccasions: number;
  /** Least part of an object's shares that the campaign's members must have made for the object to count. */
  minShare: number;
}

/**
 * The fringe of each campaign (`members[c]`: the member keys of campaign c; `layers`: the object layers to read),
 * from the case's shares as numbers (store/shares.ts), which must hold those layers. Accounts in `members` of any
 * campaign are never another's fringe. Each campaign's fringe is in key order.
 */
export async function campaignFringes(
  store: CaseStore,
  members: ReadonlyArray<readonly string[]>,
  layers: readonly string[],
  opts: FringeOptions,
): Promise<FringeAccount[][]> {
  const out: FringeAccount[][] = members.map(() => []);
  if (layers.length === 0 || members.length === 0) return out;
  const need = members.map((m) => Math.min(3, m.length));
  await writeAccountKeys(
    store,
    "chorus_fringe_members",
    members.flatMap((m, c) => m.map((k): [string, number] => [k, c])),
    true,
  );
  await store.conn.run(
    `CREATE OR REPLACE TEMP TABLE chorus_fringe_ids AS
     SELECT a.aid, m.g AS c FROM chorus_fringe_members m JOIN chorus_accounts a USING (platform, account_id)`,
  );
  await writeTempInts(
    store,
    "chorus_fringe_need",
    ["c", "need"],
    need.map((n, c) => [c, n]),
  );
  // the objects each campaign dominates: at least three of its members (all, if fewer) shared it, and they made at
  // least `minShare` of everyone's shares of it; the outsiders' shares of an object are then no more than the
  // members', so a viral object never comes in
  await store.conn.run(
    `CREATE OR REPLACE TEMP TABLE chorus_fringe_objects AS
     WITH mine AS (SELECT m.c, s.kind, s.oid, count(*) AS n, count(DISTINCT s.aid) AS accounts
                     FROM chorus_shares s JOIN chorus_fringe_ids m USING (aid)
                    WHERE s.kind IN (${layerList(layers as ObjectKind[])})
                    GROUP BY 1, 2, 3),
          wanted AS (SELECT mine.* FROM mine JOIN chorus_fringe_need USING (c) WHERE accounts >= need),
          totals AS (SELECT kind, oid, count(*) AS total
                       FROM chorus_shares SEMI JOIN wanted USING (kind, oid) GROUP BY 1, 2)
     SELECT w.c, w.kind, w.oid, (row_number() OVER (ORDER BY w.c, w.kind, w.oid) - 1)::INTEGER AS obj
       FROM wanted w JOIN totals t USING (kind, oid)
      WHERE w.n >= $minShare * t.total`,
    { minShare: opts.minShare },
  );
  // every share of those objects, each marked as a member's of that campaign or an outsider's (-1 for members of
  // another campaign: they are neither)
  const { rows, cols } = await readColumns(
    store,
    `SELECT o.obj, s.aid, s.t, s.pid,
            CASE WHEN m.c = o.c THEN 1 WHEN m.c IS NULL THEN 0 ELSE -1 END::INTEGER AS side
       FROM chorus_fringe_objects o
       JOIN chorus_shares s USING (kind, oid)
       LEFT JOIN chorus_fringe_ids m ON m.aid = s.aid
      ORDER BY o.obj, s.t, s.aid, s.pid`,
    { obj: "int32", aid: "int32", t: "float64", pid: "int32", side: "int32" },
  );
  const objectRows = await store.all<{ c: number; kind: string; value: string }>(
    `SELECT o.c, o.kind, d.value FROM chorus_fringe_objects o JOIN chorus_object_ids d USING (kind, oid)
      ORDER BY o.obj`,
  );
  for (const t of [
    "chorus_fringe_members",
    "chorus_fringe_ids",
    "chorus_fringe_need",
    "chorus_fringe_objects",
  ]) {
    await store.conn.run(`DROP TABLE IF EXISTS ${t}`);
  }
  const windowMs = opts.windowSec * 1000;
  // the joins: outsiders' shares within a window of at least `need` distinct members' shares of the object
  const joins: Array<{ c: number; aid: number; t: number; pid: number; obj: number; members: number }> = [];
  const near = new Set<number>();
  let i = 0;
  while (i < rows) {
    const obj = cols.obj[i]!;
    let j = i;
    while (j < rows && cols.obj[j] === obj) j++;
    const c = objectRows[obj]!.c;
    let lo = i;
    for (let k = i; k < j; k++) {
      if (cols.side[k] !== 0) continue;
      const t = cols.t[k]!;
      while (cols.t[lo]! < t - windowMs) lo++;
      near.clear();
      for (let m = lo; m < j && cols.t[m]! <= t + windowMs; m++)
        if (cols.side[m] === 1) near.add(cols.aid[m]!);
      if (near.size >= need[c]!) {
        joins.push({ c, aid: cols.aid[k]!, t, pid: cols.pid[k]!, obj, members: near.size });
      }
    }
    i = j;
  }
  // by campaign and account, in time: a post more than a window after the last starts a new occasion
  joins.sort((x, y) => x.c - y.c || x.aid - y.aid || x.t - y.t || x.pid - y.pid || x.obj - y.obj);
  const kept: Array<{ c: number; aid: number; occasions: number; joins: typeof joins }> = [];
  for (let a = 0; a < joins.length;) {
    let b = a;
    let occasions = 0;
    let last = -Infinity;
    while (b < joins.length && joins[b]!.c === joins[a]!.c && joins[b]!.aid === joins[a]!.aid) {
      if (joins[b]!.t - last > windowMs) occasions++;
      last = joins[b]!.t;
      b++;
    }
    if (occasions >= opts.minOccasions) {
      kept.push({ c: joins[a]!.c, aid: joins[a]!.aid, occasions, joins: joins.slice(a, b) });
    }
    a = b;
  }
  if (kept.length === 0) return out;
  const names = await denseAccountNames(
    store,
    "chorus_accounts",
    kept.map((k) => k.aid),
  );
  const pids = [...new Set(kept.flatMap((k) => k.joins.map((x) => x.pid)))].sort((x, y) => x - y);
  await writeTempInts(
    store,
    "chorus_fringe_pids",
    ["pid"],
    pids.map((p) => [p]),
  );
  const posts = new Map(
    (
      await store.all<{ pid: number; post_id: string; input_id: number; source_row: number }>(
        `SELECT p.pid, p.post_id, p.input_id::INTEGER AS input_id, p.source_row::INTEGER AS source_row
           FROM chorus_posts p SEMI JOIN chorus_fringe_pids w USING (pid)`,
      )
    ).map((r) => [r.pid, r]),
  );
  await store.conn.run("DROP TABLE IF EXISTS chorus_fringe_pids");
  for (const k of kept) {
    const name = names.get(k.aid)!;
    out[k.c]!.push({
      key: name.key,
      handle: name.handle,
      occasions: k.occasions,
      joined: k.joins.map((x) => {
        const post = posts.get(x.pid)!;
        const o = objectRows[x.obj]!;
        return {
          post_id: post.post_id,
          ts: new Date(x.t).toISOString(),
          kind: o.kind,
          value: o.value,
          members: x.members,
          input_id: post.input_id,
          source_row: post.source_row,
        };
      }),
    });
  }
  for (const list of out) list.sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
  return out;
}

/**
 * Turning dense account ids and post row ids back into evidence a person can check: account keys and handles, and
 * for each post its id, time, input file and row. Also what a burst was about: its most shared objects and texts,
 * and the author most of its posts answered or reposted, if any.
 */
import { clipText } from "../../normalize/text.js";
import { accountKey, denseAccountNames } from "../../store/account-keys.js";
import type { CaseStore } from "../../store/case.js";
import { writeTempInts } from "../../store/temp-table.js";
import { ACCOUNTS_TABLE } from "./load.js";

export interface AccountRef {
  key: string;
  handle: string | null;
}

export interface PostRef {
  post_id: string;
  ts: string;
  input_id: number;
  source_row: number;
}

export function resolveAccounts(store: CaseStore, aids: Iterable<number>): Promise<Map<number, AccountRef>> {
  return denseAccountNames(store, ACCOUNTS_TABLE, aids);
}

export interface ResolvedPost {
  ref: PostRef;
  /** The post it reposts, quotes or answers, when any. */
  refPostId: string | null;
}

export async function resolvePosts(
  store: CaseStore,
  rowIds: Iterable<number>,
): Promise<Map<number, ResolvedPost>> {
  const list = [...new Set(rowIds)].filter((r) => Number.isFinite(r)).sort((x, y) => x - y);
  await writeTempInts(
    store,
    "chorus_sync_wanted_posts",
    [["v", "BIGINT"]],
    list.map((v) => [v]),
  );
  const rows = await store.all<{
    r: number;
    post_id: string;
    t: number;
    input_id: number;
    source_row: number;
    ref_post_id: string | null;
  }>(
    `SELECT p.rowid::DOUBLE AS r, p.post_id, epoch_ms(p.ts)::DOUBLE AS t, p.input_id, p.ref_post_id,
            p.source_row::DOUBLE AS source_row
       FROM posts p WHERE p.rowid IN (SELECT v FROM chorus_sync_wanted_posts)`,
  );
  await store.conn.run("DROP TABLE IF EXISTS chorus_sync_wanted_posts");
  return new Map(
    rows.map((r) => [
      r.r,
      {
        ref: {
          post_id: r.post_id,
          ts: new Date(r.t).toISOString(),
          input_id: r.input_id,
          source_row: r.source_row,
        },
        refPostId: r.ref_post_id,
      },
    ]),
  );
}

export interface BurstTopics {
  objects: Array<{ kind: string; value: string; posts: number }>;
  texts: Array<{ text: string; posts: number }>;
  /** The author whose posts most of the burst reposted, quoted or answered, when one did. */
  reactionTo: { account_key: string; posts: number } | null;
}

/** What each burst (epoch-second ranges) was about, in one pass per question over the posts in the ranges. */
export async function burstTopics(
  store: CaseStore,
  ranges: Array<{ start: number; end: number; posts: number }>,
  top: number,
): Promise<BurstTopics[]> {
  await store.conn.run(
    `CREATE OR REPLACE TEMP TABLE chorus_sync_ranges (b INTEGER, s TIMESTAMPTZ, e TIMESTAMPTZ)`,
  );
  const app = await store.conn.createAppender("chorus_sync_ranges");
  try {
    ranges.forEach((r, b) => {
      app.appendInteger(b);
      app.appendVarchar(new Date(r.start * 1000).toISOString());
      app.appendVarchar(new Date(r.end * 1000).toISOString());
      app.endRow();
    });
  } finally {
    app.closeSync();
  }
  // the posts inside the ranges, found once for the three questions below. Ranges are whole seconds, so a post is
  // inside when its second is: an equality join on the seconds the ranges cover, much faster than a range join
  // of every burst against every post
  let seconds = 0;
  for (const r of ranges) seconds += r.end - r.start;
  const whole =
    seconds <= 20_000_000 && ranges.every((r) => Number.isInteger(r.start) && Number.isInteger(r.end));
  await store.conn.run(
    whole
      ? `CREATE OR REPLACE TEMP TABLE chorus_sync_in AS
         WITH secs AS (SELECT b, unnest(range(epoch(s)::BIGINT, epoch(e)::BIGINT)) AS sec FROM chorus_sync_ranges)
         SELECT secs.b, p.platform, p.post_id, p.text, p.ref_account_id
           FROM secs JOIN posts p ON floor(epoch_ms(p.ts) / 1000)::BIGINT = secs.sec`
      : `CREATE OR REPLACE TEMP TABLE chorus_sync_in AS
         SELECT b.b, p.platform, p.post_id, p.text, p.ref_account_id
           FROM chorus_sync_ranges b JOIN posts p ON p.ts >= b.s AND p.ts < b.e`,
  );
  const inRange = `FROM chorus_sync_in p`;
  const objects = await store.all<{ b: number; kind: string; value: string; n: number }>(
    `SELECT b, kind, value, n FROM (
       SELECT p.b, o.kind, o.value, count(DISTINCT p.post_id)::INTEGER AS n,
              row_number() OVER (PARTITION BY p.b ORDER BY count(DISTINCT p.post_id) DESC, o.kind, o.value) AS r
         ${inRange} JOIN objects o ON o.platform = p.platform AND o.post_id = p.post_id
        GROUP BY p.b, o.kind, o.value) WHERE r <= ${top} AND n >= 2 ORDER BY b, r`,
  );
  const texts = await store.all<{ b: number; text: string; n: number }>(
    `SELECT b, text, n FROM (
       SELECT p.b, p.text, count(*)::INTEGER AS n,
              row_number() OVER (PARTITION BY p.b ORDER BY count(*) DESC, p.text) AS r
         ${inRange} WHERE p.text IS NOT NULL AND p.text <> '' GROUP BY p.b, p.text)
      WHERE r <= ${top} AND n >= 2 ORDER BY b, r`,
  );
  const reactions = await store.all<{ b: number; platform: string; ref: string; n: number }>(
    `SELECT b, platform, ref, n FROM (
       SELECT p.b, p.platform, p.ref_account_id AS ref, count(*)::INTEGER AS n,
              row_number() OVER (PARTITION BY p.b ORDER BY count(*) DESC, p.platform, p.ref_account_id) AS r
         ${inRange} WHERE p.ref_account_id IS NOT NULL GROUP BY p.b, p.platform, p.ref_account_id)
      WHERE r = 1 ORDER BY b`,
  );
  await store.conn.run("DROP TABLE IF EXISTS chorus_sync_ranges");
  await store.conn.run("DROP TABLE IF EXISTS chorus_sync_in");
  const out: BurstTopics[] = ranges.map(() => ({ objects: [], texts: [], reactionTo: null }));
  for (const o of objects) out[o.b]!.objects.push({ kind: o.kind, value: o.value, posts: o.n });
  for (const t of texts) out[t.b]!.texts.push({ text: clipText(t.text, 140), posts: t.n });
  for (const r of reactions) {
    if (2 * r.n >= ranges[r.b]!.posts) {
      out[r.b]!.reactionTo = { account_key: accountKey(r.platform, r.ref), posts: r.n };
    }
  }
  return out;
}

/**
 * What the API reads from the case: the latest analysis (its findings document, parsed once per run and kept
 * until a newer run appears), case totals (computed once per set of inputs: the evidence does not change while
 * the server holds the case open), account profiles, ties. Queries take user input as parameters only.
 */
import { parseAccountKey } from "../store/account-keys.js";
import type { CaseStore } from "../store/case.js";
import { TIE_ACCOUNTS, tieSource, type TieSource } from "../store/edges.js";
import type { FringeJoin } from "../campaign/fringe.js";
import type { FindingsDoc } from "../report/findings.js";
import { loadAnalysis, type RunInfo } from "../report/html/data.js";
import { campaignKey } from "./annotations.js";
import { isoSecondsSql } from "../store/sql-time.js";

// The folding of account search in SQL, as `foldText` folds (src/normalize/text.ts): these characters dropped
// (zero-width and bidi characters, soft hyphen, tatweel, harakat), and these letters and digits written as the
// Persian letters and ASCII digits. Single-quoted SQL literals of fixed characters.
const FOLD_DROP =
  "[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\u0640\u064b-\u065f\u0670]";
const FOLD_FROM =
  "\u064a\u0649\u0626\u0643\u0629\u0622\u0623\u0625\u0624\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669\u06f0\u06f1\u06f2\u06f3\u06f4\u06f5\u06f6\u06f7\u06f8\u06f9";
const FOLD_TO = "\u06cc\u06cc\u06cc\u06a9\u0647\u0627\u0627\u0627\u064801234567890123456789";

export type CampaignDoc = FindingsDoc["campaigns"][number];

export interface Member {
  platform: string;
  id: string;
  handle: string | null;
  role: string;
  score: number;
  ties?: number;
  /** A fringe account's posts inside the campaign's bursts. */
  joined?: FringeJoin[];
}

export interface Analysis {
  run: RunInfo;
  doc: FindingsDoc;
  /** Stable campaign id (members hash) by campaign number, and the reverse. */
  keyOf: Map<string, string>;
  idOf: Map<string, string>;
}

export const members = (c: CampaignDoc): Member[] => (c["accounts"] as Member[] | undefined) ?? [];
export const memberKeys = (c: CampaignDoc): string[] => members(c).map((m) => `${m.platform}:${m.id}`);
/** A campaign's members and its fringe, counted apart (as the campaign's screen counts them). */
export const memberCounts = (c: CampaignDoc): { members: number; fringe: number } => {
  const fringe = members(c).filter((m) => m.role === "fringe").length;
  return { members: members(c).length - fringe, fringe };
};

export interface Totals {
  posts: number;
  accounts: number;
  objects: Array<{ kind: string; n: number }>;
  first_post: string | null;
  last_post: string | null;
}

export class CaseView {
  private analysis: Analysis | null = null;
  private totals: { inputs: string; value: Totals } | null = null;
  private bindingRun: number | null = null;
  private tieStore: Promise<TieSource> | null = null;

  /** Where the case's ties are and how they name their accounts (`tieSource`; it cannot change while open). */
  ties(): Promise<TieSource> {
    return (this.tieStore ??= tieSource(this.store));
  }

  constructor(readonly store: CaseStore) {}

  /** The latest analysis, or null when the case has none yet. */
  async latest(): Promise<Analysis | null> {
    const runId = await this.store.scalar<number>("SELECT max(run_id) FROM analyses");
    if (runId === null) return null;
    if (this.analysis?.run.id !== runId) {
      const { run, doc } = await loadAnalysis(this.store, runId);
      const keyOf = new Map<string, string>();
      const idOf = new Map<string, string>();
      for (const c of doc.campaigns) {
        const k = campaignKey(memberKeys(c));
        keyOf.set(String(c["id"]), k);
        idOf.set(k, String(c["id"]));
      }
      this.analysis = { run, doc, keyOf, idOf };
    }
    return this.analysis;
  }

  /**
   * The temporary tables of `runId`'s binding ties: `ties` (a, b, layer, weight, fast: fast-core) with the accounts
   * as numbers, and `keys` (k, id, platform) that numbers them in the order of their keys, so that ordering or
   * comparing the numbers orders or compares the keys. Adding up millions of ties per pair is several times faster on
   * numbers than on keys as text.
   */
  async bindingTies(runId: number): Promise<{ ties: string; keys: string }> {
    if (this.bindingRun !== runId) {
      // ties name their accounts by key, or (version 9) by number in `tie_accounts`: those are numbered anew from
      // the run's numbers, never through the keys of every tie (src/store/edges.ts)
      const ties = await this.ties();
      const binding = `e.run_id = $run AND ${ties.binding("e")}`;
      const refs = `SELECT e.a_ref AS ref FROM ${ties.table} e WHERE ${binding} AND e.a_ref IS NOT NULL
                    UNION SELECT e.b_ref FROM ${ties.table} e WHERE ${binding} AND e.b_ref IS NOT NULL`;
      const numberedKeys = `SELECT t.key FROM (${refs}) r JOIN ${TIE_ACCOUNTS} t ON t.run_id = $run AND t.ref = r.ref`;
      await this.store.conn.run(
        `CREATE OR REPLACE TEMP TABLE ${BINDING_KEYS} AS
         WITH e AS (SELECT e.a, e.b FROM ${ties.table} e WHERE ${binding} AND e.a IS NOT NULL)
         SELECT k, (row_number() OVER (ORDER BY k))::INTEGER AS id, split_part(k, ':', 1) AS platform
           FROM (SELECT a AS k FROM e UNION SELECT b FROM e ${ties.refs ? `UNION ${numberedKeys}` : ""})`,
        { run: runId },
      );
      const columns = "e.layer, e.weight::DOUBLE AS weight, e.fast_core AS fast";
      await this.store.conn.run(
        `CREATE OR REPLACE TEMP TABLE ${BINDING_TABLE} AS
         SELECT ka.id AS a, kb.id AS b, ${columns}
           FROM ${ties.table} e JOIN ${BINDING_KEYS} ka ON ka.k = e.a JOIN ${BINDING_KEYS} kb ON kb.k = e.b
          WHERE ${binding}`,
        { run: runId },
      );
      if (ties.refs) {
        await this.store.conn.run(
          `INSERT INTO ${BINDING_TABLE}
           WITH ids AS (SELECT t.ref, k.id FROM ${TIE_ACCOUNTS} t JOIN ${BINDING_KEYS} k ON k.k = t.key
                         WHERE t.run_id = $run)
           SELECT ka.id AS a, kb.id AS b, ${columns}
             FROM ${ties.table} e JOIN ids ka ON ka.ref = e.a_ref JOIN ids kb ON kb.ref = e.b_ref
            WHERE ${binding}`,
          { run: runId },
        );
      }
      this.bindingRun = runId;
    }
    return { ties: BINDING_TABLE, keys: BINDING_KEYS };
  }

  /** How many accounts have at least one binding tie in the run. */
  async accountsWithTies(runId: number): Promise<number> {
    const { ties: t } = await this.bindingTies(runId);
    return (
      (await this.store.scalar<number>(
        `SELECT count(*)::DOUBLE FROM (SELECT a FROM ${t} UNION SELECT b FROM ${t})`,
      )) ?? 0
    );
  }

  /** A campaign by number (C1) or stable id. */
  async campaign(id: string): Promise<{ a: Analysis; c: CampaignDoc; key: string } | null> {
    const a = await this.latest();
    if (!a) return null;
    const num = a.idOf.get(id) ?? id;
    const c = a.doc.campaigns.find((x) => String(x["id"]) === num);
    return c ? { a, c, key: a.keyOf.get(num)! } : null;
  }

  async caseTotals(): Promise<Totals> {
    const inputs =
      (await this.store.scalar<string>("SELECT string_agg(sha256, ',' ORDER BY id) FROM inputs")) ?? "";
    if (this.totals?.inputs === inputs) return this.totals.value;
    // the accounts with posts are counted by ingest (post_accounts): a distinct count over every post took
    // seconds on a large case; counting posts and their first and last times reads no text
    const [p] = await this.store.all<{
      posts: number;
      accounts: number;
      first: string | null;
      last: string | null;
    }>(
      `SELECT count(*)::DOUBLE AS posts, (SELECT count(*) FROM post_accounts)::DOUBLE AS accounts,
              ${isoSecondsSql("min(ts)")} AS first, ${isoSecondsSql("max(ts)")} AS last
         FROM posts`,
    );
    const objects = await this.store.all<{ kind: string; n: number }>(
      `SELECT kind, count(*)::DOUBLE AS n FROM objects GROUP BY kind ORDER BY n DESC, kind`,
    );
    const value: Totals = {
      posts: p?.posts ?? 0,
      accounts: p?.accounts ?? 0,
      objects,
      first_post: p?.first ?? null,
      last_post: p?.last ?? null,
    };
    this.totals = { inputs, value };
    return value;
  }

  async inputs(): Promise<Array<Record<string, unknown>>> {
    return this.store.all(
      `SELECT id, path, sha256, format, bytes::DOUBLE AS bytes, rows_read::DOUBLE AS rows,
              rows_rejected::DOUBLE AS rejected, posts_stored::DOUBLE AS posts_stored,
              posts_duplicate::DOUBLE AS posts_duplicate, accounts_stored::DOUBLE AS accounts_stored,
              objects_stored::DOUBLE AS objects_stored, ${isoSecondsSql("ingested_at")} AS ingested_at,
              tool_version
         FROM inputs ORDER BY id`,
    );
  }

  async rejects(): Promise<{ total: number; reasons: Array<{ reason: string; n: number }> }> {
    const reasons = await this.store.all<{ reason: string; n: number }>(
      `SELECT reason, count(*)::DOUBLE AS n FROM rejects GROUP BY reason ORDER BY n DESC, reason LIMIT 20`,
    );
    const total = (await this.store.scalar<number>(`SELECT count(*)::DOUBLE FROM rejects`)) ?? 0;
    return { total, reasons };
  }

  async inputPaths(): Promise<Map<number, string>> {
    const rows = await this.store.all<{ id: number; path: string }>(`SELECT id, path FROM inputs`);
    return new Map(rows.map((r) => [r.id, r.path]));
  }

  /** An account's profile and activity; null when the case has neither a profile nor a post of it. */
  async profile(key: string): Promise<Record<string, unknown> | null> {
    const { platform, accountId } = parseAccountKey(key);
    const [a] = await this.store.all<Record<string, unknown>>(
      `SELECT arg_min(handle, source_row) AS handle, arg_min(display_name, source_row) AS display_name,
              arg_min(bio, source_row) AS bio, ${isoSecondsSql("min(created_at)")} AS created_at,
              max(followers)::DOUBLE AS followers, max(following)::DOUBLE AS following,
              arg_min(location, source_row) AS location, arg_min(avatar_url, source_row) AS avatar_url,
              arg_min(input_id, (input_id, source_row)) AS input_id,
              arg_min(source_row, (input_id, source_row))::DOUBLE AS source_row, count(*)::INTEGER AS n
         FROM accounts WHERE platform = $platform AND account_id = $id`,
      { platform, id: accountId },
    );
    const [p] = await this.store.all<{ posts: number; first: string | null; last: string | null }>(
      `SELECT count(*)::DOUBLE AS posts, ${isoSecondsSql("min(ts)")} AS first,
              ${isoSecondsSql("max(ts)")} AS last
         FROM posts WHERE platform = $platform AND account_id = $id`,
      { platform, id: accountId },
    );
    if (!a?.["n"] && !p?.posts) return null;
    const { n: _n, ...profile } = a ?? {};
    const inputId = profile["input_id"];
    return {
      key,
      platform,
      id: accountId,
      ...profile,
      input_path: typeof inputId === "number" ? ((await this.inputPaths()).get(inputId) ?? null) : null,
      posts: p?.posts ?? 0,
      first_post: p?.first ?? null,
      last_post: p?.last ?? null,
    };
  }

  /**
   * The accounts whose handle, display name or id holds `q`, compared in a folded form (case, Arabic and Persian
   * letter forms, Eastern digits, harakat and tatweel, invisible characters: `foldText`'s main rewrites), the
   * closest first: the handle itself, a handle that starts with it, a handle, name or id that holds it; then the
   * most active. `q` is folded by the caller.
   */
  async searchAccounts(
    q: string,
    limit: number,
    offset: number,
  ): Promise<{
    total: number;
    accounts: Array<{
      platform: string;
      id: string;
      handle: string | null;
      display_name: string | null;
      posts: number;
    }>;
  }> {
    const fold = (col: string): string =>
      `translate(regexp_replace(lower(nfc_normalize(coalesce(${col}, ''))), '${FOLD_DROP}', '', 'g'),
                 '${FOLD_FROM}', '${FOLD_TO}')`;
    const matches = `WITH f AS (SELECT a.platform, a.account_id, a.handle, a.display_name,
                                        ${fold("a.handle")} AS h, ${fold("a.display_name")} AS n,
                                        ${fold("a.account_id")} AS i
                                   FROM accounts a),
                       m AS (SELECT *, CASE WHEN h = $q OR i = $q THEN 0 WHEN starts_with(h, $q) THEN 1
                                            WHEN contains(h, $q) THEN 2 WHEN contains(n, $q) THEN 3 ELSE 4 END AS rank
                               FROM f WHERE contains(h, $q) OR contains(n, $q) OR contains(i, $q))`;
    // the page and the number of matches in one pass over the folded accounts
    const rows = await this.store.all<{
      platform: string;
      id: string;
      handle: string | null;
      display_name: string | null;
      posts: number;
      total: number;
    }>(
      `${matches}
       SELECT m.platform, m.account_id AS id, m.handle, m.display_name, coalesce(p.posts, 0)::DOUBLE AS posts,
              count(*) OVER ()::DOUBLE AS total
         FROM m LEFT JOIN post_accounts p USING (platform, account_id)
        ORDER BY m.rank, posts DESC, m.platform, m.account_id
        LIMIT $limit OFFSET $offset`,
      { q, limit, offset },
    );
    // a page past the last match holds no row to carry the count
    const total =
      rows[0]?.total ??
      (offset === 0
        ? 0
        : ((await this.store.scalar<number>(`${matches} SELECT count(*)::DOUBLE FROM m`, { q })) ?? 0));
    const accounts = rows.map(({ total: _total, ...a }) => a);
    return { total, accounts };
  }

  async accountExists(key: string): Promise<boolean> {
    const { platform, accountId } = parseAccountKey(key);
    const n = await this.store.scalar<number>(
      `SELECT (EXISTS (SELECT 1 FROM posts WHERE platform = $p AND account_id = $id)
            OR EXISTS (SELECT 1 FROM accounts WHERE platform = $p AND account_id = $id))::INTEGER`,
      { p: platform, id: accountId },
    );
    return n === 1;
  }

  /**
   * The order in which run `runId` stored its ties between accounts `x` and `y` (keys, either order), as [a, b], or
   * null when it tied them on no layer. Ties are stored with a before b in DuckDB's order of the accounts, by platform
   * and then id: not always JavaScript's order of the keys (platform "x" and "x2": "x:" sorts after "x2").
   */
  async tieOrder(runId: number, x: string, y: string): Promise<[string, string] | null> {
    for (const [a, b] of [x < y ? [x, y] : [y, x], x < y ? [y, x] : [x, y]] as Array<[string, string]>) {
      const n = await this.store.scalar<number>(
        `SELECT EXISTS (SELECT 1 FROM edges WHERE run_id = $run AND a = $a AND b = $b)::INTEGER`,
        { run: runId, a, b },
      );
      if (n === 1) return [a, b];
    }
    return null;
  }

  /** Handles of accounts by key (first profile row). */
  async handles(keys: string[]): Promise<Map<string, string | null>> {
    if (keys.length === 0) return new Map();
    const rows = await this.store.all<{ k: string; handle: string | null }>(
      `SELECT platform || ':' || account_id AS k, arg_min(handle, source_row) AS handle FROM accounts
        WHERE platform || ':' || account_id IN (SELECT unnest($keys::JSON::VARCHAR[])) GROUP BY 1`,
      { keys: JSON.stringify(keys) },
    );
    return new Map(rows.map((r) => [r.k, r.handle]));
  }
}

/**
 * The binding ties (significant or candidate) of a run as a temporary table of the server's connection, built the
 * first time a view needs them and kept while that run is the latest, so that the views read a small table of
 * five columns instead of the run's edges. Nothing is written to the case.
 */
export const BINDING_TABLE = "serve_binding_ties";
export const BINDING_KEYS = "serve_binding_keys";

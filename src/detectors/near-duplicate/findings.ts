/**
 * What near-duplicate says about accounts: one finding per account that posted into several clusters wide and long
 * enough that independent writing cannot explain the copies, with the posts as evidence; and the posts behind a
 * set of dense post ids, resolved for evidence.
 */
import type { Finding } from "../../model/index.js";
import { accountKey } from "../../store/account-keys.js";
import type { CaseStore } from "../../store/case.js";
import { isoMsSql } from "../../store/sql-time.js";
import { streamChunks } from "../../store/stream.js";
import { writeTempInts } from "../../store/temp-table.js";
import type { PostClusters, PostTexts } from "./clusters.js";
import { postRows } from "./read.js";
import { DistinctLength, MatchingCodes } from "./shingle.js";
import { ownSiteLinks, syndicatedCopies } from "./syndication.js";

/** Evidence lists per finding are capped; the counts say how many there were. */
const EVIDENCE_CLUSTERS = 20;

export interface FindingParams {
  shingle: number;
  findingAccounts: number;
  findingChars: number;
  findingClusters: number;
}

export interface AccountFindings {
  findings: Finding[];
  /** Clusters in which two or more sites' feeds carried the text, each with a link to its own site. */
  syndicatedClusters: number;
  /** Accounts left without a finding because their copies were, but for fewer than `findingClusters`, syndicated. */
  syndicatingAccounts: number;
}

export interface PostRef {
  post_id: string;
  input_id: number;
  source_row: number;
  ts: string;
}

/** Evidence for a set of dense post ids: the post and where it came from, and its account and text. */
export async function resolvePosts(
  store: CaseStore,
  ids: number[],
  row: Int32Array,
): Promise<Map<number, { ref: PostRef; account: string; handle: string | null; text: string }>> {
  await writeTempInts(store, "chorus_nd_wanted", ["idx", "r"], postRows(ids, row));
  const rows = await store.all<{
    idx: number;
    platform: string;
    post_id: string;
    account_id: string;
    handle: string | null;
    input_id: number;
    source_row: number;
    ts: string;
    text: string;
  }>(
    `SELECT w.idx, p.platform, p.post_id, p.account_id, a.handle, p.input_id, p.source_row::DOUBLE AS source_row,
            ${isoMsSql("p.ts")} AS ts, p.text
       FROM chorus_nd_wanted w JOIN posts p ON p.rowid = w.r
       LEFT JOIN (SELECT platform, account_id, any_value(handle) AS handle FROM accounts
                   GROUP BY platform, account_id) a ON a.platform = p.platform AND a.account_id = p.account_id
      ORDER BY w.idx`,
  );
  await store.conn.run("DROP TABLE IF EXISTS chorus_nd_wanted");
  return new Map(
    rows.map((r) => [
      r.idx,
      {
        ref: { post_id: r.post_id, input_id: r.input_id, source_row: r.source_row, ts: r.ts },
        account: accountKey(r.platform, r.account_id),
        handle: r.handle,
        text: r.text,
      },
    ]),
  );
}

/** Per kept cluster: the time from its first post to its last, in ms. */
export function clusterSpans(clusters: PostClusters, tsMs: Float64Array): Float64Array {
  const from = new Float64Array(clusters.count).fill(Infinity);
  const to = new Float64Array(clusters.count).fill(-Infinity);
  for (let i = 0; i < clusters.clusterOf.length; i++) {
    const c = clusters.clusterOf[i]!;
    if (c < 0) continue;
    if (tsMs[i]! < from[c]!) from[c] = tsMs[i]!;
    if (tsMs[i]! > to[c]!) to[c] = tsMs[i]!;
  }
  return to.map((t, c) => t - from[c]!);
}

/**
 * A span of time in words, rounded down to its largest unit: what tells a paste (seconds, minutes) from a quotation
 * that many people posted over an evening (hours).
 *
 * @example
 * spanWords(50_000); // "50 seconds"
 * spanWords(6.5 * 3600_000); // "6 hours"
 */
export function spanWords(ms: number): string {
  const s = Math.floor(ms / 1000);
  const [n, unit] =
    s < 120
      ? [s, "second"]
      : s < 2 * 3600
        ? [Math.floor(s / 60), "minute"]
        : s < 2 * 86400
          ? [Math.floor(s / 3600), "hour"]
          : [Math.floor(s / 86400), "day"];
  return `${n} ${unit}${n === 1 ? "" : "s"}`;
}

/**
 * Per kept cluster, 1 when it may count towards findings: posted by `findingAccounts` accounts or more, its first
 * post's text `findingChars` letters long with repeats not counted (`DistinctLength`: a slogan written ten times is
 * as long as the slogan). Read's lengths count repeats past `minChars`, where counting them cost every text a
 * third of its sketching; here only the texts of the clusters that can count are read again.
 */
async function longEnough(
  store: CaseStore,
  clusters: PostClusters,
  posts: PostTexts & { row: Int32Array },
  chars: Int32Array,
  params: FindingParams,
): Promise<Uint8Array> {
  const out = new Uint8Array(clusters.count);
  const rowOf = new Map<number, number>();
  for (let c = 0; c < clusters.count; c++) {
    const first = clusters.first[c]!;
    if (clusters.accounts[c]! >= params.findingAccounts && chars[posts.text[first]!]! >= params.findingChars)
      rowOf.set(posts.row[first]!, c);
  }
  if (rowOf.size === 0) return out;
  await store.conn.run("CREATE OR REPLACE TEMP TABLE chorus_nd_rows (r INTEGER)");
  const app = await store.conn.createAppender("chorus_nd_rows");
  try {
    for (const r of rowOf.keys()) {
      app.appendInteger(r);
      app.endRow();
    }
  } finally {
    app.closeSync();
  }
  const matching = new MatchingCodes();
  const length = new DistinctLength(params.shingle, params.findingChars);
  try {
    for await (const chunk of streamChunks(
      store.conn,
      "SELECT p.rowid::INTEGER AS r, p.text FROM chorus_nd_rows w JOIN posts p ON p.rowid = w.r",
    )) {
      const [rv, tv] = [0, 1].map((k) => chunk.getColumnVector(k));
      const rows = chunk.rowCount;
      for (let j = 0; j < rows; j++) {
        const n = matching.fill(String(tv!.getItem(j)));
        if (length.of(matching.codes, n) >= params.findingChars) out[rowOf.get(Number(rv!.getItem(j)))!] = 1;
      }
    }
  } finally {
    await store.conn.run("DROP TABLE IF EXISTS chorus_nd_rows");
  }
  return out;
}

/**
 * One finding per account that posted into at least `findingClusters` clusters, each posted by at least
 * `findingAccounts` accounts and long enough (`findingChars`) that independent writing cannot explain the
 * copies; the evidence names, for each cluster, the account's first post in it and how long the cluster's copies
 * took to be posted. Syndicated copies (`syndication.ts`) do not count: a feed carrying its outlet's headlines that
 * other outlets' feeds carry too is no copypasta poster.
 */
export async function accountFindings(
  store: CaseStore,
  posts: PostTexts & { row: Int32Array },
  chars: Int32Array,
  clusters: PostClusters,
  names: string[],
  params: FindingParams,
): Promise<AccountFindings> {
  const counted = await longEnough(store, clusters, posts, chars, params);
  // per account: the clusters it posted into (wide enough to count) and its first post in each
  const byAccount = new Map<number, Map<number, number>>();
  for (let i = 0; i < clusters.clusterOf.length; i++) {
    const c = clusters.clusterOf[i]!;
    if (c < 0 || counted[c] !== 1) continue;
    const a = posts.account[i]!;
    let mine = byAccount.get(a);
    if (!mine) byAccount.set(a, (mine = new Map()));
    const had = mine.get(c);
    if (had === undefined || posts.tsMs[i]! < posts.tsMs[had]!) mine.set(c, i);
  }
  const candidates = [...byAccount]
    .filter(([, m]) => m.size >= params.findingClusters)
    .sort((x, y) => x[0] - y[0]);
  const copies = candidates.flatMap(([, m]) => [...m].map(([cluster, idx]) => ({ cluster, idx })));
  const syndicated = syndicatedCopies(
    copies,
    await ownSiteLinks(
      store,
      copies.map((x) => x.idx),
      posts.row,
    ),
  );
  const syndicatedOf = new Map<number, number>();
  const syndicatedClusters = new Set<number>();
  for (const [a, m] of candidates)
    for (const [c, i] of m)
      if (syndicated.has(i)) {
        m.delete(c);
        syndicatedClusters.add(c);
        syndicatedOf.set(a, (syndicatedOf.get(a) ?? 0) + 1);
      }
  const chosen = candidates.filter(([, m]) => m.size >= params.findingClusters);
  const out: AccountFindings = {
    findings: [],
    syndicatedClusters: syndicatedClusters.size,
    syndicatingAccounts: candidates.length - chosen.length,
  };
  if (chosen.length === 0) return out;
  const spans = clusterSpans(clusters, posts.tsMs);
  const wanted: number[] = [];
  for (const [, m] of chosen) {
    const list = [...m].sort((x, y) => clusters.accounts[y[0]]! - clusters.accounts[x[0]]! || x[0] - y[0]);
    for (const [, i] of list.slice(0, EVIDENCE_CLUSTERS)) wanted.push(i);
  }
  const resolved = await resolvePosts(store, wanted, posts.row);
  for (const [a, m] of chosen) {
    const list = [...m].sort((x, y) => clusters.accounts[y[0]]! - clusters.accounts[x[0]]! || x[0] - y[0]);
    const shown = list.slice(0, EVIDENCE_CLUSTERS);
    const firstPost = resolved.get(shown[0]![1])!;
    const widest = shown[0]![0];
    const n = m.size;
    const near = list.filter(([c]) => clusters.texts[c]! > 1).length;
    const who = firstPost.handle ? `@${firstPost.handle}` : firstPost.account;
    const fed = syndicatedOf.get(a) ?? 0;
    out.findings.push({
      detector: "near-duplicate",
      subject: firstPost.account,
      strength: n >= 10 ? "strong" : n >= 4 ? "moderate" : "weak",
      score: Math.min(1, n / 10),
      explanation:
        `${who} posted ${n} texts of ${params.findingChars} or more letters that other accounts also posted, verbatim or with small edits ` +
        `(${near} of them in edited variants); the most widely posted was posted by ${clusters.accounts[widest]} accounts ` +
        `within ${spanWords(spans[widest]!)}` +
        (fed > 0
          ? `. Not counted: ${fed} headline${fed === 1 ? "" : "s"} it carried with a link to its own site, as other sites' feeds did (syndication).`
          : "."),
      evidence: {
        clusters_total: n,
        clusters_syndicated: fed,
        clusters: shown.map(([c, i]) => ({
          text: names[c],
          accounts: clusters.accounts[c],
          posts: clusters.posts[c],
          edited_variants: clusters.texts[c]! > 1,
          span_seconds: Math.round(spans[c]! / 1000),
          post: resolved.get(i)!.ref,
        })),
      },
    });
  }
  return out;
}

/**
 * `near-duplicate`: posts whose texts are the same or nearly the same (pasted with small edits, emoji added,
 * words swapped or dropped, punctuation and ZWNJ changed), by MinHash/LSH over folded character shingles. Its
 * main output is objects: each cluster posted by two or more accounts becomes a `text` object on its posts,
 * which co-share (registered after this detector) compares like links or hashtags. See README.md beside this
 * file.
 */
import { z } from "zod";
import type { Finding } from "../../model/index.js";
import { accountKey } from "../../store/account-keys.js";
import type { CaseStore } from "../../store/case.js";
import { skipped, type DerivedObjects, type Detector, type DetectorResult } from "../detector.js";
import { postClusters, type PostClusters, type PostTexts } from "./clusters.js";
import { clusterSketches } from "./lsh.js";
import { sCurveThreshold } from "./minhash.js";
import { readAndSketch } from "./read.js";
import { isoMsSql } from "../../store/sql-time.js";
import { streamChunks } from "../../store/stream.js";

export const nearDuplicateParams = z
  .object({
    minChars: z
      .number()
      .int()
      .min(1)
      .default(24)
      .describe(
        "fewest letters and digits a text must keep, once links, mentions, hashtags, punctuation, emoji and spaces are removed",
      ),
    shingle: z.number().int().min(2).max(10).default(4).describe("shingle length in characters"),
    threshold: z
      .number()
      .gt(0)
      .max(1)
      .default(0.45)
      .describe("estimated Jaccard similarity of two texts' shingle sets at or above which they are joined"),
    bands: z
      .number()
      .int()
      .min(1)
      .max(64)
      .default(20)
      .describe("LSH bands (the sketch has bands x rows slots)"),
    rows: z.number().int().min(1).max(16).default(3).describe("LSH rows per band"),
    minAccounts: z
      .number()
      .int()
      .min(1)
      .default(2)
      .describe("fewest distinct accounts whose posts a cluster must hold to become a text object"),
    includeReposts: z
      .boolean()
      .default(false)
      .describe("also compare the texts of reposts (by default left to the repost layer)"),
    findingAccounts: z
      .number()
      .int()
      .min(2)
      .default(3)
      .describe("fewest accounts a cluster must be posted by to count towards an account finding"),
    findingChars: z
      .number()
      .int()
      .min(1)
      .default(60)
      .describe(
        "fewest letters and digits a cluster's text must have to count towards an account finding (short stock phrases are written independently)",
      ),
    findingClusters: z
      .number()
      .int()
      .min(1)
      .default(2)
      .describe("fewest such clusters an account must have posted into to get a finding"),
  })
  .strict()
  .refine((p) => p.bands * p.rows <= 256, { message: "bands x rows must be at most 256", path: ["rows"] });

export type NearDuplicateParams = z.infer<typeof nearDuplicateParams>;

/** Evidence lists per finding are capped; the counts say how many there were. */
const EVIDENCE_CLUSTERS = 20;
const TOP_CLUSTERS = 10;
const SAMPLE_CHARS = 280;

export const nearDuplicateDetector: Detector<NearDuplicateParams> = {
  id: "near-duplicate",
  version: "1",
  summary: "posts by several accounts with the same text, pasted verbatim or with small edits",
  params: nearDuplicateParams,
  needs: ["posts"],
  async run(ctx): Promise<DetectorResult> {
    const { store, params } = ctx;
    const read = await readAndSketch(store, {
      ...params,
      seed: ctx.seed,
      progress: (done, total) => ctx.progress(done, total, "near-duplicate: sketching texts"),
    });
    try {
      if (read.posts === 0) return skipped("no posts with text in the case");
      const distinctTexts = read.sketches.count;
      const { uf, stats } = clusterSketches(read.sketches, params.threshold);
      // the sketches are the largest arrays of the run: let them go before the clusters are built
      read.sketches = {
        ...read.sketches,
        keys: new Uint32Array(0),
        sig: new Uint8Array(0),
        order: new Int32Array(0),
      };
      const clusters = postClusters(read, distinctTexts, uf, params.minAccounts);
      const counts: Record<string, number> = {
        posts: read.posts,
        posts_too_short: read.tooShort,
        distinct_texts: distinctTexts,
        clusters: clusters.count,
        clusters_exact: 0,
        clusters_near: 0,
        posts_in_clusters: 0,
        largest_cluster_posts: 0,
        largest_cluster_accounts: 0,
        clusters_single_account: clusters.fewAccounts,
        signature_comparisons: stats.comparisons,
        similar_pairs: stats.similar,
      };
      for (let c = 0; c < clusters.count; c++) {
        if (clusters.texts[c] === 1) counts["clusters_exact"]!++;
        else counts["clusters_near"]!++;
        counts["posts_in_clusters"]! += clusters.posts[c]!;
        counts["largest_cluster_posts"] = Math.max(counts["largest_cluster_posts"]!, clusters.posts[c]!);
        counts["largest_cluster_accounts"] = Math.max(
          counts["largest_cluster_accounts"]!,
          clusters.accounts[c]!,
        );
      }
      const details: Record<string, unknown> = {
        shingle: params.shingle,
        slots: params.bands * params.rows,
        bands: params.bands,
        rows: params.rows,
        threshold: params.threshold,
        lsh_s_curve_midpoint: sCurveThreshold(params.bands, params.rows),
        min_chars: params.minChars,
        reposts_compared: params.includeReposts,
      };
      if (clusters.count === 0) {
        return {
          status: "ok",
          message:
            `compared ${read.posts.toLocaleString("en-US")} posts: no text was posted, verbatim or nearly, ` +
            `by ${params.minAccounts} or more accounts`,
          counts,
          findings: [],
          edges: [],
          warnings: [],
          details: { ...details, top_clusters: [] },
        };
      }
      const derived = await clusterObjects(store, clusters, read.row);
      counts["accounts_in_clusters"] = accountsIn(clusters, read.account);
      const top = await topClusters(store, clusters, derived.values, read.row);
      const findings = await accountFindings(store, read, read.chars, clusters, derived.values, params);
      counts["accounts_with_findings"] = findings.length;
      return {
        status: "ok",
        message:
          `${clusters.count.toLocaleString("en-US")} text${clusters.count === 1 ? "" : "s"} posted by ` +
          `${params.minAccounts} or more accounts (${counts["clusters_exact"]} verbatim only, ` +
          `${counts["clusters_near"]} with edits), in ${counts["posts_in_clusters"]!.toLocaleString("en-US")} posts; ` +
          `largest: ${counts["largest_cluster_posts"]} posts by ${counts["largest_cluster_accounts"]} accounts`,
        counts,
        findings,
        edges: [],
        warnings: [],
        details: { ...details, top_clusters: top },
        derivedObjects: derived,
      };
    } finally {
      await store.conn.run("DROP TABLE IF EXISTS chorus_nd_members");
    }
  },
};

/** A cluster's name: `t:` and the platform and id of its earliest post, so a text object says where it began. */
const clusterName = (platform: string, postId: string): string => `t:${platform}:${postId}`;

/** The text objects: one row per post of a kept cluster, ordered by cluster then time. */
async function clusterObjects(
  store: CaseStore,
  clusters: PostClusters,
  row: Int32Array,
): Promise<DerivedObjects> {
  await store.conn.run("CREATE OR REPLACE TEMP TABLE chorus_nd_members (idx INTEGER, r INTEGER, c INTEGER)");
  const app = await store.conn.createAppender("chorus_nd_members");
  try {
    for (let i = 0; i < clusters.clusterOf.length; i++) {
      const c = clusters.clusterOf[i]!;
      if (c < 0) continue;
      app.appendInteger(i);
      app.appendInteger(row[i]!);
      app.appendInteger(c);
      app.endRow();
    }
  } finally {
    app.closeSync();
  }
  const platform: string[] = [];
  const postId: string[] = [];
  const value = new Int32Array(clusters.posts.reduce((n, x) => n + x, 0));
  const values: string[] = [];
  for await (const chunk of streamChunks(
    store.conn,
    `SELECT m.c, p.platform, p.post_id FROM chorus_nd_members m JOIN posts p ON p.rowid = m.r
      ORDER BY m.c, epoch_ms(p.ts), m.idx`,
  )) {
    const [cv, pv, iv] = [0, 1, 2].map((k) => chunk.getColumnVector(k));
    // the client computes rowCount on every read: once per chunk (it was 1.4 s of reading 6.6M texts at 10M posts)
    const rows = chunk.rowCount;
    for (let j = 0; j < rows; j++) {
      const c = Number(cv!.getItem(j));
      const pl = String(pv!.getItem(j));
      const id = String(iv!.getItem(j));
      if (values.length === c) values.push(clusterName(pl, id)); // the cluster's first row is its earliest post
      value[platform.length] = c;
      platform.push(pl);
      postId.push(id);
    }
  }
  return { kind: "text", platform, postId, value, values };
}

/** Distinct accounts with a post in a kept cluster. */
function accountsIn(clusters: PostClusters, account: Int32Array): number {
  const seen = new Set<number>();
  for (let i = 0; i < clusters.clusterOf.length; i++) if (clusters.clusterOf[i]! >= 0) seen.add(account[i]!);
  return seen.size;
}

interface PostRef {
  post_id: string;
  input_id: number;
  source_row: number;
  ts: string;
}

/** Evidence for a set of dense post ids: the post and where it came from, and its account and text. */
async function resolvePosts(
  store: CaseStore,
  ids: number[],
  row: Int32Array,
): Promise<Map<number, { ref: PostRef; account: string; handle: string | null; text: string }>> {
  await store.conn.run("CREATE OR REPLACE TEMP TABLE chorus_nd_wanted (idx INTEGER, r INTEGER)");
  const app = await store.conn.createAppender("chorus_nd_wanted");
  try {
    for (const i of [...new Set(ids)].sort((a, b) => a - b)) {
      app.appendInteger(i);
      app.appendInteger(row[i]!);
      app.endRow();
    }
  } finally {
    app.closeSync();
  }
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

async function topClusters(
  store: CaseStore,
  clusters: PostClusters,
  names: string[],
  row: Int32Array,
): Promise<Array<Record<string, unknown>>> {
  const order = [...names.keys()].sort(
    (x, y) =>
      clusters.accounts[y]! - clusters.accounts[x]! || clusters.posts[y]! - clusters.posts[x]! || x - y,
  );
  const top = order.slice(0, TOP_CLUSTERS);
  const posts = await resolvePosts(
    store,
    top.map((c) => clusters.first[c]!),
    row,
  );
  return top.map((c) => {
    const first = posts.get(clusters.first[c]!)!;
    return {
      text: names[c],
      posts: clusters.posts[c],
      accounts: clusters.accounts[c],
      distinct_texts: clusters.texts[c],
      first: { ...first.ref, account: first.account, sample: first.text.slice(0, SAMPLE_CHARS) },
    };
  });
}

/**
 * One finding per account that posted into at least `findingClusters` clusters, each posted by at least
 * `findingAccounts` accounts and long enough (`findingChars`) that independent writing cannot explain the
 * copies; the evidence names, for each cluster, the account's first post in it.
 */
async function accountFindings(
  store: CaseStore,
  posts: PostTexts & { row: Int32Array },
  chars: Int32Array,
  clusters: PostClusters,
  names: string[],
  params: NearDuplicateParams,
): Promise<Finding[]> {
  // per account: the clusters it posted into (wide enough to count) and its first post in each
  const byAccount = new Map<number, Map<number, number>>();
  for (let i = 0; i < clusters.clusterOf.length; i++) {
    const c = clusters.clusterOf[i]!;
    if (c < 0 || clusters.accounts[c]! < params.findingAccounts) continue;
    if (chars[posts.text[clusters.first[c]!]!]! < params.findingChars) continue;
    const a = posts.account[i]!;
    let mine = byAccount.get(a);
    if (!mine) byAccount.set(a, (mine = new Map()));
    const had = mine.get(c);
    if (had === undefined || posts.tsMs[i]! < posts.tsMs[had]!) mine.set(c, i);
  }
  const chosen = [...byAccount]
    .filter(([, m]) => m.size >= params.findingClusters)
    .sort((x, y) => x[0] - y[0]);
  if (chosen.length === 0) return [];
  const wanted: number[] = [];
  for (const [, m] of chosen) {
    const list = [...m].sort((x, y) => clusters.accounts[y[0]]! - clusters.accounts[x[0]]! || x[0] - y[0]);
    for (const [, i] of list.slice(0, EVIDENCE_CLUSTERS)) wanted.push(i);
  }
  const resolved = await resolvePosts(store, wanted, posts.row);
  const out: Finding[] = [];
  for (const [, m] of chosen) {
    const list = [...m].sort((x, y) => clusters.accounts[y[0]]! - clusters.accounts[x[0]]! || x[0] - y[0]);
    const shown = list.slice(0, EVIDENCE_CLUSTERS);
    const firstPost = resolved.get(shown[0]![1])!;
    const widest = clusters.accounts[shown[0]![0]]!;
    const n = m.size;
    const near = list.filter(([c]) => clusters.texts[c]! > 1).length;
    const who = firstPost.handle ? `@${firstPost.handle}` : firstPost.account;
    out.push({
      detector: "near-duplicate",
      subject: firstPost.account,
      strength: n >= 10 ? "strong" : n >= 4 ? "moderate" : "weak",
      score: Math.min(1, n / 10),
      explanation:
        `${who} posted ${n} texts of ${params.findingChars} or more letters that other accounts also posted, verbatim or with small edits ` +
        `(${near} of them in edited variants); the most widely posted was posted by ${widest} accounts.`,
      evidence: {
        clusters_total: n,
        clusters: shown.map(([c, i]) => ({
          text: names[c],
          accounts: clusters.accounts[c],
          posts: clusters.posts[c],
          edited_variants: clusters.texts[c]! > 1,
          post: resolved.get(i)!.ref,
        })),
      },
    });
  }
  return out;
}

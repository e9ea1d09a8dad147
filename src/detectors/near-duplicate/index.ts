/**
 * `near-duplicate`: posts whose texts are the same or nearly the same (pasted with small edits, emoji added,
 * words swapped or dropped, punctuation and ZWNJ changed), by MinHash/LSH over folded character shingles. Its
 * main output is objects: each cluster posted by two or more accounts becomes a `text` object on its posts,
 * which co-share (registered after this detector) compares like links or hashtags. See README.md beside this
 * file.
 */
import { z } from "zod";
import type { CaseStore } from "../../store/case.js";
import { skipped, type DerivedObjects, type Detector, type DetectorResult } from "../detector.js";
import { postClusters, type PostClusters } from "./clusters.js";
import { accountFindings, clusterSpans, resolvePosts } from "./findings.js";
import { clusterSketches } from "./lsh.js";
import { sCurveThreshold } from "./minhash.js";
import { readAndSketch } from "./read.js";
import { clipText } from "../../normalize/text.js";
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

/** The details list this many clusters, with a sample of their first post's text of so many characters. */
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
        prefix: new Uint32Array(0),
        cut: new Uint8Array(0),
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
      const top = await topClusters(store, clusters, derived.values, read);
      const { findings, syndicatedClusters, syndicatingAccounts } = await accountFindings(
        store,
        read,
        read.chars,
        clusters,
        derived.values,
        params,
      );
      counts["accounts_with_findings"] = findings.length;
      counts["clusters_syndicated"] = syndicatedClusters;
      counts["accounts_syndicating"] = syndicatingAccounts;
      return {
        status: "ok",
        message:
          `${clusters.count.toLocaleString("en-US")} text${clusters.count === 1 ? "" : "s"} posted by ` +
          `${params.minAccounts} or more accounts (${counts["clusters_exact"]} verbatim only, ` +
          `${counts["clusters_near"]} with edits), in ${counts["posts_in_clusters"]!.toLocaleString("en-US")} posts; ` +
          `largest: ${counts["largest_cluster_posts"]} posts by ${counts["largest_cluster_accounts"]} accounts` +
          (syndicatingAccounts > 0
            ? `; ${syndicatingAccounts} account${syndicatingAccounts === 1 ? "" : "s"} given no finding, as their ` +
              `copies were headlines that sites' feeds each carried with a link to their own site (syndication)`
            : ""),
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

async function topClusters(
  store: CaseStore,
  clusters: PostClusters,
  names: string[],
  { row, tsMs }: { row: Int32Array; tsMs: Float64Array },
): Promise<Array<Record<string, unknown>>> {
  const spans = clusterSpans(clusters, tsMs);
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
      span_seconds: Math.round(spans[c]! / 1000),
      first: { ...first.ref, account: first.account, sample: clipText(first.text, SAMPLE_CHARS) },
    };
  });
}

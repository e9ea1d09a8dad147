/**
 * From clustered texts to clusters of posts: each post joins the cluster of its text; a cluster is kept when it
 * has at least two posts from at least `minAccounts` distinct accounts. Kept clusters are numbered by their
 * earliest post (time, then post id), which also names them, so numbering and names do not depend on how the
 * texts were clustered internally.
 */
import type { UnionFind } from "./lsh.js";

export interface PostTexts {
  /** Per post: account dense id, time (epoch ms), distinct text id or -1 (not considered). */
  account: Int32Array;
  tsMs: Float64Array;
  text: Int32Array;
}

export interface PostClusters {
  /** Kept clusters, in order of their earliest post. */
  count: number;
  /** Per post: its kept cluster or -1. */
  clusterOf: Int32Array;
  posts: Int32Array;
  accounts: Int32Array;
  /** Distinct matching texts in the cluster (1 = exact copies only). */
  texts: Int32Array;
  /** The earliest post of each cluster (dense post id). */
  first: Int32Array;
  /** Clusters of two or more posts that were dropped because too few accounts posted them. */
  fewAccounts: number;
}

export function postClusters(
  p: PostTexts,
  textCount: number,
  uf: UnionFind,
  minAccounts: number,
): PostClusters {
  const n = p.text.length;
  const root = new Int32Array(n).fill(-1);
  // group posts by root with a counting sort (roots are text ids)
  const start = new Int32Array(textCount + 1);
  for (let i = 0; i < n; i++) {
    const t = p.text[i]!;
    if (t < 0) continue;
    const r = uf.find(t);
    root[i] = r;
    start[r + 1]!++;
  }
  for (let r = 0; r < textCount; r++) start[r + 1]! += start[r]!;
  const fill = start.slice(0, textCount);
  const byRoot = new Int32Array(start[textCount]!);
  for (let i = 0; i < n; i++) if (root[i]! >= 0) byRoot[fill[root[i]!]!++] = i;
  const textsPerRoot = new Int32Array(textCount);
  for (let t = 0; t < textCount; t++) textsPerRoot[uf.find(t)]!++;

  const mark = new Int32Array(maxPlusOne(p.account)).fill(-1);
  const keptRoots: number[] = [];
  const keptAccounts: number[] = [];
  const keptFirst: number[] = [];
  let fewAccounts = 0;
  for (let r = 0; r < textCount; r++) {
    const from = start[r]!;
    const to = start[r + 1]!;
    if (to - from < 2) continue;
    let accounts = 0;
    let first = byRoot[from]!;
    for (let k = from; k < to; k++) {
      const i = byRoot[k]!;
      const a = p.account[i]!;
      if (mark[a] !== r) {
        mark[a] = r;
        accounts++;
      }
      if (p.tsMs[i]! < p.tsMs[first]! || (p.tsMs[i] === p.tsMs[first] && i < first)) first = i;
    }
    if (accounts < minAccounts) {
      fewAccounts++;
      continue;
    }
    keptRoots.push(r);
    keptAccounts.push(accounts);
    keptFirst.push(first);
  }
  const rank = keptRoots.map((_, k) => k);
  rank.sort((x, y) => {
    const a = keptFirst[x]!;
    const b = keptFirst[y]!;
    return p.tsMs[a]! - p.tsMs[b]! || a - b;
  });
  const count = rank.length;
  const clusterOf = new Int32Array(n).fill(-1);
  const posts = new Int32Array(count);
  const accounts = new Int32Array(count);
  const texts = new Int32Array(count);
  const first = new Int32Array(count);
  rank.forEach((k, c) => {
    const r = keptRoots[k]!;
    for (let j = start[r]!; j < start[r + 1]!; j++) clusterOf[byRoot[j]!] = c;
    posts[c] = start[r + 1]! - start[r]!;
    accounts[c] = keptAccounts[k]!;
    texts[c] = textsPerRoot[r]!;
    first[c] = keptFirst[k]!;
  });
  return { count, clusterOf, posts, accounts, texts, first, fewAccounts };
}

function maxPlusOne(a: Int32Array): number {
  let m = -1;
  for (let i = 0; i < a.length; i++) if (a[i]! > m) m = a[i]!;
  return m + 1;
}

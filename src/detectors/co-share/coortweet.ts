/**
 * CooRTweet 2.1.3 compatibility: the numbers `detect_groups` + `generate_coordinated_network(subgraph = 1)`
 * would give on the same rows, so that Chorus results can be checked against the R package.
 *
 * What CooRTweet 2.1.3 does, step by step (learned from its R sources; this is our own implementation):
 * 1. Input rows are (object_id, account_id, content_id, timestamp_share). Rows without an object are dropped and
 *    rows repeating all four fields are kept once (the package vignette does this with `unique()`).
 * 2. Activity pre-filter: only accounts with at least `min_participation` rows take part (rows of this one
 *    object layer, counted after step 1, whatever their timing).
 * 3. Within each object, every two rows whose timestamps differ by at most `time_window` seconds (inclusive)
 *    form a result row: all pairs inside the window, each unordered pair once.
 * 4. Loops are removed: pairs of one account, pairs of one content_id, and rows whose object_id equals the
 *    content_id (an original post listed as a share of itself).
 * 5. Participation refinement: collect the content_ids appearing in the result; count, per account, its rows
 *    (from step 2) carrying one of them; keep the accounts with at least `min_participation` such rows; a result
 *    row survives when either of its two content_ids belongs to those kept rows.
 * 6. Edges: result rows grouped by unordered account pair; weight = number of result rows (share pairs).
 * 7. Threshold: weight strictly greater than R's `quantile(weights, edge_weight)` (type 7); keeping only those
 *    edges and dropping accounts left without an edge gives the "subgraph = 1" network.
 */
import { coShareWindows } from "./kernel.js";

/** Column-wise rows of one object layer. `objectId` null, undefined or "" means the row shared no object. */
export interface CoortweetRows {
  objectId: ArrayLike<string | null | undefined>;
  accountId: ArrayLike<string>;
  contentId: ArrayLike<string>;
  /** Unix seconds. */
  tsSec: ArrayLike<number>;
}

export interface CoortweetParams {
  /** `time_window`, seconds. */
  timeWindow: number;
  /** `min_participation`. */
  minParticipation: number;
  /** `edge_weight`: the quantile of edge weights that an edge must exceed, in [0, 1]. */
  edgeWeightQuantile: number;
  /** Drop rows repeating (object, account, content, timestamp) first (default true, as the vignette does). */
  dedupe?: boolean;
}

export interface CoortweetEdge {
  /** Account ids, a < b in code-unit order. */
  a: string;
  b: string;
  /** Number of co-shares (share pairs): CooRTweet's `weight`. */
  weight: number;
  /** Distinct objects co-shared in the window. */
  objects: number;
  /** weight > threshold. */
  aboveThreshold: boolean;
}

export interface CoortweetResult {
  /** Rows with an object after de-duplication. */
  rows: number;
  /**
   * Co-shares: the rows of `detect_groups` output, i.e. pairs of shares of one object by two accounts within the
   * window (each a distinct (object, content, content) combination). This is the "co-share pairs" column of
   * the reference table, and the sum of all edge weights.
   */
  coshares: number;
  /** Distinct (object, account pair) combinations among the co-shares (fewer when a pair meets twice on one object). */
  objectPairs: number;
  /** Full graph. */
  edges: number;
  accounts: number;
  /** The type-7 quantile of edge weights. */
  threshold: number;
  edgesAboveThreshold: number;
  accountsAboveThreshold: number;
  /** Connected components of the thresholded graph, and the size (accounts) of the largest. */
  components: number;
  largestComponent: number;
  /** All edges, sorted by a then b. */
  edgeList: CoortweetEdge[];
}

/**
 * Runs the CooRTweet 2.1.3 computation on one object layer.
 *
 * @example
 * const r = coortweetCompat(rows, { timeWindow: 60, minParticipation: 2, edgeWeightQuantile: 0.5 });
 * r.edgesAboveThreshold; // edges of generate_coordinated_network(..., subgraph = 1)
 */
export function coortweetCompat(rows: CoortweetRows, params: CoortweetParams): CoortweetResult {
  const { timeWindow, minParticipation, edgeWeightQuantile } = params;
  if (!(timeWindow >= 0) || !Number.isFinite(timeWindow)) {
    throw new RangeError("coortweet: timeWindow must be a finite number >= 0");
  }
  if (!(edgeWeightQuantile >= 0 && edgeWeightQuantile <= 1)) {
    throw new RangeError("coortweet: edgeWeightQuantile must be in [0, 1]");
  }
  const n = rows.objectId.length;
  if (rows.accountId.length !== n || rows.contentId.length !== n || rows.tsSec.length !== n) {
    throw new RangeError("coortweet: columns must have the same length");
  }

  // Step 1: drop rows without an object, dictionary-encode, de-duplicate.
  const objectIds = new Dictionary();
  const accountIds = new Dictionary();
  const contentIds = new Dictionary();
  const obj: number[] = [];
  const acc: number[] = [];
  const con: number[] = [];
  const tsSec: number[] = [];
  const selfShare: boolean[] = [];
  for (let r = 0; r < n; r++) {
    const o = rows.objectId[r];
    if (o === null || o === undefined || o === "") continue;
    const c = rows.contentId[r]!;
    obj.push(objectIds.id(o));
    acc.push(accountIds.id(rows.accountId[r]!));
    con.push(contentIds.id(c));
    tsSec.push(rows.tsSec[r]!);
    selfShare.push(o === c);
  }
  const keep = params.dedupe === false ? undefined : firstOccurrences(obj, acc, con, tsSec);
  const pick = <T>(xs: T[]): T[] => (keep === undefined ? xs : keep.map((k) => xs[k]!));
  const m = keep === undefined ? obj.length : keep.length;
  const columns = {
    object: Int32Array.from(pick(obj)),
    account: Int32Array.from(pick(acc)),
    // Seconds as given (the kernel only subtracts and compares, so the unit is free): differences are then the
    // very numbers R compares. A missing time (NaN) never pairs, as NA never passes R's window test, but still
    // counts as activity.
    tsMs: Float64Array.from(pick(tsSec), (t) => (Number.isFinite(t) ? t : 0)),
    share: Int32Array.from(pick(con)),
  };
  const accOf = columns.account;
  const conOf = columns.share;
  const self = pick(selfShare);

  // Step 2: activity pre-filter on row counts per account.
  const rowsPerAccount = new Int32Array(accountIds.size);
  for (let k = 0; k < m; k++) rowsPerAccount[accOf[k]!]!++;
  const active = new Uint8Array(m);
  for (let k = 0; k < m; k++) active[k] = rowsPerAccount[accOf[k]!]! >= minParticipation ? 1 : 0;
  // Step 4 (object == content): such rows still count as activity but never pair.
  const pairable = new Uint8Array(m);
  const timed = pick(tsSec).map((t) => Number.isFinite(t));
  for (let k = 0; k < m; k++) pairable[k] = active[k] !== 0 && !self[k] && timed[k] ? 1 : 0;

  // In seconds, like the times above.
  const windowMs = timeWindow;

  // Steps 3-4, first pass: which content ids appear in the result.
  let requireOneOf: Uint8Array | undefined;
  if (minParticipation >= 1) {
    const first = coShareWindows(columns, { windowMs, include: pairable, markRows: true, evidence: false });
    const inResult = new Uint8Array(contentIds.size);
    const paired = first.pairedRows!;
    for (let k = 0; k < m; k++) if (paired[k] !== 0) inResult[conOf[k]!] = 1;
    // Step 5: participation refinement.
    const hits = new Int32Array(accountIds.size);
    for (let k = 0; k < m; k++) if (active[k] !== 0 && inResult[conOf[k]!] !== 0) hits[accOf[k]!]!++;
    const keptContent = new Uint8Array(contentIds.size);
    for (let k = 0; k < m; k++) {
      if (active[k] !== 0 && inResult[conOf[k]!] !== 0 && hits[accOf[k]!]! >= minParticipation) {
        keptContent[conOf[k]!] = 1;
      }
    }
    requireOneOf = new Uint8Array(m);
    for (let k = 0; k < m; k++) requireOneOf[k] = keptContent[conOf[k]!]!;
  }

  // Second pass: the surviving share pairs, aggregated per account pair (step 6).
  const result = coShareWindows(columns, { windowMs, include: pairable, requireOneOf, evidence: false });
  const pairs = result.a.length;

  // Step 7: threshold and the thresholded subgraph.
  const threshold = pairs === 0 ? NaN : quantileType7(result.sharePairs, edgeWeightQuantile);
  const accountNames = accountIds.names;
  const edgeList: CoortweetEdge[] = new Array<CoortweetEdge>(pairs);
  const inGraph = new Uint8Array(accountIds.size);
  const inThresholded = new Uint8Array(accountIds.size);
  const uf = new UnionFind(accountIds.size);
  let edgesAbove = 0;
  for (let k = 0; k < pairs; k++) {
    const ia = result.a[k]!;
    const ib = result.b[k]!;
    const weight = result.sharePairs[k]!;
    const above = weight > threshold;
    inGraph[ia] = 1;
    inGraph[ib] = 1;
    if (above) {
      edgesAbove++;
      inThresholded[ia] = 1;
      inThresholded[ib] = 1;
      uf.union(ia, ib);
    }
    const na = accountNames[ia]!;
    const nb = accountNames[ib]!;
    edgeList[k] = {
      a: na < nb ? na : nb,
      b: na < nb ? nb : na,
      weight,
      objects: result.objects[k]!,
      aboveThreshold: above,
    };
  }
  edgeList.sort((x, y) => (x.a < y.a ? -1 : x.a > y.a ? 1 : x.b < y.b ? -1 : x.b > y.b ? 1 : 0));

  let accounts = 0;
  let accountsAbove = 0;
  let components = 0;
  let largest = 0;
  const componentSize = new Int32Array(accountIds.size);
  for (let v = 0; v < accountIds.size; v++) {
    if (inGraph[v] !== 0) accounts++;
    if (inThresholded[v] === 0) continue;
    accountsAbove++;
    const root = uf.find(v);
    if (componentSize[root] === 0) components++;
    componentSize[root]!++;
    if (componentSize[root]! > largest) largest = componentSize[root]!;
  }

  return {
    rows: m,
    coshares: result.totals.sharePairs,
    objectPairs: result.totals.objectPairs,
    edges: pairs,
    accounts,
    threshold,
    edgesAboveThreshold: edgesAbove,
    accountsAboveThreshold: accountsAbove,
    components,
    largestComponent: largest,
    edgeList,
  };
}

/**
 * R's default `quantile(x, p)` (type 7): linear interpolation between order statistics at 1 + (n - 1) p,
 * computed the way R does it so that "weight > quantile" matches on ties and boundaries.
 */
export function quantileType7(values: ArrayLike<number>, p: number): number {
  const n = values.length;
  if (n === 0) return NaN;
  const x = Float64Array.from(values).sort();
  const index = 1 + Math.max(n - 1, 0) * p;
  const lo = Math.floor(index);
  const hi = Math.ceil(index);
  const qs = x[lo - 1]!;
  const xh = x[hi - 1]!;
  if (index > lo && xh !== qs) {
    const h = index - lo;
    return (1 - h) * qs + h * xh;
  }
  return qs;
}

/** Indices of the first row of each distinct (object, account, content, time) combination, in input order. */
function firstOccurrences(obj: number[], acc: number[], con: number[], ts: number[]): number[] {
  const order = Array.from(obj, (_, i) => i);
  // Times compare with NaN equal to NaN and after every number, as R's unique() treats NA.
  const cmpTime = (p: number, q: number) =>
    p < q ? -1 : p > q ? 1 : p === q ? 0 : Number.isNaN(p) ? (Number.isNaN(q) ? 0 : 1) : -1;
  order.sort(
    (x, y) => obj[x]! - obj[y]! || con[x]! - con[y]! || acc[x]! - acc[y]! || cmpTime(ts[x]!, ts[y]!) || x - y,
  );
  const duplicate = new Uint8Array(obj.length);
  for (let k = 1; k < order.length; k++) {
    const x = order[k - 1]!;
    const y = order[k]!;
    if (obj[x] === obj[y] && con[x] === con[y] && acc[x] === acc[y] && cmpTime(ts[x]!, ts[y]!) === 0)
      duplicate[y] = 1;
  }
  const keep: number[] = [];
  for (let i = 0; i < obj.length; i++) if (duplicate[i] === 0) keep.push(i);
  return keep;
}

/** String -> dense id, in first-seen order. */
class Dictionary {
  private readonly ids = new Map<string, number>();
  readonly names: string[] = [];

  get size(): number {
    return this.names.length;
  }

  id(value: string): number {
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.names.length;
      this.ids.set(value, id);
      this.names.push(value);
    }
    return id;
  }
}

/** Union-find with path halving and union by size. */
class UnionFind {
  private readonly parent: Int32Array;
  private readonly size: Int32Array;

  constructor(n: number) {
    this.parent = new Int32Array(n);
    this.size = new Int32Array(n).fill(1);
    for (let i = 0; i < n; i++) this.parent[i] = i;
  }

  find(v: number): number {
    const p = this.parent;
    while (p[v] !== v) {
      p[v] = p[p[v]!]!;
      v = p[v]!;
    }
    return v;
  }

  union(a: number, b: number): void {
    let ra = this.find(a);
    let rb = this.find(b);
    if (ra === rb) return;
    if (this.size[ra]! < this.size[rb]!) {
      const t = ra;
      ra = rb;
      rb = t;
    }
    this.parent[rb] = ra;
    this.size[ra]! += this.size[rb]!;
  }
}

/**
 * The co-share kernel: which pairs of accounts shared the same object within a time window, and how often.
 *
 * Shares are sorted by (object, time) and each object's run is walked with a sliding window: for every share,
 * the later shares of the same object whose time is at most `windowMs` after it are its partners. Work is
 * proportional to the number of share pairs inside the window, never to all pairs of an object, so a link
 * shared 100,000 times over a week costs only what its bursts cost. The walk runs twice: once to count the
 * co-shares of each hash partition, once to write them into columns sized exactly, which are then folded into
 * pairs in place (see aggregate.ts for why: fresh memory, not arithmetic, is what this costs).
 *
 * Counting semantics (both are returned, per account pair):
 * - `sharePairs`: pairs of shares (rows) of the same object by the two accounts whose times differ by at most
 *   the window, inclusive. If A shared an object twice and B once, all within the window, that is 2. This is
 *   CooRTweet's edge weight: `detect_groups` outputs one row per share pair, and its row count (the sum of
 *   `sharePairs`) is what CooRTweet's examples call the number of co-shares.
 * - `objects`: distinct objects on which the pair has at least one share pair in the window. One repeated
 *   burst by a hyperactive account cannot inflate it, so it is the count our own detector and significance test
 *   build on. Its sum is the number of distinct (object, account pair) combinations.
 *
 * A share never pairs with a share by the same account, nor (when `share` ids are given) with a row carrying
 * the same share id, which is how a post listed twice under one object is kept from pairing with itself.
 *
 * Ids are dense non-negative int32 (the store's dictionary ids); outputs are typed arrays.
 */
import {
  CoShareRecords,
  PairAggregator,
  PairColumns,
  finePartition,
  RECORD_BUDGET,
  RecordScratch,
  type AggregatedPairs,
  type CoShareSink,
  type RecordColumns,
} from "./aggregate.js";
import { sortShares, type SortedShares } from "./sort.js";
import { hashPair } from "../../stats/pair-table.js";

export interface ShareColumns {
  /** Dense object id of each share. */
  object: Int32Array;
  /** Dense account id of each share. */
  account: Int32Array;
  /** Time of each share, epoch milliseconds. */
  tsMs: Float64Array;
  /** Optional id of the post that made the share; rows with equal ids never pair. */
  share?: Int32Array;
}

export interface CoShareOptions {
  /** Largest time difference, in milliseconds, at which two shares still co-share (inclusive). */
  windowMs: number;
  /**
   * Viral-object guard: each share considers at most this many following shares of the same object (the
   * nearest in time), whatever their accounts. Bounds the work at rows * cap. Pairs beyond the cap are not
   * counted; `objectsCapped` and `sharePairsSkipped` say how much was left out. Unlimited when absent.
   */
  maxPartnersPerShare?: number;
  /** Keep, per account pair, the co-share with the smallest time gap as evidence (default true; 12 B a pair). */
  evidence?: boolean;
  /** Rows with 0 here are ignored altogether (as if absent). */
  include?: Uint8Array;
  /** When given, a share pair counts only if at least one of its two rows has a non-zero flag here. */
  requireOneOf?: Uint8Array;
  /** Report which input rows took part in at least one counted share pair (`pairedRows`). */
  markRows?: boolean;
  /**
   * Buffers reused from walk to walk (see `RecordScratch`): the pair columns of the result then live in them, and
   * are overwritten by the next walk given the same scratch.
   */
  scratch?: RecordScratch;
}

/**
 * For each account pair, the share pair with the smallest gap (first found on ties). `object` and `gapMs` follow
 * from the rows and are computed on first access, from the input columns (16M pairs would otherwise cost
 * 190 MB that nobody may read).
 */
export interface CoShareEvidence {
  readonly object: Int32Array;
  /** Input row of account `a`'s share. */
  rowA: Int32Array;
  /** Input row of account `b`'s share. */
  rowB: Int32Array;
  /** |t(rowA) - t(rowB)| in milliseconds. */
  readonly gapMs: Float64Array;
  /** The evidence of the pairs at positions `at` only, in that order (computed for those pairs alone). */
  select(at: Int32Array): CoShareEvidence;
}

export interface CoShareResult {
  /** Account pairs, a < b; index i of every array below describes pair i. Order: deterministic, unspecified. */
  a: Int32Array;
  b: Int32Array;
  sharePairs: Uint32Array;
  objects: Uint32Array;
  evidence: CoShareEvidence | undefined;
  /** Per input row, 1 when the row took part in a counted share pair; only with `markRows`. */
  pairedRows: Uint8Array | undefined;
  totals: {
    /** Rows walked (after `include`). */
    rows: number;
    /** Distinct objects among those rows. */
    objects: number;
    /** Account pairs found. */
    pairs: number;
    /** Share pairs counted (sum of `sharePairs`). */
    sharePairs: number;
    /** Distinct (object, account pair) combinations (sum of `objects`). */
    objectPairs: number;
    /** Objects on which `maxPartnersPerShare` cut at least one share's partner list. */
    objectsCapped: number;
    /** Partners left out by the cap (share pairs of any accounts, so an upper bound of lost co-shares). */
    sharePairsSkipped: number;
  };
}

/**
 * Finds co-shares in a sliding window per object. Input need not be sorted.
 *
 * @example
 * const r = coShareWindows(
 *   { object: Int32Array.of(0, 0, 0), account: Int32Array.of(1, 2, 3), tsMs: Float64Array.of(0, 60_000, 61_000) },
 *   { windowMs: 60_000 },
 * );
 * // pairs {1,2} (gap 60 s, inclusive) and {2,3}; {1,3} is 61 s apart
 */
export function coShareWindows(input: ShareColumns, opts: CoShareOptions): CoShareResult {
  return coShareWindowsWithBudget(input, opts, RECORD_BUDGET);
}

/**
 * `coShareWindows` with another threshold, in co-shares, above which the streaming aggregation takes over (tests
 * use it to run both aggregations on small inputs). Internal.
 */
export function coShareWindowsWithBudget(
  input: ShareColumns,
  opts: CoShareOptions,
  recordBudget: number,
): CoShareResult {
  const n = input.object.length;
  if (input.account.length !== n || input.tsMs.length !== n || (input.share && input.share.length !== n)) {
    throw new RangeError("co-share: input columns must have the same length");
  }
  const { windowMs } = opts;
  if (!(windowMs >= 0) || !Number.isFinite(windowMs)) {
    throw new RangeError("co-share: windowMs must be a finite number >= 0");
  }
  const cap = opts.maxPartnersPerShare ?? Infinity;
  if (!(cap >= 1) || (Number.isFinite(cap) && !Number.isInteger(cap))) {
    throw new RangeError("co-share: maxPartnersPerShare must be a positive integer");
  }
  for (const [name, mask] of [
    ["include", opts.include],
    ["requireOneOf", opts.requireOneOf],
  ] as const) {
    if (mask !== undefined && mask.length !== n)
      throw new RangeError(`co-share: ${name} must have one flag a row`);
  }
  const withRows = opts.evidence !== false || opts.markRows === true || opts.requireOneOf !== undefined;
  const sorted = sortShares(input, opts.include, withRows);
  return walk(sorted, input.object, input.tsMs, n, windowMs, cap, opts, recordBudget);
}

function walk(
  s: SortedShares,
  objectByRow: Int32Array,
  tsByRow: Float64Array,
  inputRows: number,
  windowMs: number,
  cap: number,
  opts: CoShareOptions,
  recordBudget: number,
): CoShareResult {
  const withEvidence = opts.evidence !== false;
  const positions = s.tsMs.length;
  const row = s.row;

  let reqS: Uint8Array | undefined;
  if (opts.requireOneOf !== undefined) {
    const req = opts.requireOneOf;
    reqS = new Uint8Array(positions);
    for (let k = 0; k < positions; k++) reqS[k] = req[row === undefined ? k : row[k]!] !== 0 ? 1 : 0;
  }
  const pairedS = opts.markRows === true ? new Uint8Array(positions) : undefined;

  // Two passes (see aggregate.ts): count co-shares per partition, then write them into exactly sized columns.
  const records = new CoShareRecords(withEvidence, opts.scratch);
  const scan = scanWindows(s, windowMs, cap, reqS, pairedS, false, records, undefined);
  let e: AggregatedPairs;
  if (scan.sharePairs <= recordBudget) {
    records.allocate();
    scanWindows(s, windowMs, cap, reqS, undefined, withEvidence, undefined, records.columns);
    e = records.fold();
  } else {
    // Sized for the distinct pairs the first pass estimated (and a margin for its error): a table that grows
    // rehashes into fresh memory, which cost as much as the aggregation itself.
    const expected = Math.min(scan.sharePairs, Math.ceil(1.05 * records.distinct.estimate()) + 1024);
    const passes = records.passes(recordBudget);
    if (passes !== undefined) {
      // walk once for each run of partitions that fits the budget, each walk writing and folding only its own
      // pairs, in the same columns (scan, not aggregation, is what a walk repeats)
      const each = new CoShareRecords(withEvidence, opts.scratch ?? new RecordScratch());
      each.counts.set(records.counts);
      const out = new PairColumns(expected, withEvidence);
      for (const [first, end] of passes) {
        each.allocate(first, end);
        scanWindows(s, windowMs, cap, reqS, undefined, withEvidence, undefined, each.columns);
        out.append(each.fold());
      }
      e = out.finish();
    } else {
      // one partition alone past the budget (a few pairs repeating millions of times): memory must grow with
      // the pairs, not the co-shares
      const agg = new PairAggregator(expected, withEvidence);
      scanWindows(s, windowMs, cap, reqS, undefined, withEvidence, undefined, undefined, agg);
      e = agg.finish();
    }
  }
  const pairs = e.a.length;
  const objects = e.objects;
  let objectPairs = 0;
  for (let k = 0; k < pairs; k++) objectPairs += objects[k]!;

  let evidence: CoShareEvidence | undefined;
  if (e.rowA !== undefined && e.rowB !== undefined)
    evidence = lazyEvidence(e.rowA, e.rowB, objectByRow, tsByRow);

  let pairedRows: Uint8Array | undefined;
  if (pairedS !== undefined) {
    pairedRows = new Uint8Array(inputRows);
    for (let k = 0; k < positions; k++) if (pairedS[k] !== 0) pairedRows[row === undefined ? k : row[k]!] = 1;
  }

  return {
    a: e.a,
    b: e.b,
    sharePairs: e.count,
    objects,
    evidence,
    pairedRows,
    totals: {
      rows: s.rows,
      objects: s.objects,
      pairs,
      sharePairs: scan.sharePairs,
      objectPairs,
      objectsCapped: scan.objectsCapped,
      sharePairsSkipped: scan.skipped,
    },
  };
}

interface ScanTotals {
  sharePairs: number;
  objectsCapped: number;
  skipped: number;
}

/**
 * One walk over every object's run, doing one of three things with each co-share (accounts in increasing order):
 * - `counter` given (the first pass): counts it in its fine partition and notes its pair's hash for the estimate
 *   of distinct pairs;
 * - `records` given: writes it into its region's next record, when its fine partition has a region in this walk
 *   (a walk of several leaves the others out before it reads their evidence);
 * - else passes it to `to`.
 * The work is written out here rather than behind a call: a call per co-share cost as much again as the walk (a
 * branch the CPU predicts costs nearly nothing). Evidence is read only when `evidence`. Marks paired positions in
 * `pairedS` when given, and counts.
 */
function scanWindows(
  s: SortedShares,
  windowMs: number,
  cap: number,
  reqS: Uint8Array | undefined,
  pairedS: Uint8Array | undefined,
  evidence: boolean,
  counter: CoShareRecords | undefined,
  records: RecordColumns | undefined,
  to?: CoShareSink,
): ScanTotals {
  const { row, account: accS, tsMs: tsS, share: shareS, runStart, runObject } = s;
  const runs = runObject.length;
  const counts = counter?.counts;
  const distinct = counter?.distinct;
  const regionOf = records?.regionOf;
  const cursor = records?.cursor;
  const recA = records?.a;
  const recB = records?.b;
  const recObject = records?.object;
  const recGap = records?.gap;
  const recRowA = records?.rowA;
  const recRowB = records?.rowB;
  let sharePairs = 0;
  let objectsCapped = 0;
  let skipped = 0;
  for (let g = 0; g < runs; g++) {
    const lo = runStart[g]!;
    const hi = runStart[g + 1]!;
    if (hi - lo < 2) continue;
    const obj = runObject[g]!;
    let capped = false;
    let end = lo + 1;
    for (let i = lo; i < hi - 1; i++) {
      const ti = tsS[i]!;
      const ai = accS[i]!;
      if (end <= i) end = i + 1;
      while (end < hi && tsS[end]! - ti <= windowMs) end++;
      let stop = end;
      if (stop - i - 1 > cap) {
        stop = i + 1 + cap;
        skipped += end - stop;
        capped = true;
      }
      const si = shareS === undefined ? 0 : shareS[i]!;
      const reqI = reqS === undefined || reqS[i] !== 0;
      const ri = evidence ? (row === undefined ? i : row[i]!) : 0;
      for (let j = i + 1; j < stop; j++) {
        const aj = accS[j]!;
        if (aj === ai) continue;
        if (shareS !== undefined && shareS[j] === si) continue;
        if (!reqI && reqS![j] === 0) continue;
        sharePairs++;
        if (pairedS !== undefined) {
          pairedS[i] = 1;
          pairedS[j] = 1;
        }
        const first = ai < aj;
        const x = first ? ai : aj;
        const y = first ? aj : ai;
        if (counts !== undefined) {
          counts[finePartition(x, y)]!++;
          distinct!.add(hashPair(x, y));
        } else if (regionOf !== undefined) {
          const r = regionOf[finePartition(x, y)]!;
          if (r < 0) continue;
          const k = cursor![r]!++;
          recA![k] = x;
          recB![k] = y;
          recObject![k] = obj;
          if (recGap !== undefined) {
            const rj = row === undefined ? j : row[j]!;
            recGap[k] = tsS[j]! - ti;
            recRowA![k] = first ? ri : rj;
            recRowB![k] = first ? rj : ri;
          }
        } else if (evidence) {
          const rj = row === undefined ? j : row[j]!;
          to!.push(x, y, obj, tsS[j]! - ti, first ? ri : rj, first ? rj : ri);
        } else to!.push(x, y, obj, 0, 0, 0);
      }
    }
    if (capped) objectsCapped++;
  }
  return { sharePairs, objectsCapped, skipped };
}

function lazyEvidence(
  rowA: Int32Array,
  rowB: Int32Array,
  objectByRow: Int32Array,
  tsByRow: Float64Array,
): CoShareEvidence {
  let object: Int32Array | undefined;
  let gapMs: Float64Array | undefined;
  return {
    rowA,
    rowB,
    get object() {
      return (object ??= rowA.map((r) => objectByRow[r]!));
    },
    get gapMs() {
      if (gapMs === undefined) {
        gapMs = new Float64Array(rowA.length);
        for (let k = 0; k < rowA.length; k++) gapMs[k] = Math.abs(tsByRow[rowA[k]!]! - tsByRow[rowB[k]!]!);
      }
      return gapMs;
    },
    select(at) {
      const a = new Int32Array(at.length);
      const b = new Int32Array(at.length);
      for (let j = 0; j < at.length; j++) {
        a[j] = rowA[at[j]!]!;
        b[j] = rowB[at[j]!]!;
      }
      return lazyEvidence(a, b, objectByRow, tsByRow);
    },
  };
}

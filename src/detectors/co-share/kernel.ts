/**
 * The co-share kernel: which pairs of accounts shared the same object within a time window, and how often.
 *
 * Shares are sorted by (object, time), and for every share, the shares of the same object at most `windowMs` away
 * in time are its partners. Work is proportional to the number of share pairs inside the window, never to all
 * pairs of an object, so a link shared 100,000 times over a week costs only what its bursts cost. The pairs are
 * counted account by account (account-walk.ts): each account's co-shares with the accounts above it are found
 * from its own shares and summed in one slot per partner, so nothing is held per co-share.
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
import { walkByAccount, WalkScratch, type WalkedPairs } from "./account-walk.js";
import { sortShares, type SortedShares } from "./sort.js";

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
   * nearest in time), whatever their accounts. Bounds the work at 2 * rows * cap. Pairs beyond the cap are not
   * counted; `objectsCapped` and `sharePairsSkipped` say how much was left out. Unlimited when absent.
   */
  maxPartnersPerShare?: number;
  /**
   * Budget of account pairs, which the result's columns take 28 bytes each of: when the walk meets more, the
   * partner cap is halved (never below `MIN_PARTNER_CAP`) and the walk starts over, so that one burst of thousands of
   * accounts on one object cannot take the machine's memory. `totals.cap` says the cap the result used. No budget
   * when absent.
   */
  maxPairs?: number;
  /**
   * Only the pairs whose smaller account is in [from, to): part of a walk split between threads (see
   * `WalkOptions.accountRange`). The budget then counts the part's pairs alone; the totals are the part's, but for
   * the rows, objects and viral objects, which are the whole input's.
   */
  accountRange?: readonly [number, number];
  /**
   * Also count, per pair, the distinct objects co-shared within this narrower window (at most `windowMs`; the same
   * partner cap), in the same walk (`fastObjects`): the pairs that meet within it are those with a count above 0.
   */
  fastWindowMs?: number;
  /** Keep, per account pair, the co-share with the smallest time gap as evidence (default true; 12 B a pair). */
  evidence?: boolean;
  /** Rows with 0 here are ignored altogether (as if absent). */
  include?: Uint8Array;
  /** When given, a share pair counts only if at least one of its two rows has a non-zero flag here. */
  requireOneOf?: Uint8Array;
  /** Report which input rows took part in at least one counted share pair (`pairedRows`). */
  markRows?: boolean;
  /**
   * Buffers reused from walk to walk (see `WalkScratch`): the pair columns of the result then live in them, and
   * are overwritten by the next walk given the same scratch.
   */
  scratch?: WalkScratch;
}

/**
 * For each account pair, the share pair with the smallest gap (on equal gaps, the first in (object, time) order).
 * `object` and `gapMs` follow from the rows and are computed on first access, from the input columns (16M pairs
 * would otherwise cost 190 MB that nobody may read).
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
  /** With `fastWindowMs`: distinct objects co-shared within it (0 when the pair never met that close). */
  fastObjects: Uint32Array | undefined;
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
    /** The partner cap the walk used: `maxPartnersPerShare` (Infinity when none), or less to stay in `maxPairs`. */
    cap: number;
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
  const { cap, sorted } = prepareShares(input, opts);
  return walk(sorted, input.object, input.tsMs, input.object.length, opts.windowMs, cap, opts);
}

/**
 * Checks the input and options (a `RangeError` for misuse) and sorts the shares; returns the partner cap
 * (Infinity when none). Exported for the benchmark's baseline.
 */
export function prepareShares(
  input: ShareColumns,
  opts: CoShareOptions,
): { cap: number; sorted: SortedShares } {
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
  if (opts.maxPairs !== undefined && !(opts.maxPairs >= 1)) {
    throw new RangeError("co-share: maxPairs must be a number >= 1");
  }
  const fastMs = opts.fastWindowMs;
  if (fastMs !== undefined && !(fastMs >= 0 && fastMs <= windowMs)) {
    throw new RangeError("co-share: fastWindowMs must be a number from 0 to windowMs");
  }
  for (const [name, mask] of [
    ["include", opts.include],
    ["requireOneOf", opts.requireOneOf],
  ] as const) {
    if (mask !== undefined && mask.length !== n)
      throw new RangeError(`co-share: ${name} must have one flag a row`);
  }
  const withRows = opts.evidence !== false || opts.markRows === true || opts.requireOneOf !== undefined;
  return { cap, sorted: sortShares(input, opts.include, withRows) };
}

function walk(
  s: SortedShares,
  objectByRow: Int32Array,
  tsByRow: Float64Array,
  inputRows: number,
  windowMs: number,
  cap: number,
  opts: CoShareOptions,
): CoShareResult {
  const positions = s.tsMs.length;
  const row = s.row;

  const required = flagsByPosition(s, opts.requireOneOf);
  const paired = opts.markRows === true ? new Uint8Array(positions) : undefined;

  const scratch = opts.scratch ?? new WalkScratch();
  let e: WalkedPairs | null;
  for (;;) {
    e = walkByAccount(s, {
      windowMs,
      cap,
      evidence: opts.evidence !== false,
      fastWindowMs: opts.fastWindowMs,
      required,
      paired,
      scratch,
      maxPairs: cap > MIN_PARTNER_CAP ? opts.maxPairs : undefined,
      accountRange: opts.accountRange,
    });
    if (e !== null) break;
    // over the budget: halve the cap (from the longest object when there was none) and walk again
    cap = Math.max(MIN_PARTNER_CAP, Math.floor(Math.min(cap, longestRun(s)) / 2));
    paired?.fill(0);
  }
  const pairs = e.a.length;
  const objects = e.objects;
  let objectPairs = 0;
  for (let k = 0; k < pairs; k++) objectPairs += objects[k]!;

  let evidence: CoShareEvidence | undefined;
  if (e.posA !== undefined && e.posB !== undefined) {
    // positions to input rows, in place (the columns are the walk's own)
    if (row !== undefined) {
      for (let k = 0; k < pairs; k++) {
        e.posA[k] = row[e.posA[k]!]!;
        e.posB[k] = row[e.posB[k]!]!;
      }
    }
    evidence = lazyEvidence(e.posA, e.posB, objectByRow, tsByRow);
  }

  const pairedRows = paired === undefined ? undefined : flagsByRow(s, paired, inputRows);

  const cut = capCut(s, windowMs, cap);
  return {
    a: e.a,
    b: e.b,
    sharePairs: e.count,
    objects,
    fastObjects: e.fastObjects,
    evidence,
    pairedRows,
    totals: {
      rows: s.rows,
      objects: s.objects,
      pairs,
      sharePairs: e.sharePairs,
      objectPairs,
      objectsCapped: cut.objectsCapped,
      sharePairsSkipped: cut.skipped,
      cap,
    },
  };
}

/** The partner cap that a pair budget never takes the walk below. */
export const MIN_PARTNER_CAP = 10;

/** Shares of the most shared object. */
function longestRun(s: SortedShares): number {
  let most = 0;
  for (let g = 0; g + 1 < s.runStart.length; g++) most = Math.max(most, s.runStart[g + 1]! - s.runStart[g]!);
  return most;
}

/** Per-row flags (non-zero set) as 0/1 flags per sorted position; undefined stays undefined. */
export function flagsByPosition(s: SortedShares, byRow: Uint8Array | undefined): Uint8Array | undefined {
  if (byRow === undefined) return undefined;
  const { row } = s;
  const out = new Uint8Array(s.tsMs.length);
  for (let k = 0; k < out.length; k++) out[k] = byRow[row === undefined ? k : row[k]!] !== 0 ? 1 : 0;
  return out;
}

/** Flags per sorted position as flags per input row (`inputRows` of them; rows left out of the sort are 0). */
export function flagsByRow(s: SortedShares, byPosition: Uint8Array, inputRows: number): Uint8Array {
  const { row } = s;
  const out = new Uint8Array(inputRows);
  for (let k = 0; k < byPosition.length; k++)
    if (byPosition[k] !== 0) out[row === undefined ? k : row[k]!] = 1;
  return out;
}

/**
 * What the partner cap leaves out: for each share i, the shares after it in the window beyond its `cap` nearest
 * (whatever their accounts), and the objects where that happens at least once.
 */
function capCut(s: SortedShares, windowMs: number, cap: number): { objectsCapped: number; skipped: number } {
  const { tsMs: tsS, runStart } = s;
  let objectsCapped = 0;
  let skipped = 0;
  if (!Number.isFinite(cap)) return { objectsCapped, skipped };
  for (let g = 0; g + 1 < runStart.length; g++) {
    const lo = runStart[g]!;
    const hi = runStart[g + 1]!;
    if (hi - lo <= cap + 1) continue;
    let capped = false;
    let end = lo + 1;
    for (let i = lo; i < hi - 1; i++) {
      if (end <= i) end = i + 1;
      const ti = tsS[i]!;
      while (end < hi && tsS[end]! - ti <= windowMs) end++;
      if (end - i - 1 > cap) {
        skipped += end - i - 1 - cap;
        capped = true;
      }
    }
    if (capped) objectsCapped++;
  }
  return { objectsCapped, skipped };
}

/** Evidence of the pairs from the rows of their closest co-shares (exported for the benchmark's baseline). */
export function lazyEvidence(
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

/**
 * Ordering shares for the co-share walk: by object, then time, ties kept in input order (a stable sort).
 *
 * Dense object ids get a counting sort (one pass); each object's run is then checked and, only when out of time
 * order, sorted with a stable bottom-up merge sort on contiguous keys. Input that arrives in time order (exports
 * usually do) therefore costs one scatter and one check per row; fully shuffled input costs about
 * n * log2(run length) key moves. Sparse object ids fall back to the same merge sort over the whole array.
 * The counting sort leaves out objects with a single share, which cannot pair (most objects, in real
 * collections), and copies the input row of each position only when the caller needs it (evidence, row flags).
 * Input already in walk order, which is what the detector passes (DuckDB sorts while loading), is not copied.
 */

import { touchPages } from "../../stats/pair-table.js";

/**
 * Shares in walk order: the arrays below are indexed by sorted position. Objects shared once by the kept rows
 * cannot pair and are usually left out (the counting sort drops them), so positions may be fewer than rows.
 */
export interface SortedShares {
  /**
   * Input row at each sorted position. Undefined when the caller did not ask for rows, or when positions are
   * the input rows themselves (input already in order, nothing left out).
   */
  row: Int32Array | undefined;
  account: Int32Array;
  tsMs: Float64Array;
  share: Int32Array | undefined;
  /** Start of each object's run in sorted positions, plus the number of positions at the end. */
  runStart: Int32Array;
  /** Object id of each run. */
  runObject: Int32Array;
  /** Rows kept (after `include`), lone shares included. */
  rows: number;
  /** Distinct objects among the kept rows, lone shares included. */
  objects: number;
}

export interface ShareColumnsLike {
  object: Int32Array;
  account: Int32Array;
  tsMs: Float64Array;
  share?: Int32Array | undefined;
}

/** Runs shorter than this are sorted by insertion, which beats merging on tiny inputs. */
const INSERTION_RUN = 24;

/**
 * Sorts shares by (object, time), stable. Rows with `include[row] === 0` are left out; `withRows` asks for the
 * input row of each position (for evidence and row flags). Throws a `RangeError` for negative ids or non-finite
 * timestamps: callers encode ids densely and reject bad rows before this point.
 */
export function sortShares(cols: ShareColumnsLike, include?: Uint8Array, withRows = true): SortedShares {
  const { object, account, tsMs, share } = cols;
  const n = object.length;
  let maxObject = -1;
  let kept = 0;
  let sorted = true;
  let runs = 0;
  let prevObj = -1;
  let prevTs = -Infinity;
  for (let r = 0; r < n; r++) {
    if (include !== undefined && include[r] === 0) continue;
    const o = object[r]!;
    const t = tsMs[r]!;
    if (o < 0 || account[r]! < 0) throw new RangeError(`co-share: negative object or account id at row ${r}`);
    if (!Number.isFinite(t)) throw new RangeError(`co-share: timestamp at row ${r} is not a finite number`);
    if (o > maxObject) maxObject = o;
    if (o !== prevObj) runs++;
    if (o < prevObj || (o === prevObj && t < prevTs)) sorted = false;
    prevObj = o;
    prevTs = t;
    kept++;
  }

  if (sorted) {
    // Already in walk order: no copies unless rows are left out.
    const row = include === undefined ? undefined : new Int32Array(kept);
    if (row !== undefined) for (let r = 0, k = 0; r < n; r++) if (include![r] !== 0) row[k++] = r;
    const runStart = new Int32Array(runs + 1);
    const runObject = new Int32Array(runs);
    let g = -1;
    let prev = -1;
    for (let k = 0; k < kept; k++) {
      const o = object[row === undefined ? k : row[k]!]!;
      if (o !== prev) {
        runStart[++g] = k;
        runObject[g] = o;
        prev = o;
      }
    }
    runStart[runs] = kept;
    const base = { runStart, runObject, rows: kept, objects: runs };
    if (row === undefined) return { row, account, tsMs, share, ...base };
    return { row, ...gatherRest(cols, row), tsMs: gatherTs(tsMs, row), ...base };
  }

  let out: SortedShares;
  if (maxObject <= Math.max(1 << 20, 4 * kept))
    out = countingSortByObject(cols, include, maxObject, kept, withRows);
  else {
    const row = new Int32Array(kept);
    let k = 0;
    for (let r = 0; r < n; r++) if (include === undefined || include[r] !== 0) row[k++] = r;
    const keys = new Float64Array(kept);
    for (let i = 0; i < kept; i++) keys[i] = object[row[i]!]!;
    mergeSortRange(keys, row, new Float64Array(kept), new Int32Array(kept), 0, kept);
    let count = 0;
    for (let i = 0; i < kept; i++) if (i === 0 || keys[i] !== keys[i - 1]) count++;
    const runStart = new Int32Array(count + 1);
    const runObject = new Int32Array(count);
    for (let i = 0, g = 0; i < kept; i++) {
      if (i === 0 || keys[i] !== keys[i - 1]) {
        runStart[g] = i;
        runObject[g++] = keys[i]!;
      }
    }
    runStart[count] = kept;
    out = {
      row,
      ...gatherRest(cols, row),
      tsMs: gatherTs(tsMs, row),
      runStart,
      runObject,
      rows: kept,
      objects: count,
    };
  }
  sortRunsByTime(out);
  return out;
}

/** A stable time sort of each run that is out of order, moving the other columns along. */
function sortRunsByTime(s: SortedShares): void {
  const { runStart, tsMs, account, share, row } = s;
  let perm: Int32Array | undefined;
  let scratchKeys: Float64Array | undefined;
  let scratchIdx: Int32Array | undefined;
  let scratchCol: Int32Array | undefined;
  for (let g = 0; g < runStart.length - 1; g++) {
    const lo = runStart[g]!;
    const hi = runStart[g + 1]!;
    let inOrder = true;
    for (let k = lo + 1; k < hi; k++) {
      if (tsMs[k]! < tsMs[k - 1]!) {
        inOrder = false;
        break;
      }
    }
    if (inOrder) continue;
    const len = hi - lo;
    if (perm === undefined || perm.length < len) {
      const size = Math.max(len, 1024);
      perm = new Int32Array(size);
      scratchKeys = new Float64Array(size);
      scratchIdx = new Int32Array(size);
      scratchCol = new Int32Array(size);
    }
    // Sort the run's times with their offsets in the run, then put every other column in that order.
    for (let q = 0; q < len; q++) perm[q] = q;
    mergeSortRange(tsMs, perm, scratchKeys!, scratchIdx!, lo, hi, lo);
    for (const col of [account, share, row]) {
      if (col === undefined) continue;
      for (let q = 0; q < len; q++) scratchCol![q] = col[lo + q]!;
      for (let q = 0; q < len; q++) col[lo + q] = scratchCol![perm[q]!]!;
    }
  }
}

function gatherTs(tsMs: Float64Array, row: Int32Array): Float64Array {
  const out = new Float64Array(row.length);
  for (let k = 0; k < row.length; k++) out[k] = tsMs[row[k]!]!;
  return out;
}

function gatherRest(
  cols: ShareColumnsLike,
  row: Int32Array,
): { account: Int32Array; share: Int32Array | undefined } {
  const account = new Int32Array(row.length);
  for (let k = 0; k < row.length; k++) account[k] = cols.account[row[k]!]!;
  let share: Int32Array | undefined;
  if (cols.share !== undefined) {
    share = new Int32Array(row.length);
    for (let k = 0; k < row.length; k++) share[k] = cols.share[row[k]!]!;
  }
  return { account, share };
}

/**
 * Stable counting sort of the kept rows by object, moving every column in one scatter (stores do not wait on each
 * other, where later gathers would each take a dependent cache miss). Objects with a single kept row are left out:
 * they cannot pair, and skipping them saves their copy (two in three objects of a typical collection).
 */
function countingSortByObject(
  cols: ShareColumnsLike,
  include: Uint8Array | undefined,
  maxObject: number,
  kept: number,
  withRows: boolean,
): SortedShares {
  const { object, tsMs, account, share } = cols;
  const n = object.length;
  // Per object: its row count, then the next free position of its run (-1 for a lone share).
  const next = new Int32Array(maxObject + 1);
  for (let r = 0; r < n; r++) if (include === undefined || include[r] !== 0) next[object[r]!]!++;
  let objects = 0;
  let runs = 0;
  let positions = 0;
  for (let o = 0; o <= maxObject; o++) {
    const c = next[o]!;
    if (c > 0) objects++;
    if (c > 1) {
      runs++;
      next[o] = positions;
      positions += c;
    } else next[o] = -1;
  }
  const runStart = new Int32Array(runs + 1);
  const runObject = new Int32Array(runs);
  for (let o = 0, g = 0; o <= maxObject; o++) {
    if (next[o]! < 0) continue;
    runStart[g] = next[o]!;
    runObject[g++] = o;
  }
  runStart[runs] = positions;
  const row = withRows ? new Int32Array(positions) : undefined;
  const tsS = new Float64Array(positions);
  const accS = new Int32Array(positions);
  const shareS = share === undefined ? undefined : new Int32Array(positions);
  touchPages(row, tsS, accS, shareS);
  for (let r = 0; r < n; r++) {
    if (include !== undefined && include[r] === 0) continue;
    const o = object[r]!;
    const k = next[o]!;
    if (k < 0) continue;
    next[o] = k + 1;
    tsS[k] = tsMs[r]!;
    accS[k] = account[r]!;
    if (row !== undefined) row[k] = r;
    if (shareS !== undefined) shareS[k] = share![r]!;
  }
  return { row, account: accS, tsMs: tsS, share: shareS, runStart, runObject, rows: kept, objects };
}

/** Stable insertion sort of `keys[lo, hi)`; `payload[p - payloadLo]` moves with `keys[p]`. */
function insertionSort(
  keys: Float64Array,
  payload: Int32Array,
  lo: number,
  hi: number,
  payloadLo: number,
): void {
  const d = -payloadLo;
  for (let i = lo + 1; i < hi; i++) {
    const k = keys[i]!;
    const v = payload[i + d]!;
    let j = i - 1;
    while (j >= lo && keys[j]! > k) {
      keys[j + 1] = keys[j]!;
      payload[j + 1 + d] = payload[j + d]!;
      j--;
    }
    keys[j + 1] = k;
    payload[j + 1 + d] = v;
  }
}

/**
 * Stable bottom-up merge sort of `keys[lo, hi)` carrying `payload` along (`payload[p - payloadLo]` belongs to
 * `keys[p]`). The scratch arrays hold position p at p - lo and need at least hi - lo elements.
 */
function mergeSortRange(
  keys: Float64Array,
  payload: Int32Array,
  tmpKeys: Float64Array,
  tmpPayload: Int32Array,
  lo: number,
  hi: number,
  payloadLo = 0,
): void {
  const len = hi - lo;
  for (let s = lo; s < hi; s += INSERTION_RUN)
    insertionSort(keys, payload, s, Math.min(s + INSERTION_RUN, hi), payloadLo);
  // Position p lives at p + off in the current source or destination: keys and payload have their own offsets.
  let srcK = keys;
  let srcP = payload;
  let dstK = tmpKeys;
  let dstP = tmpPayload;
  let srcKOff = 0;
  let srcPOff = -payloadLo;
  let dstKOff = -lo;
  let dstPOff = -lo;
  for (let width = INSERTION_RUN; width < len; width *= 2) {
    for (let left = lo; left < hi; left += 2 * width) {
      const mid = Math.min(left + width, hi);
      const right = Math.min(left + 2 * width, hi);
      let i = left;
      let j = mid;
      let k = left;
      while (i < mid && j < right) {
        const ki = srcK[i + srcKOff]!;
        const kj = srcK[j + srcKOff]!;
        if (kj < ki) {
          dstK[k + dstKOff] = kj;
          dstP[k + dstPOff] = srcP[j + srcPOff]!;
          j++;
        } else {
          dstK[k + dstKOff] = ki;
          dstP[k + dstPOff] = srcP[i + srcPOff]!;
          i++;
        }
        k++;
      }
      while (i < mid) {
        dstK[k + dstKOff] = srcK[i + srcKOff]!;
        dstP[k + dstPOff] = srcP[i + srcPOff]!;
        i++;
        k++;
      }
      while (j < right) {
        dstK[k + dstKOff] = srcK[j + srcKOff]!;
        dstP[k + dstPOff] = srcP[j + srcPOff]!;
        j++;
        k++;
      }
    }
    [srcK, dstK] = [dstK, srcK];
    [srcP, dstP] = [dstP, srcP];
    [srcKOff, dstKOff] = [dstKOff, srcKOff];
    [srcPOff, dstPOff] = [dstPOff, srcPOff];
  }
  if (srcK !== keys) {
    for (let p = lo; p < hi; p++) {
      keys[p] = srcK[p + srcKOff]!;
      payload[p - payloadLo] = srcP[p + srcPOff]!;
    }
  }
}

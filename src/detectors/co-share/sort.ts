/**
 * Ordering shares for the co-share walk: by object, then time, ties kept in input order (a stable sort).
 *
 * Dense object ids get a counting sort (one pass); each object's run is then checked and, only when out of time
 * order, sorted with a stable bottom-up merge sort on contiguous keys. Input that arrives in time order (exports
 * usually do) therefore costs one scatter and one check per row; fully shuffled input costs about
 * n * log2(run length) key moves. Sparse object ids fall back to the same merge sort over the whole array.
 */

/**
 * Shares in walk order. `row[k]` is the input row at sorted position k (`row` is undefined when the input was
 * already in order and nothing was left out: position k is then row k); the other arrays are in sorted order.
 */
export interface SortedShares {
  row: Int32Array | undefined;
  account: Int32Array;
  tsMs: Float64Array;
  share: Int32Array | undefined;
  /** Start of each object's run in sorted positions, plus the number of positions at the end. */
  runStart: Int32Array;
  /** Object id of each run. */
  runObject: Int32Array;
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
 * Sorts shares by (object, time), stable. Rows with `include[row] === 0` are left out. Throws a `RangeError`
 * for negative ids or non-finite timestamps: callers encode ids densely and reject bad rows before this point.
 */
export function sortShares(cols: ShareColumnsLike, include?: Uint8Array): SortedShares {
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
    if (row === undefined) return { row, account, tsMs, share, runStart, runObject };
    return { row, ...gatherRest(cols, row), tsMs: gatherTs(tsMs, row), runStart, runObject };
  }

  const row = new Int32Array(kept);
  let runStart: Int32Array;
  let runObject: Int32Array;
  let tsS: Float64Array;
  let accS: Int32Array;
  let shareS: Int32Array | undefined;
  if (maxObject <= Math.max(1 << 20, 4 * kept)) {
    // One scatter moves every column at once: stores do not wait on each other, where later gathers would
    // each take a dependent cache miss per row.
    tsS = new Float64Array(kept);
    accS = new Int32Array(kept);
    shareS = share === undefined ? undefined : new Int32Array(kept);
    [runStart, runObject] = countingSortByObject(cols, include, maxObject, row, tsS, accS, shareS);
  } else {
    let k = 0;
    for (let r = 0; r < n; r++) if (include === undefined || include[r] !== 0) row[k++] = r;
    const keys = new Float64Array(kept);
    for (let i = 0; i < kept; i++) keys[i] = object[row[i]!]!;
    mergeSortRange(keys, row, new Float64Array(kept), new Int32Array(kept), 0, kept);
    let count = 0;
    for (let i = 0; i < kept; i++) if (i === 0 || keys[i] !== keys[i - 1]) count++;
    runStart = new Int32Array(count + 1);
    runObject = new Int32Array(count);
    for (let i = 0, g = 0; i < kept; i++) {
      if (i === 0 || keys[i] !== keys[i - 1]) {
        runStart[g] = i;
        runObject[g++] = keys[i]!;
      }
    }
    runStart[count] = kept;
    tsS = gatherTs(tsMs, row);
    ({ account: accS, share: shareS } = gatherRest(cols, row));
  }

  // A stable time sort of each run that is out of order; the other columns follow the rows afterwards.
  let scratchKeys: Float64Array | undefined;
  let scratchRows: Int32Array | undefined;
  for (let g = 0; g < runStart.length - 1; g++) {
    const lo = runStart[g]!;
    const hi = runStart[g + 1]!;
    let inOrder = true;
    for (let k = lo + 1; k < hi; k++) {
      if (tsS[k]! < tsS[k - 1]!) {
        inOrder = false;
        break;
      }
    }
    if (inOrder) continue;
    const len = hi - lo;
    if (len <= INSERTION_RUN) insertionSort(tsS, row, lo, hi);
    else {
      if (scratchKeys === undefined || scratchKeys.length < len) {
        scratchKeys = new Float64Array(Math.max(len, 1024));
        scratchRows = new Int32Array(Math.max(len, 1024));
      }
      mergeSortRange(tsS, row, scratchKeys, scratchRows!, lo, hi);
    }
    for (let k = lo; k < hi; k++) {
      const r = row[k]!;
      accS[k] = account[r]!;
      if (shareS !== undefined) shareS[k] = share![r]!;
    }
  }
  return { row, account: accS, tsMs: tsS, share: shareS, runStart, runObject };
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

/** Stable counting sort of the kept rows by object, moving rows and columns; returns the runs. */
function countingSortByObject(
  cols: ShareColumnsLike,
  include: Uint8Array | undefined,
  maxObject: number,
  row: Int32Array,
  tsS: Float64Array,
  accS: Int32Array,
  shareS: Int32Array | undefined,
): [Int32Array, Int32Array] {
  const { object, tsMs, account, share } = cols;
  const offsets = new Int32Array(maxObject + 2);
  const n = object.length;
  for (let r = 0; r < n; r++) if (include === undefined || include[r] !== 0) offsets[object[r]! + 1]!++;
  let runs = 0;
  for (let o = 1; o < offsets.length; o++) {
    if (offsets[o] !== 0) runs++;
    offsets[o]! += offsets[o - 1]!;
  }
  const runStart = new Int32Array(runs + 1);
  const runObject = new Int32Array(runs);
  for (let o = 0, g = 0; o <= maxObject; o++) {
    if (offsets[o + 1] === offsets[o]) continue;
    runStart[g] = offsets[o]!;
    runObject[g++] = o;
  }
  runStart[runs] = row.length;
  for (let r = 0; r < n; r++) {
    if (include !== undefined && include[r] === 0) continue;
    const k = offsets[object[r]!]!++;
    row[k] = r;
    tsS[k] = tsMs[r]!;
    accS[k] = account[r]!;
    if (shareS !== undefined) shareS[k] = share![r]!;
  }
  return [runStart, runObject];
}

function insertionSort(keys: Float64Array, rows: Int32Array, lo: number, hi: number): void {
  for (let i = lo + 1; i < hi; i++) {
    const k = keys[i]!;
    const r = rows[i]!;
    let j = i - 1;
    while (j >= lo && keys[j]! > k) {
      keys[j + 1] = keys[j]!;
      rows[j + 1] = rows[j]!;
      j--;
    }
    keys[j + 1] = k;
    rows[j + 1] = r;
  }
}

/**
 * Stable bottom-up merge sort of `keys[lo, hi)` carrying `rows` along. Position p of the range lives at p in the
 * data arrays and at p - lo in the scratch arrays (which need at least hi - lo elements).
 */
function mergeSortRange(
  keys: Float64Array,
  rows: Int32Array,
  tmpKeys: Float64Array,
  tmpRows: Int32Array,
  lo: number,
  hi: number,
): void {
  const len = hi - lo;
  for (let s = lo; s < hi; s += INSERTION_RUN) insertionSort(keys, rows, s, Math.min(s + INSERTION_RUN, hi));
  let srcK = keys;
  let srcR = rows;
  let dstK = tmpKeys;
  let dstR = tmpRows;
  let srcOff = 0;
  let dstOff = -lo;
  for (let width = INSERTION_RUN; width < len; width *= 2) {
    for (let left = lo; left < hi; left += 2 * width) {
      const mid = Math.min(left + width, hi);
      const right = Math.min(left + 2 * width, hi);
      let i = left;
      let j = mid;
      let k = left;
      while (i < mid && j < right) {
        const ki = srcK[i + srcOff]!;
        const kj = srcK[j + srcOff]!;
        if (kj < ki) {
          dstK[k + dstOff] = kj;
          dstR[k + dstOff] = srcR[j + srcOff]!;
          j++;
        } else {
          dstK[k + dstOff] = ki;
          dstR[k + dstOff] = srcR[i + srcOff]!;
          i++;
        }
        k++;
      }
      while (i < mid) {
        dstK[k + dstOff] = srcK[i + srcOff]!;
        dstR[k + dstOff] = srcR[i + srcOff]!;
        i++;
        k++;
      }
      while (j < right) {
        dstK[k + dstOff] = srcK[j + srcOff]!;
        dstR[k + dstOff] = srcR[j + srcOff]!;
        j++;
        k++;
      }
    }
    const tk = srcK;
    const tr = srcR;
    const to = srcOff;
    srcK = dstK;
    srcR = dstR;
    srcOff = dstOff;
    dstK = tk;
    dstR = tr;
    dstOff = to;
  }
  if (srcK !== keys) {
    for (let p = lo; p < hi; p++) {
      keys[p] = srcK[p + srcOff]!;
      rows[p] = srcR[p + srcOff]!;
    }
  }
}

/**
 * The co-share kernel's walk in object order, as the detector ran it until the walk by account (src/detectors/
 * co-share/account-walk.ts) replaced it: kept, with its aggregation (aggregate.ts here), as the baseline that
 * bench/co-share-kernel.ts measures the kernel against. Each object's run is walked with a sliding window; the walk
 * runs twice, once to count the co-shares of each hash partition, once to write them into columns sized exactly,
 * which are then folded into pairs in place (and past 2^25 co-shares once per run of partitions, or through
 * partitioned hash tables when one partition alone is past that). Same semantics and results as the kernel.
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
import type { SortedShares } from "../../src/detectors/co-share/sort.js";
import {
  flagsByPosition,
  flagsByRow,
  lazyEvidence,
  prepareShares,
  type CoShareEvidence,
  type CoShareOptions,
  type CoShareResult,
  type ShareColumns,
} from "../../src/detectors/co-share/kernel.js";
import { hashPair } from "../../src/stats/pair-table.js";

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
export function objectWalk(
  input: ShareColumns,
  opts: CoShareOptions,
  scratch?: RecordScratch,
): CoShareResult {
  return objectWalkWithBudget(input, opts, RECORD_BUDGET, scratch);
}

/**
 * `coShareWindows` with another threshold, in co-shares, above which the streaming aggregation takes over (tests
 * use it to run both aggregations on small inputs). Internal.
 */
export function objectWalkWithBudget(
  input: ShareColumns,
  opts: CoShareOptions,
  recordBudget: number,
  scratch?: RecordScratch,
): CoShareResult {
  const { cap, sorted } = prepareShares(input, opts);
  const n = input.object.length;
  return walk(sorted, input.object, input.tsMs, n, opts.windowMs, cap, opts, recordBudget, scratch);
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
  scratch: RecordScratch | undefined,
): CoShareResult {
  const withEvidence = opts.evidence !== false;
  const positions = s.tsMs.length;

  const reqS = flagsByPosition(s, opts.requireOneOf);
  const pairedS = opts.markRows === true ? new Uint8Array(positions) : undefined;

  // Two passes (see aggregate.ts): count co-shares per partition, then write them into exactly sized columns.
  const records = new CoShareRecords(withEvidence, scratch);
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
      const each = new CoShareRecords(withEvidence, scratch ?? new RecordScratch());
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

  const pairedRows = pairedS === undefined ? undefined : flagsByRow(s, pairedS, inputRows);

  return {
    a: e.a,
    b: e.b,
    sharePairs: e.count,
    objects,
    fastObjects: undefined,
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
      cap,
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

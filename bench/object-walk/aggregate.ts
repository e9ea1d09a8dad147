/**
 * The aggregation of the co-share walk in object order (kernel.ts here), kept as a benchmark baseline.
 *
 * Aggregation of co-shares into per-pair counts: share pairs, distinct objects, and the co-share with the smallest
 * gap as evidence.
 *
 * Fresh memory is the expensive resource: every new page is a fault, and on the 2-core VM we measure on, a GiB of
 * it costs 3 to 4 s of CPU, more than the arithmetic. A hash table of all pairs touches its whole capacity (a
 * random page per pair) and then the output on top. So the usual path, `CoShareRecords`, walks the windows twice
 * (kernel.ts) and uses one exactly sized set of columns:
 * 1. the first walk only counts the co-shares falling in each of 1,024 fine partitions (`finePartition`), which
 *    sizes one region per partition (fine partitions are merged into at most 512 regions);
 * 2. the second walk writes each co-share into its region (sequential writes into a few thousand streams, in walk
 *    order inside each region), and
 * 3. each region is folded by a small hash table that stays in cache, the pairs being written back into the same
 *    columns from the front: the fold has always read further than it writes, so the columns become the output
 *    without another allocation.
 * That is 24 bytes touched once per co-share with evidence, 12 without, against about 70 per pair before (a
 * 46-byte table slot, then the output). Memory grows with co-shares rather than pairs, so past `RECORD_BUDGET`
 * co-shares the fine partitions are split into runs of at most that many (`passes`) and the second walk is made
 * once per run, each writing and folding only the co-shares of its own fine partitions into the same columns,
 * and its pairs appended to the output (`PairColumns`): a pair always falls in one fine partition, so each walk's
 * pairs are whole. Walking again costs less than aggregating elsewhere: at 10M posts, the url layer's 97M
 * co-shares took 11.1 s in three walks against 20.9 s through `PairAggregator`, the repost layer's 302M 47.9 s
 * in ten against 60.7 s. Only when one fine partition alone holds more than the budget (a few pairs repeating
 * millions of times) does the walk feed `PairAggregator`, which streams through recycled chunks into partitioned
 * PairTables, its memory growing with pairs. The first pass also estimates the distinct pairs (HyperLogLog over
 * `hashPair`), which sizes the output, or those tables, from the start.
 *
 * Within a region, records arrive in walk order (objects one after another), so distinct objects are counted by
 * comparing each co-share's object with the last one seen for its pair, and ties on the smallest gap keep the
 * first co-share found. All paths compare gaps as float32 (exact for whole milliseconds up to 4.6 hours) and give
 * the same pairs, counts and evidence; only the order of the pairs differs.
 */
import { HyperLogLog } from "../../src/stats/hll.js";
import { hashPair, PairTable, touchPages } from "../../src/stats/pair-table.js";

/** Receives each co-share found by the walk; a < b, and rowA is account a's row. */
export interface CoShareSink {
  push(a: number, b: number, object: number, gap: number, rowA: number, rowB: number): void;
}

export interface AggregatedPairs {
  a: Int32Array;
  b: Int32Array;
  /** Co-shares (share pairs) per pair. */
  count: Uint32Array;
  /** Distinct objects per pair. */
  objects: Uint32Array;
  /** With evidence: the rows of the co-share with the smallest gap (first seen on ties). */
  rowA: Int32Array | undefined;
  rowB: Int32Array | undefined;
}

/**
 * Co-shares that one walk writes as records at most (768 MiB with evidence): past it, several walks. Twice as
 * many took 0.94x the time of co-share's layers at 10M posts, at a peak 2.6 GB higher (two threads).
 */
export const RECORD_BUDGET = 2 ** 25;

/**
 * Fine partitions counted by the first pass; regions merge fine partitions that share their low bits, and a walk of
 * several writes a run of consecutive ones.
 */
const FINE_BITS = 10;
const FINE_SHIFT = 32 - FINE_BITS;

/**
 * The fine partition of the pair {a, b}, a < b: the top bits of a two-multiply mix, cheaper than `hashPair` (which
 * the fold's tables use, so the two stay independent), since a walk of several computes it for every co-share.
 */
export function finePartition(a: number, b: number): number {
  return (Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca6b)) >>> FINE_SHIFT;
}

/**
 * Aim for this many co-shares per region (about 40 B each for the fold's table, side arrays and output, so a
 * region fits in a core's L2 cache), up to a number of regions that keeps the second walk's streams (6 columns a
 * region with evidence) few enough for its stores to hit cache and TLB. 512 measured best of 128 to 1,024.
 */
const RECORDS_PER_REGION = 8192;
const MAX_REGIONS = 512;

/**
 * Column buffers kept from one walk to the next: the co-share detector walks every layer, and each walk of millions
 * of co-shares fills hundreds of MB of columns. Fresh memory costs a page fault per page (on the VM we measure on,
 * 3 to 4 s of CPU a GiB); memory written by the previous walk is already mapped. The columns of a walk's result
 * (`AggregatedPairs`) live in the scratch until the next walk that uses it.
 */
export class RecordScratch {
  private buffers: Array<ArrayBuffer | undefined> = [];

  /** Column `i` as `length` int32s, in the buffer kept for it when that is large enough, else in a new one. */
  column(i: number, length: number): { column: Int32Array<ArrayBuffer>; fresh: boolean } {
    const kept = this.buffers[i];
    if (kept !== undefined && kept.byteLength >= 4 * length)
      return { column: new Int32Array(kept, 0, length), fresh: false };
    const column = new Int32Array(length);
    this.buffers[i] = column.buffer;
    return { column, fresh: true };
  }

  /** Let go of the buffers (the results that live in them must be done with). */
  release(): void {
    this.buffers = [];
  }
}

/** Where a walk writes co-shares as records (see `CoShareRecords.columns`). */
export interface RecordColumns {
  regionOf: Int32Array;
  cursor: Int32Array;
  a: Int32Array;
  b: Int32Array;
  object: Int32Array;
  gap: Float32Array | undefined;
  rowA: Int32Array | undefined;
  rowB: Int32Array | undefined;
}

/**
 * Co-shares of one walk, in two passes over the same walk: first counted per fine partition (the walk adds to
 * `counts` and `distinct`), then written into their region (`columns`, after `allocate`), then folded in place.
 */
export class CoShareRecords {
  private readonly evidence: boolean;
  /** Co-shares per fine partition, counted by the first pass. */
  readonly counts = new Float64Array(1 << FINE_BITS);
  /** The distinct pairs among them, estimated by the first pass (sizes the output past the budget). */
  readonly distinct = new HyperLogLog();
  private writing = false;
  /**
   * Region of each fine partition (`finePartition(a, b)`) in the walk being written; -1 for the partitions
   * it leaves out, whose co-shares the walk skips.
   */
  readonly regionOf = new Int32Array(1 << FINE_BITS);
  private regions = 1;
  private start = new Int32Array(1);
  private cursor = new Int32Array(1);
  private a = new Int32Array(0);
  private b = new Int32Array(0);
  /** Object of each co-share; after the fold, distinct objects of each pair (a Uint32Array view). */
  private object = new Int32Array(0);
  /** Share pairs of each pair after the fold; before it, with evidence, each co-share's gap (a Float32Array view). */
  private count = new Uint32Array(0);
  private gap: Float32Array | undefined;
  private rowA: Int32Array | undefined;
  private rowB: Int32Array | undefined;

  /** @param scratch buffers to write the columns into (the result then lives there until its next walk) */
  constructor(
    evidence: boolean,
    private readonly scratch?: RecordScratch,
  ) {
    this.evidence = evidence;
  }

  /**
   * Splits the fine partitions into runs of consecutive ones holding at most `budget` co-shares each, for walks
   * that each write and fold only the co-shares of one run (`allocate(first, end)`): a pair always falls in the
   * same fine partition, so each walk's pairs are whole. Undefined when one fine partition alone holds more.
   */
  passes(budget: number): Array<[first: number, end: number]> | undefined {
    let total = 0;
    for (let p = 0; p < this.counts.length; p++) {
      if (this.counts[p]! > budget) return undefined;
      total += this.counts[p]!;
    }
    // as few walks as the budget allows, of about equal size: the columns are sized by the largest
    const walks = Math.max(1, Math.ceil(total / budget));
    const out: Array<[number, number]> = [];
    let first = 0;
    let sum = 0;
    let before = 0;
    for (let p = 0; p < this.counts.length; p++) {
      const c = this.counts[p]!;
      // close a walk at the partition that would carry it past its share of the total (or past the budget)
      const share = ((out.length + 1) * total) / walks;
      if (sum > 0 && (sum + c > budget || before + sum + c / 2 > share)) {
        out.push([first, p]);
        first = p;
        before += sum;
        sum = 0;
      }
      sum += c;
    }
    out.push([first, this.counts.length]);
    return out;
  }

  /**
   * Ends the first pass: sizes the regions and the columns for the co-shares of the fine partitions first to
   * end - 1 (all of them by default); the next walk must push the same co-shares (it may push others: they are
   * left out).
   */
  allocate(first = 0, end: number = this.counts.length): void {
    let total = 0;
    for (let p = first; p < end; p++) total += this.counts[p]!;
    if (total > 2 ** 31 - 1) throw new RangeError("co-share: more than 2^31 co-shares to aggregate");
    let regions = 1;
    while (regions < MAX_REGIONS && regions * RECORDS_PER_REGION < total) regions *= 2;
    const whole = first === 0 && end === this.counts.length;
    this.regionOf.fill(-1);
    if (whole) {
      // a power of two of regions, each the fine partitions with the same low bits
      for (let p = 0; p < this.counts.length; p++) this.regionOf[p] = p & (regions - 1);
    } else {
      // a run of fine partitions: each region a run of consecutive ones
      regions = Math.min(regions, end - first);
      for (let p = first; p < end; p++)
        this.regionOf[p] = Math.floor(((p - first) * regions) / (end - first));
    }
    this.regions = regions;
    this.start = new Int32Array(regions + 1);
    for (let p = first; p < end; p++) this.start[this.regionOf[p]! + 1]! += this.counts[p]!;
    for (let r = 0; r < regions; r++) this.start[r + 1]! += this.start[r]!;
    this.cursor = this.start.slice(0, regions);
    // The second pass writes each column once (nothing relies on a fresh column's zeros), in a few hundred
    // interleaved streams: the faults of fresh columns are taken in address order first.
    const fresh: Int32Array[] = [];
    const column = (i: number): Int32Array<ArrayBuffer> => {
      if (this.scratch === undefined) {
        const c = new Int32Array(total);
        fresh.push(c);
        return c;
      }
      const c = this.scratch.column(i, total);
      if (c.fresh) fresh.push(c.column);
      return c.column;
    };
    this.a = column(0);
    this.b = column(1);
    this.object = column(2);
    const count = column(3);
    this.count = new Uint32Array(count.buffer, count.byteOffset, total);
    this.gap = this.evidence ? new Float32Array(count.buffer, count.byteOffset, total) : undefined;
    this.rowA = this.evidence ? column(4) : undefined;
    this.rowB = this.evidence ? column(5) : undefined;
    touchPages(...fresh);
    this.writing = true;
  }

  /**
   * The columns the next walk writes, after `allocate`: a co-share of the pair {a, b}, a < b, whose fine partition
   * (`finePartition(a, b)`) has a region r >= 0 in `regionOf` goes at index `cursor[r]++` of each column
   * (`gap` and the rows with evidence only). The walk writes them itself (kernel.ts): a call per co-share cost more
   * than the write.
   */
  get columns(): RecordColumns {
    if (!this.writing) throw new Error("co-share: records written before allocate");
    return {
      regionOf: this.regionOf,
      cursor: this.cursor,
      a: this.a,
      b: this.b,
      object: this.object,
      gap: this.gap,
      rowA: this.rowA,
      rowB: this.rowB,
    };
  }

  /** Folds every region into pairs (region by region, first-seen order inside each) and returns them. */
  fold(): AggregatedPairs {
    if (!this.writing) throw new Error("co-share: fold before allocate");
    const regions = this.regions;
    let largest = 0;
    for (let r = 0; r < regions; r++) {
      if (this.cursor[r] !== this.start[r + 1])
        throw new Error("co-share: the two passes of the walk disagree");
      largest = Math.max(largest, this.start[r + 1]! - this.start[r]!);
    }
    let bits = 4;
    while (1 << bits < 2 * largest) bits++;
    const table = new Int32Array(1 << bits);
    const lastObject = new Int32Array(largest);
    const bestGap = this.gap !== undefined ? new Float32Array(largest) : undefined;
    let out = 0;
    for (let r = 0; r < regions; r++) out = this.foldRegion(r, out, table, lastObject, bestGap);
    return this.output(out);
  }

  /** Folds region r into pairs written from index `out` on; returns the next free index. */
  private foldRegion(
    r: number,
    out: number,
    table: Int32Array,
    lastObject: Int32Array,
    bestGap: Float32Array | undefined,
  ): number {
    const lo = this.start[r]!;
    const hi = this.start[r + 1]!;
    if (lo === hi) return out;
    let bits = 4;
    while (1 << bits < 2 * (hi - lo)) bits++;
    const shift = 32 - bits;
    const tmask = (1 << bits) - 1;
    table.fill(0, 0, 1 << bits);
    const { a: A, b: B, object: O, count: C, gap: G, rowA: RA, rowB: RB } = this;
    const objects = new Uint32Array(O.buffer, O.byteOffset, O.length);
    // Table entries are 1 + the pair's index relative to `base`; 0 is empty.
    const base = out;
    for (let k = lo; k < hi; k++) {
      const a = A[k]!;
      const b = B[k]!;
      const object = O[k]!;
      const gap = G !== undefined ? G[k]! : 0;
      let slot = hashPair(a, b) >>> shift;
      for (;;) {
        const e = table[slot]!;
        if (e === 0) {
          // A new pair: index out <= k, a record already read, so writing there loses nothing.
          const rowA = RA !== undefined ? RA[k]! : 0;
          const rowB = RB !== undefined ? RB[k]! : 0;
          table[slot] = out - base + 1;
          A[out] = a;
          B[out] = b;
          C[out] = 1;
          objects[out] = 1;
          lastObject[out - base] = object;
          if (bestGap !== undefined) {
            bestGap[out - base] = gap;
            RA![out] = rowA;
            RB![out] = rowB;
          }
          out++;
          break;
        }
        const i = base + e - 1;
        if (A[i] === a && B[i] === b) {
          C[i]!++;
          if (lastObject[e - 1] !== object) {
            lastObject[e - 1] = object;
            objects[i]!++;
          }
          if (bestGap !== undefined && gap < bestGap[e - 1]!) {
            bestGap[e - 1] = gap;
            RA![i] = RA![k]!;
            RB![i] = RB![k]!;
          }
          break;
        }
        slot = (slot + 1) & tmask;
      }
    }
    return out;
  }

  /** The first `n` entries of each column; copied when that frees more than half of the columns. */
  private output(n: number): AggregatedPairs {
    // in a scratch, the columns are kept for the next walk anyway
    const keep = this.scratch !== undefined || 2 * n >= this.a.length;
    const columns: AggregatedPairs = {
      a: this.a,
      b: this.b,
      count: this.count,
      objects: new Uint32Array(this.object.buffer, this.object.byteOffset, this.object.length),
      rowA: this.rowA,
      rowB: this.rowB,
    };
    return mapPairs(
      columns,
      <T extends Int32Array | Uint32Array>(col: T): T => (keep ? col.subarray(0, n) : col.slice(0, n)) as T,
    );
  }
}

/** `p` with `f` applied to each of its columns. */
function mapPairs(p: AggregatedPairs, f: <T extends Int32Array | Uint32Array>(col: T) => T): AggregatedPairs {
  return {
    a: f(p.a),
    b: f(p.b),
    count: f(p.count),
    objects: f(p.objects),
    rowA: p.rowA !== undefined ? f(p.rowA) : undefined,
    rowB: p.rowB !== undefined ? f(p.rowB) : undefined,
  };
}

const PAIR_COLUMNS = ["a", "b", "count", "objects", "rowA", "rowB"] as const;

/**
 * Pairs appended walk after walk (the multi-walk path of the kernel), in columns sized for the estimated number of
 * pairs and grown by half when it was short.
 */
export class PairColumns {
  private n = 0;
  private columns: AggregatedPairs;

  constructor(expected: number, evidence: boolean) {
    const capacity = Math.max(16, expected);
    this.columns = {
      a: new Int32Array(capacity),
      b: new Int32Array(capacity),
      count: new Uint32Array(capacity),
      objects: new Uint32Array(capacity),
      rowA: evidence ? new Int32Array(capacity) : undefined,
      rowB: evidence ? new Int32Array(capacity) : undefined,
    };
  }

  /** Copies the pairs of one walk after those already held (the walk's columns may be overwritten after). */
  append(p: AggregatedPairs): void {
    const n = p.a.length;
    const capacity = this.columns.a.length;
    if (this.n + n > capacity) {
      const grown = Math.max(this.n + n, Math.ceil(1.5 * capacity));
      this.columns = mapPairs(this.columns, (col) => {
        const next = new (col.constructor as new (n: number) => typeof col)(grown);
        next.set(col.subarray(0, this.n));
        return next;
      });
    }
    for (const name of PAIR_COLUMNS) {
      const from = p[name];
      if (from !== undefined) this.columns[name]?.set(from, this.n);
    }
    this.n += n;
  }

  /** The pairs held; the columns are cut to size when that frees more than a tenth of them. */
  finish(): AggregatedPairs {
    const copy = 10 * (this.columns.a.length - this.n) > this.columns.a.length;
    return mapPairs(
      this.columns,
      <T extends Int32Array | Uint32Array>(col: T): T =>
        (copy ? col.slice(0, this.n) : col.subarray(0, this.n)) as T,
    );
  }
}

/** Records per chunk. */
const CHUNK = 512;
/** Aim for this many pairs per partition table (~1.5 MB with evidence). */
const PAIRS_PER_PARTITION = 32_768;
const MAX_PARTITIONS = 1024;

/** Fields of a buffered co-share: a, b, object[, gap as float32, row of a, row of b]. */
const F_A = 0;
const F_B = 1;
const F_OBJECT = 2;
const F_GAP = 3;
const F_ROW_A = 4;
const F_ROW_B = 5;

/** Extra fields of a pair record when keeping evidence: smallest gap (float32), row of a, row of b. */
const EV_GAP = 0;
const EV_ROW_A = 1;
const EV_ROW_B = 2;

/**
 * The streaming aggregator, for inputs past `RECORD_BUDGET`: each co-share is appended to one of up to 1,024
 * partitions chosen by the low bits of its pair hash (sequential writes into small chunks), and every few
 * million co-shares each partition is folded into its own PairTable, which stays in cache while it is worked on.
 * Chunks are recycled, so the buffer memory is touched once; the tables hold the pairs (about 46 B a pair with
 * evidence). Partitions use the low hash bits and PairTable slots the high ones, so the two stay independent.
 */
export class PairAggregator implements CoShareSink {
  private readonly evidence: boolean;
  private readonly stride: number;
  private readonly partMask: number;
  private readonly tables: PairTable[];
  private readonly current: Int32Array[];
  private readonly currentF: Float32Array[];
  private readonly fill: Int32Array;
  private readonly full: Int32Array[][];
  private readonly pool: Int32Array[] = [];
  private readonly flushAt: number;
  private buffered = 0;

  constructor(expectedPairs: number, evidence: boolean) {
    this.evidence = evidence;
    this.stride = evidence ? 6 : 3;
    let parts = 1;
    while (parts < MAX_PARTITIONS && parts * PAIRS_PER_PARTITION < expectedPairs) parts *= 2;
    this.partMask = parts - 1;
    // Size each table for its share of the estimate: growing means fresh memory and a rehash.
    const perTable = Math.ceil(Math.max(0, expectedPairs) / parts);
    this.tables = [];
    this.current = [];
    this.currentF = [];
    this.full = [];
    for (let p = 0; p < parts; p++) {
      this.tables.push(new PairTable(perTable, { distinct: true, extraFields: evidence ? 3 : 0 }));
      const chunk = new Int32Array(CHUNK * this.stride);
      this.current.push(chunk);
      this.currentF.push(new Float32Array(chunk.buffer));
      this.full.push([]);
    }
    this.fill = new Int32Array(parts);
    this.flushAt = Math.max(1 << 21, 2 * parts * CHUNK);
  }

  /** Records one co-share of `object` between accounts a and b (distinct), with its evidence. */
  push(a: number, b: number, object: number, gap: number, rowA: number, rowB: number): void {
    if (a > b) {
      const t = a;
      a = b;
      b = t;
      const r = rowA;
      rowA = rowB;
      rowB = r;
    }
    const p = hashPair(a, b) & this.partMask;
    const chunk = this.current[p]!;
    const f = this.fill[p]!;
    const base = f * this.stride;
    chunk[base + F_A] = a;
    chunk[base + F_B] = b;
    chunk[base + F_OBJECT] = object;
    if (this.evidence) {
      this.currentF[p]![base + F_GAP] = gap;
      chunk[base + F_ROW_A] = rowA;
      chunk[base + F_ROW_B] = rowB;
    }
    if (f + 1 === CHUNK) {
      this.full[p]!.push(chunk);
      const next = this.pool.pop() ?? new Int32Array(CHUNK * this.stride);
      this.current[p] = next;
      this.currentF[p] = new Float32Array(next.buffer);
      this.fill[p] = 0;
    } else this.fill[p] = f + 1;
    if (++this.buffered >= this.flushAt) this.flush();
  }

  /** Folds everything buffered and returns the pairs, partition by partition (deterministic order). */
  finish(): AggregatedPairs {
    this.flush();
    let n = 0;
    for (const t of this.tables) n += t.size;
    const out: AggregatedPairs = {
      a: new Int32Array(n),
      b: new Int32Array(n),
      count: new Uint32Array(n),
      objects: new Uint32Array(n),
      rowA: this.evidence ? new Int32Array(n) : undefined,
      rowB: this.evidence ? new Int32Array(n) : undefined,
    };
    // Evidence fields in record order: gap (dropped: the caller recomputes it exactly), row of a, row of b.
    const extra = out.rowA !== undefined && out.rowB !== undefined ? [undefined, out.rowA, out.rowB] : [];
    let at = 0;
    for (const t of this.tables) {
      t.copyInto({ a: out.a, b: out.b, count: out.count, distinct: out.objects, extra }, at);
      at += t.size;
    }
    return out;
  }

  private flush(): void {
    for (let p = 0; p <= this.partMask; p++) {
      const table = this.tables[p]!;
      for (const chunk of this.full[p]!) {
        this.fold(table, chunk, CHUNK);
        this.pool.push(chunk);
      }
      this.full[p]!.length = 0;
      this.fold(table, this.current[p]!, this.fill[p]!);
      this.fill[p] = 0;
    }
    this.buffered = 0;
  }

  private fold(table: PairTable, chunk: Int32Array, records: number): void {
    const stride = this.stride;
    if (!this.evidence) {
      for (let r = 0; r < records; r++) {
        const base = r * stride;
        table.add(chunk[base + F_A]!, chunk[base + F_B]!, 1, chunk[base + F_OBJECT]!);
      }
      return;
    }
    const chunkF = new Float32Array(chunk.buffer);
    const ev = table.extraOffset;
    const ts = table.stride;
    for (let r = 0; r < records; r++) {
      const base = r * stride;
      const slot = table.add(chunk[base + F_A]!, chunk[base + F_B]!, 1, chunk[base + F_OBJECT]!);
      // Records may have been replaced by growth inside add: read them afresh.
      const recs = table.records;
      const recsF = table.recordsF32;
      const at = slot * ts + ev;
      const gap = chunkF[base + F_GAP]!;
      if (table.inserted || gap < recsF[at + EV_GAP]!) {
        recsF[at + EV_GAP] = gap;
        recs[at + EV_ROW_A] = chunk[base + F_ROW_A]!;
        recs[at + EV_ROW_B] = chunk[base + F_ROW_B]!;
      }
    }
  }
}

/**
 * A hash table from unordered pairs of account ids to counts, built on typed arrays.
 *
 * Why not `Map`: a `Map` stops at 2^24 (16,777,216) entries, boxes every key, and costs ~80 bytes a pair. Co-share
 * counting on 10M shares routinely yields tens of millions of account pairs. This table stores each pair as one
 * fixed-size record of 32-bit fields in a single `Int32Array` (key, count, optional accumulators, optional caller
 * fields), so a lookup touches one cache line, and it grows by doubling up to 2^32 / stride records.
 *
 * Open addressing with linear probing; a murmur3-style finaliser over `a * golden ^ b` spreads the keys, and the
 * hash is scaled onto the slots (multiply, not mask), so the capacity need not be a power of two: a table sized
 * from a good estimate uses no more memory than it needs. Fresh memory is not free (every new page is a fault,
 * and on some virtual machines a slow one), which is also why the table is never filled after allocation.
 *
 * @example
 * const t = new PairTable();
 * t.add(7, 3);          // the pair {3, 7}
 * t.add(3, 7, 2);
 * t.get(7, 3);          // 3
 */

/** The record layout: field offsets inside one record. */
const KEY_A = 0;
const KEY_B = 1;
const COUNT = 2;
/**
 * A slot is empty when its b is 0: a stored pair has b > a >= 0, so b is never 0, and a freshly allocated
 * (zero-filled) array is all empty without a fill pass, which matters when each new page costs a fault.
 */
const EMPTY = 0;
/** Initial value of the last-tag field; tags are >= 0. */
const NO_TAG = -1;
/** Grow when more than this share of the slots is used (linear probing stays short below ~0.75). */
const MAX_LOAD = 0.7;

export interface PairTableOptions {
  /**
   * Keep a second accumulator per pair: the number of distinct tags passed to `add` (for example distinct
   * objects). It compares each tag with the last one seen for the pair, so the tags of one pair must arrive
   * grouped (all adds with tag 5, then all with tag 9, ...), as they do when objects are processed one at a time.
   */
  distinct?: boolean;
  /**
   * Number of extra 32-bit fields per record, for the caller's own per-pair data (evidence row ids, a smallest
   * gap as float32...). They start at 0, move with the record when the table grows, and are read and written
   * through `records` / `recordsF32` at `slot * stride + extraOffset + k`.
   */
  extraFields?: number;
  /** Accumulate counts as float64 (any increment) instead of uint32 (non-negative integer increments). */
  fractional?: boolean;
}

/** A compact copy of the table: one element per pair, in slot order (deterministic for a given insert sequence). */
export interface PairEntries {
  a: Int32Array;
  b: Int32Array;
  count: Uint32Array | Float64Array;
  /** Present when the table was built with `distinct: true`. */
  distinct?: Uint32Array;
}

export class PairTable {
  /** Int32 fields per record: a, b, count[, distinct, lastTag][, extra...]. */
  readonly stride: number;
  /** Offset of the first extra field inside a record. */
  readonly extraOffset: number;
  private readonly distinctOffset: number;
  private readonly fractional: boolean;
  private readonly maxCapacity: number;
  private recs: Int32Array;
  private recsF32: Float32Array;
  private values: Float64Array | undefined;
  private cap: number;
  private used = 0;
  private limit: number;
  private gen = 0;
  /** Whether the last `add` inserted a new pair. */
  inserted = false;

  constructor(initialCapacity = 1024, options: PairTableOptions = {}) {
    const extra = options.extraFields ?? 0;
    if (!Number.isInteger(extra) || extra < 0 || extra > 64) {
      throw new RangeError("pair-table: extraFields must be an integer in [0, 64]");
    }
    this.fractional = options.fractional === true;
    this.distinctOffset = options.distinct === true ? 3 : -1;
    this.extraOffset = options.distinct === true ? 5 : 3;
    this.stride = this.extraOffset + extra;
    this.maxCapacity = Math.floor(2 ** 32 / this.stride);
    const wanted = Math.ceil(Math.max(0, initialCapacity) / MAX_LOAD) + 1;
    this.recs = new Int32Array(0);
    this.recsF32 = new Float32Array(0);
    this.cap = 0;
    this.limit = 0;
    this.allocate(Math.min(this.maxCapacity, Math.max(16, wanted)));
  }

  /** Number of distinct pairs stored. */
  get size(): number {
    return this.used;
  }

  /** Number of slots. */
  get capacity(): number {
    return this.cap;
  }

  /** Increases by one every time the table grows, which replaces `records` and moves every slot. */
  get generation(): number {
    return this.gen;
  }

  /** The record array; replaced when the table grows (check `generation`). */
  get records(): Int32Array {
    return this.recs;
  }

  /** A float32 view of `records`, for extra fields that hold floats. */
  get recordsF32(): Float32Array {
    return this.recsF32;
  }

  /**
   * Adds `inc` to the count of the unordered pair {a, b} (inserting it at 0 first) and returns its slot. The slot
   * stays valid until the next `add` that grows the table. With `distinct`, also counts `tag` (a non-negative
   * int32) as new for the pair when it differs from the pair's previous tag.
   */
  add(a: number, b: number, inc = 1, tag = 0): number {
    if (a > b) {
      const t = a;
      a = b;
      b = t;
    }
    if (a < 0 || a === b || (a | 0) !== a || (b | 0) !== b) {
      throw new RangeError(`pair-table: a pair needs two distinct non-negative int32 ids, got ${a} and ${b}`);
    }
    if (this.used >= this.limit) this.grow();
    const recs = this.recs;
    const stride = this.stride;
    const cap = this.cap;
    let s = slotOf(hashPair(a, b), cap);
    for (;;) {
      const base = s * stride;
      const kb = recs[base + KEY_B]!;
      if (kb === b && recs[base + KEY_A] === a) {
        this.inserted = false;
        break;
      }
      if (kb === EMPTY) {
        recs[base + KEY_A] = a;
        recs[base + KEY_B] = b;
        if (this.distinctOffset > 0) recs[base + this.distinctOffset + 1] = NO_TAG;
        this.used++;
        this.inserted = true;
        break;
      }
      if (++s === cap) s = 0;
    }
    const base = s * stride;
    if (this.values !== undefined) this.values[s]! += inc;
    else recs[base + COUNT] = (recs[base + COUNT]! >>> 0) + inc;
    const d = this.distinctOffset;
    if (d > 0 && recs[base + d + 1] !== tag) {
      recs[base + d + 1] = tag;
      recs[base + d] = recs[base + d]! + 1;
    }
    return s;
  }

  /** Slot of the pair {a, b}, or -1 when absent. */
  find(a: number, b: number): number {
    if (a > b) {
      const t = a;
      a = b;
      b = t;
    }
    if (a < 0 || a === b) return -1;
    const recs = this.recs;
    const stride = this.stride;
    const cap = this.cap;
    let s = slotOf(hashPair(a, b), cap);
    for (;;) {
      const base = s * stride;
      const kb = recs[base + KEY_B]!;
      if (kb === b && recs[base + KEY_A] === a) return s;
      if (kb === EMPTY) return -1;
      if (++s === cap) s = 0;
    }
  }

  /** Count of the pair {a, b}; 0 when absent. */
  get(a: number, b: number): number {
    const s = this.find(a, b);
    return s < 0 ? 0 : this.countAt(s);
  }

  /** Distinct-tag count of the pair {a, b}; 0 when absent or when the table does not track tags. */
  getDistinct(a: number, b: number): number {
    const s = this.find(a, b);
    return s < 0 || this.distinctOffset < 0 ? 0 : this.recs[s * this.stride + this.distinctOffset]! >>> 0;
  }

  /** Count stored at a slot returned by `add` or `find`. */
  countAt(slot: number): number {
    return this.values !== undefined ? this.values[slot]! : this.recs[slot * this.stride + COUNT]! >>> 0;
  }

  /** Calls `cb` for every pair (a < b), in slot order. */
  forEach(cb: (a: number, b: number, count: number, distinct: number, slot: number) => void): void {
    const recs = this.recs;
    const stride = this.stride;
    const d = this.distinctOffset;
    for (let s = 0, n = this.cap; s < n; s++) {
      const base = s * stride;
      const b = recs[base + KEY_B]!;
      if (b === EMPTY) continue;
      cb(recs[base + KEY_A]!, b, this.countAt(s), d > 0 ? recs[base + d]! >>> 0 : 0, s);
    }
  }

  /** A compact, column-wise copy of all pairs (a < b), in slot order. */
  entries(): PairEntries {
    const n = this.used;
    const out: PairEntries = {
      a: new Int32Array(n),
      b: new Int32Array(n),
      count: this.values !== undefined ? new Float64Array(n) : new Uint32Array(n),
    };
    if (this.distinctOffset > 0) out.distinct = new Uint32Array(n);
    this.copyInto(out, 0);
    return out;
  }

  /**
   * Writes all pairs, in slot order, into the given columns from index `at` on (to gather several tables into
   * one set of columns without intermediate copies). `extra[k]`, when given, receives extra field k (a
   * Float32Array column reads the field as float32; an undefined entry skips the field).
   */
  copyInto(out: PairEntries & { extra?: Array<Int32Array | Float32Array | undefined> }, at: number): void {
    if (out.a.length < at + this.used) throw new RangeError("pair-table: output columns too short");
    const recs = this.recs;
    const recsF = this.recsF32;
    const values = this.values;
    const stride = this.stride;
    const d = this.distinctOffset;
    const distinct = d > 0 ? out.distinct : undefined;
    const extra = out.extra ?? [];
    const eo = this.extraOffset;
    if (extra.length > stride - eo) throw new RangeError("pair-table: more extra columns than extra fields");
    let k = at;
    for (let s = 0, cap = this.cap; s < cap; s++) {
      const base = s * stride;
      const kb = recs[base + KEY_B]!;
      if (kb === EMPTY) continue;
      out.a[k] = recs[base + KEY_A]!;
      out.b[k] = kb;
      out.count[k] = values !== undefined ? values[s]! : recs[base + COUNT]! >>> 0;
      if (distinct !== undefined) distinct[k] = recs[base + d]! >>> 0;
      for (let f = 0; f < extra.length; f++) {
        const col = extra[f];
        if (col !== undefined)
          col[k] = col instanceof Float32Array ? recsF[base + eo + f]! : recs[base + eo + f]!;
      }
      k++;
    }
  }

  private allocate(cap: number): void {
    this.recs = new Int32Array(cap * this.stride);
    this.recsF32 = new Float32Array(this.recs.buffer);
    if (this.fractional) this.values = new Float64Array(cap);
    this.cap = cap;
    this.limit = Math.floor(cap * MAX_LOAD);
  }

  private grow(): void {
    const oldCap = this.cap;
    if (oldCap >= this.maxCapacity) {
      throw new RangeError(
        `pair-table: cannot hold more than ${this.limit} pairs with stride ${this.stride}`,
      );
    }
    const old = this.recs;
    const oldValues = this.values;
    const stride = this.stride;
    this.allocate(Math.min(this.maxCapacity, oldCap * 2));
    const recs = this.recs;
    const values = this.values;
    const cap = this.cap;
    for (let o = 0; o < oldCap; o++) {
      const ob = o * stride;
      const b = old[ob + KEY_B]!;
      if (b === EMPTY) continue;
      let s = slotOf(hashPair(old[ob + KEY_A]!, b), cap);
      while (recs[s * stride + KEY_B] !== EMPTY) if (++s === cap) s = 0;
      const nb = s * stride;
      for (let f = 0; f < stride; f++) recs[nb + f] = old[ob + f]!;
      if (values !== undefined && oldValues !== undefined) values[s] = oldValues[o]!;
    }
    this.gen++;
  }
}

/**
 * Takes the page faults of freshly allocated typed arrays in address order, one store of 0 (the value already
 * there) per 4 KiB page; call it only on arrays just allocated, whose contents are all 0. A scatter that touches
 * fresh pages in many interleaved streams pays more per fault: on our 2-core VM, first writes to 432 MB cost 2.1
 * to 2.4 s of CPU that way against 1.6 s in address order. Where faults are cheap this is one store a page.
 */
export function touchPages(
  ...arrays: Array<Int32Array | Uint32Array | Float32Array | Float64Array | undefined>
): void {
  for (const array of arrays) {
    if (array === undefined) continue;
    const step = 4096 / array.BYTES_PER_ELEMENT;
    for (let i = 0; i < array.length; i += step) array[i] = 0;
  }
}

/** Scales a 32-bit hash onto [0, cap): h / 2^32 is exact and the product stays below cap. */
function slotOf(h: number, cap: number): number {
  return Math.floor((h / 4294967296) * cap);
}

/** 32-bit hash of an ordered pair: golden-ratio multiply, xor, then the murmur3 finaliser. */
export function hashPair(a: number, b: number): number {
  let h = Math.imul(a, 0x9e3779b1) ^ b;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

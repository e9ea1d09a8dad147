/**
 * The clustering kernel over typed arrays: exact duplicates collapse onto one distinct text through a hash table
 * keyed by the text's 64-bit hash, then distinct texts whose sketches share an LSH band and agree on at least
 * `threshold` of their signature are joined in a union-find. An exact duplicate is the case where every band
 * agrees: it needs no path of its own beyond not being sketched twice.
 */
import { estimatedJaccard, estimatedJaccard32 } from "./minhash.js";
import { PREFIX_LETTERS } from "./shingle.js";

/**
 * Open-addressing hash table from a 64-bit key (two 32-bit halves) to a dense id given in order of first
 * insertion. Typed arrays only: JS Maps stop at 2^24 entries and cost far more per entry.
 */
export class KeyTable {
  private keyA: Uint32Array;
  private keyB: Uint32Array;
  private ids: Int32Array;
  private mask: number;
  size = 0;

  constructor(expected = 1024) {
    let cap = 1024;
    while (cap < expected * 2) cap *= 2;
    this.keyA = new Uint32Array(cap);
    this.keyB = new Uint32Array(cap);
    this.ids = new Int32Array(cap).fill(-1);
    this.mask = cap - 1;
  }

  /** The id of the key, inserting it (with the next id) when new; `isNew` tells which. */
  idOf(a: number, b: number): { id: number; isNew: boolean } {
    if (this.size * 2 >= this.mask) this.grow();
    let i = (a ^ Math.imul(b, 0x9e3779b1)) & this.mask;
    for (;;) {
      const id = this.ids[i]!;
      if (id === -1) {
        this.keyA[i] = a;
        this.keyB[i] = b;
        this.ids[i] = this.size++;
        return { id: this.size - 1, isNew: true };
      }
      if (this.keyA[i] === a && this.keyB[i] === b) return { id, isNew: false };
      i = (i + 1) & this.mask;
    }
  }

  /** The id of the key, or -1 when it was never inserted. */
  find(a: number, b: number): number {
    let i = (a ^ Math.imul(b, 0x9e3779b1)) & this.mask;
    for (;;) {
      const id = this.ids[i]!;
      if (id === -1 || (this.keyA[i] === a && this.keyB[i] === b)) return id;
      i = (i + 1) & this.mask;
    }
  }

  private grow(): void {
    const { keyA, keyB, ids } = this;
    const cap = (this.mask + 1) * 2;
    this.keyA = new Uint32Array(cap);
    this.keyB = new Uint32Array(cap);
    this.ids = new Int32Array(cap).fill(-1);
    this.mask = cap - 1;
    for (let j = 0; j < ids.length; j++) {
      const id = ids[j]!;
      if (id === -1) continue;
      let i = (keyA[j]! ^ Math.imul(keyB[j]!, 0x9e3779b1)) & this.mask;
      while (this.ids[i] !== -1) i = (i + 1) & this.mask;
      this.keyA[i] = keyA[j]!;
      this.keyB[i] = keyB[j]!;
      this.ids[i] = id;
    }
  }
}

/** Union-find whose root is always the smallest member, so the result does not depend on the order of unions. */
export class UnionFind {
  readonly parent: Int32Array;

  constructor(n: number) {
    this.parent = new Int32Array(n);
    for (let i = 0; i < n; i++) this.parent[i] = i;
  }

  find(x: number): number {
    const p = this.parent;
    while (p[x] !== x) {
      p[x] = p[p[x]!]!; // path halving
      x = p[x]!;
    }
    return x;
  }

  /** Joins the sets of a and b; true when they were apart. */
  union(a: number, b: number): boolean {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra === rb) return false;
    if (ra < rb) this.parent[rb] = ra;
    else this.parent[ra] = rb;
    return true;
  }
}

export interface Sketches {
  /** Distinct texts. */
  count: number;
  bands: number;
  slots: number;
  /** Band keys, `bands` per text, text-major: keys[t * bands + b]. */
  keys: Uint32Array;
  /** One byte per slot, `slots` per text. */
  sig: Uint8Array;
  /**
   * The order in which texts are visited (a permutation of 0..count-1). Bucket leaders and therefore which pairs
   * are compared depend on it, so it must not depend on how the texts happened to be read.
   */
  order: Int32Array;
  /**
   * For joining texts cut short to the texts they were cut from (`joinCutCopies`); without them, none is. Per text:
   * its length in letters and digits; 1 when it ends in an ellipsis; the key of its first letters (`prefixKey`, 0
   * when shorter).
   */
  chars?: Int32Array;
  cut?: Uint8Array;
  prefix?: Uint32Array;
}

export interface LshStats {
  /** Pairs whose signatures were compared. */
  comparisons: number;
  /** Comparisons that passed the threshold. */
  similar: number;
  /** Similar pairs that joined two clusters. */
  merges: number;
}

/**
 * Clusters distinct texts: for each band, texts with the same band key are compared with the bucket's first
 * member and with its previous one, in visiting order (bounded work even for buckets of thousands), and joined
 * when their estimated Jaccard similarity is at least `threshold`. Returns the union-find over text ids.
 *
 * Each band's buckets are found by a stable radix sort of the band keys in visiting order, which reads and writes
 * memory in long runs; a hash table of millions of buckets would miss the cache on nearly every text.
 */
export function clusterSketches(s: Sketches, threshold: number): { uf: UnionFind; stats: LshStats } {
  const n = s.count;
  const uf = new UnionFind(n);
  const stats: LshStats = { comparisons: 0, similar: 0, merges: 0 };
  const wide = s.slots % 4 === 0 && s.sig.byteOffset % 4 === 0;
  const sig32 = wide ? new Uint32Array(s.sig.buffer, s.sig.byteOffset, s.sig.length / 4) : null;
  const similarity = (a: number, b: number): number =>
    sig32 ? estimatedJaccard32(sig32, a, b, s.slots / 4) : estimatedJaccard(s.sig, a, b, s.slots);
  const compare = (a: number, b: number): void => {
    if (uf.find(a) === uf.find(b)) return;
    stats.comparisons++;
    if (similarity(a, b) >= threshold) {
      stats.similar++;
      if (uf.union(a, b)) stats.merges++;
    }
  };
  let identity = true;
  for (let o = 0; o < n && identity; o++) identity = s.order[o] === o;
  const sorter = new RadixSorter(n);
  for (let band = 0; band < s.bands; band++) {
    const key = sorter.keys;
    const item = sorter.items;
    for (let o = 0; o < n; o++) {
      const t = identity ? o : s.order[o]!;
      key[o] = s.keys[t * s.bands + band]!;
      item[o] = t;
    }
    sorter.sort();
    const k = sorter.keys;
    const it = sorter.items;
    for (let i = 0; i < n;) {
      let j = i + 1;
      const bucket = k[i]!;
      while (j < n && k[j] === bucket) j++;
      if (j - i > 1) {
        const leader = it[i]!;
        compare(it[i + 1]!, leader);
        for (let m = i + 2; m < j; m++) {
          compare(it[m]!, leader);
          compare(it[m]!, it[m - 1]!);
        }
      }
      i = j;
    }
  }
  if (s.chars && s.cut && s.prefix) {
    const { chars } = s;
    joinCutCopies(s.prefix, s.cut, chars, s.order, uf, (x, y) => {
      stats.comparisons++;
      const j = similarity(x, y);
      if (j >= threshold || isCutCopy(j, chars[x]!, chars[y]!)) {
        stats.similar++;
        if (uf.union(x, y)) stats.merges++;
      }
    });
  }
  return { uf, stats };
}

/** The least share of the longer text a cut copy must keep to be compared as one: below it the estimate is noise. */
export const MIN_CUT_SHARE = 0.25;
/** The least share of a cut copy's shingles that must be the longer text's (estimated) for the two to be joined. */
export const MIN_CONTAINMENT = 0.8;
/** Longer texts with the same first letters that each cut text is compared with, at most (buckets of thousands). */
const CUT_TRIES = 8;

/**
 * Whether a text of `short` letters, cut short (it ends in an ellipsis), is a copy of one of `long` letters with the
 * same first letters, from their estimated Jaccard similarity `j`. A copy cut to a third keeps a third of the
 * shingles (j about 0.33, under any useful threshold) but every one of them is the longer text's: the share of its
 * shingles in the other, j (1 + long / short) / (1 + j), is near 1, where a different text that only begins alike
 * keeps little beyond its first words. The cut copy must hold twice the letters the prefix key reads, so that the
 * agreement is not the shared beginning alone, and a quarter of the longer text, under which one slot of the
 * estimate moves the share by more than the margin.
 */
export function isCutCopy(j: number, short: number, long: number): boolean {
  if (short < 2 * PREFIX_LETTERS || short > long || short < MIN_CUT_SHARE * long) return false;
  return (j * (1 + long / short)) / (1 + j) >= MIN_CONTAINMENT;
}

/**
 * Texts that end in an ellipsis are compared with longer texts that begin with the same `PREFIX_LETTERS` letters
 * (`prefixKey`), which LSH banding may never make candidates: a text cut to a third of its original meets it in a
 * band with probability 0.4, and passes `threshold` hardly ever. The prefix is the candidate step, `compare` (with
 * `isCutCopy`) the verification. Only buckets holding a cut text are sorted, in visiting order (stable), and each
 * cut text is compared with at most `CUT_TRIES` longer members, until it is joined.
 */
function joinCutCopies(
  prefix: Uint32Array,
  cut: Uint8Array,
  chars: Int32Array,
  order: Int32Array,
  uf: UnionFind,
  compare: (x: number, y: number) => void,
): void {
  const wanted = new Set<number>();
  for (let t = 0; t < prefix.length; t++)
    if (cut[t] === 1 && prefix[t] !== 0 && chars[t]! >= 2 * PREFIX_LETTERS) wanted.add(prefix[t]!);
  if (wanted.size === 0) return;
  const members: number[] = [];
  for (let o = 0; o < order.length; o++) {
    const t = order[o]!;
    if (prefix[t] !== 0 && wanted.has(prefix[t]!)) members.push(t);
  }
  const sorter = new RadixSorter(members.length);
  members.forEach((t, i) => {
    sorter.keys[i] = prefix[t]!;
    sorter.items[i] = t;
  });
  sorter.sort();
  const k = sorter.keys;
  const it = sorter.items;
  for (let i = 0; i < members.length;) {
    let j = i + 1;
    while (j < members.length && k[j] === k[i]) j++;
    if (j - i > 1) {
      // longest first (stably, in visiting order among equals), so that each cut text's candidates are the first
      // members of its bucket and the walk ends at the first shorter one: a bucket of thousands of texts that begin
      // alike, many of them cut, costs each cut text at most CUT_TRIES comparisons, not a walk of the bucket
      const bucket = Array.from(it.subarray(i, j)).sort((x, y) => chars[y]! - chars[x]!);
      for (const x of bucket) {
        if (cut[x] !== 1 || chars[x]! < 2 * PREFIX_LETTERS) continue;
        let tries = 0;
        for (const y of bucket) {
          if (y === x) continue;
          if (chars[y]! < chars[x]! || tries === CUT_TRIES || uf.find(x) === uf.find(y)) break;
          tries++;
          compare(x, y);
        }
      }
    }
    i = j;
  }
}

/** LSD radix sort of 32-bit keys with an item each, stable, in three passes of 11, 11 and 10 bits. */
class RadixSorter {
  keys: Uint32Array;
  items: Int32Array;
  private otherKeys: Uint32Array;
  private otherItems: Int32Array;
  private readonly counts = new Int32Array(2048);

  constructor(readonly n: number) {
    this.keys = new Uint32Array(n);
    this.items = new Int32Array(n);
    this.otherKeys = new Uint32Array(n);
    this.otherItems = new Int32Array(n);
  }

  /** Sorts `keys` (and `items` with them); afterwards `keys` and `items` hold the sorted arrays. */
  sort(): void {
    const { n, counts } = this;
    for (const [shift, bits] of [
      [0, 11],
      [11, 11],
      [22, 10],
    ] as const) {
      const mask = (1 << bits) - 1;
      const from = this.keys;
      const fromItems = this.items;
      const to = this.otherKeys;
      const toItems = this.otherItems;
      counts.fill(0);
      for (let i = 0; i < n; i++) counts[(from[i]! >>> shift) & mask]!++;
      let sum = 0;
      for (let d = 0; d <= mask; d++) {
        const c = counts[d]!;
        counts[d] = sum;
        sum += c;
      }
      for (let i = 0; i < n; i++) {
        const v = from[i]!;
        const at = counts[(v >>> shift) & mask]!++;
        to[at] = v;
        toItems[at] = fromItems[i]!;
      }
      this.keys = to;
      this.items = toItems;
      this.otherKeys = from;
      this.otherItems = fromItems;
    }
  }
}

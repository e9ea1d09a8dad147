/**
 * The clustering kernel over typed arrays: exact duplicates collapse onto one distinct text through a hash table
 * keyed by the text's 64-bit hash, then distinct texts whose sketches share an LSH band and agree on at least
 * `threshold` of their signature are joined in a union-find. An exact duplicate is the case where every band
 * agrees: it needs no path of its own beyond not being sketched twice.
 */
import { estimatedJaccard, estimatedJaccard32 } from "./minhash.js";

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
  return { uf, stats };
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

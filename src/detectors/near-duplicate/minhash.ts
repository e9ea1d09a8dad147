/**
 * MinHash sketches of a text's character shingles, by one-permutation hashing with optimal densification: each
 * shingle is hashed once (not once per hash function), its hash picks one of `slots` bins and the bin keeps its
 * smallest value; bins no shingle fell into borrow the value of a bin chosen by a fixed probe sequence. Two
 * sketches agree in a slot with probability equal to the Jaccard similarity of the shingle sets, as with `slots`
 * independent permutations, at a cost of one hash per shingle instead of `slots`.
 *
 * Li, Owen & Zhang 2012, "One permutation hashing", NeurIPS; Shrivastava 2017, "Optimal densification for fast
 * and accurate minwise hashing", ICML. Banding: Leskovec, Rajaraman & Ullman, "Mining of Massive Datasets",
 * ch. 3 (LSH for minhash signatures). b-bit slots for verification: Li & König 2010, "b-Bit minwise hashing", WWW.
 */
import { fmix32 } from "./shingle.js";

const BASE = 0x01000193;
const EMPTY = 0xffffffff;

export interface SketchShape {
  /** Shingle length in UTF-16 code units. */
  shingle: number;
  /** LSH bands and rows per band; the sketch has bands x rows slots (a power of two is not required). */
  bands: number;
  rows: number;
  seed: number;
}

/**
 * Turns a text (as `matchingLetters` gives it) into LSH band keys and a one-byte-per-slot signature. Reuses its
 * buffers: one instance per run, not per text.
 */
export class Sketcher {
  readonly slots: number;
  private readonly values: Uint32Array;
  private readonly filled: Uint8Array;
  private readonly seedBin: number;
  private readonly seedValue: number;
  private readonly top: number;
  /** The first `PROBES` bins of each bin's densification probe sequence, computed once. */
  private readonly probes: Uint8Array;

  constructor(readonly shape: SketchShape) {
    this.slots = shape.bands * shape.rows;
    this.values = new Uint32Array(this.slots);
    this.filled = new Uint8Array(this.slots);
    this.seedBin = fmix32(shape.seed ^ 0x3c6ef372);
    this.seedValue = fmix32(shape.seed ^ 0xa54ff53a);
    let top = 1;
    for (let i = 1; i < shape.shingle; i++) top = Math.imul(top, BASE);
    this.top = top;
    this.probes = new Uint8Array(this.slots * PROBES);
    for (let j = 0; j < this.slots; j++)
      for (let t = 1; t <= PROBES; t++) this.probes[j * PROBES + t - 1] = probe(j, t, this.slots);
  }

  /**
   * Sketches `s` into `keys` (bands values from `keyAt`) and `sig` (slots bytes from `sigAt`). Returns the
   * number of shingles seen.
   */
  sketch(s: string, keys: Uint32Array, keyAt: number, sig: Uint8Array, sigAt: number): number {
    const codes = new Uint16Array(s.length);
    for (let i = 0; i < s.length; i++) codes[i] = s.charCodeAt(i);
    return this.sketchCodes(codes, s.length, keys, keyAt, sig, sigAt);
  }

  /** `sketch` of the first `n` code units of `codes` (as `MatchingCodes` fills them). */
  sketchCodes(
    codes: Uint16Array,
    n: number,
    keys: Uint32Array,
    keyAt: number,
    sig: Uint8Array,
    sigAt: number,
  ): number {
    const { values, filled, slots, seedBin, seedValue } = this;
    values.fill(EMPTY);
    const k = this.shape.shingle;
    let count = 0;
    // the rolling hash of each k-gram; bin and value come from two scramblings of it, so the bin a shingle falls
    // into and its rank inside the bin are independent
    const top = n <= k ? 0 : this.top;
    let h = 0;
    const first = Math.min(n, k);
    for (let i = 0; i < first; i++) h = (Math.imul(h, BASE) + codes[i]!) | 0;
    for (let i = first; i <= n && n > 0; i++) {
      if (i > first) h = (Math.imul(h - Math.imul(codes[i - 1 - k]!, top), BASE) + codes[i - 1]!) | 0;
      const x = h ^ first;
      // bin = floor(fmix32(x ^ seedBin) * slots / 2^32), in 32-bit integer arithmetic
      const hb = fmix32(x ^ seedBin);
      const bin = ((hb >>> 16) * slots + (((hb & 0xffff) * slots) >>> 16)) >>> 16;
      // a bin is empty while it holds EMPTY (a shingle hashing to exactly 2^32 - 1 is lost: p = 2^-32)
      const v = fmix32(x ^ seedValue);
      if (v < values[bin]!) values[bin] = v;
      count++;
    }
    for (let j = 0; j < slots; j++) filled[j] = values[j] === EMPTY ? 0 : 1;
    if (count === 0) {
      keys.fill(0, keyAt, keyAt + this.shape.bands);
      sig.fill(0, sigAt, sigAt + slots);
      return 0;
    }
    this.densify();
    const { bands, rows } = this.shape;
    for (let b = 0; b < bands; b++) {
      let h = fmix32(b + 1);
      for (let r = 0; r < rows; r++) h = fmix32(Math.imul(h, 0x9e3779b1) ^ values[b * rows + r]!);
      keys[keyAt + b] = h;
    }
    for (let j = 0; j < slots; j++) sig[sigAt + j] = values[j]! & 0xff;
    return count;
  }

  /**
   * Optimal densification: an empty bin j takes the value of the first filled bin in the probe sequence
   * hash(j, 1), hash(j, 2), ...; the sequence depends only on j, so two texts borrow from the same bins.
   */
  private densify(): void {
    const { values, filled, slots, probes } = this;
    for (let j = 0; j < slots; j++) {
      if (filled[j] === 1) continue;
      let donor = -1;
      for (let t = 1; t <= PROBES && donor === -1; t++) {
        const d = probes[j * PROBES + t - 1]!;
        if (filled[d] === 1) donor = d;
      }
      for (let t = PROBES + 1; t <= 64 * slots && donor === -1; t++) {
        const d = probe(j, t, slots);
        if (filled[d] === 1) donor = d;
      }
      // (a bound the probes practically never reach; then the next filled bin to the right)
      for (let d = (j + 1) % slots; donor === -1; d = (d + 1) % slots) if (filled[d] === 1) donor = d;
      values[j] = values[donor]!;
    }
  }
}

/** Probes precomputed per bin (a bin is empty with probability about e^(-shingles / slots), so few are needed). */
const PROBES = 32;

/** The t-th bin of bin j's probe sequence. */
function probe(j: number, t: number, slots: number): number {
  return ((fmix32(Math.imul(j + 1, 0x27d4eb2f) ^ Math.imul(t, 0x165667b1)) * slots) / 4294967296) | 0;
}

/**
 * Jaccard similarity estimated from two one-byte signatures: the share of agreeing slots, corrected for bytes
 * that agree by accident (1 in 256) when the full values differ.
 */
export function estimatedJaccard(sig: Uint8Array, a: number, b: number, slots: number): number {
  let same = 0;
  const oa = a * slots;
  const ob = b * slots;
  for (let j = 0; j < slots; j++) if (sig[oa + j] === sig[ob + j]) same++;
  const chance = 1 / 256;
  return Math.max(0, (same / slots - chance) / (1 - chance));
}

/**
 * `estimatedJaccard` four slots at a time, for signatures whose slot count is a multiple of 4, viewed as 32-bit
 * words: equal bytes are the zero bytes of a ^ b, counted without a branch.
 */
export function estimatedJaccard32(sig: Uint32Array, a: number, b: number, words: number): number {
  let same = 0;
  const oa = a * words;
  const ob = b * words;
  for (let j = 0; j < words; j++) {
    const x = sig[oa + j]! ^ sig[ob + j]!;
    // high bit of each byte of y set exactly when that byte of x is zero
    let y = ((x & 0x7f7f7f7f) + 0x7f7f7f7f) | x | 0x7f7f7f7f;
    y = ~y & 0x80808080;
    same += ((y >>> 7) * 0x01010101) >>> 24;
  }
  const chance = 1 / 256;
  return Math.max(0, (same / (words * 4) - chance) / (1 - chance));
}

/** The similarity at which a pair becomes an LSH candidate with probability about 1/2: (1/b)^(1/r). */
export function sCurveThreshold(bands: number, rows: number): number {
  return Math.pow(1 / bands, 1 / rows);
}

/** Probability that a pair of Jaccard similarity `j` shares at least one band: 1 - (1 - j^r)^b. */
export function candidateProbability(j: number, bands: number, rows: number): number {
  return 1 - Math.pow(1 - Math.pow(j, rows), bands);
}

/**
 * Seeded randomness for the synthetic data generator. Never `Math.random`: the same seed must give the same
 * bytes on every machine and Node version, so the generator carries its own small PRNG (sfc32, seeded through
 * splitmix32) and derives independent streams by hashing (seed, purpose, index) instead of sharing one stream.
 * Independent streams keep one part of the data stable when another part changes (adding a campaign does not
 * reshuffle the organic population), and each hour of the timeline draws from its own stream.
 */

/** A 32-bit finaliser (murmur3 fmix32): spreads every input bit over the output. */
export function mix32(x: number): number {
  let h = x >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Hash a list of numbers (any finite values; large integers keep their high bits) into a 32-bit stream seed. */
export function streamSeed(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const p of parts) {
    const v = Math.floor(p);
    const lo = v >>> 0;
    const hi = Math.floor(v / 4294967296) >>> 0;
    h = mix32(h ^ mix32(lo + 0x7f4a7c15));
    h = mix32(h ^ mix32(hi + 0x165667b1));
  }
  return h;
}

/** Hash a string (FNV-1a then fmix32) so purposes can be named rather than numbered. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return mix32(h);
}

/** sfc32 (Chris Doty-Humphrey's Small Fast Counting generator): 128 bits of state, passes PractRand to 2^40+. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    let s = seed >>> 0;
    const splitmix32 = (): number => {
      s = (s + 0x9e3779b9) | 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
      z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
      return (z ^ (z >>> 15)) >>> 0;
    };
    this.a = splitmix32();
    this.b = splitmix32();
    this.c = splitmix32();
    this.d = splitmix32() | 1;
    for (let i = 0; i < 12; i++) this.uint32();
  }

  /** A child stream for a named purpose and index; the parent stream is not advanced. */
  static for(seed: number, purpose: string, ...index: number[]): Rng {
    return new Rng(streamSeed(seed, hashString(purpose), ...index));
  }

  uint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.uint32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Uniform integer in [lo, hi], both inclusive. */
  intBetween(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  /** Uniform real in [lo, hi). */
  between(lo: number, hi: number): number {
    return lo + this.next() * (hi - lo);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError("synth/rng: pick from an empty list");
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** Standard normal (Box-Muller; one value per call keeps the stream position easy to reason about). */
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Log-normal with the given median and log-scale spread. */
  lognormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  exponential(mean: number): number {
    return -mean * Math.log(1 - this.next());
  }

  /** Pareto type I: heavy tail, P(X > x) = (xm / x)^alpha. */
  pareto(xm: number, alpha: number): number {
    return xm / Math.pow(1 - this.next(), 1 / alpha);
  }

  /** Kumaraswamy(a, b) on [0, 1]: a cheap Beta look-alike with a closed-form inverse. */
  kumaraswamy(a: number, b: number): number {
    return Math.pow(1 - Math.pow(1 - this.next(), 1 / b), 1 / a);
  }

  /** Poisson count: Knuth's product method for small means, a rounded normal above 30. */
  poisson(mean: number): number {
    if (mean <= 0) return 0;
    if (mean > 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * this.normal()));
    const limit = Math.exp(-mean);
    let k = 0;
    let p = this.next();
    while (p > limit) {
      k++;
      p *= this.next();
    }
    return k;
  }

  /** Shuffle in place (Fisher-Yates). */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const t = items[i] as T;
      items[i] = items[j] as T;
      items[j] = t;
    }
    return items;
  }

  /**
   * k distinct items (by position) in random order: rejection of repeated positions when k is small next to
   * the list (no copy of a large population), otherwise a partial Fisher-Yates over a copy.
   */
  sample<T>(items: readonly T[], k: number): T[] {
    if (k * 4 <= items.length) {
      const picked = new Set<number>();
      const out: T[] = [];
      while (out.length < k) {
        const i = Math.floor(this.next() * items.length);
        if (picked.has(i)) continue;
        picked.add(i);
        out.push(items[i] as T);
      }
      return out;
    }
    const copy = items.slice();
    const n = Math.min(k, copy.length);
    for (let i = 0; i < n; i++) {
      const j = i + Math.floor(this.next() * (copy.length - i));
      const t = copy[i] as T;
      copy[i] = copy[j] as T;
      copy[j] = t;
    }
    copy.length = n;
    return copy;
  }
}

/**
 * Weighted sampling in O(1) per draw (Vose's alias method), from one uniform number. Used for every Zipf and
 * activity-weighted choice, which the generator makes several times per post.
 */
export class AliasTable {
  readonly size: number;
  private readonly prob: Float64Array;
  private readonly alias: Int32Array;

  constructor(weights: ArrayLike<number>) {
    const n = weights.length;
    if (n === 0) throw new RangeError("synth/rng: AliasTable needs at least one weight");
    let total = 0;
    for (let i = 0; i < n; i++) {
      const w = weights[i] as number;
      if (!(w >= 0) || !Number.isFinite(w)) throw new RangeError(`synth/rng: bad weight ${w} at ${i}`);
      total += w;
    }
    if (total <= 0) throw new RangeError("synth/rng: AliasTable weights sum to zero");
    this.size = n;
    this.prob = new Float64Array(n);
    this.alias = new Int32Array(n);
    const scaled = new Float64Array(n);
    const small: number[] = [];
    const large: number[] = [];
    for (let i = 0; i < n; i++) {
      scaled[i] = ((weights[i] as number) * n) / total;
      ((scaled[i] as number) < 1 ? small : large).push(i);
    }
    while (small.length > 0 && large.length > 0) {
      const s = small.pop() as number;
      const l = large.pop() as number;
      this.prob[s] = scaled[s] as number;
      this.alias[s] = l;
      scaled[l] = (scaled[l] as number) + (scaled[s] as number) - 1;
      ((scaled[l] as number) < 1 ? small : large).push(l);
    }
    for (const i of large) this.prob[i] = 1;
    for (const i of small) this.prob[i] = 1;
  }

  /** Draw an index using one uniform number u in [0, 1). */
  at(u: number): number {
    const x = u * this.size;
    const i = Math.floor(x);
    return x - i < (this.prob[i] as number) ? i : (this.alias[i] as number);
  }

  draw(rng: Rng): number {
    return this.at(rng.next());
  }
}

/** Zipf weights 1 / (rank + offset)^s for ranks 0..n-1. */
export function zipfWeights(n: number, s: number, offset = 1): Float64Array {
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) w[i] = 1 / Math.pow(i + offset, s);
  return w;
}

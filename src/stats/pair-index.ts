/**
 * A map from ordered pairs (a, b) of int32s (a never -1) to int32 values, by open addressing on one typed array:
 * millions of pairs without a JS Map's per-entry cost or its 16.7M-entry limit. (a, b) and (b, a) are different
 * keys, unlike in PairTable (pair-table.ts), whose keys are unordered pairs of distinct ids with counts. Co-share's
 * chance test caches its expectations here by (multiplicity bucket, class pair).
 *
 * A slot holds a, b and the value side by side (four int32s, so that a slot never straddles a cache line): a lookup
 * in a table of millions of pairs is a cache miss, and with the three in separate arrays it was three (at 10M posts,
 * sync's 200M lookups of account pairs took 26 s of CPU that way; sync now counts its pairs without a table).
 */
export class PairIndex {
  private mask = (1 << 12) - 1;
  /** Slot i at 4i: a (-1 when empty), b, value, unused. */
  private slots = PairIndex.empty(1 << 12);
  private size = 0;

  private static empty(cap: number): Int32Array {
    const slots = new Int32Array(4 * cap);
    for (let i = 0; i < slots.length; i += 4) slots[i] = -1;
    return slots;
  }

  /** Position in `slots` of the slot of (a, b), or of the empty slot where it would go. */
  private slot(a: number, b: number): number {
    let h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca6b);
    h ^= h >>> 15;
    const slots = this.slots;
    let i = h & this.mask;
    for (;;) {
      const at = 4 * i;
      const ka = slots[at]!;
      if (ka === -1 || (ka === a && slots[at + 1] === b)) return at;
      i = (i + 1) & this.mask;
    }
  }

  /** The value of (a, b), or -1 when absent (callers store values >= 0). */
  get(a: number, b: number): number {
    const at = this.slot(a, b);
    return this.slots[at] === -1 ? -1 : this.slots[at + 2]!;
  }

  /** Sets the value of (a, b), replacing any it had. */
  set(a: number, b: number, v: number): void {
    if (2 * (this.size + 1) > this.mask + 1) this.rehash();
    const at = this.slot(a, b);
    if (this.slots[at] === -1) this.size++;
    this.slots[at] = a;
    this.slots[at + 1] = b;
    this.slots[at + 2] = v;
  }

  private rehash(): void {
    const old = this.slots;
    const cap = 2 * (this.mask + 1);
    this.mask = cap - 1;
    this.slots = PairIndex.empty(cap);
    for (let i = 0; i < old.length; i += 4) {
      if (old[i] === -1) continue;
      const at = this.slot(old[i]!, old[i + 1]!);
      this.slots[at] = old[i]!;
      this.slots[at + 1] = old[i + 1]!;
      this.slots[at + 2] = old[i + 2]!;
    }
  }
}

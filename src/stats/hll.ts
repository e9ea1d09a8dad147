/**
 * HyperLogLog: the number of distinct items among many, from 16 KiB of registers, to within about 1% (Flajolet,
 * Fusy, Gandouet and Meunier, "HyperLogLog: the analysis of a near-optimal cardinality estimation algorithm",
 * 2007; the small-range correction is their linear counting). The caller hashes its items (a well-mixed 32-bit
 * hash such as `hashPair`), so that an item costs one register update inside a hot loop, not a hash of its own.
 *
 * @example
 * const hll = new HyperLogLog();
 * for (const [a, b] of pairs) hll.add(hashPair(a, b));
 * hll.estimate(); // distinct pairs, +-1% or so
 */

/** Register-index bits: 2^14 registers, a standard error of 1.04 / 2^7 = 0.81%. */
export const HLL_BITS = 14;
const M = 1 << HLL_BITS;
const ALPHA = 0.7213 / (1 + 1.079 / M);
const TWO_32 = 2 ** 32;

export class HyperLogLog {
  readonly registers = new Uint8Array(M);

  /** Note an item by its 32-bit hash (the top bits pick a register, the rest give the rank). */
  add(hash: number): void {
    const r = this.registers;
    const idx = hash >>> (32 - HLL_BITS);
    // the leading zeros of the remaining 18 bits, plus one; a guard bit bounds it at 19
    const rank = Math.clz32((hash << HLL_BITS) | (1 << (HLL_BITS - 1))) + 1;
    if (rank > r[idx]!) r[idx] = rank;
  }

  /** The estimated number of distinct hashes added. */
  estimate(): number {
    let sum = 0;
    let zeros = 0;
    for (let j = 0; j < M; j++) {
      const v = this.registers[j]!;
      sum += 2 ** -v;
      if (v === 0) zeros++;
    }
    const raw = (ALPHA * M * M) / sum;
    // few items: count the empty registers instead (linear counting)
    if (raw <= 2.5 * M && zeros > 0) return M * Math.log(M / zeros);
    // many items: 32-bit hashes start to collide
    if (raw > TWO_32 / 30) return -TWO_32 * Math.log(1 - raw / TWO_32);
    return raw;
  }
}

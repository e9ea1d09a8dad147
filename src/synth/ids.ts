/**
 * Identifiers shaped like Twitter's: snowflakes carry their creation time to the millisecond (the ingest layer
 * reads it back), accounts created before 2013 keep short sequential-looking ids. The arithmetic avoids BigInt:
 * this runs once per post, tens of millions of times in a benchmark run.
 */

/** Twitter's snowflake epoch (2010-11-04T01:42:54.657Z). */
export const SNOWFLAKE_EPOCH_MS = 1288834974657;

const TWO_43_HI = 8796; // 2^43 = 8796 * 1e9 + 93022208
const TWO_43_LO = 93022208;

/**
 * Decimal string of ((ms - epoch) << 22) | (worker << 12) | seq, exactly, with doubles only.
 * worker in [0, 1024), seq in [0, 4096).
 *
 * @example
 * snowflakeId(1539202764713, 0, 0); // "1050118623303041024"
 */
export function snowflakeId(ms: number, worker: number, seq: number): string {
  const t = ms - SNOWFLAKE_EPOCH_MS;
  if (!(t >= 0 && t < 2 ** 41) || !Number.isInteger(t))
    throw new RangeError(`synth/ids: time ${ms} out of range`);
  const a = Math.floor(t / 2097152); // t = a * 2^21 + b
  const b = t - a * 2097152;
  const low = (worker & 1023) * 4096 + (seq & 4095);
  // value = a * 2^43 + b * 2^22 + low, split into a billions part and a remainder that stay exact.
  const rest = a * TWO_43_LO + b * 4194304 + low;
  const carry = Math.floor(rest / 1e9);
  const billions = a * TWO_43_HI + carry;
  const units = rest - carry * 1e9;
  if (billions === 0) return String(units);
  return String(billions) + String(units).padStart(9, "0");
}

/** Account id: a snowflake of the creation time for accounts created since 2013, a short number before. */
export function accountId(createdMs: number, index: number, salt: number): string {
  if (createdMs < Date.UTC(2013, 0, 1)) return String(12_000_000 + index * 1009 + (salt % 1000));
  return snowflakeId(createdMs, index % 1024, Math.floor(index / 1024) % 4096);
}

/**
 * Hands out unique post ids for one worker (one hour of the timeline): posts in the same millisecond get
 * consecutive sequence numbers. Two workers never share an id because the worker number is part of it.
 */
export class PostIdMinter {
  private readonly used = new Map<number, number>();
  constructor(private readonly worker: number) {}

  mint(ms: number): string {
    const seq = this.used.get(ms) ?? 0;
    if (seq >= 4096) throw new RangeError(`synth/ids: more than 4096 posts in one millisecond (${ms})`);
    this.used.set(ms, seq + 1);
    return snowflakeId(ms, this.worker, seq);
  }
}

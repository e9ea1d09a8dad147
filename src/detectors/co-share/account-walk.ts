/**
 * The co-share walk, account by account: every co-share of account x with an account y > x is found from x's own
 * shares, by looking at the shares of the same object within the window on both sides of each, and counted in
 * one slot per account y. When x's shares are done, its pairs are complete: they are written out and their slots
 * cleared for the next account.
 *
 * Why this order: the co-shares of an analysis outnumber its pairs many times over (at 10M posts, 302M co-shares
 * of 27M pairs in the repost layer alone), and any walk in object order meets a pair's co-shares scattered across
 * the whole walk, so it has to hold them (or a table of every pair) until the end. Walking by account, a pair's
 * co-shares all come while its smaller account is being walked, so the only state is one slot per account, which
 * stays in cache, and nothing is held per co-share. Each co-share is looked at twice (from each of its accounts,
 * counted from the smaller), which costs less than writing it down once: on the repost layer of 10M posts, 0.20x
 * the time of the walk in object order that wrote every co-share and folded them by pair (bench/co-share-kernel.ts
 * --against-object-walk keeps that walk as its baseline). Where most pairs meet once, it costs a little more (1.25x
 * on the benchmark's synthetic shares): the time goes to the pairs that meet again and again, which is what
 * coordination looks like.
 *
 * Semantics (kernel.ts): shares i < j of the same object (sorted positions) co-share when t(j) - t(i) <= window and
 * j - i <= cap, their accounts differ, their share ids differ, and (when required) one of them is flagged. The
 * evidence of a pair is its co-share with the smallest gap (compared as float32), ties going to the co-share first
 * in (object, time) order, the smallest (i, j), as the walk in object order found them.
 */
import { lowerBound } from "../../stats/bisect.js";
import type { SortedShares } from "./sort.js";

/** The pairs of one walk, a < b: by a ascending, and for each a in the order its partners were first met. */
export interface WalkedPairs {
  a: Int32Array;
  b: Int32Array;
  /** Co-shares (share pairs) of each pair. */
  count: Uint32Array;
  /** Distinct objects (runs) on which each pair co-shared. */
  objects: Uint32Array;
  /** With evidence: the sorted positions of the co-share with the smallest gap, account a's then account b's. */
  posA: Int32Array | undefined;
  posB: Int32Array | undefined;
  /** With `fastWindowMs`: distinct objects on which each pair co-shared within that narrower window (0 if none). */
  fastObjects: Uint32Array | undefined;
  /** Co-shares counted (the sum of `count`). */
  sharePairs: number;
}

export interface WalkOptions {
  windowMs: number;
  /** Partners per share at most, in each direction of position (Infinity: no cap). */
  cap: number;
  evidence: boolean;
  /**
   * A narrower window (at most `windowMs`) whose distinct objects are counted too, in the same walk: the pairs that
   * co-share within it are those of the window with a co-share at most that far apart (the cap being the same).
   */
  fastWindowMs?: number | undefined;
  /** Per sorted position: 1 when flagged; a co-share then needs at least one flagged share. */
  required?: Uint8Array | undefined;
  /** Per sorted position, set to 1 when the share takes part in a counted co-share. */
  paired?: Uint8Array | undefined;
  /** Buffers the output columns live in (reused from walk to walk). */
  scratch: WalkScratch;
  /** Account pairs at most: the walk stops and gives null as soon as it would hold more (default: no limit). */
  maxPairs?: number | undefined;
  /**
   * Only the pairs whose smaller account is in [from, to) (account ids as the shares give them). Walks of ranges
   * that cover every account give, one after the other in the ranges' order, the pairs of the whole walk in its
   * order, each with the same counts and evidence: a walk split between threads (layers.ts).
   */
  accountRange?: readonly [number, number] | undefined;
}

/**
 * Int32s of a partner's slot: count, objects, last run, smallest gap (float32 bits), its two positions, objects and
 * last run within the fast window.
 */
const SLOT = 8;

/**
 * Column buffers kept from one walk to the next: the co-share detector walks every layer, and each walk of
 * millions of pairs fills hundreds of MB of columns. Fresh memory costs a page fault per page (on the VM we measure
 * on, 3 to 4 s of CPU a GiB); memory written by the previous walk is already mapped. The columns of a walk's result
 * live in the scratch until the next walk that uses it.
 */
export class WalkScratch {
  private buffers: Array<ArrayBuffer | undefined> = [];

  /** Int32s that column `i` can hold without a new buffer. */
  held(i: number): number {
    return (this.buffers[i]?.byteLength ?? 0) >> 2;
  }

  /** Column `i` as `length` int32s, in the buffer kept for it when that is large enough, else in a new one. */
  column(i: number, length: number): Int32Array<ArrayBuffer> {
    const kept = this.buffers[i];
    if (kept !== undefined && kept.byteLength >= 4 * length) return new Int32Array(kept, 0, length);
    const column = new Int32Array(length);
    this.buffers[i] = column.buffer;
    return column;
  }

  /** Let go of the buffers (the results that live in them must be done with). */
  release(): void {
    this.buffers = [];
  }
}

/** The output columns of a walk, in a scratch's buffers, doubled when full. */
class PairOutput {
  n = 0;
  a!: Int32Array;
  b!: Int32Array;
  count!: Uint32Array;
  objects!: Uint32Array;
  posA: Int32Array | undefined;
  posB: Int32Array | undefined;
  fastObjects: Uint32Array | undefined;
  private capacity = 0;

  constructor(
    private readonly scratch: WalkScratch,
    private readonly evidence: boolean,
    private readonly fast: boolean,
    hint: number,
  ) {
    this.take(Math.max(1024, hint, scratch.held(0)));
  }

  /** Room for `more` pairs after the `n` held. */
  reserve(more: number): void {
    if (this.n + more <= this.capacity) return;
    let capacity = 2 * this.capacity;
    while (capacity < this.n + more) capacity *= 2;
    this.take(capacity);
  }

  /** Columns of `capacity` pairs, holding the pairs held so far (a larger buffer is a new one: the old stays readable). */
  private take(capacity: number): void {
    // columns 0-3 always, 4-5 with evidence, 6 with the fast window
    const old = [this.a, this.b, this.count, this.objects, this.posA, this.posB, this.fastObjects];
    const wanted = [true, true, true, true, this.evidence, this.evidence, this.fast];
    const cols = wanted.map((want, i) => {
      if (!want) return undefined;
      const c = this.scratch.column(i, capacity);
      const from = old[i];
      if (from !== undefined && this.n > 0) c.set(new Int32Array(from.buffer, from.byteOffset, this.n));
      return c;
    });
    this.a = cols[0]!;
    this.b = cols[1]!;
    this.count = new Uint32Array(cols[2]!.buffer, 0, capacity);
    this.objects = new Uint32Array(cols[3]!.buffer, 0, capacity);
    this.posA = cols[4];
    this.posB = cols[5];
    this.fastObjects = cols[6] && new Uint32Array(cols[6].buffer, 0, capacity);
    this.capacity = capacity;
  }
}

/**
 * Every pair of accounts that co-shared in `s`, with its counts and (with `evidence`) its closest co-share; null
 * when there are more than `maxPairs` (the slots of the account being walked are left dirty: a walk that gives
 * null must not be resumed).
 */
export function walkByAccount(sorted: SortedShares, opts: WalkOptions): WalkedPairs | null {
  // the walk keeps a slot per account id up to the largest: ids far sparser than the shares are numbered densely
  // first, in their order (so that a < b still holds), and given back in the output
  const ids = sparseIds(sorted.account);
  const s = ids === undefined ? sorted : { ...sorted, account: denseIds(sorted.account, ids) };
  const { account: accS, tsMs: tsS, share: shareS } = s;
  const { evidence, required, paired } = opts;
  const positions = tsS.length;
  const shares = accountShares(s, opts.windowMs, opts.cap);
  const { accounts, accStart, pos: accPos, lo: accLo, hi: accHi, run: accRun } = shares;

  // one slot per partner account; count 0 means the slot is free
  const slots = new Int32Array(accounts * SLOT);
  const gaps = new Float32Array(slots.buffer);
  const touched = new Int32Array(accounts);
  const fastMs = opts.fastWindowMs;
  const fast = fastMs !== undefined;
  if (fast && !(fastMs <= opts.windowMs))
    throw new RangeError("co-share: the fast window must not exceed the window");
  const out = new PairOutput(opts.scratch, evidence, fast, positions);
  let sharePairs = 0;
  // the walk's own ids of the range's bounds (the same ids when they are not renumbered)
  const range = opts.accountRange;
  const xFrom = range === undefined ? 0 : walkId(range[0], ids);
  const xTo = range === undefined ? accounts : Math.min(accounts, walkId(range[1], ids));

  for (let x = xFrom; x < xTo; x++) {
    const from = accStart[x]!;
    const to = accStart[x + 1]!;
    if (from === to) continue;
    let nt = 0;
    for (let k = from; k < to; k++) {
      const p = accPos[k]!;
      const g = accRun[k]!;
      const first = accLo[k]!;
      const last = accHi[k]!;
      const t = tsS[p]!;
      const sp = shareS === undefined ? 0 : shareS[p]!;
      const reqP = required === undefined || required[p] !== 0;
      for (let q = first; q <= last; q++) {
        const y = accS[q]!;
        if (y <= x) continue;
        if (shareS !== undefined && shareS[q] === sp) continue;
        if (!reqP && required![q] === 0) continue;
        sharePairs++;
        if (paired !== undefined) {
          paired[p] = 1;
          paired[q] = 1;
        }
        const at = y * SLOT;
        const c = slots[at]!;
        if (c === 0) {
          touched[nt++] = y;
          slots[at] = 1;
          slots[at + 1] = 1;
          slots[at + 2] = g;
          if (evidence || fast) {
            const gap = q < p ? t - tsS[q]! : tsS[q]! - t;
            gaps[at + 3] = gap;
            slots[at + 4] = p;
            slots[at + 5] = q;
            const near = fast && gap <= fastMs;
            slots[at + 6] = near ? 1 : 0;
            slots[at + 7] = near ? g : -1;
          }
          continue;
        }
        slots[at] = c + 1;
        if (slots[at + 2] !== g) {
          slots[at + 2] = g;
          slots[at + 1]!++;
        }
        if (evidence || fast) {
          const span = q < p ? t - tsS[q]! : tsS[q]! - t;
          if (fast && span <= fastMs && slots[at + 7] !== g) {
            slots[at + 7] = g;
            slots[at + 6]!++;
          }
          const gap = Math.fround(span);
          const best = gaps[at + 3]!;
          // on equal gaps, the co-share first in (object, time) order, as a walk in that order meets them
          if (gap < best || (gap === best && earlier(p, q, slots[at + 4]!, slots[at + 5]!))) {
            gaps[at + 3] = gap;
            slots[at + 4] = p;
            slots[at + 5] = q;
          }
        }
      }
    }
    if (nt === 0) continue;
    if (opts.maxPairs !== undefined && out.n + nt > opts.maxPairs) return null;
    out.reserve(nt);
    let n = out.n;
    const { a: oa, b: ob, count: oc, objects: oo, posA, posB, fastObjects: of } = out;
    for (let k = 0; k < nt; k++, n++) {
      const y = touched[k]!;
      const at = y * SLOT;
      oa[n] = x;
      ob[n] = y;
      oc[n] = slots[at]!;
      oo[n] = slots[at + 1]!;
      if (posA !== undefined) {
        posA[n] = slots[at + 4]!;
        posB![n] = slots[at + 5]!;
      }
      if (of !== undefined) of[n] = slots[at + 6]!;
      slots[at] = 0;
    }
    out.n = n;
  }

  const n = out.n;
  if (ids !== undefined) {
    for (let k = 0; k < n; k++) {
      out.a[k] = ids[out.a[k]!]!;
      out.b[k] = ids[out.b[k]!]!;
    }
  }
  return {
    a: out.a.subarray(0, n),
    b: out.b.subarray(0, n),
    count: out.count.subarray(0, n),
    objects: out.objects.subarray(0, n),
    posA: out.posA?.subarray(0, n),
    posB: out.posB?.subarray(0, n),
    fastObjects: out.fastObjects?.subarray(0, n),
    sharePairs,
  };
}

/** The distinct account ids, ascending, when the largest is far above the number of shares; else undefined. */
function sparseIds(account: Int32Array): Int32Array | undefined {
  let max = -1;
  for (let p = 0; p < account.length; p++) if (account[p]! > max) max = account[p]!;
  if (max < 4 * account.length + 4096) return undefined;
  // sorted and made distinct in place (a Set stops at 2^24 entries)
  const ids = account.slice().sort();
  let n = 0;
  for (let i = 0; i < ids.length; i++) if (i === 0 || ids[i] !== ids[i - 1]) ids[n++] = ids[i]!;
  return ids.subarray(0, n);
}

/** The first of the walk's ids that is at least account `id`: its place among `ids`, or `id` itself. */
function walkId(id: number, ids: Int32Array | undefined): number {
  return ids === undefined ? Math.max(0, id) : lowerBound(ids, id);
}

/** Each account's place among `ids` (ascending, distinct), by binary search. */
function denseIds(account: Int32Array, ids: Int32Array): Int32Array {
  return account.map((a) => lowerBound(ids, a));
}

/** Each account's shares that have a partner in the window, with where their partners are. */
interface AccountShares {
  /** Accounts (one more than the largest id). */
  accounts: number;
  /** Account x's shares are entries accStart[x] to accStart[x + 1] - 1 of the columns below. */
  accStart: Int32Array;
  /** Sorted position of the share (ascending within an account). */
  pos: Int32Array;
  /** First and last position of its partners in the window and the cap (the share itself in between). */
  lo: Int32Array;
  hi: Int32Array;
  /** Its object's run. */
  run: Int32Array;
}

/**
 * One pass in object order finds, for every share, the first and last share of the same object within the window
 * and the cap (two pointers per run); the shares with at least one are then laid out account by account, with those
 * bounds and their run. The walk then reads each account's shares in a row, and for each share only the stretch of
 * its partners: nothing of the shares without a partner, which are most shares in most collections.
 */
function accountShares(s: SortedShares, windowMs: number, cap: number): AccountShares {
  const { account: accS, tsMs: tsS, runStart } = s;
  const positions = tsS.length;
  const runs = runStart.length - 1;
  let accounts = 0;
  for (let p = 0; p < positions; p++) if (accS[p]! >= accounts) accounts = accS[p]! + 1;
  const loOf = new Int32Array(positions);
  const hiOf = new Int32Array(positions);
  const accStart = new Int32Array(accounts + 1);
  let live = 0;
  for (let g = 0; g < runs; g++) {
    const start = runStart[g]!;
    const end = runStart[g + 1]!;
    if (end - start < 2) continue;
    let lo = start;
    let hi = start;
    for (let p = start; p < end; p++) {
      const t = tsS[p]!;
      while (lo < p && (p - lo > cap || t - tsS[lo]! > windowMs)) lo++;
      if (hi < p) hi = p;
      while (hi + 1 < end && hi + 1 - p <= cap && tsS[hi + 1]! - t <= windowMs) hi++;
      if (lo === p && hi === p) {
        loOf[p] = -1;
        continue;
      }
      loOf[p] = lo;
      hiOf[p] = hi;
      accStart[accS[p]! + 1]!++;
      live++;
    }
  }
  for (let x = 0; x < accounts; x++) accStart[x + 1]! += accStart[x]!;
  const pos = new Int32Array(live);
  const lo = new Int32Array(live);
  const hi = new Int32Array(live);
  const run = new Int32Array(live);
  const next = accStart.slice(0, accounts);
  for (let g = 0; g < runs; g++) {
    const start = runStart[g]!;
    const end = runStart[g + 1]!;
    if (end - start < 2) continue;
    for (let p = start; p < end; p++) {
      if (loOf[p]! < 0) continue;
      const k = next[accS[p]!]!++;
      pos[k] = p;
      lo[k] = loOf[p]!;
      hi[k] = hiOf[p]!;
      run[k] = g;
    }
  }
  return { accounts, accStart, pos, lo, hi, run };
}

/**
 * Whether the co-share at positions {p1, q1} comes before the one at {p2, q2} in object order: by the smaller
 * position, then the larger.
 */
function earlier(p1: number, q1: number, p2: number, q2: number): boolean {
  const lo1 = p1 < q1 ? p1 : q1;
  const lo2 = p2 < q2 ? p2 : q2;
  if (lo1 !== lo2) return lo1 < lo2;
  return (p1 < q1 ? q1 : p1) < (p2 < q2 ? q2 : p2);
}

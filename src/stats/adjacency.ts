/**
 * Each node's partners in a list of pairs, as one run of an array per node (compressed sparse rows): for millions
 * of ties, no set or array per node, and no sort of the pairs.
 */

export interface Adjacency {
  /** Node n's partners are `partner[start[n]]` up to (not including) `partner[start[n + 1]]`. */
  start: Int32Array;
  /** Each pair's nodes appear in each other's runs, in the order of the pairs (a pair listed twice, twice). */
  partner: Int32Array;
}

/** The adjacency of the first `count` pairs (a[i], b[i]) among nodes 0 .. nodes - 1. */
export function adjacency(a: Int32Array, b: Int32Array, count: number, nodes: number): Adjacency {
  const start = runStarts(a, b, count, nodes);
  const partner = new Int32Array(2 * count);
  const cursor = start.slice(0, nodes);
  for (let i = 0; i < count; i++) {
    partner[cursor[a[i]!]!++] = b[i]!;
    partner[cursor[b[i]!]!++] = a[i]!;
  }
  return { start, partner };
}

/**
 * Each node's entries in a list of pairs, as `adjacency` lays out partners, with beside each partner its pair's
 * index and the pair's value (as a 32-bit float): entry j of the runs is `entries[3j]` (partner), `entries[3j + 1]`
 * (pair) and `values32[3j + 2]` (value), a view of the same memory. Interleaved, placing an entry writes one place
 * in memory rather than one in each of three arrays (in a profile of bench/account-findings.ts, 20M pairs: 2.5 s
 * against 3.9 s).
 */
export interface PairEntries {
  start: Int32Array;
  entries: Int32Array;
  values32: Float32Array;
}

/** The entries of the first `count` pairs (a[i], b[i]) among nodes 0 .. nodes - 1, with `values[i]` beside. */
export function pairEntries(
  a: Int32Array,
  b: Int32Array,
  values: Float64Array,
  count: number,
  nodes: number,
): PairEntries {
  const start = runStarts(a, b, count, nodes);
  const entries = new Int32Array(3 * 2 * count);
  const values32 = new Float32Array(entries.buffer);
  const cursor = start.slice(0, nodes);
  for (let i = 0; i < count; i++) {
    const v = values[i]!;
    let x = 3 * cursor[a[i]!]!++;
    entries[x] = b[i]!;
    entries[x + 1] = i;
    values32[x + 2] = v;
    x = 3 * cursor[b[i]!]!++;
    entries[x] = a[i]!;
    entries[x + 1] = i;
    values32[x + 2] = v;
  }
  return { start, entries, values32 };
}

/** Where each node's run begins: node n's entries are at start[n] up to (not including) start[n + 1]. */
function runStarts(a: Int32Array, b: Int32Array, count: number, nodes: number): Int32Array {
  const start = new Int32Array(nodes + 1);
  for (let i = 0; i < count; i++) {
    start[a[i]! + 1]!++;
    start[b[i]! + 1]!++;
  }
  for (let n = 0; n < nodes; n++) start[n + 1]! += start[n]!;
  return start;
}

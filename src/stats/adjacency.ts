/**
 * Each node's partners in a list of pairs, as one run of an array per node (compressed sparse rows): for millions
 * of ties, no set or array per node, and no sort of the pairs.
 */

export interface Adjacency {
  /** Node n's partners are `partner[start[n]]` up to (not including) `partner[start[n + 1]]`. */
  start: Int32Array;
  /** Each pair's nodes appear in each other's runs, in the order of the pairs (a pair listed twice, twice). */
  partner: Int32Array;
  /** With `pairs`: beside each partner, the index of its pair. */
  pair?: Int32Array;
  /** With `values`: beside each partner, its pair's value (as a 32-bit float). */
  value?: Float32Array;
}

/**
 * The adjacency of the first `count` pairs (a[i], b[i]) among nodes 0 .. nodes - 1; with `pairs`, each entry's pair
 * index too, and with `values` (one per pair) each entry's pair's value, placed in the same pass over the pairs.
 */
export function adjacency(
  a: Int32Array,
  b: Int32Array,
  count: number,
  nodes: number,
  pairs = false,
  values?: Float64Array,
): Adjacency {
  const start = new Int32Array(nodes + 1);
  for (let i = 0; i < count; i++) {
    start[a[i]! + 1]!++;
    start[b[i]! + 1]!++;
  }
  for (let n = 0; n < nodes; n++) start[n + 1]! += start[n]!;
  const partner = new Int32Array(2 * count);
  const cursor = start.slice(0, nodes);
  if (!pairs && !values) {
    for (let i = 0; i < count; i++) {
      partner[cursor[a[i]!]!++] = b[i]!;
      partner[cursor[b[i]!]!++] = a[i]!;
    }
    return { start, partner };
  }
  const pair = new Int32Array(2 * count);
  const value = values ? new Float32Array(2 * count) : undefined;
  for (let i = 0; i < count; i++) {
    const x = cursor[a[i]!]!++;
    partner[x] = b[i]!;
    pair[x] = i;
    const y = cursor[b[i]!]!++;
    partner[y] = a[i]!;
    pair[y] = i;
    if (value) value[x] = value[y] = values![i]!;
  }
  return value ? { start, partner, pair, value } : { start, partner, pair };
}

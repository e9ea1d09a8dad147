/**
 * Benchmark: the campaign step's account graph (buildAccountGraph) from tie tables the size of a 10M-post analysis
 * (about 60M ties of 15M pairs among 66k accounts, each pair tied on one to seven layers), against the way it was
 * built before: each tie's pair found in a hash table of pairs (src/stats/pair-table.ts), then the pairs sorted.
 * Both run in this process on the same tables; the benchmark checks that they give the same graph (nodes, pairs,
 * weights and each pair's ties, in order) and prints the ratio of their times and the peak RSS.
 *
 *   npx tsx bench/account-graph.ts                      # 15M pairs, 66k accounts
 *   npx tsx bench/account-graph.ts --pairs 1000000 --accounts 20000
 *
 * The ties are listed layer by layer and, within a layer, in an order unrelated to their accounts, as co-share
 * lists them; accounts are drawn with a heavy tail (a few take part in many pairs); one tie in fifty is at chance
 * level and binds nothing.
 */
import { parseArgs } from "node:util";
import { buildAccountGraph, type AccountGraph } from "../src/campaign/cluster.js";
import type { TieTable } from "../src/model/index.js";
import { PairTable } from "../src/stats/pair-table.js";
import { seededRng } from "../src/detectors/detector.js";

const { values } = parseArgs({
  options: {
    pairs: { type: "string", default: "15000000" },
    accounts: { type: "string", default: "66000" },
    seed: { type: "string", default: "7" },
  },
});
const PAIRS = Number(values.pairs);
const ACCOUNTS = Number(values.accounts);
const LAYERS = ["url", "domain", "hashtag", "mention", "repost", "reply", "text"];

const secs = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const table = makeTable(seededRng(Number(values.seed)));
console.log(
  `${table.tier.length.toLocaleString("en-US")} ties of ${PAIRS.toLocaleString("en-US")} pairs among ` +
    `${ACCOUNTS.toLocaleString("en-US")} accounts`,
);
const t0 = performance.now();
const sorted = buildAccountGraph([table]);
const t1 = performance.now();
const hashed = hashTableGraph([table]);
const t2 = performance.now();
if (!sameGraph(sorted, hashed)) throw new Error("the two graphs differ");
console.log(`ties sorted by pair      ${secs(t1 - t0)}  (${sorted.a.length.toLocaleString("en-US")} pairs)`);
console.log(`hash table of pairs      ${secs(t2 - t1)}`);
console.log(`ratio                    ${((t1 - t0) / (t2 - t1)).toFixed(2)}x the time; the same graph`);
console.log(`peak RSS                 ${(process.resourceUsage().maxRSS / 1024 / 1024).toFixed(2)} GiB`);

function makeTable(rng: () => number): TieTable {
  const cap = PAIRS * 7;
  const a = new Int32Array(cap);
  const b = new Int32Array(cap);
  const layer = new Uint8Array(cap);
  let n = 0;
  for (let p = 0; p < PAIRS; p++) {
    const x = Math.floor(ACCOUNTS * rng() * rng());
    let y = Math.floor(ACCOUNTS * rng());
    if (y === x) y = (y + 1) % ACCOUNTS;
    const on = 1 + Math.floor(rng() * 6.99);
    const first = Math.floor(rng() * 7);
    for (let j = 0; j < on; j++) {
      a[n] = x;
      b[n] = y;
      layer[n++] = (first + j) % 7;
    }
  }
  // layer by layer, and within a layer by a hash of the pair
  const key = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    key[i] = layer[i]! * 2 ** 32 + (Math.imul(a[i]! ^ Math.imul(b[i]!, 0x9e3779b1), 0x85ebca6b) >>> 0);
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => key[i]! - key[j]!);
  const t: TieTable = {
    layers: LAYERS,
    keys: Array.from({ length: ACCOUNTS }, (_, i) => `twitter:u${(i * 7919) % 1000003}`),
    layer: new Uint8Array(n),
    a: new Int32Array(n),
    b: new Int32Array(n),
    weight: new Float64Array(n),
    pValue: new Float64Array(n),
    tier: new Uint8Array(n),
    fast: new Uint8Array(n),
    edge: () => {
      throw new Error("not used");
    },
  };
  order.forEach((o, i) => {
    t.layer[i] = layer[o]!;
    t.a[i] = a[o]!;
    t.b[i] = b[o]!;
    t.weight[i] = 1 + (o % 5);
    t.tier[i] = o % 50 === 0 ? 2 : 0;
  });
  return t;
}

/**
 * The graph as it was built before (the code as it was): pairs numbered in a hash table as their first tie arrives,
 * then sorted by their two nodes.
 */
function hashTableGraph(tables: readonly TieTable[]): AccountGraph {
  if (tables.length > 256) throw new RangeError("account graph: more than 256 tie tables");
  const nodeOf = new Map<string, number>();
  const nodeKeys: string[] = [];
  // a tie binds when it is significant or a candidate, between two different accounts
  const binds = (t: TieTable, i: number): boolean => t.tier[i]! <= 1 && t.a[i] !== t.b[i];
  let eligible = 0;
  for (const t of tables) for (let i = 0; i < t.tier.length; i++) if (binds(t, i)) eligible++;
  // each eligible tie's pair, and the pairs' first orientation and summed weight
  const tiePair = new Int32Array(eligible);
  const pairIds = new PairTable(Math.min(eligible, 1 << 20), { extraFields: 1 });
  const pairA: number[] = [];
  const pairB: number[] = [];
  const pairWeight: number[] = [];
  let k = 0;
  for (const t of tables) {
    const local = new Int32Array(t.keys.length).fill(-1);
    const node = (id: number): number => {
      let n = local[id]!;
      if (n < 0) {
        const key = t.keys[id]!;
        n = nodeOf.get(key) ?? -1;
        if (n < 0) {
          n = nodeKeys.push(key) - 1;
          nodeOf.set(key, n);
        }
        local[id] = n;
      }
      return n;
    };
    for (let i = 0; i < t.tier.length; i++) {
      if (!binds(t, i)) continue;
      const a = node(t.a[i]!);
      const b = node(t.b[i]!);
      const slot = pairIds.add(a, b);
      const at = slot * pairIds.stride + pairIds.extraOffset;
      let p: number;
      if (pairIds.inserted) {
        p = pairA.push(a) - 1;
        pairB.push(b);
        pairWeight.push(t.weight[i]!);
        pairIds.records[at] = p;
      } else {
        p = pairIds.records[at]!;
        pairWeight[p]! += t.weight[i]!;
      }
      tiePair[k++] = p;
    }
  }
  const pairCount = pairA.length;
  // Canonical order: nodes by key, pairs by their two nodes (the lesser first). Louvain's outcome depends on the
  // order it meets nodes and edges in, and the order of first appearance is an accident of how detectors list
  // their ties (at 10M posts a faster co-share kernel listing the same ties in another order changed a campaign).
  const byKey = Array.from(nodeKeys.keys()).sort((x, y) =>
    nodeKeys[x]! < nodeKeys[y]! ? -1 : nodeKeys[x]! > nodeKeys[y]! ? 1 : 0,
  );
  const rank = new Int32Array(nodeKeys.length);
  byKey.forEach((old, r) => (rank[old] = r));
  const lo = new Int32Array(pairCount);
  const hi = new Int32Array(pairCount);
  for (let p = 0; p < pairCount; p++) {
    const x = rank[pairA[p]!]!;
    const y = rank[pairB[p]!]!;
    lo[p] = x < y ? x : y;
    hi[p] = x < y ? y : x;
  }
  const { order: sorted, a: sortedA, b: sortedB } = pairOrder(lo, hi, nodeKeys.length);
  // each pair's ties, counted under its first-appearance number and placed under its sorted one (plain loops over
  // typed arrays: TypedArray.from and forEach with a callback took seconds a million pairs)
  const tiesOf = new Int32Array(pairCount);
  for (let j = 0; j < eligible; j++) tiesOf[tiePair[j]!]!++;
  const start = new Int32Array(pairCount + 1);
  const sortedWeight = new Float64Array(pairCount);
  // `fill` by first-appearance number: where the pair's next tie goes
  const fill = new Int32Array(pairCount);
  for (let q = 0; q < pairCount; q++) {
    const old = sorted[q]!;
    fill[old] = start[q]!;
    start[q + 1] = start[q]! + tiesOf[old]!;
    sortedWeight[q] = pairWeight[old]!;
  }
  const table = new Uint8Array(eligible);
  const index = new Int32Array(eligible);
  k = 0;
  tables.forEach((t, ti) => {
    for (let i = 0; i < t.tier.length; i++) {
      if (!binds(t, i)) continue;
      const pos = fill[tiePair[k++]!]!++;
      table[pos] = ti;
      index[pos] = i;
    }
  });
  return {
    nodes: byKey.map((old) => nodeKeys[old]!),
    a: sortedA,
    b: sortedB,
    weight: sortedWeight,
    pairs: { start, table, index },
    tables,
  };
}

/**
 * The pairs (lo[p], hi[p]), all distinct, in order of lo and then hi (`order`, with each one's two nodes in `a` and
 * `b`): a counting sort by lo, then each lo's pairs sorted natively by hi (as hi * count + position, exact in a
 * double), which touched memory less than a second counting sort.
 */
function pairOrder(
  lo: Int32Array,
  hi: Int32Array,
  nodes: number,
): { order: Int32Array; a: Int32Array; b: Int32Array } {
  const n = lo.length;
  const start = new Int32Array(nodes + 1);
  for (let p = 0; p < n; p++) start[lo[p]! + 1]!++;
  let largest = 0;
  for (let v = 0; v < nodes; v++) {
    largest = Math.max(largest, start[v + 1]!);
    start[v + 1]! += start[v]!;
  }
  const order = new Int32Array(n);
  const fill = start.slice(0, nodes);
  for (let p = 0; p < n; p++) order[fill[lo[p]!]!++] = p;
  const a = new Int32Array(n);
  const b = new Int32Array(n);
  const keys = new Float64Array(largest);
  const items = new Int32Array(largest);
  for (let v = 0; v < nodes; v++) {
    const from = start[v]!;
    const count = start[v + 1]! - from;
    for (let j = 0; j < count; j++) {
      items[j] = order[from + j]!;
      keys[j] = hi[items[j]!]! * count + j;
    }
    const sortedKeys = keys.subarray(0, count).sort();
    for (let j = 0; j < count; j++) {
      const key = sortedKeys[j]!;
      order[from + j] = items[key % count]!;
      a[from + j] = v;
      b[from + j] = Math.floor(key / count);
    }
  }
  return { order, a, b };
}

function sameGraph(x: AccountGraph, y: AccountGraph): boolean {
  const same = (u: ArrayLike<number>, v: ArrayLike<number>): boolean => {
    if (u.length !== v.length) return false;
    for (let i = 0; i < u.length; i++) if (u[i] !== v[i]) return false;
    return true;
  };
  return (
    x.nodes.length === y.nodes.length &&
    x.nodes.every((k, i) => k === y.nodes[i]) &&
    same(x.a, y.a) &&
    same(x.b, y.b) &&
    same(x.weight, y.weight) &&
    same(x.pairs.start, y.pairs.start) &&
    same(x.pairs.table, y.pairs.table) &&
    same(x.pairs.index, y.pairs.index)
  );
}

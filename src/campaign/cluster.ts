/**
 * The multiplex account graph and its communities. Significant and candidate ties of every layer and detector
 * (candidate: unlikely by chance for the pair, not yet after multiple-testing control) are merged into
 * one undirected graph (weights summed, the pair's ties remembered); seeded Louvain (Blondel et al. 2008,
 * graphology's implementation) splits it into communities; graphs too small for modularity to mean much fall back
 * to connected components.
 *
 * Ties arrive as columns (`TieTable`): at millions of ties, one object per tie cost more than the clustering. The
 * graph is columns, one pair of accounts per entry; the pair's ties are listed once, in `PairTies`, in input order.
 */
import graphologyDefault from "graphology";
import louvainDefault from "graphology-communities-louvain";
import { connectedComponents } from "graphology-components";
import type { Edge, TieTable } from "../model/index.js";
import { PairTable } from "../stats/pair-table.js";

// graphology ships CommonJS with hand-written types: take the constructors off the default export.
const UndirectedGraph = (
  graphologyDefault as unknown as { UndirectedGraph: typeof import("graphology").UndirectedGraph }
).UndirectedGraph;
const louvain = louvainDefault as unknown as {
  (graph: unknown, options?: Record<string, unknown>): Record<string, number>;
};

/**
 * The ties behind each pair, in input order (tables in order, ties in table order): those of pair p are at
 * positions `start[p]` to `start[p + 1] - 1`, each tie being `index[pos]` of table `table[pos]`.
 */
export interface PairTies {
  start: Int32Array;
  table: Uint8Array;
  index: Int32Array;
}

/**
 * The account graph as columns: node n is account `nodes[n]` (nodes sorted by key); pair p joins nodes `a[p]` <
 * `b[p]` (pairs sorted by a, then b) with `weight[p]`, the sum of its ties' weights, and its ties are listed in
 * `pairs`.
 */
export interface AccountGraph {
  nodes: string[];
  a: Int32Array;
  b: Int32Array;
  weight: Float64Array;
  pairs: PairTies;
  tables: readonly TieTable[];
}

/** Edge objects as a tie table (for detectors that hold a few of them); `edge(i)` gives back `edges[i]` itself. */
export function tieTableOf(edges: readonly Edge[]): TieTable {
  const n = edges.length;
  const layers: string[] = [];
  const layerIndex = new Map<string, number>();
  const keys: string[] = [];
  const keyIndex = new Map<string, number>();
  const id = (key: string): number => {
    let i = keyIndex.get(key);
    if (i === undefined) {
      i = keys.push(key) - 1;
      keyIndex.set(key, i);
    }
    return i;
  };
  const t: TieTable = {
    layers,
    keys,
    layer: new Uint8Array(n),
    a: new Int32Array(n),
    b: new Int32Array(n),
    weight: new Float64Array(n),
    pValue: new Float64Array(n),
    tier: new Uint8Array(n),
    fast: new Uint8Array(n),
    edge: (i) => edges[i]!,
  };
  edges.forEach((e, i) => {
    const name = String(e.layer);
    let li = layerIndex.get(name);
    if (li === undefined) {
      li = layers.push(name) - 1;
      if (li > 255) throw new RangeError("tie table: more than 256 layers");
      layerIndex.set(name, li);
    }
    t.layer[i] = li;
    t.a[i] = id(e.a);
    t.b[i] = id(e.b);
    t.weight[i] = e.weight;
    t.pValue[i] = e.pValue ?? NaN;
    t.tier[i] = e.evidence["significant"] ? 0 : e.evidence["tier"] === "candidate" ? 1 : 2;
    t.fast[i] = e.evidence["fast_core"] ? 1 : 0;
  });
  return t;
}

/**
 * One graph from the significant and candidate ties of `tables`: nodes are account keys (sorted), one edge per pair
 * of accounts (sorted by their nodes), whatever order the tables list their ties in.
 */
export function buildAccountGraph(tables: readonly TieTable[]): AccountGraph {
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

/** The ties of pair `p` as (table, index), in input order. */
export function tiesOfPair(g: AccountGraph, p: number): Array<{ table: number; index: number }> {
  const out: Array<{ table: number; index: number }> = [];
  for (let pos = g.pairs.start[p]!; pos < g.pairs.start[p + 1]!; pos++) {
    out.push({ table: g.pairs.table[pos]!, index: g.pairs.index[pos]! });
  }
  return out;
}

/** Community of each node: seeded Louvain, or connected components for graphs under `minLouvainNodes`. */
export function communities(
  account: AccountGraph,
  rng: () => number,
  minLouvainNodes = 8,
): Map<string, number> {
  const out = new Map<string, number>();
  const { nodes } = account;
  if (nodes.length === 0) return out;
  if (nodes.length < minLouvainNodes || account.a.length === 0) {
    // components numbered in the order of their first node (sorted by key)
    const g = new UndirectedGraph();
    for (const n of nodes) g.addNode(n);
    for (let p = 0; p < account.a.length; p++) g.mergeEdge(nodes[account.a[p]!]!, nodes[account.b[p]!]!);
    const componentOf = new Map<string, number>();
    connectedComponents(g).forEach((members, c) => members.forEach((n) => componentOf.set(n, c)));
    const number = new Map<number, number>();
    for (const n of [...nodes].sort()) {
      const c = componentOf.get(n)!;
      if (!number.has(c)) number.set(c, number.size);
      out.set(n, number.get(c)!);
    }
    return out;
  }
  const mapping = louvain(new LouvainView(account), {
    getEdgeWeight: (p: number) => account.weight[p]!,
    rng,
    resolution: 1,
  });
  for (const n of [...nodes].sort()) out.set(n, mapping[n]!);
  return out;
}

/**
 * The account graph as graphology-communities-louvain reads it. The library takes a graphology instance but reads
 * only its size, its nodes with their degrees and its edges with their weights, in insertion order (graphology-
 * indices' UndirectedLouvainIndex, which it then works on). A graphology graph of millions of pairs (an object, a
 * key and two adjacency entries per pair) took 15 times as long to build as Louvain took to run on it (27 s against
 * 1.8 s at 2.6M pairs) and a gigabyte of heap, so Louvain gets this read-only view of the pair columns instead.
 * cluster.test.ts checks on random graphs that the communities are the ones of a graphology graph built from the
 * same pairs in the same order.
 */
class LouvainView {
  readonly type = "undirected";
  readonly multi = false;
  readonly selfLoopCount = 0;
  readonly order: number;
  readonly size: number;
  private readonly degree: Map<string, number>;
  private static readonly NO_ATTRIBUTES = Object.freeze({});

  constructor(private readonly g: AccountGraph) {
    this.order = g.nodes.length;
    this.size = g.a.length;
    const degree = new Int32Array(g.nodes.length);
    for (let p = 0; p < g.a.length; p++) {
      degree[g.a[p]!]!++;
      degree[g.b[p]!]!++;
    }
    this.degree = new Map(g.nodes.map((n, i) => [n, degree[i]!]));
  }

  forEachNode(callback: (node: string, attributes: object) => void): void {
    for (const n of this.g.nodes) callback(n, LouvainView.NO_ATTRIBUTES);
  }

  undirectedDegreeWithoutSelfLoops(node: string): number {
    return this.degree.get(node) ?? 0;
  }

  /** Edges in pair order; an edge's key is its pair number. */
  forEachEdge(
    callback: (
      edge: number,
      attributes: object,
      source: string,
      target: string,
      sourceAttributes: object,
      targetAttributes: object,
      undirected: boolean,
    ) => void,
  ): void {
    const { nodes, a, b } = this.g;
    const none = LouvainView.NO_ATTRIBUTES;
    for (let p = 0; p < a.length; p++) callback(p, none, nodes[a[p]!]!, nodes[b[p]!]!, none, none, true);
  }

  // graphology's instance test (graphology-utils/is-graph) looks for these; the view is never written to
  addUndirectedEdgeWithKey(): never {
    throw new Error("the account graph's Louvain view is read-only");
  }

  dropNode(): never {
    throw new Error("the account graph's Louvain view is read-only");
  }

  setNodeAttribute(): never {
    throw new Error("the account graph's Louvain view is read-only");
  }
}

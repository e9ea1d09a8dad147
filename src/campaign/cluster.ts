/**
 * The multiplex account graph and its communities. Significant and candidate ties of every layer and detector
 * (candidate: unlikely by chance for the pair, not yet after multiple-testing control) are merged into
 * one undirected graph (weights summed, the pair's ties remembered); seeded Louvain (Blondel et al. 2008,
 * graphology's implementation) splits it into communities; graphs too small for modularity to mean much fall back
 * to connected components.
 *
 * Ties arrive as columns (`TieTable`): at millions of ties, one object per tie cost more than the clustering. The
 * graph holds one edge per pair of accounts; the pair's ties are listed once, in `PairTies`, in input order.
 */
import graphologyDefault from "graphology";
import louvainDefault from "graphology-communities-louvain";
import type { Edge, TieTable } from "../model/index.js";
import { PairTable } from "../stats/pair-table.js";

// graphology ships CommonJS with hand-written types: take the constructors off the default export.
const UndirectedGraph = (
  graphologyDefault as unknown as { UndirectedGraph: typeof import("graphology").UndirectedGraph }
).UndirectedGraph;
const louvain = louvainDefault as unknown as {
  (graph: unknown, options?: Record<string, unknown>): Record<string, number>;
};

export interface TieAttributes {
  /** Sum of the pair's tie weights. */
  weight: number;
  /** The pair's number in `PairTies`. */
  pair: number;
}

export type Graph = InstanceType<typeof UndirectedGraph<Record<string, never>, TieAttributes>>;

/**
 * The ties behind each pair, in input order (tables in order, ties in table order): those of pair p are at
 * positions `start[p]` to `start[p + 1] - 1`, each tie being `index[pos]` of table `table[pos]`.
 */
export interface PairTies {
  start: Int32Array;
  table: Uint8Array;
  index: Int32Array;
}

export interface AccountGraph {
  graph: Graph;
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
 * One graph from the significant and candidate ties of `tables`: nodes are account keys (in order of first
 * appearance), one edge per pair of accounts (oriented as its first tie, in order of first appearance).
 */
export function buildAccountGraph(tables: readonly TieTable[]): AccountGraph {
  if (tables.length > 256) throw new RangeError("account graph: more than 256 tie tables");
  const g = new UndirectedGraph<Record<string, never>, TieAttributes>();
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
          g.addNode(key);
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
  const start = new Int32Array(pairCount + 1);
  for (let j = 0; j < eligible; j++) start[tiePair[j]! + 1]!++;
  for (let p = 0; p < pairCount; p++) start[p + 1]! += start[p]!;
  const fill = start.slice(0, pairCount);
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
  for (let p = 0; p < pairCount; p++) {
    g.addEdge(nodeKeys[pairA[p]!]!, nodeKeys[pairB[p]!]!, { weight: pairWeight[p]!, pair: p });
  }
  return { graph: g, pairs: { start, table, index }, tables };
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
  const g = account.graph;
  const out = new Map<string, number>();
  if (g.order === 0) return out;
  if (g.order < minLouvainNodes || g.size === 0) {
    let next = 0;
    for (const start of [...g.nodes()].sort()) {
      if (out.has(start)) continue;
      const stack = [start];
      out.set(start, next);
      while (stack.length > 0) {
        const n = stack.pop()!;
        for (const m of g.neighbors(n)) {
          if (!out.has(m)) {
            out.set(m, next);
            stack.push(m);
          }
        }
      }
      next++;
    }
    return out;
  }
  const mapping = louvain(g, { getEdgeWeight: "weight", rng, resolution: 1 });
  for (const n of [...g.nodes()].sort()) out.set(n, mapping[n]!);
  return out;
}

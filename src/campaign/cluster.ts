/**
 * The multiplex account graph and its communities. Significant and candidate ties of every layer and detector
 * (candidate: unlikely by chance for the pair, not yet after multiple-testing control) are merged into
 * one undirected graph (weights summed, the pair's ties remembered); seeded Louvain (Blondel et al. 2008,
 * graphology's implementation) splits it into communities, and each community is split again on its own ties
 * where that split has community structure (`communities`); graphs too small for modularity to mean much fall
 * back to connected components.
 *
 * Ties arrive as columns (`TieTable`): at millions of ties, one object per tie cost more than the clustering. The
 * graph is columns, one pair of accounts per entry; the pair's ties are listed once, in `PairTies`, in input order.
 */
import graphologyDefault from "graphology";
import louvainDefault from "graphology-communities-louvain";
import { connectedComponents } from "graphology-components";
import type { Edge, TieTable } from "../model/index.js";

// graphology ships CommonJS with hand-written types: take the constructors off the default export.
const UndirectedGraph = (
  graphologyDefault as unknown as { UndirectedGraph: typeof import("graphology").UndirectedGraph }
).UndirectedGraph;
const louvain = louvainDefault as unknown as {
  detailed(
    graph: unknown,
    options?: Record<string, unknown>,
  ): { communities: Record<string, number>; count: number; modularity: number };
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
 *
 * The ties are sorted by their pair (`sortByPair`), and each run of equal pairs becomes an edge: finding each tie's
 * pair in a hash table of pairs, a cache miss per tie, and then sorting the pairs took 1.5x as long (60M ties of 15M
 * pairs among 66k accounts, as at 10M posts: bench/account-graph.ts).
 */
export function buildAccountGraph(tables: readonly TieTable[]): AccountGraph {
  if (tables.length > 256) throw new RangeError("account graph: more than 256 tie tables");
  const nodeOf = new Map<string, number>();
  const nodeKeys: string[] = [];
  // a tie binds when it is significant or a candidate, between two different accounts
  const binds = (t: TieTable, i: number): boolean => t.tier[i]! <= 1 && t.a[i] !== t.b[i];
  let eligible = 0;
  for (const t of tables) for (let i = 0; i < t.tier.length; i++) if (binds(t, i)) eligible++;
  // each eligible tie's two nodes, in input order (nodes numbered by first appearance)
  const lo = new Int32Array(eligible);
  const hi = new Int32Array(eligible);
  let k = 0;
  tables.forEach((t) => {
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
      lo[k] = node(t.a[i]!);
      hi[k++] = node(t.b[i]!);
    }
  });
  // Canonical order: nodes by key, pairs by their two nodes (the lesser first). Louvain's outcome depends on the
  // order it meets nodes and edges in, and the order of first appearance is an accident of how detectors list
  // their ties (at 10M posts a faster co-share kernel listing the same ties in another order changed a campaign).
  const byKey = Array.from(nodeKeys.keys()).sort((x, y) =>
    nodeKeys[x]! < nodeKeys[y]! ? -1 : nodeKeys[x]! > nodeKeys[y]! ? 1 : 0,
  );
  const nodes = nodeKeys.length;
  const rank = new Int32Array(nodes);
  byKey.forEach((old, r) => (rank[old] = r));
  for (let j = 0; j < eligible; j++) {
    const x = rank[lo[j]!]!;
    const y = rank[hi[j]!]!;
    lo[j] = x < y ? x : y;
    hi[j] = x < y ? y : x;
  }

  // each eligible tie's table, index and weight, in input order
  const tieTable = new Uint8Array(eligible);
  const tieIndex = new Int32Array(eligible);
  const tieWeight = new Float64Array(eligible);
  k = 0;
  tables.forEach((t, ti) => {
    for (let i = 0; i < t.tier.length; i++) {
      if (!binds(t, i)) continue;
      tieTable[k] = ti;
      tieIndex[k] = i;
      tieWeight[k++] = t.weight[i]!;
    }
  });
  const {
    lo: sLo,
    hi: sHi,
    table,
    index,
    weight: tieW,
  } = sortByPair({ lo, hi, table: tieTable, index: tieIndex, weight: tieWeight }, nodes);

  // each run of ties with the same pair is one edge; its ties stay in input order
  let pairCount = 0;
  for (let q = 0; q < eligible; q++)
    if (q === 0 || sLo[q] !== sLo[q - 1] || sHi[q] !== sHi[q - 1]) pairCount++;
  const a = new Int32Array(pairCount);
  const b = new Int32Array(pairCount);
  const weight = new Float64Array(pairCount);
  const start = new Int32Array(pairCount + 1);
  let p = -1;
  for (let q = 0; q < eligible; q++) {
    if (q === 0 || sLo[q] !== sLo[q - 1] || sHi[q] !== sHi[q - 1]) {
      p++;
      a[p] = sLo[q]!;
      b[p] = sHi[q]!;
      start[p] = q;
    }
    weight[p]! += tieW[q]!;
  }
  start[pairCount] = eligible;
  return {
    nodes: byKey.map((old) => nodeKeys[old]!),
    a,
    b,
    weight,
    pairs: { start, table, index },
    tables,
  };
}

/** Ties as columns: their two nodes (lo < hi), and their table, index and weight. */
interface TieFields {
  lo: Int32Array;
  hi: Int32Array;
  table: Uint8Array;
  index: Int32Array;
  weight: Float64Array;
}

/**
 * The ties sorted by pair (lo, then hi), stably: an LSD radix sort that moves each tie's fields with it (read back
 * through a permutation, each field of each tie was a cache miss), its digits small enough that the writes of a
 * pass go to a few hundred places at a time. The arrays given are reused as the second buffer.
 */
function sortByPair(ties: TieFields, nodes: number): TieFields {
  const n = ties.lo.length;
  let s = ties;
  let d: TieFields = {
    lo: new Int32Array(n),
    hi: new Int32Array(n),
    table: new Uint8Array(n),
    index: new Int32Array(n),
    weight: new Float64Array(n),
  };
  const bits = Math.max(1, Math.ceil(Math.log2(nodes)));
  const digit = Math.ceil(bits / Math.ceil(bits / 10));
  const mask = (1 << digit) - 1;
  const count = new Int32Array(mask + 2);
  for (const part of ["hi", "lo"] as const) {
    for (let shift = 0; shift < bits; shift += digit) {
      const keys = s[part];
      count.fill(0);
      for (let j = 0; j < n; j++) count[((keys[j]! >>> shift) & mask) + 1]!++;
      if (count.some((c) => c === n)) continue; // one digit everywhere: the order stands
      for (let v = 0; v <= mask; v++) count[v + 1]! += count[v]!;
      const { lo, hi, table, index, weight } = s;
      const to = d;
      for (let j = 0; j < n; j++) {
        const at = count[(keys[j]! >>> shift) & mask]!++;
        to.lo[at] = lo[j]!;
        to.hi[at] = hi[j]!;
        to.table[at] = table[j]!;
        to.index[at] = index[j]!;
        to.weight[at] = weight[j]!;
      }
      [s, d] = [d, s];
    }
  }
  return s;
}

/** The ties of pair `p` as (table, index), in input order. */
export function tiesOfPair(g: AccountGraph, p: number): Array<{ table: number; index: number }> {
  const out: Array<{ table: number; index: number }> = [];
  for (let pos = g.pairs.start[p]!; pos < g.pairs.start[p + 1]!; pos++) {
    out.push({ table: g.pairs.table[pos]!, index: g.pairs.index[pos]! });
  }
  return out;
}

/**
 * Modularity at which a community's own split counts as structure (Newman & Girvan 2004: "values above about 0.3
 * appear to indicate significant community structure").
 */
export const MIN_SPLIT_MODULARITY = 0.3;
/** Times a community is split again at most (each time inside the parts of the last split). */
const MAX_SPLIT_DEPTH = 6;

/** The nodes, pairs and weights that Louvain reads: the account graph or one community of it. */
export type LouvainGraph = Pick<AccountGraph, "nodes" | "a" | "b" | "weight">;

/**
 * Community of each node: seeded Louvain, each community then split again by Louvain on its own ties while the
 * split has a modularity of at least `MIN_SPLIT_MODULARITY` inside it; connected components for graphs under
 * `minLouvainNodes`.
 *
 * The second look is for modularity's resolution limit (Fortunato & Barthelemy 2007): in a graph of millions of
 * ties, a group with a few thousand ties costs nothing to merge with whatever one or two ties reach it, as
 * modularity weighs a merge against the whole graph's weight. At 10M posts three planted units and 1,527
 * organic accounts (chains of one or two chance-level hashtag ties each) came out as one community of 1,663
 * accounts, which the group tests, reading its units' bursts, passed. On its own ties the community splits
 * (the units are cliques a few ties apart), and a clique never does.
 */
export function communities(
  account: LouvainGraph,
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
  const found = new Map<string, number>();
  let next = 0;
  const place = (g: LouvainGraph, depth: number): void => {
    const split = louvainOnce(g, rng);
    const parts = depth === 0 || (split.count > 1 && split.modularity >= MIN_SPLIT_MODULARITY);
    if (!parts) {
      const id = next++;
      for (const n of g.nodes) found.set(n, id);
      return;
    }
    for (const part of partsOf(g, split.communities)) {
      if (depth < MAX_SPLIT_DEPTH && part.nodes.length >= minLouvainNodes && part.a.length > 0) {
        place(part, depth + 1);
      } else {
        const id = next++;
        for (const n of part.nodes) found.set(n, id);
      }
    }
  };
  place(account, 0);
  for (const n of [...nodes].sort()) out.set(n, found.get(n)!);
  return out;
}

/** One run of seeded Louvain on a graph (the library's communities, their count and the modularity). */
export function louvainOnce(
  g: LouvainGraph,
  rng: () => number,
): { communities: Record<string, number>; count: number; modularity: number } {
  return louvain.detailed(new LouvainView(g), {
    getEdgeWeight: (p: number) => g.weight[p]!,
    rng,
    resolution: 1,
  });
}

/**
 * The communities of a Louvain mapping as graphs of their own: nodes in the graph's order, the pairs inside each
 * in pair order, renumbered; communities in the order of their first node.
 */
function partsOf(g: LouvainGraph, mapping: Record<string, number>): LouvainGraph[] {
  const partOf = new Int32Array(g.nodes.length);
  const localOf = new Int32Array(g.nodes.length);
  const partNumber = new Map<number, number>();
  const members: string[][] = [];
  g.nodes.forEach((n, i) => {
    const c = mapping[n]!;
    let part = partNumber.get(c);
    if (part === undefined) {
      partNumber.set(c, (part = members.length));
      members.push([]);
    }
    partOf[i] = part;
    localOf[i] = members[part]!.push(n) - 1;
  });
  const count = new Int32Array(members.length);
  for (let p = 0; p < g.a.length; p++) {
    const part = partOf[g.a[p]!]!;
    if (part === partOf[g.b[p]!]) count[part]!++;
  }
  const parts = members.map((nodes, part) => ({
    nodes,
    a: new Int32Array(count[part]!),
    b: new Int32Array(count[part]!),
    weight: new Float64Array(count[part]!),
  }));
  const fill = new Int32Array(members.length);
  for (let p = 0; p < g.a.length; p++) {
    const part = partOf[g.a[p]!]!;
    if (part !== partOf[g.b[p]!]) continue;
    const to = parts[part]!;
    const at = fill[part]!++;
    to.a[at] = localOf[g.a[p]!]!;
    to.b[at] = localOf[g.b[p]!]!;
    to.weight[at] = g.weight[p]!;
  }
  return parts;
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

  constructor(private readonly g: LouvainGraph) {
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

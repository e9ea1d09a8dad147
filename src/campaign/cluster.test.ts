import graphologyDefault from "graphology";
import louvainDefault from "graphology-communities-louvain";
import { describe, expect, it } from "vitest";
import { seededRng } from "../detectors/detector.js";
import type { Edge, TieTable } from "../model/index.js";
import {
  buildAccountGraph,
  communities,
  louvainOnce,
  tieTableOf,
  tiesOfPair,
  type AccountGraph,
} from "./cluster.js";

const UndirectedGraph = (
  graphologyDefault as unknown as { UndirectedGraph: typeof import("graphology").UndirectedGraph }
).UndirectedGraph;
const louvain = louvainDefault as unknown as (graph: unknown, options: object) => Record<string, number>;

function edge(a: string, b: string, weight: number, layer = "url", tier = "significant"): Edge {
  return {
    layer,
    a,
    b,
    weight,
    nObjects: weight,
    lift: 10,
    pValue: 1e-6,
    evidence: { significant: tier === "significant", tier },
  };
}

/** Cliques of `size` named `<prefix><i>`, internal weight `w`. */
function cliques(prefixes: string[], size: number, w: number): Edge[] {
  const out: Edge[] = [];
  for (const p of prefixes) {
    for (let i = 1; i <= size; i++)
      for (let j = i + 1; j <= size; j++) out.push(edge(`${p}${i}`, `${p}${j}`, w));
  }
  return out;
}

/** Community -> sorted members, as a set of groups independent of the community numbers. */
function groups(m: Map<string, number>): string[][] {
  const by = new Map<number, string[]>();
  for (const [n, c] of m) by.set(c, [...(by.get(c) ?? []), n]);
  return [...by.values()].map((g) => g.sort()).sort((x, y) => (x[0]! < y[0]! ? -1 : 1));
}

/** The pair of accounts x and y (either orientation) as [pair number, its source, its weight], or null. */
function pairOf(g: AccountGraph, x: string, y: string): { p: number; source: string; weight: number } | null {
  for (let p = 0; p < g.a.length; p++) {
    const s = g.nodes[g.a[p]!]!;
    const t = g.nodes[g.b[p]!]!;
    if ((s === x && t === y) || (s === y && t === x)) return { p, source: s, weight: g.weight[p]! };
  }
  return null;
}

/** The graph of edge objects (one tie table). */
function graphOf(edges: Edge[]): AccountGraph {
  return buildAccountGraph([tieTableOf(edges)]);
}

describe("buildAccountGraph", () => {
  it("merges the layers of a pair into one tie, summing weights and remembering its ties in order", () => {
    const edges = [
      edge("x", "y", 3, "url"),
      edge("y", "x", 2, "domain"),
      edge("x", "y", 4, "url"),
      edge("y", "z", 5, "repost", "candidate"),
    ];
    const account = graphOf(edges);
    expect(account.a.length).toBe(2);
    const xy = pairOf(account, "x", "y")!;
    expect(xy.weight).toBe(9);
    expect(tiesOfPair(account, xy.p)).toEqual([0, 1, 2].map((index) => ({ table: 0, index })));
    const yz = pairOf(account, "z", "y")!;
    expect(yz.weight).toBe(5);
    expect(tiesOfPair(account, yz.p)).toEqual([{ table: 0, index: 3 }]);
    // nodes are sorted by key, and each pair runs from its lesser node
    expect(xy.source).toBe("x");
    expect(yz.source).toBe("y");
    expect(account.nodes).toEqual(["x", "y", "z"]);
  });

  it("builds the same graph and the same communities from the same ties listed in any order", () => {
    const rng = seededRng(41);
    const nodes = Array.from(
      { length: 60 },
      (_, i) => `p:${(i * 37) % 60}-${i % 3 === 0 ? "unit" : "crowd"}`,
    );
    const edges: Edge[] = [];
    for (let i = 0; i < nodes.length; i++) {
      for (let j = i + 1; j < nodes.length; j++) {
        const same = nodes[i]!.endsWith("unit") === nodes[j]!.endsWith("unit");
        if (rng() < (same ? 0.3 : 0.05)) {
          edges.push(edge(nodes[i]!, nodes[j]!, 1 + Math.floor(rng() * 5), rng() < 0.5 ? "url" : "hashtag"));
          if (rng() < 0.3) edges.push(edge(nodes[j]!, nodes[i]!, 2, "repost"));
        }
      }
    }
    const shuffled = [...edges];
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1));
      [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
    }
    const one = graphOf(edges);
    const other = graphOf(shuffled);
    expect(other.nodes).toEqual(one.nodes);
    expect(other.nodes).toEqual([...one.nodes].sort());
    expect(other.a).toEqual(one.a);
    expect(other.b).toEqual(one.b);
    expect(other.weight).toEqual(one.weight);
    for (let p = 0; p < one.a.length; p++) {
      expect(one.a[p]).toBeLessThan(one.b[p]!);
      // the same ties behind each pair, by the edges they came from
      const tiesIn = (g: AccountGraph, list: Edge[]) => tiesOfPair(g, p).map((t) => list[t.index]);
      expect(new Set(tiesIn(other, shuffled))).toEqual(new Set(tiesIn(one, edges)));
    }
    const m = communities(one, seededRng(7));
    expect(new Set(m.values()).size).toBeGreaterThan(1);
    expect(communities(other, seededRng(7))).toEqual(m);
  });

  it("uses significant and candidate ties, never the ones chance explains, nor a tie of an account with itself", () => {
    const edges = [
      edge("a", "b", 2),
      edge("b", "c", 7, "url", "candidate"),
      edge("c", "d", 50, "url", "chance"),
      edge("d", "e", 50, "hashtag", "chance"),
      edge("f", "f", 9),
    ];
    const account = graphOf(edges);
    expect([...account.nodes].sort()).toEqual(["a", "b", "c"]);
    expect(pairOf(account, "c", "d")).toBeNull();
    expect(tiesOfPair(account, pairOf(account, "b", "c")!.p)).toEqual([{ table: 0, index: 1 }]);
  });

  it("merges the ties of several tables by account key, whatever numbers each table gives the accounts", () => {
    // a detector that holds its ties as columns, numbering accounts its own way
    const columns: TieTable = {
      layers: ["url", "hashtag"],
      keys: [undefined, "y", "x", "w"],
      layer: Uint8Array.from([0, 1, 0]),
      a: Int32Array.from([2, 1, 3]),
      b: Int32Array.from([1, 2, 2]),
      weight: Float64Array.from([3, 4, 8]),
      pValue: Float64Array.from([1e-6, 1e-5, 0.5]),
      tier: Uint8Array.from([0, 1, 2]),
      fast: Uint8Array.from([1, 0, 0]),
      edge: () => {
        throw new Error("not read while building the graph");
      },
    };
    const objects = tieTableOf([edge("y", "z", 2, "sync"), edge("x", "y", 1, "sync")]);
    const account = buildAccountGraph([columns, objects]);
    expect(account.nodes).toEqual(["x", "y", "z"]);
    expect(account.a.length).toBe(2);
    const xy = pairOf(account, "y", "x")!;
    expect(xy.weight).toBe(8);
    expect(tiesOfPair(account, xy.p)).toEqual([
      { table: 0, index: 0 },
      { table: 0, index: 1 },
      { table: 1, index: 1 },
    ]);
  });

  it("gives an empty graph when nothing beat chance", () => {
    const account = graphOf([edge("a", "b", 9, "url", "chance")]);
    expect(account.nodes.length).toBe(0);
    expect(communities(account, seededRng(1)).size).toBe(0);
  });
});

describe("tieTableOf", () => {
  it("numbers layers and accounts in order of first appearance and reads tier and fast core from the evidence", () => {
    const fast = { ...edge("b", "a", 2, "hashtag"), pValue: null };
    fast.evidence = { ...fast.evidence, fast_core: true };
    const edges = [edge("a", "b", 3, "url", "candidate"), fast, edge("c", "a", 1, "url", "chance")];
    const t = tieTableOf(edges);
    expect(t.layers).toEqual(["url", "hashtag"]);
    expect(t.keys).toEqual(["a", "b", "c"]);
    expect([...t.layer]).toEqual([0, 1, 0]);
    expect([...t.a, ...t.b]).toEqual([0, 1, 2, 1, 0, 0]);
    expect([...t.tier]).toEqual([1, 0, 2]);
    expect([...t.fast]).toEqual([0, 1, 0]);
    expect([...t.pValue]).toEqual([1e-6, NaN, 1e-6]);
    expect(t.edge(1)).toBe(fast);
  });
});

describe("communities", () => {
  it("splits two dense groups joined by one weak tie (Louvain)", () => {
    const edges = [...cliques(["a", "b"], 5, 5), edge("a1", "b1", 1)];
    const m = communities(graphOf(edges), seededRng(3));
    expect(groups(m)).toEqual([
      ["a1", "a2", "a3", "a4", "a5"],
      ["b1", "b2", "b3", "b4", "b5"],
    ]);
  });

  it("is deterministic for a seed, on a graph where the split is not obvious", () => {
    // four groups of 6 with random ties inside (p = 0.7) and between (p = 0.15), random weights
    const rng = seededRng(99);
    const nodes = ["a", "b", "c", "d"].flatMap((p) => Array.from({ length: 6 }, (_, i) => `${p}${i}`));
    const edges: Edge[] = [];
    for (let i = 0; i < nodes.length; i++) {
      for (let j = i + 1; j < nodes.length; j++) {
        const same = nodes[i]![0] === nodes[j]![0];
        if (rng() < (same ? 0.7 : 0.15)) edges.push(edge(nodes[i]!, nodes[j]!, 1 + Math.floor(rng() * 4)));
      }
    }
    const g = graphOf(edges);
    const first = communities(g, seededRng(5));
    const again = communities(graphOf(edges), seededRng(5));
    expect([...again]).toEqual([...first]);
    expect(first.size).toBe(g.nodes.length);
    // the nodes are listed in a stable (sorted) order
    expect([...first.keys()]).toEqual([...first.keys()].sort());
  });

  it("falls back to connected components on small graphs, numbered in node order", () => {
    const edges = [edge("y1", "y2", 3), edge("y2", "y3", 3), edge("x2", "x1", 1), edge("x3", "x2", 1)];
    const m = communities(graphOf(edges), seededRng(1));
    expect(Object.fromEntries(m)).toEqual({ x1: 0, x2: 0, x3: 0, y1: 1, y2: 1, y3: 1 });
    // the same graph through Louvain (threshold lowered) finds the same two groups
    const louvain = communities(graphOf(edges), seededRng(1), 2);
    expect(groups(louvain)).toEqual(groups(m));
  });

  it("never puts accounts that are not connected in one community", () => {
    // 12 nodes (Louvain): three disconnected triangles and a path
    const edges = [
      ...cliques(["p", "q", "r"], 3, 2),
      edge("s1", "s2", 1),
      edge("s2", "s3", 1),
      edge("s3", "s4", 1),
    ];
    for (const seed of [1, 2, 3]) {
      const gs = groups(communities(graphOf(edges), seededRng(seed)));
      for (const g of gs) expect(new Set(g.map((n) => n[0])).size, g.join(",")).toBe(1);
    }
  });

  it("splits again a community that only the rest of the graph's weight held together, and never a clique", () => {
    // 40 heavy cliques of 15 (the fans of a large case); apart from them a unit of 10, fully tied, and a chain of 60
    // accounts with one light tie each, whose first account has one tie to the unit
    const edges = [
      ...cliques(
        Array.from({ length: 40 }, (_, i) => `f${i}_`),
        15,
        50,
      ),
      ...cliques(["u"], 10, 3),
      edge("u1", "o1", 1),
      ...Array.from({ length: 59 }, (_, i) => edge(`o${i + 1}`, `o${i + 2}`, 1)),
    ];
    const g = graphOf(edges);
    // Louvain on the whole graph merges the unit with much of the chain: against the whole graph's weight, one
    // tie is worth a merge (the resolution limit)
    const once = louvainOnce(g, seededRng(4)).communities;
    expect(
      Object.keys(once).filter((n) => n.startsWith("o") && once[n] === once["u1"]).length,
    ).toBeGreaterThan(5);
    for (const seed of [4, 5, 6]) {
      const gs = groups(communities(g, seededRng(seed)));
      expect(gs).toContainEqual(Array.from({ length: 10 }, (_, i) => `u${i + 1}`).sort());
      for (const c of gs) expect(new Set(c.map((n) => n[0])).size, c.join(",")).toBe(1);
      for (let i = 0; i < 40; i++) {
        expect(gs).toContainEqual(Array.from({ length: 15 }, (_, j) => `f${i}_${j + 1}`).sort());
      }
      // the chain comes apart into pieces, none of them the whole chain
      const chain = gs.filter((c) => c[0]!.startsWith("o"));
      expect(chain.length).toBeGreaterThan(1);
      expect(chain.reduce((n, c) => n + c.length, 0)).toBe(60);
    }
  });

  it("gives exactly the communities of graphology's Louvain on a graphology graph of the same pairs", () => {
    // planted groups of varied sizes with dense, weighted ties inside and sparse ones between, over several seeds:
    // the read-only view must hand the library the same nodes, degrees, edges and weights in the same order
    for (const seed of [1, 2, 3, 4, 5]) {
      const rng = seededRng(seed * 7919);
      const nodes: string[] = [];
      const sizes = [25, 18, 12, 9, 40].slice(0, 2 + (seed % 4));
      sizes.forEach((n, gi) => {
        for (let i = 0; i < n; i++) nodes.push(`p:g${gi}-a${i}`);
      });
      const edges: Edge[] = [];
      for (let i = 0; i < nodes.length; i++) {
        for (let j = i + 1; j < nodes.length; j++) {
          const same = nodes[i]!.split("-")[0] === nodes[j]!.split("-")[0];
          if (rng() < (same ? 0.5 : 0.04)) {
            const [x, y] = rng() < 0.5 ? [nodes[i]!, nodes[j]!] : [nodes[j]!, nodes[i]!];
            edges.push(edge(x, y, 1 + Math.floor(rng() * 9), rng() < 0.7 ? "url" : "hashtag"));
            // a second layer for some pairs: their weights add up
            if (rng() < 0.2) edges.push(edge(y, x, 1 + rng(), "repost"));
          }
        }
      }
      const account = graphOf(edges);
      const g = new UndirectedGraph<Record<string, never>, { weight: number }>();
      for (const n of account.nodes) g.addNode(n);
      for (let p = 0; p < account.a.length; p++) {
        g.addEdge(account.nodes[account.a[p]!]!, account.nodes[account.b[p]!]!, {
          weight: account.weight[p]!,
        });
      }
      const expected = louvain(g, { getEdgeWeight: "weight", rng: seededRng(seed), resolution: 1 });
      const got = louvainOnce(account, seededRng(seed)).communities;
      expect(got).toEqual(expected);
      // not a trivial partition
      expect(new Set(Object.values(got)).size).toBeGreaterThan(1);
    }
  });
});

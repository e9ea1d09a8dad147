import { describe, expect, it } from "vitest";
import { seededRng } from "../detectors/detector.js";
import type { Edge } from "../model/index.js";
import { buildAccountGraph, communities } from "./cluster.js";

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

describe("buildAccountGraph", () => {
  it("merges the layers of a pair into one tie, summing weights and remembering layers and edges", () => {
    const edges = [
      edge("x", "y", 3, "url"),
      edge("y", "x", 2, "domain"),
      edge("x", "y", 4, "url"),
      edge("y", "z", 5, "repost", "candidate"),
    ];
    const g = buildAccountGraph(edges);
    expect(g.order).toBe(3);
    expect(g.size).toBe(2);
    const xy = g.getEdgeAttributes(g.edge("x", "y")!);
    expect(xy).toEqual({ weight: 9, layers: { url: 7, domain: 2 }, edges: [0, 1, 2] });
    const yz = g.getEdgeAttributes(g.edge("z", "y")!);
    expect(yz).toEqual({ weight: 5, layers: { repost: 5 }, edges: [3] });
  });

  it("uses significant and candidate ties, never the ones chance explains", () => {
    const edges = [
      edge("a", "b", 2),
      edge("b", "c", 7, "url", "candidate"),
      edge("c", "d", 50, "url", "chance"),
      edge("d", "e", 50, "hashtag", "chance"),
    ];
    const g = buildAccountGraph(edges);
    expect(g.nodes().sort()).toEqual(["a", "b", "c"]);
    expect(g.hasEdge("c", "d")).toBe(false);
    expect(g.getEdgeAttribute(g.edge("b", "c")!, "edges")).toEqual([1]);
  });

  it("gives an empty graph when nothing beat chance", () => {
    const g = buildAccountGraph([edge("a", "b", 9, "url", "chance")]);
    expect(g.order).toBe(0);
    expect(communities(g, seededRng(1)).size).toBe(0);
  });
});

describe("communities", () => {
  it("splits two dense groups joined by one weak tie (Louvain)", () => {
    const edges = [...cliques(["a", "b"], 5, 5), edge("a1", "b1", 1)];
    const m = communities(buildAccountGraph(edges), seededRng(3));
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
    const g = buildAccountGraph(edges);
    const first = communities(g, seededRng(5));
    const again = communities(buildAccountGraph(edges), seededRng(5));
    expect([...again]).toEqual([...first]);
    expect(first.size).toBe(g.order);
    // the nodes are listed in a stable (sorted) order
    expect([...first.keys()]).toEqual([...first.keys()].sort());
  });

  it("falls back to connected components on small graphs, numbered in node order", () => {
    const edges = [edge("y1", "y2", 3), edge("y2", "y3", 3), edge("x2", "x1", 1), edge("x3", "x2", 1)];
    const m = communities(buildAccountGraph(edges), seededRng(1));
    expect(Object.fromEntries(m)).toEqual({ x1: 0, x2: 0, x3: 0, y1: 1, y2: 1, y3: 1 });
    // the same graph through Louvain (threshold lowered) finds the same two groups
    const louvain = communities(buildAccountGraph(edges), seededRng(1), 2);
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
      const gs = groups(communities(buildAccountGraph(edges), seededRng(seed)));
      for (const g of gs) expect(new Set(g.map((n) => n[0])).size, g.join(",")).toBe(1);
    }
  });
});

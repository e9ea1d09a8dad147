import { describe, expect, it } from "vitest";
import { seededRng } from "../detectors/detector.js";
import type { Edge } from "../model/index.js";
import { buildAccountGraph, communities, tieTableOf } from "./cluster.js";
import { communitiesAside } from "./communities-thread.js";

/** Twelve groups of 15 accounts, dense random ties inside and sparse ones between, random weights. */
function plantedGraph(seed: number): ReturnType<typeof buildAccountGraph> {
  const rng = seededRng(seed);
  const nodes = Array.from({ length: 12 * 15 }, (_, i) => `acct${String(i).padStart(3, "0")}`);
  const edges: Edge[] = [];
  for (let i = 0; i < nodes.length; i++) {
    for (let j = i + 1; j < nodes.length; j++) {
      const same = Math.floor(i / 15) === Math.floor(j / 15);
      if (rng() < (same ? 0.6 : 0.02)) {
        const w = 1 + Math.floor(rng() * 5);
        edges.push({
          layer: "url",
          a: nodes[i]!,
          b: nodes[j]!,
          weight: w,
          nObjects: w,
          lift: 5,
          pValue: 1e-6,
          evidence: { significant: true, tier: "significant" },
        });
      }
    }
  }
  return buildAccountGraph([tieTableOf(edges)]);
}

describe("communitiesAside", () => {
  it("finds in a thread the communities the calling thread finds, and gives the graph's pairs back", async () => {
    for (const seed of [1, 2, 3]) {
      const inline = communities(plantedGraph(seed), seededRng(seed * 31));
      const g = plantedGraph(seed);
      const before = { a: g.a.slice(), b: g.b.slice(), weight: g.weight.slice() };
      const { found } = communitiesAside(g, seed * 31, 0);
      // lent to the thread while it runs
      expect(g.a.length).toBe(0);
      const threaded = await found;
      expect([...threaded]).toEqual([...inline]);
      // the planted groups, not one blob: the comparison means something
      expect(new Set(threaded.values()).size).toBeGreaterThanOrEqual(10);
      expect(g.a).toEqual(before.a);
      expect(g.b).toEqual(before.b);
      expect(g.weight).toEqual(before.weight);
    }
  });

  it("runs in the calling thread below its threshold, with the same result", async () => {
    const g = plantedGraph(4);
    const { found } = communitiesAside(g, 9, Number.MAX_SAFE_INTEGER);
    expect(g.a.length).toBeGreaterThan(0);
    expect([...(await found)]).toEqual([...communities(plantedGraph(4), seededRng(9))]);
  });

  it("rejects when stopped before Louvain is done, and never leaves the thread running", async () => {
    const g = plantedGraph(5);
    const { found, stop } = communitiesAside(g, 1, 0);
    stop();
    await expect(found).rejects.toThrow(/thread stopped/);
  });
});

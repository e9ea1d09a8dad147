import { describe, expect, it } from "vitest";
import { syndicatedCopies } from "./syndication.js";

describe("syndicatedCopies", () => {
  it("marks the copies that link their own site in a cluster where two or more sites' copies do", () => {
    // cluster 0: three outlets' feeds and a reader; cluster 1: a unit whose members all link one campaign site
    const copies = [
      { cluster: 0, idx: 1 },
      { cluster: 0, idx: 2 },
      { cluster: 0, idx: 3 },
      { cluster: 0, idx: 4 },
      { cluster: 1, idx: 5 },
      { cluster: 1, idx: 6 },
      { cluster: 1, idx: 7 },
    ];
    const site = new Map([
      [1, "bbc.com"],
      [2, "dw.com"],
      [3, "iranwire.com"],
      [5, "campaign.example"],
      [6, "campaign.example"],
      [7, "campaign.example"],
    ]);
    expect([...syndicatedCopies(copies, site)].sort()).toEqual([1, 2, 3]);
  });

  it("marks nothing where one feed alone carries a text others pasted", () => {
    const copies = [1, 2, 3].map((idx) => ({ cluster: 0, idx }));
    expect(syndicatedCopies(copies, new Map([[1, "bbc.com"]])).size).toBe(0);
  });
});

import { describe, expect, it } from "vitest";
import { campaignColour, PALETTE } from "./layout.js";

describe("campaignColour", () => {
  it("gives forty campaigns forty colours, the first eight from the colour-blind-safe palette", () => {
    const colours = Array.from({ length: 40 }, (_, i) => campaignColour(i));
    expect(colours.slice(0, 8)).toEqual(PALETTE);
    expect(new Set(colours.map((c) => c.toLowerCase())).size).toBe(40);
    // as the graph's renderer reads colours: #rrggbb
    for (const c of colours) expect(c).toMatch(/^#[0-9a-f]{6}$/i);
    // and no two of the later ones nearly the same (each channel pair at least this far apart in sum)
    const rgb = (c: string): number[] => [1, 3, 5].map((k) => parseInt(c.slice(k, k + 2), 16));
    for (let i = 8; i < 40; i++)
      for (let j = i + 1; j < 40; j++) {
        const d = rgb(colours[i]!).reduce((n, v, k) => n + Math.abs(v - rgb(colours[j]!)[k]!), 0);
        expect(d, `${i} ${j}`).toBeGreaterThan(20);
      }
  });
});

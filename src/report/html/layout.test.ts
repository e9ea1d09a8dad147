import { describe, expect, it } from "vitest";
import { campaignColour, deltaE, lab, MIN_DELTA_E, PALETTE } from "./layout.js";

describe("campaignColour", () => {
  it("gives forty campaigns forty colours that stand apart, the first eight from the colour-blind-safe palette", () => {
    const colours = Array.from({ length: 40 }, (_, i) => campaignColour(i));
    expect(colours.slice(0, 8)).toEqual(PALETTE);
    // as the graph's renderer reads colours: #rrggbb
    for (const c of colours) expect(c).toMatch(/^#[0-9a-f]{6}$/i);
    // every pair, the palette's among them, at least MIN_DELTA_E apart, but for the palette's own pairs
    for (let i = 0; i < 40; i++)
      for (let j = Math.max(i + 1, 8); j < 40; j++)
        expect(deltaE(lab(colours[i]!), lab(colours[j]!)), `${i} ${j}`).toBeGreaterThanOrEqual(MIN_DELTA_E);
    // the same colours every time
    expect(campaignColour(25)).toBe(colours[25]);
  });

  it("measures colour difference in L*a*b*", () => {
    expect(lab("#ffffff")[0]).toBeCloseTo(100, 1);
    expect(lab("#000000")[0]).toBeCloseTo(0, 5);
    // the reviewer's near twins of the earlier generator: #56B4E9 against #42abd7
    expect(deltaE(lab("#56B4E9"), lab("#42abd7"))).toBeLessThan(MIN_DELTA_E);
  });
});

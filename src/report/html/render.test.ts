import { describe, expect, it } from "vitest";
import { expectedByChance } from "./render.js";

describe("expectedByChance", () => {
  it("says how many discoveries the false-discovery rate lets be false, without rounding two ties up to one", () => {
    expect(expectedByChance(2, 0.01)).toBe("fewer than one");
    expect(expectedByChance(99, 0.01)).toBe("fewer than one");
    expect(expectedByChance(100, 0.01)).toBe("at most about 1");
    expect(expectedByChance(1099, 0.01)).toBe("at most about 11");
    expect(expectedByChance(14_625_804, 0.01)).toBe("at most about 146,258");
  });
});

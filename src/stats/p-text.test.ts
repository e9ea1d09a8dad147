import { describe, expect, it } from "vitest";
import { pText } from "./p-text.js";

describe("pText", () => {
  it("writes a p-value as decimals or under the power of ten just above it, never as 0 nor smaller than it is", () => {
    expect(pText(Math.log(0.0123))).toBe("p = 0.012");
    expect(pText(Math.log(9e-5))).toBe("p < 1e-4");
    expect(pText(Math.log(2e-5))).toBe("p < 1e-4");
    // Math.exp(-900) is 0: the text says how small it is
    expect(Math.exp(-900)).toBe(0);
    expect(pText(-900)).toBe("p < 1e-390");
  });
});

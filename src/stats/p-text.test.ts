import { describe, expect, it } from "vitest";
import { pText } from "./p-text.js";

describe("pText", () => {
  it("writes a p-value as decimals or as the power of ten under it, never as 0", () => {
    expect(pText(Math.log(0.0123))).toBe("0.012");
    expect(pText(Math.log(2e-5))).toBe("1e-5");
    // Math.exp(-900) is 0: the text says how small it is
    expect(Math.exp(-900)).toBe(0);
    expect(pText(-900)).toBe("1e-391");
  });
});

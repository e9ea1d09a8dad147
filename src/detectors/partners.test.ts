import { describe, expect, it } from "vitest";
import { accountPartners } from "./partners.js";

describe("account partners", () => {
  it("counts an account's distinct partners, the same however often and in whatever order it is asked", () => {
    // account 0 is tied to 1 in two layers and to 2 and 3 once; account 1 to 0 (twice) and 3
    const ties = {
      a: Int32Array.from([0, 0, 0, 0, 1]),
      b: Int32Array.from([1, 1, 2, 3, 3]),
      log10P: Float64Array.from([-3, -5, -4, -2, -6]),
      n: Int32Array.from([2, 3, 2, 2, 4]),
      layer: Uint8Array.from([0, 1, 0, 0, 1]),
    };
    const partners = accountPartners(ties, 5, 4, Int32Array.from([0, 1, 2, 3]));
    const counts = [0, 1, 0, 3, 1, 0].map((acc) => partners.count(acc));
    expect(counts).toEqual([3, 2, 3, 2, 2, 3]);
    // strongest first, each partner once by its strongest tie (0-1 on layer 1 at 10^-5)
    expect(partners.strongest(0)).toEqual({ partners: [1, 2, 3], ties: [1, 2, 3] });
    expect(partners.strongest(0)).toEqual({ partners: [1, 2, 3], ties: [1, 2, 3] });
    expect(partners.strongest(1)).toEqual({ partners: [3, 0], ties: [4, 1] });
  });
});

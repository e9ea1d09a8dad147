import { describe, expect, it } from "vitest";
import { splitTieKey, tieKey } from "./annotations.js";

describe("tieKey", () => {
  it("names a tie the same in either order, and two ties by two ids even when account ids hold '|'", () => {
    expect(tieKey("twitter:b", "twitter:a")).toBe("twitter:a|twitter:b");
    expect(tieKey("twitter:a", "twitter:b")).toBe("twitter:a|twitter:b");
    // (p, q|twitter:r) and (p|twitter:q, r) were both "twitter:p|twitter:q|twitter:r"
    const one = tieKey("twitter:p", "twitter:q|twitter:r");
    const other = tieKey("twitter:p|twitter:q", "twitter:r");
    expect(one).not.toBe(other);
    expect(splitTieKey(one)).toEqual(["twitter:p", "twitter:q|twitter:r"]);
    expect(splitTieKey(other)).toEqual(["twitter:p|twitter:q", "twitter:r"]);
    expect(splitTieKey(tieKey("x:back\\slash", "x:z"))).toEqual(["x:back\\slash", "x:z"]);
    expect(splitTieKey("x:a")).toBeNull();
  });
});

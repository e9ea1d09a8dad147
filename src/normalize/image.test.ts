import { describe, expect, it } from "vitest";
import { imageId, MAX_IMAGE_ID_LENGTH } from "./image.js";

describe("imageId", () => {
  it("compares hexadecimal digests and perceptual hashes in lower case, with or without an algorithm name", () => {
    expect(imageId(" pHash:C3A1E0F0F8783C1E ")).toBe("phash:c3a1e0f0f8783c1e");
    expect(imageId("phash:c3a1e0f0f8783c1e")).toBe(imageId("PHASH:C3A1E0F0F8783C1E"));
    expect(imageId("9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08")).toBe(
      "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    );
    // two algorithms over the same digits are two different values
    expect(imageId("dhash:c3a1e0f0f8783c1e")).not.toBe(imageId("phash:c3a1e0f0f8783c1e"));
  });

  it("keeps other identifiers as given, whose case may carry meaning", () => {
    const cid = "bafkreibme22gw2h7y2h7tg2fhqotaqjucnbc24deqo72b6mkl2egezxhvy";
    expect(imageId(cid)).toBe(cid);
    // a base58 content id: upper and lower case are different digits
    expect(imageId("QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG")).toBe(
      "QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG",
    );
    // too short to be read as hexadecimal digits: kept as given
    expect(imageId("ABC123")).toBe("ABC123");
  });

  it("gives nothing for an empty, oversized or control-character value", () => {
    expect(imageId("")).toBeNull();
    expect(imageId("   ")).toBeNull();
    expect(imageId("a".repeat(MAX_IMAGE_ID_LENGTH + 1))).toBeNull();
    expect(imageId("a".repeat(MAX_IMAGE_ID_LENGTH))).toBe("a".repeat(MAX_IMAGE_ID_LENGTH));
    expect(imageId("abc\u0000def")).toBeNull();
  });
});

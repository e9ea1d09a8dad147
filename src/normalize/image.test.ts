import { describe, expect, it } from "vitest";
import { blurhashImageId, imageId, MAX_IMAGE_ID_LENGTH } from "./image.js";

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

describe("blurhashImageId", () => {
  it("keeps a BlurHash as written, its digits' case included", () => {
    // the example of BlurHash's README: 4 x 3 components, 28 digits
    expect(blurhashImageId(" LEHV6nWB2yk8pyo0adR*.7kCMdnj ")).toBe("blurhash:LEHV6nWB2yk8pyo0adR*.7kCMdnj");
    expect(blurhashImageId("LEHV6nWB2yk8pyo0adR*.7kCMdnj")).not.toBe(
      blurhashImageId("LEHV6nWB2yk8pyo0adR*.7kCMdnJ"),
    );
  });

  it("gives nothing for a plain colour, whose hash thousands of pictures share", () => {
    expect(blurhashImageId("L00000fQfQfQfQfQfQfQfQfQfQfQ")).toBeNull(); // black
    expect(blurhashImageId("00~qIf")).toBeNull(); // one component: a colour and nothing else
  });

  it("gives nothing for what is no BlurHash: a wrong length for its size digit, other characters, not a string", () => {
    expect(blurhashImageId("LEHV6nWB2yk8pyo0adR*.7kCMdn")).toBeNull();
    expect(blurhashImageId("LEHV6nWB2yk8pyo0adR*.7kCMd<j")).toBeNull();
    expect(blurhashImageId("")).toBeNull();
    expect(blurhashImageId(12345678)).toBeNull();
    expect(blurhashImageId(null)).toBeNull();
  });
});

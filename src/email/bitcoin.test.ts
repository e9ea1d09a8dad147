import { describe, expect, it } from "vitest";
import { bitcoinAddresses } from "./bitcoin.js";

describe("bitcoinAddresses", () => {
  it("finds legacy, P2SH and bech32 addresses whose checksums hold", () => {
    const text =
      "Send 1500 USD in Bitcoin to bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh within 48 hours. " +
      "Or to 1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2, or 3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy.";
    expect(bitcoinAddresses(text)).toEqual([
      "bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh",
      "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2",
      "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy",
    ]);
  });

  it("leaves out look-alike strings whose checksum fails, and words inside longer tokens", () => {
    // one letter changed in each
    expect(bitcoinAddresses("bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlj")).toEqual([]);
    expect(bitcoinAddresses("1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3")).toEqual([]);
    expect(bitcoinAddresses("tracking id 3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLyX")).toEqual([]);
  });
});

import { describe, expect, it } from "vitest";
import {
  CONFUSABLES_INFO,
  boundedEditDistance,
  charDiff,
  DIFF_MAX_CELLS,
  charName,
  describeDiff,
  looseKey,
  matchKey,
  prototypeOf,
  skeleton,
} from "./confusables.js";

describe("confusables data", () => {
  it("is the Unicode 16 file, with its coverage stated", () => {
    expect(CONFUSABLES_INFO.version).toBe("16.0.0");
    expect(CONFUSABLES_INFO.entries).toBeGreaterThan(4000);
    expect(CONFUSABLES_INFO.note).toMatch(/Hangul/);
  });

  it("maps characters added in Unicode 16 (outlined letters) and classic homoglyphs", () => {
    expect(prototypeOf(0x1ccd6)).toBe("A"); // OUTLINED LATIN CAPITAL LETTER A
    expect(prototypeOf(0x0430)).toBe("a");
    expect(prototypeOf(0x0031)).toBe("l");
    expect(prototypeOf(0x0061)).toBeUndefined();
    expect(charName(0x0430)).toBe("CYRILLIC SMALL LETTER A");
    expect(charName(0x06cc)).toBe("ARABIC LETTER FARSI YEH");
    // characters copies add or swap that the confusables data does not name
    expect(charName(0x200c)).toBe("ZERO WIDTH NON-JOINER");
    expect(charName(0x202e)).toBe("RIGHT-TO-LEFT OVERRIDE");
    expect(charName(0x0640)).toBe("ARABIC TATWEEL");
    expect(charName(0xff4e)).toBe("FULLWIDTH LATIN SMALL LETTER N");
    expect(charName(0x0301)).toBe("COMBINING ACUTE ACCENT");
  });
});

describe("skeleton and matchKey", () => {
  it("follows TR39: case-sensitive skeleton, I and l meet", () => {
    expect(skeleton("Il")).toBe(skeleton("ll"));
    expect(skeleton("paypal")).toBe(skeleton("pаypаl"));
    expect(skeleton("m")).toBe(skeleton("rn"));
  });

  // real-world style lookalikes: each pair must share a key
  const SAME: Array<[string, string, string]> = [
    ["Latin capital I for small l", "IlhanMN", "llhanMN"],
    ["Cyrillic а", "pаypal", "paypal"],
    ["Cyrillic і", "bbcpersіan", "bbcpersian"],
    ["Greek ο and Ρ", "Ρrοtonmail", "protonmail"],
    ["digit zeros", "g00gle", "google"],
    ["fullwidth", "ｍａｓｉｈ", "masih"],
    ["mathematical bold", "𝐧𝐲𝐭𝐢𝐦𝐞𝐬", "nytimes"],
    ["Arabic yeh for Persian yeh", "علي", "علی"],
    ["Arabic kaf for keheh", "كريمي", "کریمی"],
    ["ZWNJ and tatweel", "می‌خـواهم", "میخواهم"],
    ["harakat", "مُحَمَّد", "محمد"],
    ["Persian digits", "iran۱۴۰۲", "iran1402"],
    ["hidden bidi control", "masih\u202ealinejad", "masihalinejad"],
  ];
  it.each(SAME)("%s: %s ~ %s", (_why, a, b) => {
    expect(matchKey(a)).toBe(matchKey(b));
  });

  const DIFFERENT: Array<[string, string]> = [
    ["maryam", "mariam"],
    ["ali", "alo"],
    ["رضا", "رضی"],
  ];
  it.each(DIFFERENT)("keeps different names apart: %s / %s", (a, b) => {
    expect(matchKey(a)).not.toBe(matchKey(b));
  });

  it("looseKey drops separators, trailing numbers and accents", () => {
    for (const v of ["bbc_persian", "BBC.Persian", "bbcpersian2024", "bbcpersián", "bbc-persian_1"]) {
      expect(looseKey(v)).toBe(looseKey("bbcpersian"));
    }
    expect(looseKey("ایران اینترنشنال")).toBe(looseKey("ایران‌اینترنشنال"));
  });
});

describe("charDiff", () => {
  it("names the swapped code points", () => {
    const d = charDiff("bbcpersіan", "bbcpersian");
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({
      op: "substitute",
      at: 7,
      confusable: true,
      suspect: { codePoint: "U+0456", name: "CYRILLIC SMALL LETTER BYELORUSSIAN-UKRAINIAN I" },
      original: { codePoint: "U+0069", name: "LATIN SMALL LETTER I" },
    });
    expect(describeDiff(d)).toBe(
      "U+0456 CYRILLIC SMALL LETTER BYELORUSSIAN-UKRAINIAN I in place of U+0069 LATIN SMALL LETTER I",
    );
  });

  it("reports added and dropped letters, ignoring case", () => {
    expect(charDiff("BBCPersian_", "bbcpersian")).toMatchObject([{ op: "insert", at: 10 }]);
    expect(charDiff("bbcpersan", "bbcpersian")).toMatchObject([{ op: "delete", original: { char: "i" } }]);
    expect(charDiff("علي", "علی")[0]).toMatchObject({ op: "substitute", confusable: true });
  });

  it("of the shortest scripts, names the one that pairs lookalike letters", () => {
    // Persian yeh for Arabic yeh twice and an added fathatan: three edits either way, but only this one is true to
    // what was changed (another shortest script adds a yeh and puts the mark in place of the other yeh)
    const d = charDiff("علی_کریمیً", "علي_کریمي");
    expect(describeDiff(d)).toBe(
      "U+06CC ARABIC LETTER FARSI YEH in place of U+064A ARABIC LETTER YEH; " +
        "U+06CC ARABIC LETTER FARSI YEH in place of U+064A ARABIC LETTER YEH; " +
        `an added ${d[2]!.suspect!.codePoint} ${d[2]!.suspect!.name}`,
    );
    expect(d.map((x) => [x.op, x.at])).toEqual([
      ["substitute", 2],
      ["substitute", 8],
      ["insert", 9],
    ]);
    expect(d[2]!.suspect!.codePoint).toBe("U+064B");
    // an unrelated letter is still one substitution, not a deletion and an insertion
    expect(charDiff("paypa1", "paypal")).toMatchObject([{ op: "substitute", at: 5 }]);
  });

  it("compares strings too long for the edit table position by position, in memory of their length", () => {
    // 40,000 Latin a against 40,000 Cyrillic а (a homoglyph copy): the edit table would hold 1.6e9 cells
    const n = 40_000;
    const d = charDiff("\u0430".repeat(n), "a".repeat(n));
    expect(d).toHaveLength(n);
    expect(d.every((x) => x.op === "substitute" && x.confusable === true)).toBe(true);
    expect(d[n - 1]).toMatchObject({
      at: n - 1,
      suspect: { codePoint: "U+0430" },
      original: { codePoint: "U+0061" },
    });
    // a longer suspect: its tail is inserted; case still counts as equal
    const tail = charDiff("A".repeat(n) + "xy", "a".repeat(n));
    expect(tail).toMatchObject([
      { op: "insert", at: n, suspect: { char: "x" } },
      { op: "insert", at: n + 1, suspect: { char: "y" } },
    ]);
    // below the bound, the same strings get the minimal script of the table
    const short = "\u0430".repeat(1000);
    expect((1000 + 1) * (1000 + 1)).toBeLessThan(DIFF_MAX_CELLS);
    expect(charDiff(short, "a".repeat(1000))).toHaveLength(1000);
    const inserted = charDiff("x" + "a".repeat(1000), "a".repeat(1000));
    expect(inserted).toHaveLength(1);
    expect(inserted[0]).toMatchObject({ op: "insert", at: 0 });
  });
});

describe("boundedEditDistance", () => {
  it("counts edits up to the bound", () => {
    expect(boundedEditDistance("kitten", "sitting", 5)).toBe(3);
    expect(boundedEditDistance("kitten", "sitting", 1)).toBe(2);
    expect(boundedEditDistance("abc", "abc", 0)).toBe(0);
  });
});

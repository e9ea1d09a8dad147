import { describe, expect, it } from "vitest";
import { charDiff, describeDiff } from "../../normalize/confusables.js";
import { describeDifferences } from "./describe.js";

describe("describeDifferences", () => {
  it("names an appended number as one number", () => {
    const text = describeDifferences(charDiff("bbcpersian2024", "bbcpersian"));
    expect(text).toBe("the digits 2024 added");
    // beside another edit, each is named
    expect(describeDifferences(charDiff("ali.rezaei8321", "ali_rezaei"))).toBe(
      "U+002E FULL STOP in place of U+005F LOW LINE; the digits 8321 added",
    );
    expect(describeDifferences(charDiff("news", "news1990"))).toBe("the digits 1990 dropped");
  });

  it("names the script of digits that are not ASCII", () => {
    expect(describeDifferences(charDiff("علی_کریمی۱۳۶۹", "علی_کریمی"))).toMatch(
      /^the digits ۱۳۶۹ added \(EXTENDED ARABIC-INDIC digits\)$/,
    );
  });

  it("names a repeated substitution once, with its count", () => {
    const diff = charDiff("علي_كريمي", "علی_کریمی");
    const text = describeDifferences(diff);
    expect(text).toBe(
      "U+064A ARABIC LETTER YEH in place of U+06CC ARABIC LETTER FARSI YEH, 3 times; " +
        "U+0643 ARABIC LETTER KAF in place of U+06A9 ARABIC LETTER KEHEH",
    );
    // the one-by-one rendering said the yeh line three times
    expect(describeDiff(diff).split("ARABIC LETTER YEH in place").length - 1).toBe(3);
  });

  it("leaves a single digit and digits apart as they were", () => {
    const one = charDiff("radiofarda2", "radiofarda");
    expect(describeDifferences(one)).toBe(describeDiff(one));
    const apart = charDiff("g0og1e", "google");
    expect(describeDifferences(apart)).toBe(describeDiff(apart));
  });
});

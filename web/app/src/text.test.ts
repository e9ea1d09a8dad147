import { describe, expect, it } from "vitest";
import { quotedParts, segments, visible } from "./text.js";

describe("user text", () => {
  it("shows a right-to-left override as a marker between the plain runs", () => {
    expect(segments("invoice\u202Efdp.exe").pieces).toEqual([
      { text: "invoice" },
      { hidden: "U+202E", name: "RIGHT-TO-LEFT OVERRIDE" },
      { text: "fdp.exe" },
    ]);
    expect(visible("a\u200Bb\u2066c")).toBe("a[U+200B]b[U+2066]c");
    // control characters and non-characters are marked too; a post's line breaks and tabs are not
    expect(visible("acc\u0001ctl\u007f\ufffe")).toBe("acc[U+0001]ctl[U+007F][U+FFFE]");
    expect(visible("line\none\ttab\r")).toBe("line\none\ttab\r");
  });

  it("leaves Persian joiners and emoji flags alone, and marks tag characters elsewhere", () => {
    const persian = "می\u200Cخواهم";
    expect(segments(persian).pieces).toEqual([{ text: persian }]);
    const scotland = "\u{1F3F4}\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}";
    expect(segments(scotland).pieces).toEqual([{ text: scotland }]);
    expect(visible("hi\u{E0041}")).toBe("hi[U+E0041]");
  });

  it("keeps markup as letters and cuts long text without splitting a surrogate pair", () => {
    expect(segments("<img src=x onerror=alert(1)>").pieces).toEqual([
      { text: "<img src=x onerror=alert(1)>" },
    ]);
    const s = "a".repeat(9) + "😀" + "b".repeat(100);
    const { pieces, cut } = segments(s, 10);
    expect(pieces).toEqual([{ text: "a".repeat(9) }]);
    expect(cut).toBe(s.length - 9);
    const huge = segments("A".repeat(200_000));
    expect(huge.cut).toBe(198_000);
  });
});

describe("stacks of combining marks", () => {
  it("keeps a few on a letter and counts the rest, which would be drawn over the lines around", () => {
    const stacked = `a${"\u0301".repeat(250)}b`;
    expect(visible(stacked, 1000)).toBe(`a${"\u0301".repeat(8)}[+242 marks]b`);
    // Persian with shadda and a vowel, Vietnamese with two accents: as written
    expect(visible("مُحَمَّد")).toBe("مُحَمَّد");
    expect(visible("Nguyễn")).toBe("Nguyễn");
  });
});

describe("a sentence that quotes the case", () => {
  it("is its plain runs and each phrase it quotes, in the order written", () => {
    const quotes = ["امروز جمع شوید!", "<b>x</b>"];
    const said = `the post "${quotes[0]}" and "${quotes[1]}" (post 7)`;
    const parts = quotedParts(said);
    expect(parts.flatMap((p) => ("quoted" in p ? [p.quoted] : []))).toEqual(quotes);
    // nothing lost: the parts, quotes put back in their marks, are the sentence
    expect(parts.map((p) => ("quoted" in p ? `"${p.quoted}"` : p.plain)).join("")).toBe(said);
    expect(quotedParts("no quote here")).toEqual([{ plain: "no quote here" }]);
  });
});

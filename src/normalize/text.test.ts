import { describe, expect, it } from "vitest";
import { clipText, foldText, hiddenCharacters, scriptOf, wellFormed } from "./text.js";

const MB = 1 << 20;

describe("foldText: ASCII", () => {
  it.each([
    ["Hello World", "hello world"],
    ["  Hello   World  ", "hello world"],
    ["Hello\tWorld\r\nAgain", "hello world again"],
    ["ALL CAPS!!!", "all caps!!!"],
    ["#Iran @Alice https://Example.com/A", "#iran @alice https://example.com/a"],
    ["", ""],
    ["   ", ""],
    ["\n\t\r", ""],
    ["a", "a"],
    [" a", "a"],
    ["a ", "a"],
  ])("%j → %j", (input, expected) => {
    expect(foldText(input)).toBe(expected);
  });

  it("removes ASCII control characters that are not whitespace", () => {
    expect(foldText("ab\u0000c\u0007d\u001b\u007fe")).toBe("abcde");
  });
});

describe("foldText: Unicode compatibility, case and whitespace", () => {
  it.each([
    ["Ｆｕｌｌｗｉｄｔｈ　ＴＥＸＴ", "fullwidth text"],
    ["ﬁne ﬂag", "fine flag"],
    ["x\u00a0y", "x y"],
    ["x\u2003\u2009y", "x y"],
    ["x\u3000y", "x y"],
    ["x\u2028y\u2029z\u0085w", "x y z w"],
    ["Straße STRASSE", "strasse strasse"],
    ["GROẞE", "grosse"],
    ["ΟΔΟΣ οδός", "οδοσ οδόσ"],
    ["Ελλάς", "ελλάσ"],
    ["Привет МИР", "привет мир"],
    ["①②③", "123"],
    ["café", "café"],
    ["cafe\u0301", "café"],
  ])("%j → %j", (input, expected) => {
    expect(foldText(input)).toBe(expected);
  });

  it("keeps emoji but drops variation selectors so ❤ and ❤️ match", () => {
    expect(foldText("I ❤️ Tehran")).toBe("i ❤ tehran");
    expect(foldText("I ❤️ Tehran")).toBe(foldText("I ❤ Tehran"));
    expect(foldText("🇮🇷 🔥🔥")).toBe("🇮🇷 🔥🔥");
  });

  it("removes ZWJ, so an emoji ZWJ sequence folds to its parts (consistently on both sides)", () => {
    expect(foldText("👨‍👩‍👧")).toBe("👨👩👧");
  });

  it("treats the braille blank (used for 'empty' posts and names) as a space", () => {
    expect(foldText("a\u2800\u2800b")).toBe("a b");
    expect(foldText("\u2800")).toBe("");
  });

  it("removes tag characters (hidden ASCII smuggling) but keeps the visible flag base", () => {
    expect(foldText("hi\u{E0069}\u{E0067}\u{E006E}\u{E006F}\u{E0072}\u{E0065}")).toBe("hi");
    expect(foldText("🏴\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}")).toBe("🏴");
  });
});

describe("foldText: invisible and bidi characters", () => {
  it.each([
    ["RLO", "abc\u202Edef"],
    ["LRO", "abc\u202Ddef"],
    ["RLE/PDF", "abc\u202B\u202Cdef"],
    ["isolates", "abc\u2066\u2067\u2068\u2069def"],
    ["LRM/RLM", "abc\u200E\u200Fdef"],
    ["ALM", "abc\u061Cdef"],
    ["ZWSP", "abc\u200Bdef"],
    ["word joiner", "abc\u2060def"],
    ["BOM", "\uFEFFabc\uFEFFdef"],
    ["soft hyphen", "abc\u00ADdef"],
    ["CGJ", "abc\u034Fdef"],
    ["Hangul filler", "abc\u3164def"],
    ["Mongolian vowel separator", "abc\u180Edef"],
    ["invisible times", "abc\u2062def"],
  ])("removes %s", (_name, input) => {
    expect(foldText(input)).toBe("abcdef");
  });

  it("makes a filter-evading spelling equal to the plain one", () => {
    expect(foldText("Vo\u200Bte N\u00ADO\u202E!")).toBe(foldText("vote no!"));
  });

  it("returns empty for text made only of invisible characters", () => {
    expect(foldText("\u200B\u200C\u200D\u200E\u200F\uFEFF\u2060")).toBe("");
  });
});

describe("foldText: Persian and Arabic", () => {
  it("removes ZWNJ, so the ZWNJ and no-space spellings match", () => {
    expect(foldText("می‌خواهم")).toBe("میخواهم");
    expect(foldText("می‌خواهم")).toBe(foldText("میخواهم"));
    expect(foldText("کتاب‌ها")).toBe(foldText("کتابها"));
  });

  it("does not unify the space spelling (documented limitation)", () => {
    expect(foldText("می خواهم")).toBe("می خواهم");
    expect(foldText("می خواهم")).not.toBe(foldText("می‌خواهم"));
  });

  it.each([
    ["Arabic yeh ي → Persian yeh ی", "ايران", "ایران"],
    ["alef maksura ى → ی", "مصطفى", "مصطفی"],
    ["yeh with hamza ئ → ی", "مسئله", "مسیله"],
    ["Arabic kaf ك → keheh ک", "كتاب", "کتاب"],
    ["teh marbuta ة → ه", "مدرسة", "مدرسه"],
    ["heh goal ہ → ه", "\u06c1", "ه"],
    ["ae ە → ه", "\u06d5", "ه"],
    ["heh with yeh above ۀ → ه", "خانۀ", "خانه"],
    ["alef with hamza above أ → ا", "أحمد", "احمد"],
    ["alef with hamza below إ → ا", "إسلام", "اسلام"],
    ["alef with madda آ → ا", "آزادی", "ازادی"],
    ["alef wasla ٱ → ا", "ٱلله", "الله"],
    ["waw with hamza ؤ → و", "مؤمن", "مومن"],
    ["tatweel removed", "ســـلام", "سلام"],
    ["harakat removed", "مُحَمَّدٌ", "محمد"],
    ["superscript alef removed", "هٰذا", "هذا"],
    ["hamza above as a mark removed", "خانهٔ", "خانه"],
    ["Quranic marks removed (U+06D6–U+06ED, incl. end of ayah)", "الرَّحِيمِ ۝ ۖ", "الرحیم"],
    ["Persian digits → ASCII", "۱۴۰۱", "1401"],
    ["Arabic-Indic digits → ASCII", "٢٠٢٢", "2022"],
    ["presentation forms (NFKC)", "\ufeb3\ufefc\ufee1", "سلام"],
    ["ligature ﷲ", "\ufdf2", "الله"],
  ])("%s", (_name, input, expected) => {
    expect(foldText(input)).toBe(expected);
  });

  it("makes the Arabic-keyboard and Persian-keyboard spellings of a slogan equal", () => {
    const persian = "زن، زندگی، آزادی ۱۴۰۱";
    const arabicKeyboard = "زن، زندگي، آزادي 1401";
    expect(foldText(arabicKeyboard)).toBe(foldText(persian));
  });

  it("handles hashtag-style text with underscores and ZWNJ", () => {
    expect(foldText("#مهسا_امینی")).toBe("#مهسا_امینی");
    expect(foldText("#مهسا_اميني")).toBe("#مهسا_امینی");
  });

  it("keeps Arabic punctuation", () => {
    expect(foldText("سلام، خوبی؟ بله؛")).toBe("سلام، خوبی؟ بله؛");
  });

  it("folds mixed Persian/English text with bidi marks around a URL", () => {
    expect(foldText("\u200Fببینید https://Example.com/X \u200Eلطفا")).toBe(
      "ببینید https://example.com/x لطفا",
    );
  });
});

describe("foldText: large input", () => {
  it("folds 1 MB of ASCII", () => {
    const out = foldText("Hello  World ".repeat(MB / 13));
    expect(out.startsWith("hello world hello world")).toBe(true);
    expect(out.includes("  ")).toBe(false);
  });

  it("folds 1 MB of Persian with ZWNJ", () => {
    const out = foldText("می‌خواهم كتاب ".repeat(MB / 14));
    expect(out.startsWith("میخواهم کتاب میخواهم")).toBe(true);
    expect(out.includes("\u200c")).toBe(false);
    expect(out.includes("ك")).toBe(false);
  });

  it("folds 1 MB of whitespace to the empty string", () => {
    expect(foldText(" \t\u00a0\u3000".repeat(MB / 4))).toBe("");
  });
});

describe("hiddenCharacters", () => {
  it("finds control characters and non-characters when asked, not tabs and line breaks", () => {
    const s = "a\u0001b\tc\nd\r\ne\u0085f\uffff";
    // only when asked: the email checks and mentions' normal forms keep the narrower set
    expect(hiddenCharacters(s)).toEqual([]);
    expect(hiddenCharacters(s, { controls: true }).map((h) => [h.index, h.codePoint, h.name])).toEqual([
      [1, "U+0001", "CONTROL CHARACTER"],
      [10, "U+0085", "CONTROL CHARACTER"],
      [12, "U+FFFF", "NONCHARACTER"],
    ]);
  });

  it("reports a right-to-left override with index, code point and name", () => {
    expect(hiddenCharacters("abc\u202Edef")).toEqual([
      { index: 3, codePoint: "U+202E", name: "RIGHT-TO-LEFT OVERRIDE" },
    ]);
  });

  it("reports each hidden character in order", () => {
    const found = hiddenCharacters("\uFEFFa\u200Bb\u200Cc\u200Dd\u200Ee\u200Ff\u2066g\u2069h\u00ADi\u061C");
    expect(found.map((h) => h.codePoint)).toEqual([
      "U+FEFF",
      "U+200B",
      "U+200C",
      "U+200D",
      "U+200E",
      "U+200F",
      "U+2066",
      "U+2069",
      "U+00AD",
      "U+061C",
    ]);
    expect(found.map((h) => h.name)).toEqual([
      "ZERO WIDTH NO-BREAK SPACE",
      "ZERO WIDTH SPACE",
      "ZERO WIDTH NON-JOINER",
      "ZERO WIDTH JOINER",
      "LEFT-TO-RIGHT MARK",
      "RIGHT-TO-LEFT MARK",
      "LEFT-TO-RIGHT ISOLATE",
      "POP DIRECTIONAL ISOLATE",
      "SOFT HYPHEN",
      "ARABIC LETTER MARK",
    ]);
    expect(found.map((h) => h.index)).toEqual([0, 2, 4, 6, 8, 10, 12, 14, 16, 18]);
  });

  it("gives UTF-16 indices that slice back to the character, after astral characters too", () => {
    const s = "😀\u202E🔥\u200B";
    const found = hiddenCharacters(s);
    expect(found.map((h) => h.index)).toEqual([2, 5]);
    for (const h of found) expect(s.codePointAt(h.index)).toBe(parseInt(h.codePoint.slice(2), 16));
  });

  it("reports the ZWNJ of ordinary Persian spelling (callers decide what is suspicious)", () => {
    expect(hiddenCharacters("می‌خواهم")).toEqual([
      { index: 2, codePoint: "U+200C", name: "ZERO WIDTH NON-JOINER" },
    ]);
  });

  it("reports blank fillers used for empty-looking names", () => {
    expect(hiddenCharacters("\u3164\u2800\uFFA0").map((h) => h.name)).toEqual([
      "HANGUL FILLER",
      "BRAILLE PATTERN BLANK",
      "HALFWIDTH HANGUL FILLER",
    ]);
  });

  it("reports tag characters smuggling hidden text, with their names", () => {
    const found = hiddenCharacters("ok\u{E0041}\u{E0062}\u{E0031}\u{E0020}\u{E0021}");
    expect(found.map((h) => h.name)).toEqual([
      "TAG LATIN CAPITAL LETTER A",
      "TAG LATIN SMALL LETTER B",
      "TAG DIGIT ONE",
      "TAG SPACE",
      'TAG "!"',
    ]);
    expect(found.map((h) => h.codePoint)).toEqual(["U+E0041", "U+E0062", "U+E0031", "U+E0020", "U+E0021"]);
    expect(found[0]?.index).toBe(2);
  });

  it("does not report the tags that spell subdivision flags", () => {
    const england = "🏴\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F}";
    expect(hiddenCharacters(`go ${england}!`)).toEqual([]);
    // an unterminated tag run after a black flag is hidden text again
    expect(hiddenCharacters("🏴\u{E0067}\u{E0062}").length).toBe(2);
  });

  it("reports nothing for clean text, emoji, variation selectors and Persian without joiners", () => {
    expect(hiddenCharacters("")).toEqual([]);
    expect(hiddenCharacters("Hello, world")).toEqual([]);
    expect(hiddenCharacters("سلام دنیا ۱۴۰۱")).toEqual([]);
    expect(hiddenCharacters("I ❤️ 🇮🇷 👍🏽")).toEqual([]);
  });

  it("scans 1 MB", () => {
    expect(hiddenCharacters("a\u200c".repeat(MB / 2)).length).toBe(MB / 2);
    expect(hiddenCharacters("x".repeat(MB))).toEqual([]);
  });
});

describe("scriptOf", () => {
  it.each([
    ["Hello world", "latin"],
    ["Ça va? Éléphant", "latin"],
    ["سلام دنیا", "arabic"],
    ["می‌خواهم", "arabic"],
    ["مرحبا بالعالم", "arabic"],
    ["اردو زبان", "arabic"],
    ["Привет мир", "cyrillic"],
    ["Καλημέρα", "greek"],
    ["日本語のテキスト", "other"],
    ["שלום", "other"],
    ["", "none"],
    ["   ", "none"],
    ["123 ۱۴۰۱ !!! 🔥 #_", "none"],
    ["سلام #Iran", "mixed"],
    ["Pаypal", "mixed"],
    ["Hello мир", "mixed"],
    ["hello 日本", "mixed"],
    ["Ελλάδα Россия", "mixed"],
  ])("%j → %s", (input, expected) => {
    expect(scriptOf(input)).toBe(expected);
  });

  it("ignores digits, punctuation, emoji and marks", () => {
    expect(scriptOf("سلام 123 😀 ، ؟")).toBe("arabic");
    expect(scriptOf("hello 123 ۱۲۳")).toBe("latin");
    expect(scriptOf("مُحَمَّد")).toBe("arabic");
  });

  it("ignores invisible characters between letters", () => {
    expect(scriptOf("abc\u202Edef")).toBe("latin");
  });

  it("classifies 1 MB of text", () => {
    expect(scriptOf("سلام ".repeat(MB / 5))).toBe("arabic");
    expect(scriptOf("سلام ".repeat(MB / 5) + "x")).toBe("mixed");
  });
});

describe("clipText and wellFormed", () => {
  it("never cuts a surrogate pair in two", () => {
    expect(clipText("ab😀c", 3)).toBe("ab");
    expect(clipText("ab😀c", 4)).toBe("ab😀");
    expect(clipText("abc", 3)).toBe("abc");
    expect(clipText("abcd", 2)).toBe("ab");
    // every cut of a string of emoji and Persian letters is well formed
    const s = "سلام 😀 دنیا 👍🏽 ok 🇮🇷";
    for (let n = 0; n <= s.length; n++) expect(wellFormed(clipText(s, n))).toBe(clipText(s, n));
  });

  it("replaces lone surrogates, and only them, by U+FFFD", () => {
    expect(wellFormed("a\ud83d b")).toBe("a\ufffd b");
    expect(wellFormed("a\ude00b")).toBe("a\ufffdb");
    expect(wellFormed("\ude00\ud83d")).toBe("\ufffd\ufffd");
    expect(wellFormed("😀 ok")).toBe("😀 ok");
    expect(JSON.parse(JSON.stringify(wellFormed("x\ud800")))).toBe("x\ufffd");
  });
});

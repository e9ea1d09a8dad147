import { describe, expect, it } from "vitest";
import { prototypeOf } from "../../normalize/confusables.js";
import { foldText } from "../../normalize/text.js";
import { nearDuplicateParams } from "./index.js";
import {
  DistinctLength,
  endsInEllipsis,
  forEachShingle,
  LINK_RE,
  MatchingCodes,
  matchingLetters,
  PREFIX_LETTERS,
  prefixKey,
  textKey,
} from "./shingle.js";

const ZWNJ = "\u200c";

describe("matchingLetters", () => {
  it("makes the ZWNJ, space and joined spellings of a Persian word one string", () => {
    const joined = matchingLetters(`من می${ZWNJ}خواهم بروم`);
    expect(matchingLetters("من می خواهم بروم")).toBe(joined);
    expect(matchingLetters("من میخواهم بروم")).toBe(joined);
    expect(joined).toBe("منمیخواهمبروم");
  });

  it("folds Arabic letter forms and digits to the Persian and ASCII ones", () => {
    expect(matchingLetters("كتاب يك ۱۲۳")).toBe(matchingLetters("کتاب یک 123"));
    expect(matchingLetters("مدرسة")).toBe(matchingLetters("مدرسه"));
  });

  it("drops emoji, punctuation, tatweel, harakat, bidi marks and case", () => {
    expect(matchingLetters("Share THIS, now!!! 🔥🔥 ‼️")).toBe("sharethisnow");
    expect(matchingLetters("سـلام\u202B عَلَيْكُم")).toBe(matchingLetters("سلام علیکم"));
  });

  it("removes links, mentions and hashtags, which are layers of their own", () => {
    const base = matchingLetters("the park was sold to friends of the council");
    expect(
      matchingLetters(
        "RT @someone: the park was sold https://t.co/abc to friends of the council #SaveThePark",
      ),
    ).toBe(base);
    expect(matchingLetters("the park was sold www.example.com/x to friends of the council")).toBe(base);
    expect(matchingLetters("the park was sold bit.ly/3xYz to friends of the council")).toBe(base);
    expect(matchingLetters("#تهران_امروز the park was sold to friends of the council")).toBe(base);
  });

  it("finds a scheme where a scan from the left at every letter finds it, in one pass", () => {
    // the scheme part, tried at every letter (the former pattern, quadratic on a long run of letters)
    const everyLetter = /(?:[a-z][a-z0-9+.-]*:\/\/|www\.)\S*/giu;
    const mine = new RegExp(LINK_RE.source.slice(0, LINK_RE.source.indexOf("\\S*|") + 3), "giu");
    const parts = ["a", "Z", "1", "+", ".", "-", ":", "/", "//", " ", "ws", "w", "ی", "http", "://x", "_"];
    let seed = 11;
    const rnd = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    for (let k = 0; k < 20000; k++) {
      let t = "";
      for (let i = 0, n = 1 + rnd(12); i < n; i++) t += parts[rnd(parts.length)];
      expect(t.replace(mine, "|"), t).toBe(t.replace(everyLetter, "|"));
    }
  });

  it("reads texts built to make a link pattern backtrack in one pass", () => {
    // 100,000 letters after a slash; a long chain of labels with no path; a long run of scheme characters. Tried at
    // every letter or label, each took tens of seconds
    expect(matchingLetters("/ " + "a".repeat(100_000))).toBe("a".repeat(100_000));
    expect(matchingLetters("ab.".repeat(30_000) + "! .cd/")).toBe("ab".repeat(30_000) + "cd");
    expect(matchingLetters("x" + "1+.-".repeat(25_000) + ":/")).toBe("x" + "1".repeat(25_000));
    expect(matchingLetters("see " + "ab.".repeat(30_000) + "com/x")).toBe("see");
  });

  it("reads Cyrillic and Greek letters drawn like Latin ones as those: a copy with lookalikes is the same text", () => {
    const original = "Vote for the people's party today and tell everyone";
    // а, е, о, р, с swapped in: the same words to every reader
    const disguised = "Vоtе fоr thе реорlе's раrty tоdаy аnd tеll еvеryоnе";
    expect(disguised).not.toBe(original);
    expect(matchingLetters(disguised)).toBe(matchingLetters(original));
    // Russian compares with Russian as before: mapped alike
    expect(matchingLetters("Привет всем")).toBe(matchingLetters("ПРИВЕТ ВСЕМ"));
  });

  it("reads a manual retweet as the text it repeats: RT, MT and via go with the handle they introduce", () => {
    const text = "the park was sold to friends of the council";
    for (const copy of [
      `RT @someone: ${text}`,
      `rt: @someone ${text}`,
      `RT@a: RT @b: ${text}`,
      `MT @someone ${text}`,
      `${text} via @someone`,
    ])
      expect(matchingLetters(copy), copy).toBe(matchingLetters(text));
    // letters that only end a word are the word's
    expect(matchingLetters("Start @x")).toBe(matchingLetters("start"));
    expect(matchingLetters("support @x")).toBe(matchingLetters("support"));
  });

  it("leaves nothing of a post that is only a link, a hashtag or emoji", () => {
    expect(matchingLetters("https://example.com/a/b?c=d")).toBe("");
    expect(matchingLetters("#Iran #آزادی")).toBe("");
    expect(matchingLetters("🙏🙏🙏")).toBe("");
  });
});

/**
 * The definition `matchingLetters` implements with a table: link and entity removal, foldText, a filter, and each
 * Cyrillic or Greek letter drawn like a Latin one (its confusables prototype) as that Latin letter.
 */
function reference(text: string): string {
  let bare = text;
  if (bare.includes("/")) bare = bare.replace(LINK_RE, " ");
  if (/[@#\uff20\uff03]/u.test(bare))
    bare = bare.replace(
      /(?:(?<![\p{L}\p{N}_])(?:rt|mt|via)\s*(?::\s*)?(?=[@\uff20]))?[@#\uff20\uff03](?:[\p{L}\p{N}\p{M}_.]|\u200c|\u200d)*/giu,
      " ",
    );
  return [...foldText(bare).replace(/[^\p{L}\p{N}\p{Mn}\p{Mc}]+/gu, "")]
    .map((ch) => {
      const cp = ch.codePointAt(0)!;
      const p = cp >= 0x370 && cp <= 0x4ff ? prototypeOf(cp) : undefined;
      return p !== undefined && /^[a-z]$/i.test(p) ? p.toLowerCase() : ch;
    })
    .join("");
}

describe("matchingLetters against its definition", () => {
  it("agrees on every BMP character between letters, and on random mixed-script texts", () => {
    for (let c = 0; c < 0x10000; c++) {
      const t = `ab${String.fromCharCode(c)}سل`;
      expect(matchingLetters(t)).toBe(reference(t));
    }
    let seed = 7;
    const rnd = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    const pools = [
      [0x20, 0x7f],
      [0x600, 0x700],
      [0xc0, 0x250],
      [0x300, 0x370],
      [0x1f300, 0x1f700],
      [0x200b, 0x2070],
      [0xfb50, 0xfe00],
      [0xfe70, 0xff00],
      [0x1e00, 0x1f00],
      [0x3040, 0x3100],
    ];
    for (let k = 0; k < 20000; k++) {
      let t = "";
      const len = 1 + rnd(30);
      for (let i = 0; i < len; i++) {
        const [lo, hi] = pools[rnd(pools.length)]!;
        t += String.fromCodePoint(lo! + rnd(hi! - lo!));
      }
      expect(matchingLetters(t)).toBe(reference(t));
    }
  });
});

describe("forEachShingle", () => {
  it("gives one hash per k-gram, and equal hashes for equal k-grams", () => {
    const hashes: number[] = [];
    forEachShingle("abcabc", 3, (h) => hashes.push(h));
    expect(hashes).toHaveLength(4);
    expect(hashes[0]).toBe(hashes[3]); // "abc" twice
    expect(new Set(hashes).size).toBe(3);
  });

  it("gives a string shorter than k one shingle, and the empty string none", () => {
    const short: number[] = [];
    forEachShingle("ab", 4, (h) => short.push(h));
    expect(short).toHaveLength(1);
    const none: number[] = [];
    forEachShingle("", 4, (h) => none.push(h));
    expect(none).toEqual([]);
  });
});

describe("textKey", () => {
  it("is equal for equal strings and differs for strings one letter apart", () => {
    expect(textKey("سلامدنیا")).toEqual(textKey("سلامدنیا"));
    expect(textKey("abcdef")).not.toEqual(textKey("abcdeg"));
    expect(textKey("ab")).not.toEqual(textKey("ba"));
  });
});

describe("MatchingCodes.cut", () => {
  const cutOf = (text: string): boolean => {
    const m = new MatchingCodes();
    m.fill(text);
    return m.cut;
  };

  it("marks a text that ends in an ellipsis once links, handles and tags after it are gone", () => {
    expect(cutOf("RT @ali: the first half of the message… https://t.co/x1")).toBe(true);
    expect(cutOf("the first half of the message... #tag @who ")).toBe(true);
    // a Persian line ending in three dots and a right-to-left mark
    expect(cutOf("حرف‌هایم را نشنیدند...‏")).toBe(true);
    expect(cutOf("a whole sentence.")).toBe(false);
    expect(cutOf("…and it starts with one")).toBe(false);
    expect(cutOf("two dots..")).toBe(false);
  });

  it("reads a text of dots and blanks from its end, not by trying every dot", () => {
    const t = performance.now();
    expect(endsInEllipsis(".".repeat(50_000) + " ".repeat(50_000) + "x")).toBe(false);
    expect(endsInEllipsis("x" + ".".repeat(50_000) + " ".repeat(50_000))).toBe(true);
    expect(performance.now() - t).toBeLessThan(200);
  });
});

describe("DistinctLength", () => {
  const codesOf = (s: string): Uint16Array => Uint16Array.from(s, (c) => c.charCodeAt(0));
  const defaults = nearDuplicateParams.parse({});
  const length = new DistinctLength(defaults.shingle, Math.max(defaults.minChars, defaults.findingChars));
  const of = (text: string): number => {
    const s = matchingLetters(text);
    return length.of(codesOf(s), s.length);
  };

  it("counts a chant once however often it is repeated, under the shortest text compared", () => {
    for (const chant of ["زن زندگی آزادی ✌️ ", "آزادی ", "خخخ", "ha", "Woman Life Freedom! "]) {
      const thrice = of(chant.repeat(3));
      expect(of(chant.repeat(5)), chant).toBe(thrice);
      expect(of(chant.repeat(5000)), chant).toBe(thrice);
      expect(thrice, chant).toBeLessThan(defaults.minChars);
      expect(matchingLetters(chant.repeat(20)).length, chant).toBeGreaterThanOrEqual(defaults.minChars);
      expect(of(chant.repeat(20)), chant).toBe(thrice);
    }
  });

  it("gives a text without repeated shingles its length, and a text past the cap its whole length", () => {
    const sentence = "ما مردم ایران خواهان آزادی فوری همه‌ی زندانیان سیاسی هستیم";
    expect(of(sentence)).toBe(matchingLetters(sentence).length);
    // a slogan written twice inside a long message: the message is long either way
    const long = `${sentence} و زن زندگی آزادی زن زندگی آزادی ${sentence.split(" ").reverse().join(" ")}`;
    expect(of(long)).toBe(matchingLetters(long).length);
    // short of the cap the repeats are not counted
    const small = new DistinctLength(4, 1000);
    const s = matchingLetters(long);
    expect(small.of(codesOf(s), s.length)).toBeLessThan(s.length);
  });
});

describe("prefixKey", () => {
  const codesOf = (s: string): Uint16Array => Uint16Array.from(s, (c) => c.charCodeAt(0));
  const key = (text: string): number => {
    const s = matchingLetters(text);
    return prefixKey(codesOf(s), s.length);
  };

  it("is the same for texts that begin alike, whatever follows, and 0 for a text too short to have one", () => {
    const start = "The ministry lied to all of us again about the real figures";
    expect(matchingLetters(start).length).toBeGreaterThan(PREFIX_LETTERS);
    expect(key(`${start}, share this`)).toBe(key(`RT @x: ${start} before they…`));
    expect(key(`${start}, share this`)).not.toBe(key(`Today ${start}`));
    expect(key(`${start}, share this`)).not.toBe(0);
    expect(key("short text")).toBe(0);
  });
});

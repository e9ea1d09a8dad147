/**
 * Text folding: the form in which two posts that a reader would call "the same text" compare equal. Coordinated
 * campaigns paste one message through many accounts, and the copies drift in ways invisible to a reader but not
 * to `===`: Arabic versus Persian letter forms (keyboards differ: ي/ی, ك/ک), Persian versus ASCII digits,
 * zero-width joiners written or not, bidi marks inserted by RTL editors, harakat, tatweel, emoji variation
 * selectors. `foldText` erases those differences and nothing else; `hiddenCharacters` reports the invisible ones
 * as evidence, since deliberately hidden characters are themselves a signal (filter evasion, spoofed names).
 */
export { stripHtml } from "./html.js";

/** Letters, by script, as `scriptOf` reports them. */
export type Script = "latin" | "arabic" | "cyrillic" | "greek" | "mixed" | "other" | "none";

export interface HiddenCharacter {
  /** UTF-16 offset in the string (as used by `String.prototype.slice`). */
  index: number;
  /** The code point, "U+202E". */
  codePoint: string;
  /** The Unicode character name, "RIGHT-TO-LEFT OVERRIDE" (tag punctuation is shown as `TAG "!"`). */
  name: string;
}

/**
 * Characters that are removed by folding and reported by `hiddenCharacters`: bidi controls, zero-width and other
 * invisible format characters, and the blank "filler" letters used to make names and posts look empty.
 */
const HIDDEN_NAMES: ReadonlyMap<number, string> = new Map([
  [0x00ad, "SOFT HYPHEN"],
  [0x034f, "COMBINING GRAPHEME JOINER"],
  [0x061c, "ARABIC LETTER MARK"],
  [0x115f, "HANGUL CHOSEONG FILLER"],
  [0x1160, "HANGUL JUNGSEONG FILLER"],
  [0x17b4, "KHMER VOWEL INHERENT AQ"],
  [0x17b5, "KHMER VOWEL INHERENT AA"],
  [0x180e, "MONGOLIAN VOWEL SEPARATOR"],
  [0x200b, "ZERO WIDTH SPACE"],
  [0x200c, "ZERO WIDTH NON-JOINER"],
  [0x200d, "ZERO WIDTH JOINER"],
  [0x200e, "LEFT-TO-RIGHT MARK"],
  [0x200f, "RIGHT-TO-LEFT MARK"],
  [0x202a, "LEFT-TO-RIGHT EMBEDDING"],
  [0x202b, "RIGHT-TO-LEFT EMBEDDING"],
  [0x202c, "POP DIRECTIONAL FORMATTING"],
  [0x202d, "LEFT-TO-RIGHT OVERRIDE"],
  [0x202e, "RIGHT-TO-LEFT OVERRIDE"],
  [0x2060, "WORD JOINER"],
  [0x2061, "FUNCTION APPLICATION"],
  [0x2062, "INVISIBLE TIMES"],
  [0x2063, "INVISIBLE SEPARATOR"],
  [0x2064, "INVISIBLE PLUS"],
  [0x2066, "LEFT-TO-RIGHT ISOLATE"],
  [0x2067, "RIGHT-TO-LEFT ISOLATE"],
  [0x2068, "FIRST STRONG ISOLATE"],
  [0x2069, "POP DIRECTIONAL ISOLATE"],
  [0x206a, "INHIBIT SYMMETRIC SWAPPING"],
  [0x206b, "ACTIVATE SYMMETRIC SWAPPING"],
  [0x206c, "INHIBIT ARABIC FORM SHAPING"],
  [0x206d, "ACTIVATE ARABIC FORM SHAPING"],
  [0x206e, "NATIONAL DIGIT SHAPES"],
  [0x206f, "NOMINAL DIGIT SHAPES"],
  [0x2800, "BRAILLE PATTERN BLANK"],
  [0x3164, "HANGUL FILLER"],
  [0xfeff, "ZERO WIDTH NO-BREAK SPACE"],
  [0xffa0, "HALFWIDTH HANGUL FILLER"],
  [0xfff9, "INTERLINEAR ANNOTATION ANCHOR"],
  [0xfffa, "INTERLINEAR ANNOTATION SEPARATOR"],
  [0xfffb, "INTERLINEAR ANNOTATION TERMINATOR"],
  [0xe0001, "LANGUAGE TAG"],
  [0xe007f, "CANCEL TAG"],
]);

const PERSIAN_YEH = "\u06cc";
const KEHEH = "\u06a9";
const HEH = "\u0647";
const ALEF = "\u0627";

/** One-character rewrites applied after NFKC and lower-casing. */
const FOLD_MAP: Readonly<Record<string, string>> = {
  "\u064a": PERSIAN_YEH, // Arabic yeh
  "\u0649": PERSIAN_YEH, // alef maksura
  "\u0626": PERSIAN_YEH, // yeh with hamza above
  "\u0643": KEHEH, // Arabic kaf
  "\u0629": HEH, // teh marbuta
  "\u06c0": HEH, // heh with yeh above (Persian ezafe)
  "\u06c1": HEH, // heh goal
  "\u06c2": HEH, // heh goal with hamza above
  "\u06c3": HEH, // teh marbuta goal
  "\u06d5": HEH, // ae
  "\u0622": ALEF, // alef with madda
  "\u0623": ALEF, // alef with hamza above
  "\u0625": ALEF, // alef with hamza below
  "\u0671": ALEF, // alef wasla
  "\u0672": ALEF, // alef with wavy hamza above
  "\u0673": ALEF, // alef with wavy hamza below
  "\u0624": "\u0648", // waw with hamza above
  "\u00df": "ss",
  "\u03c2": "\u03c3", // final sigma
  "\u2800": " ", // braille blank is the braille space
};
for (let d = 0; d <= 9; d++) {
  (FOLD_MAP as Record<string, string>)[String.fromCharCode(0x0660 + d)] = String(d);
  (FOLD_MAP as Record<string, string>)[String.fromCharCode(0x06f0 + d)] = String(d);
}

/**
 * Everything `foldText` rewrites or removes. Removed: C0/C1 controls other than whitespace, the hidden characters
 * above, tatweel, harakat (U+064B–U+065F), superscript alef, Quranic marks (U+06D6–U+06ED), variation selectors
 * (so "❤" and "❤️" match) and tag characters (used both in subdivision flags and to smuggle invisible text).
 */
/* eslint-disable no-misleading-character-class -- lone combining marks (harakat) are matched on purpose */
const FOLD_RE =
  /[\u0000-\u0008\u000e-\u001f\u007f-\u0084\u0086-\u009f\u00ad\u00df\u034f\u03c2\u061c\u0622-\u0626\u0629\u0640\u0643\u0649\u064a\u064b-\u065f\u0660-\u0669\u0670-\u0673\u06c0-\u06c3\u06d5\u06d6-\u06ed\u06f0-\u06f9\u115f\u1160\u17b4\u17b5\u180b-\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\u2800\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff9-\ufffb\u{e0000}-\u{e007f}\u{e0100}-\u{e01ef}]/gu;
/* eslint-enable no-misleading-character-class */
const WHITESPACE_RUN_RE = /[\s\u0085]+/g;
const ASCII_WHITESPACE_RUN_RE = /[\t\n\v\f\r ]+/g;

/**
 * The matching form of a text: equal outputs mean a reader would see the same words.
 *
 * NFKC; lower case (plus ß→ss, ς→σ); invisible format characters and bidi controls removed; Arabic letter forms
 * unified to the Persian ones (ي ى ئ→ی, ك→ک, ة ۀ ہ ە→ه, أ إ آ ٱ→ا, ؤ→و); Arabic-Indic and Persian digits to
 * ASCII; tatweel, harakat and Quranic marks removed; whitespace runs to one space, trimmed.
 *
 * ZWNJ (U+200C) and ZWJ (U+200D) are removed, not kept: Persian writers put a ZWNJ, a space or nothing between a
 * word and its affixes (می‌خواهم, می خواهم, میخواهم), and keyboards and platforms differ in which they produce.
 * Removing the joiner makes the ZWNJ and no-space spellings equal. The space spelling stays different, because
 * telling an affix space from a word space needs a dictionary.
 *
 * @example
 * foldText("می‌خواهم") === foldText("ميخواهم"); // true: ZWNJ removed, Arabic yeh → Persian yeh
 * foldText("  Hello\u202E  WORLD ۱۲۳ "); // "hello world 123"
 */
export function foldText(s: string): string {
  // Fast path: printable ASCII with plain whitespace needs only lower-casing and, maybe, space collapsing.
  let messySpace = false;
  let i = 0;
  const n = s.length;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c > 0x20 && c < 0x7f) continue;
    if (c === 0x20) {
      if (i === 0 || i === n - 1 || s.charCodeAt(i + 1) === 0x20) messySpace = true;
    } else if (c >= 0x09 && c <= 0x0d) messySpace = true;
    else break;
  }
  if (i === n) {
    const lower = s.toLowerCase();
    return messySpace ? lower.replace(ASCII_WHITESPACE_RUN_RE, " ").trim() : lower;
  }
  return s
    .normalize("NFKC")
    .toLowerCase()
    .replace(FOLD_RE, (c) => FOLD_MAP[c] ?? "")
    .replace(WHITESPACE_RUN_RE, " ")
    .trim();
}

const TAG_DIGITS = ["ZERO", "ONE", "TWO", "THREE", "FOUR", "FIVE", "SIX", "SEVEN", "EIGHT", "NINE"];

/** Unicode name of a tag character (U+E0020–U+E007E), which mirror ASCII. */
function tagName(cp: number): string {
  const a = cp - 0xe0000;
  if (a === 0x20) return "TAG SPACE";
  if (a >= 0x30 && a <= 0x39) return `TAG DIGIT ${TAG_DIGITS[a - 0x30] ?? ""}`;
  if (a >= 0x41 && a <= 0x5a) return `TAG LATIN CAPITAL LETTER ${String.fromCharCode(a)}`;
  if (a >= 0x61 && a <= 0x7a) return `TAG LATIN SMALL LETTER ${String.fromCharCode(a - 0x20)}`;
  return `TAG ${JSON.stringify(String.fromCharCode(a))}`;
}

/**
 * Invisible format characters of the supplementary planes, named by range: musical beam, tie, slur and phrase
 * marks (U+1D173-1D17A), shorthand format controls (U+1BCA0-1BCA3), and the variation selectors of the supplement
 * (U+E0100-E01EF), which select ideograph variants and are invisible anywhere else. Each draws nothing, so
 * `ad\u{1D173}min` reads "admin".
 */
export function hiddenRangeName(cp: number): string | undefined {
  if (cp >= 0x1d173 && cp <= 0x1d17a) return "MUSICAL SYMBOL FORMAT CHARACTER";
  if (cp >= 0x1bca0 && cp <= 0x1bca3) return "SHORTHAND FORMAT CONTROL";
  if (cp >= 0xe0100 && cp <= 0xe01ef) return `VARIATION SELECTOR-${cp - 0xe0100 + 17}`;
  return undefined;
}

/** The Unicode name of an invisible character that `hiddenCharacters` reports (a control: "CONTROL CHARACTER"). */
export function invisibleCharName(cp: number): string | undefined {
  return hiddenName(cp, true);
}

function hiddenName(cp: number, controls: boolean): string | undefined {
  const name = HIDDEN_NAMES.get(cp);
  if (name !== undefined) return name;
  const ranged = hiddenRangeName(cp);
  if (ranged !== undefined) return ranged;
  if (controls && isControl(cp)) return "CONTROL CHARACTER";
  if (controls && (cp === 0xfffe || cp === 0xffff)) return "NONCHARACTER";
  return cp >= 0xe0020 && cp <= 0xe007e ? tagName(cp) : undefined;
}

/** C0 controls but tab and line breaks, DEL and the C1 controls: nothing a person types in a name or a post. */
const isControl = (cp: number): boolean =>
  (cp < 0x20 && cp !== 0x09 && cp !== 0x0a && cp !== 0x0d) || (cp >= 0x7f && cp <= 0x9f);

const BLACK_FLAG = 0x1f3f4;
const isTag = (cp: number): boolean => cp >= 0xe0020 && cp <= 0xe007e;

/**
 * Length in UTF-16 units of a subdivision-flag tag sequence (🏴 + tags + CANCEL TAG) starting right after the
 * black flag at `i`, or 0. Those tags are how England's and Scotland's flags are spelled, not hidden text.
 */
function flagTagsLength(s: string, i: number): number {
  let j = i;
  for (;;) {
    const cp = s.codePointAt(j);
    if (cp === undefined) return 0;
    if (cp === 0xe007f) return j > i ? j + 2 - i : 0;
    if (!isTag(cp)) return 0;
    j += 2;
  }
}

/**
 * The invisible characters in `s` (bidi controls, zero-width characters, invisible format characters, blank
 * fillers, tag characters outside emoji flags), with their positions, for use as evidence in reports. With
 * `controls`, also control characters (not tabs and line breaks) and U+FFFE/U+FFFF: what a reader of the report
 * or the app must see marked, but not what the email checks weigh (a charset declared wrongly turns curly quotes
 * into C1 controls) nor what mentions lose in their normal form.
 *
 * @example
 * hiddenCharacters("abc\u202Edef");
 * // [{ index: 3, codePoint: "U+202E", name: "RIGHT-TO-LEFT OVERRIDE" }]
 */
export function hiddenCharacters(s: string, opts: { controls?: boolean } = {}): HiddenCharacter[] {
  const controls = opts.controls === true;
  const found: HiddenCharacter[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // below the soft hyphen only control characters are hidden; skips ASCII text cheaply
    if (c < 0x00ad && !(controls && isControl(c))) continue;
    const cp = s.codePointAt(i) ?? c;
    if (cp === BLACK_FLAG) {
      i += 1 + flagTagsLength(s, i + 2); // the loop's i++ steps over the flag's low surrogate
      continue;
    }
    const name = hiddenName(cp, controls);
    if (name !== undefined) {
      found.push({ index: i, codePoint: `U+${cp.toString(16).toUpperCase().padStart(4, "0")}`, name });
    }
    if (cp > 0xffff) i++;
  }
  return found;
}

/** Letters by script; a letter of no listed script, and not Common or Inherited, lands in the last group. */
const SCRIPT_RE =
  /(?=\p{L})(?:(\p{Script=Latin})|(\p{Script=Arabic})|(\p{Script=Cyrillic})|(\p{Script=Greek})|(?!\p{Script=Common}|\p{Script=Inherited})(.))/gsu;
const SCRIPT_BY_GROUP: readonly Script[] = ["latin", "arabic", "cyrillic", "greek", "other"];

/**
 * The writing system of the letters in `s` (digits, punctuation, emoji and marks are ignored). "arabic" covers
 * Persian and Urdu; "mixed" means letters from more than one group, as in a Persian post with a Latin hashtag or
 * a name spoofed with Cyrillic look-alikes; "other" is any other single group (Han, Hebrew, …); "none" means no
 * letters.
 *
 * @example
 * scriptOf("سلام دنیا 123"); // "arabic"
 * scriptOf("Pаypal"); // "mixed": the second letter is Cyrillic
 */
export function scriptOf(s: string): Script {
  let seen: Script | null = null;
  for (const m of s.matchAll(SCRIPT_RE)) {
    let script: Script = "other";
    for (let g = 1; g <= 5; g++) {
      if (m[g] !== undefined) {
        script = SCRIPT_BY_GROUP[g - 1] ?? "other";
        break;
      }
    }
    if (seen === null) seen = script;
    else if (seen !== script) return "mixed";
  }
  return seen ?? "none";
}

/**
 * The first `n` UTF-16 units of `s`, one fewer when the cut would split a surrogate pair (an emoji, a character
 * beyond the Basic Multilingual Plane): a lone half is not Unicode, and JSON readers refuse it.
 *
 * @example
 * clipText("ab😀", 3); // "ab"
 */
export function clipText(s: string, n: number): string {
  if (s.length <= n) return s;
  const c = s.charCodeAt(n - 1);
  return s.slice(0, n >= 1 && c >= 0xd800 && c <= 0xdbff ? n - 1 : n);
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * `s` with every lone surrogate (half of a pair, from an input's `\ud83d` escape or a cut) replaced by U+FFFD, as a
 * UTF-8 encoder writes it: what a JSON document carries must be Unicode text.
 *
 * @example
 * wellFormed("a\ud83d b"); // "a\ufffd b"
 */
export function wellFormed(s: string): string {
  return s.replace(LONE_SURROGATE, "\ufffd");
}

/** Whether `s` holds a lone surrogate (see `wellFormed`). */
export function hasLoneSurrogate(s: string): boolean {
  LONE_SURROGATE.lastIndex = 0;
  return LONE_SURROGATE.test(s);
}

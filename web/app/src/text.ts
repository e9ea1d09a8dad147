/**
 * User text (handles, names, bios, posts) split into pieces for display: plain runs, and the hidden characters
 * inside it (bidi overrides, zero-width spaces, invisible fillers, tag characters) as visible markers, because
 * hiding them is itself evidence (a right-to-left override makes "invoice\u202Efdp.exe" read "invoiceexe.pdf").
 * Zero-width joiner and non-joiner are ordinary in Persian and in emoji and stay as they are. Long text is cut
 * and the cut is counted. The pieces are rendered as text nodes, never as markup.
 *
 * @example
 * segments("invoice\u202Efdp.exe").pieces;
 * // [{ text: "invoice" }, { hidden: "U+202E", name: "RIGHT-TO-LEFT OVERRIDE" }, { text: "fdp.exe" }]
 */

const NAMES: ReadonlyMap<number, string> = new Map([
  [0x00ad, "SOFT HYPHEN"],
  [0x034f, "COMBINING GRAPHEME JOINER"],
  [0x061c, "ARABIC LETTER MARK"],
  [0x115f, "HANGUL CHOSEONG FILLER"],
  [0x1160, "HANGUL JUNGSEONG FILLER"],
  [0x17b4, "KHMER VOWEL INHERENT AQ"],
  [0x17b5, "KHMER VOWEL INHERENT AA"],
  [0x180e, "MONGOLIAN VOWEL SEPARATOR"],
  [0x200b, "ZERO WIDTH SPACE"],
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
]);

/** The name of a hidden code point, or undefined for an ordinary one. */
export function hiddenName(cp: number): string | undefined {
  const named = NAMES.get(cp);
  if (named) return named;
  if (cp >= 0xe0000 && cp <= 0xe007f) {
    if (cp >= 0xe0020 && cp <= 0xe007e) return `TAG "${String.fromCodePoint(cp - 0xe0000)}"`;
    return cp === 0xe007f ? "CANCEL TAG" : "LANGUAGE TAG";
  }
  if (cp >= 0x1d173 && cp <= 0x1d17a) return "MUSICAL SYMBOL FORMAT CHARACTER";
  if (cp >= 0x1bca0 && cp <= 0x1bca3) return "SHORTHAND FORMAT CONTROL";
  if (cp >= 0xe0100 && cp <= 0xe01ef) return `VARIATION SELECTOR-${cp - 0xe0100 + 17}`;
  if (cp >= 0xfe00 && cp <= 0xfe0f) return undefined; // variation selectors: emoji presentation
  if (cp >= 0xfff9 && cp <= 0xfffb) return "INTERLINEAR ANNOTATION";
  // control characters (not tab and line breaks) and the two non-characters: blank or a box on screen, and not
  // allowed in the SVG export
  if ((cp < 0x20 && cp !== 0x09 && cp !== 0x0a && cp !== 0x0d) || (cp >= 0x7f && cp <= 0x9f))
    return "CONTROL CHARACTER";
  if (cp === 0xfffe || cp === 0xffff) return "NONCHARACTER";
  return undefined;
}

export type Piece = { text: string } | { hidden: string; name: string };

export interface Segmented {
  pieces: Piece[];
  /** Characters (UTF-16 units) left out after `max`. */
  cut: number;
}

/** Longest piece of one field shown; the rest is cut and the cut is said. */
export const MAX_FIELD_CHARS = 2000;

const BLACK_FLAG = 0x1f3f4;
/** Combining marks kept on one letter (pointed Hebrew, Myanmar and Vietnamese stack fewer). */
const MAX_STACKED_MARKS = 8;
const MARK_RE = /^\p{M}$/u;

/** `s` cut at `max` UTF-16 units, never splitting a surrogate pair, and how many were cut. */
export function fit(s: string, max = MAX_FIELD_CHARS): { shown: string; cut: number } {
  if (s.length <= max) return { shown: s, cut: 0 };
  let end = max;
  const c = s.charCodeAt(end - 1);
  if (c >= 0xd800 && c <= 0xdbff) end--;
  return { shown: s.slice(0, end), cut: s.length - end };
}

/**
 * `s` as plain runs and hidden-character markers, at most `max` UTF-16 units (never splitting a surrogate pair).
 * Tag characters after a black flag spell a subdivision flag (England, Scotland) and are left alone.
 */
export function segments(s: string, max = MAX_FIELD_CHARS): Segmented {
  const { shown, cut } = fit(s, max);
  const pieces: Piece[] = [];
  let run = "";
  let inFlag = false;
  let marks = 0; // combining marks in a row on the current letter
  let extra = 0; // those past MAX_STACKED_MARKS, counted and not drawn
  const flushMarks = (): void => {
    if (extra === 0) return;
    if (run) pieces.push({ text: run });
    run = "";
    pieces.push({ hidden: `+${extra} marks`, name: `${extra} more combining marks on one letter` });
    extra = 0;
  };
  for (const ch of shown) {
    const cp = ch.codePointAt(0)!;
    if (MARK_RE.test(ch)) {
      // a stack of hundreds of marks is drawn over the lines around it: past a few, they are counted instead
      if (++marks > MAX_STACKED_MARKS) {
        extra++;
        continue;
      }
    } else {
      marks = 0;
      flushMarks();
    }
    if (cp === BLACK_FLAG) inFlag = true;
    else if (inFlag && !(cp >= 0xe0020 && cp <= 0xe007f)) inFlag = false;
    const name = inFlag && cp !== BLACK_FLAG ? undefined : hiddenName(cp);
    if (name === undefined) {
      run += ch;
      continue;
    }
    if (run) pieces.push({ text: run });
    run = "";
    pieces.push({ hidden: `U+${cp.toString(16).toUpperCase().padStart(4, "0")}`, name });
  }
  flushMarks();
  if (run) pieces.push({ text: run });
  return { pieces, cut };
}

/** A phrase that a sentence quotes from the case, quotation marks included. */
const QUOTED = /("[^"\n]{1,400}")/;

/**
 * One of the case's English sentences (a campaign's summary, a finding's explanation, a reason of a reported
 * message) as its plain runs and the phrases it quotes from the case, in order: each quote is shown isolated with
 * its own direction (a Persian post quoted in an English sentence ends in its own punctuation), as the report's
 * `sentence` (src/report/html/escape.ts) shows it.
 *
 * @example
 * quotedParts('the post "سلام!" (post 7)'); // [{ plain: "the post " }, { quoted: "سلام!" }, { plain: " (post 7)" }]
 */
export function quotedParts(s: string): Array<{ plain: string } | { quoted: string }> {
  return s
    .split(QUOTED)
    .filter((p) => p !== "")
    .map((p) =>
      p.length >= 2 && p.startsWith('"') && p.endsWith('"') ? { quoted: p.slice(1, -1) } : { plain: p },
    );
}

/** The same text as one plain string with the markers written out, for titles, SVG labels and exports. */
export function visible(s: string | null | undefined, max = 200): string {
  if (!s) return "";
  const { pieces, cut } = segments(s, max);
  return pieces.map((p) => ("text" in p ? p.text : `[${p.hidden}]`)).join("") + (cut > 0 ? "…" : "");
}

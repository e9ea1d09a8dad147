/**
 * Confusable characters (Unicode TR39): the skeleton under which "pаypal" (Cyrillic а) and "paypal" compare
 * equal, the matching keys the impersonation detector indexes handles and names by, and character-level diffs
 * with Unicode names so an investigator can see exactly which letters were swapped.
 *
 * The mapping is Unicode's confusables.txt (see data/confusables-data.ts for the version and coverage, and
 * data/UNICODE-LICENSE.txt). Tables are parsed on first use.
 */
import {
  CONFUSABLES_DATA,
  CONFUSABLES_DATE,
  CONFUSABLES_ENTRIES,
  CONFUSABLES_NAMES,
  CONFUSABLES_NOTE,
  CONFUSABLES_VERSION,
} from "./data/confusables-data.js";
import { foldText, invisibleCharName } from "./text.js";

export const CONFUSABLES_INFO = {
  version: CONFUSABLES_VERSION,
  date: CONFUSABLES_DATE,
  entries: CONFUSABLES_ENTRIES,
  note: CONFUSABLES_NOTE,
} as const;

let prototypes: Map<number, string> | null = null;
let names: Map<number, string> | null = null;

function table(): Map<number, string> {
  if (prototypes) return prototypes;
  const m = new Map<number, string>();
  for (const line of CONFUSABLES_DATA.split("\n")) {
    const eq = line.indexOf("=");
    const target = String.fromCodePoint(
      ...line
        .slice(0, eq)
        .split("+")
        .map((h) => parseInt(h, 16)),
    );
    for (const src of line.slice(eq + 1).split(" ")) m.set(parseInt(src, 16), target);
  }
  prototypes = m;
  return m;
}

function nameTable(): Map<number, string> {
  if (names) return names;
  const m = new Map<number, string>();
  for (const line of CONFUSABLES_NAMES.split("\n")) {
    const i = line.indexOf(";");
    m.set(parseInt(line.slice(0, i), 16), line.slice(i + 1));
  }
  names = m;
  return m;
}

/** The prototype (one or more characters) a code point is confusable with, or undefined if it is its own. */
export function prototypeOf(cp: number): string | undefined {
  return table().get(cp);
}

/**
 * TR39 skeleton: NFD, each character replaced by its prototype, NFD again. Case-sensitive, as the standard is
 * ("I" and "l" share a skeleton; "i" does not).
 *
 * @example skeleton("pаypal") === skeleton("paypal"); // true
 */
export function skeleton(s: string): string {
  const t = table();
  let out = "";
  for (const ch of s.normalize("NFD")) {
    const p = t.get(ch.codePointAt(0)!);
    out += p ?? ch;
  }
  return out.normalize("NFD");
}

const EASTERN_DIGIT_RE = /[\u0660-\u0669\u06f0-\u06f9]/gu;
const ARABIC_MARKS_RE = /[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]/gu;
/** Invisible and format characters that never change how a name looks (bidi controls, joiners, fillers). */
/* eslint-disable no-misleading-character-class -- lone format characters and marks are matched on purpose */
const INVISIBLE_RE =
  /[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\u{e0000}-\u{e007f}]/gu;
const INVISIBLE_ONE_RE = new RegExp(`^${INVISIBLE_RE.source}$`, "u");
/* eslint-enable no-misleading-character-class */

/** Whether the one character `ch` is invisible to a reader and dropped from match keys (a joiner, a bidi control). */
export function isInvisible(ch: string): boolean {
  return INVISIBLE_ONE_RE.test(ch);
}

/**
 * The key under which two handles or names look the same: NFKC; invisible characters, Arabic harakat and
 * tatweel removed; Arabic-Indic and Persian digits made ASCII; TR39 skeleton (case-sensitive first, so capital I and small l meet); then folded (lower case,
 * Persian/Arabic letter and digit unification, see foldText) and mapped again until stable.
 *
 * @example matchKey("IlhanOmar") === matchKey("llhanomar"); matchKey("علي") === matchKey("علی");
 */
export function matchKey(s: string): string {
  const ascii = asciiMatchKey(s);
  if (ascii !== undefined) return ascii;
  // digits first: a Persian zero is the number 0 to its writer, not the full stop it resembles
  const base = s
    .normalize("NFKC")
    .replace(INVISIBLE_RE, "")
    .replace(ARABIC_MARKS_RE, "")
    .replace(EASTERN_DIGIT_RE, (d) => String((d.charCodeAt(0) - 0x0660) % 0x90));
  let t = skeleton(base);
  for (let i = 0; i < 4; i++) {
    const next = skeleton(foldText(t)).toLowerCase();
    if (next === t) break;
    t = next;
  }
  return t;
}

/**
 * matchKey of each printable ASCII character (0x21-0x7e) whose every form along the way (skeleton, then each
 * fold-and-skeleton step) is printable ASCII and which reaches a fixed point within matchKey's steps; undefined
 * for the others. On such characters each step rewrites every character on its own (NFKC and NFD leave ASCII
 * unchanged, the fold only lower-cases it), so the key of a string made of them is the concatenation of their
 * keys: handles, mostly ASCII, skip the normalisations.
 */
let asciiKeys: (string | undefined)[] | null = null;

function asciiKeyTable(): (string | undefined)[] {
  if (asciiKeys) return asciiKeys;
  const printable = (t: string): boolean => /^[\x21-\x7e]*$/.test(t);
  const step = (t: string): string => skeleton(foldText(t)).toLowerCase();
  const keys: (string | undefined)[] = new Array<string | undefined>(128).fill(undefined);
  for (let c = 0x21; c < 0x7f; c++) {
    let t = skeleton(String.fromCharCode(c));
    let ok = printable(t);
    for (let i = 0; i < 4 && ok; i++) {
      const next = step(t);
      ok = printable(next);
      if (next === t) break;
      t = next;
    }
    if (ok && step(t) === t) keys[c] = t;
  }
  asciiKeys = keys;
  return keys;
}

/** matchKey of a string of printable ASCII characters from the table above, or undefined. */
function asciiMatchKey(s: string): string | undefined {
  const keys = asciiKeyTable();
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const k = c < 128 ? keys[c] : undefined;
    if (k === undefined) return undefined;
    out += k;
  }
  return out;
}

const SEPARATORS_RE = /[\s._\-·'"’]+/gu;
const COMBINING_RE = /\p{M}+/gu;
const TRAILING_NUMBER_RE = /[\s._-]*\p{Nd}+$/u;

/**
 * A looser key for separator, number and accent tricks: a trailing number is dropped first (in any script's
 * digits), then the match key is taken (so digits inside the handle that look like letters, "g00gle", become
 * letters) and separators (_ . - spaces) and combining marks are removed: "bbc_persian", "bbcpersian2024" and
 * "bbcpersián" all give "bbcpersian".
 */
export function looseKey(s: string): string {
  const base = s.normalize("NFKC").replace(INVISIBLE_RE, "").replace(TRAILING_NUMBER_RE, "");
  return matchKey(base).replace(COMBINING_RE, "").replace(SEPARATORS_RE, "");
}

/** Names of characters that copies add or swap and that the confusables data does not name. */
const OTHER_NAMES: ReadonlyMap<number, string> = new Map([
  [0x0300, "COMBINING GRAVE ACCENT"],
  [0x0301, "COMBINING ACUTE ACCENT"],
  [0x0302, "COMBINING CIRCUMFLEX ACCENT"],
  [0x0303, "COMBINING TILDE"],
  [0x0304, "COMBINING MACRON"],
  [0x0307, "COMBINING DOT ABOVE"],
  [0x0308, "COMBINING DIAERESIS"],
  [0x0323, "COMBINING DOT BELOW"],
  [0x0640, "ARABIC TATWEEL"],
  [0x064b, "ARABIC FATHATAN"],
  [0x064c, "ARABIC DAMMATAN"],
  [0x064d, "ARABIC KASRATAN"],
  [0x064e, "ARABIC FATHA"],
  [0x064f, "ARABIC DAMMA"],
  [0x0650, "ARABIC KASRA"],
  [0x0651, "ARABIC SHADDA"],
  [0x0652, "ARABIC SUKUN"],
]);

/** The Unicode name of a code point, from the confusables data; generic for characters it does not cover. */
export function charName(cp: number): string {
  const n = nameTable().get(cp) ?? invisibleCharName(cp) ?? OTHER_NAMES.get(cp);
  if (n) return n;
  // fullwidth forms of ASCII letters, a favourite of handle copies ("ｎａｓｒｉｎ")
  if (cp >= 0xff41 && cp <= 0xff5a)
    return `FULLWIDTH LATIN SMALL LETTER ${String.fromCharCode(cp - 0xff41 + 65)}`;
  if (cp >= 0xff21 && cp <= 0xff3a)
    return `FULLWIDTH LATIN CAPITAL LETTER ${String.fromCharCode(cp - 0xff21 + 65)}`;
  if (cp >= 0x61 && cp <= 0x7a) return `LATIN SMALL LETTER ${String.fromCharCode(cp - 32)}`;
  if (cp >= 0x41 && cp <= 0x5a) return `LATIN CAPITAL LETTER ${String.fromCharCode(cp)}`;
  const ch = String.fromCodePoint(cp);
  const script = /\p{Script=Arabic}/u.test(ch)
    ? "ARABIC "
    : /\p{Script=Cyrillic}/u.test(ch)
      ? "CYRILLIC "
      : /\p{Script=Greek}/u.test(ch)
        ? "GREEK "
        : /\p{Script=Latin}/u.test(ch)
          ? "LATIN "
          : "";
  const kind = /\p{L}/u.test(ch)
    ? "LETTER"
    : /\p{N}/u.test(ch)
      ? "DIGIT"
      : /\p{M}/u.test(ch)
        ? "MARK"
        : "CHARACTER";
  return `${script}${kind} (name not in Chorus's table)`;
}

/** "U+0430 CYRILLIC SMALL LETTER A" */
export function codePointLabel(cp: number): string {
  return `U+${cp.toString(16).toUpperCase().padStart(4, "0")} ${charName(cp)}`;
}

export interface CharDiff {
  /** substitute: `suspect` shown where the original has `original`; insert: extra in suspect; delete: missing. */
  op: "substitute" | "insert" | "delete";
  /** Position (in code points) in the suspect string; for delete, the position before which it is missing. */
  at: number;
  suspect?: { char: string; codePoint: string; name: string };
  original?: { char: string; codePoint: string; name: string };
  /** For substitutions: the two characters share a confusables prototype (a homoglyph swap). */
  confusable?: boolean;
}

function describe(cp: number): { char: string; codePoint: string; name: string } {
  return {
    char: String.fromCodePoint(cp),
    codePoint: `U+${cp.toString(16).toUpperCase().padStart(4, "0")}`,
    name: charName(cp),
  };
}

/** Cells of the edit table past which `charDiff` compares position by position (about 2,000 by 2,000). */
export const DIFF_MAX_CELLS = 4_000_000;

/**
 * The character differences between a suspect string and the original it resembles, as a minimal edit script
 * over code points (NFC). Letters that differ only in case count as equal, since handles are case-insensitive.
 * Strings too long for the edit table (`DIFF_MAX_CELLS`; names and bios are unbounded in the data, and a pair of
 * 40,000-character names took 47 s and 6.4 GB) are compared position by position, the longer one's tail inserted
 * or deleted: minimal when they differ by substitutions only, as a homoglyph copy does.
 */
export function charDiff(suspect: string, original: string): CharDiff[] {
  const a = [...suspect.normalize("NFC")].map((c) => c.codePointAt(0)!);
  const b = [...original.normalize("NFC")].map((c) => c.codePointAt(0)!);
  // each code point's lower case, once per string (not per cell of the table)
  const la = a.map((x) => String.fromCodePoint(x).toLowerCase());
  const lb = b.map((y) => String.fromCodePoint(y).toLowerCase());
  const same = (i: number, j: number): boolean => a[i] === b[j] || la[i] === lb[j];
  const n = a.length;
  const m = b.length;
  const substitute = (i: number, j: number): CharDiff => ({
    op: "substitute",
    at: i,
    suspect: describe(a[i]!),
    original: describe(b[j]!),
    confusable: matchKey(String.fromCodePoint(a[i]!)) === matchKey(String.fromCodePoint(b[j]!)),
  });
  if ((n + 1) * (m + 1) > DIFF_MAX_CELLS) {
    const out: CharDiff[] = [];
    for (let i = 0; i < Math.min(n, m); i++) if (!same(i, i)) out.push(substitute(i, i));
    for (let i = m; i < n; i++) out.push({ op: "insert", at: i, suspect: describe(a[i]!) });
    for (let j = n; j < m; j++) out.push({ op: "delete", at: n, original: describe(b[j]!) });
    return out;
  }
  // Costs in units of 1/EDIT of an edit: every edit costs EDIT, and an edit that is not a lookalike swap one unit
  // more, so that of the scripts with the fewest edits the one with the most lookalike swaps is chosen
  // ("ی in place of ي" twice and an added mark, not a yeh added and a mark in place of a yeh). The units never add
  // up to an edit, since a script has fewer than EDIT edits; the sums stay exact integers in a double.
  const EDIT = n + m + 1;
  const ka = a.map((x) => matchKey(String.fromCodePoint(x)));
  const kb = b.map((y) => matchKey(String.fromCodePoint(y)));
  const subCost = (i: number, j: number): number => (same(i, j) ? 0 : ka[i] === kb[j] ? EDIT : EDIT + 1);
  const w = m + 1;
  // the weighted edit-distance table, flat: d[i * w + j]
  const d = new Float64Array((n + 1) * w);
  for (let j = 0; j <= m; j++) d[j] = j * (EDIT + 1);
  for (let i = 1; i <= n; i++) {
    d[i * w] = i * (EDIT + 1);
    for (let j = 1; j <= m; j++) {
      d[i * w + j] = Math.min(
        d[(i - 1) * w + j]! + EDIT + 1,
        d[i * w + j - 1]! + EDIT + 1,
        d[(i - 1) * w + j - 1]! + subCost(i - 1, j - 1),
      );
    }
  }
  const out: CharDiff[] = [];
  let i = n;
  let j = m;
  while (i > 0 || j > 0) {
    if (i > 0 && j > 0 && d[i * w + j] === d[(i - 1) * w + j - 1]! + subCost(i - 1, j - 1)) {
      if (!same(i - 1, j - 1)) out.push(substitute(i - 1, j - 1));
      i--;
      j--;
    } else if (i > 0 && d[i * w + j] === d[(i - 1) * w + j]! + EDIT + 1) {
      out.push({ op: "insert", at: i - 1, suspect: describe(a[i - 1]!) });
      i--;
    } else {
      out.push({ op: "delete", at: i, original: describe(b[j - 1]!) });
      j--;
    }
  }
  return out.reverse();
}

/** Plain-English rendering of a diff: "U+0456 CYRILLIC ... in place of U+0069 LATIN SMALL LETTER I". */
export function describeDiff(diff: CharDiff[]): string {
  return diff
    .map((x) =>
      x.op === "substitute"
        ? `${x.suspect!.codePoint} ${x.suspect!.name} in place of ${x.original!.codePoint} ${x.original!.name}`
        : x.op === "insert"
          ? `an added ${x.suspect!.codePoint} ${x.suspect!.name}`
          : `a dropped ${x.original!.codePoint} ${x.original!.name}`,
    )
    .join("; ");
}

/** Levenshtein distance over code points, giving up (returning max + 1) once it must exceed `max`. */
export function boundedEditDistance(a: string, b: string, max: number): number {
  // without surrogates, UTF-16 units are the code points: no arrays of characters needed
  const bmp = !SURROGATE_RE.test(a) && !SURROGATE_RE.test(b);
  const x: ArrayLike<string | number> = bmp ? a : [...a];
  const y: ArrayLike<string | number> = bmp ? b : [...b];
  const at = bmp
    ? (s: ArrayLike<string | number>, i: number): string | number => (s as string).charCodeAt(i)
    : (s: ArrayLike<string | number>, i: number): string | number => s[i]!;
  if (Math.abs(x.length - y.length) > max) return max + 1;
  let prev = new Int32Array(y.length + 1);
  let cur = new Int32Array(y.length + 1);
  for (let j = 0; j <= y.length; j++) prev[j] = j;
  for (let i = 1; i <= x.length; i++) {
    cur[0] = i;
    let best = i;
    const xi = at(x, i - 1);
    for (let j = 1; j <= y.length; j++) {
      const v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (xi === at(y, j - 1) ? 0 : 1));
      cur[j] = v;
      if (v < best) best = v;
    }
    if (best > max) return max + 1;
    const t = prev;
    prev = cur;
    cur = t;
  }
  return prev[y.length]!;
}

const SURROGATE_RE = /[\ud800-\udfff]/;

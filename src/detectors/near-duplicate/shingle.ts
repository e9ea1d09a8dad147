/**
 * The part of a post's text that near-duplicate matching compares: its words, folded, with everything that
 * copies drift on (or that other layers already cover) taken out.
 *
 * Links, @mentions and #hashtags are removed first: they are layers of their own, and a text that is only a link
 * or a hashtag must not tie every post that shares it a second time. The rest goes through `foldText` (NFKC,
 * case, Persian/Arabic letter forms, digits, ZWNJ, bidi marks, harakat, tatweel), then only letters, digits and
 * the marks that belong to letters are kept: punctuation, emoji, symbols and spaces go. Dropping spaces makes
 * "می خواهم", "می‌خواهم" and "میخواهم" one string, and makes shingles indifferent to doubled spaces and to
 * punctuation glued to words.
 */
import { foldText } from "../../normalize/text.js";
import { prototypeOf } from "../../normalize/confusables.js";

// A scheme (or www.) up to the next space; or a bare host with a path ("bit.ly/x", "example.com/a"). Each is tried
// only where it can begin, so that the pattern reads a text in one pass: a scheme at the first letter of its run of
// scheme characters (where a scan from the left would find it anyway), a host where its run of host characters
// begins. Tried at every letter, a text of 100,000 letters after a slash took 44 s (each letter began a scan to
// the end of the run).
export const LINK_RE =
  /(?:[a-z](?<=(?<![a-z0-9+.-])[0-9+.-]*[a-z])[a-z0-9+.-]*:\/\/|www\.)\S*|(?<![\p{L}\p{N}.-])[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.[a-z]{2,}\/\S*/giu;
// @handle, #tag (Persian tags keep their ZWNJ and underscores); fullwidth signs too. A retweet's "RT", a modified
// tweet's "MT" and an attribution's "via" go with the handle they introduce: "RT @ali: text" is the text, and the
// two letters would set a manual retweet apart from its original by two shingles (a fifth of a 24-letter text's).
const ENTITY_RE =
  /(?:(?<![\p{L}\p{N}_])(?:rt|mt|via)\s*(?::\s*)?(?=[@\uff20]))?[@#\uff20\uff03](?:[\p{L}\p{N}\p{M}_.]|\u200c|\u200d)*/giu;
const HAS_ENTITY_RE = /[@#\uff20\uff03]/u;

/**
 * Whether a text ends in an ellipsis, blanks and invisible marks aside: a text cut short to fit says so that way (a
 * retweet or a cross-post, "RT @ali: the first half of the message… https://t.co/x" once its link is gone). Read
 * from the end, not by a pattern anchored there, which tried every dot of a text of dots and blanks.
 */
export function endsInEllipsis(s: string): boolean {
  let i = s.length - 1;
  for (; i >= 0; i--) {
    const c = s.charCodeAt(i);
    const blank =
      c <= 0x20 ||
      c === 0x85 ||
      c === 0xa0 ||
      c === 0x1680 ||
      (c >= 0x2000 && c <= 0x200f) ||
      (c >= 0x2028 && c <= 0x202f) ||
      (c >= 0x205f && c <= 0x206f) ||
      c === 0x3000 ||
      c === 0xfeff;
    if (!blank) break;
  }
  if (i < 0) return false;
  if (s.charCodeAt(i) === 0x2026) return true;
  return i >= 2 && s.charCodeAt(i) === 0x2e && s.charCodeAt(i - 1) === 0x2e && s.charCodeAt(i - 2) === 0x2e;
}
const NOT_LETTER_RE = /[^\p{L}\p{N}\p{Mn}\p{Mc}]+/gu;

/**
 * The letters and digits of a text as near-duplicate matching sees them.
 *
 * @example
 * matchingLetters("RT @ali: می‌خواهم   بروم!! 🙂 https://x.co/a #تهران") === matchingLetters("میخواهم بروم"); // true
 */
export function matchingLetters(text: string): string {
  const out = new MatchingCodes();
  const n = out.fill(text);
  let s = "";
  for (let i = 0; i < n; i += 4096) s += String.fromCharCode(...out.codes.subarray(i, Math.min(n, i + 4096)));
  return s;
}

/**
 * What the fold-and-filter step does with one UTF-16 code unit of an NFKC-normalised, lower-cased text: drop it
 * (0, the table's default), keep it, or replace it with the string in `unitMap`.
 */
const KEEP = 1;
const MAP = 2;
let unitClass: Uint8Array | null = null;
const unitMap = new Map<number, string>();
/** The same for astral code points (emoji mostly), filled as they are met. */
const astral = new Map<number, string>();

/**
 * The Latin letter a Cyrillic or Greek letter is drawn like (Cyrillic а, е, о, р, с, Greek ο, ρ: their prototypes
 * in Unicode's confusables), or undefined. A copy that swaps some of its Latin letters for these reads the same to
 * every reader, and scored 0.04 against its original; mapped, it is the original. Russian or Greek texts compare
 * with one another as before, mapped alike; they meet no Latin text by it, having letters without a Latin twin.
 */
function latinTwin(c: number): string | undefined {
  if (c < 0x0370 || c > 0x04ff) return undefined;
  const p = prototypeOf(c);
  return p !== undefined && /^[a-z]$/i.test(p) ? p.toLowerCase() : undefined;
}

/**
 * The per-code-unit table, built once from `foldText` itself so that the two can never disagree (but for the
 * Latin twins of Cyrillic and Greek letters, `latinTwin`): a code unit is dropped when folding and filtering leave
 * nothing of it, kept when they leave it as it is, else mapped.
 */
function unitTable(): Uint8Array {
  if (unitClass) return unitClass;
  const t = new Uint8Array(0x10000);
  for (let c = 0; c < 0x10000; c++) {
    if (c >= 0xd800 && c <= 0xdfff) continue; // surrogates: a pair is looked up whole, a lone one is dropped
    const s = String.fromCharCode(c);
    const folded = foldText(s);
    const twin = folded.length === 1 ? latinTwin(folded.charCodeAt(0)) : undefined;
    if (twin !== undefined) {
      t[c] = MAP;
      unitMap.set(c, twin);
      continue;
    }
    const out = folded.replace(NOT_LETTER_RE, "");
    if (out === s) t[c] = KEEP;
    else if (out !== "") {
      t[c] = MAP;
      unitMap.set(c, out);
    }
  }
  return (unitClass = t);
}

function astralOut(cp: number): string {
  let out = astral.get(cp);
  if (out === undefined) {
    out = foldText(String.fromCodePoint(cp)).replace(NOT_LETTER_RE, "");
    astral.set(cp, out);
  }
  return out;
}

/**
 * `matchingLetters` into a reusable buffer of UTF-16 code units, without building the string: one pass over the
 * normalised text with a table lookup per code unit instead of two Unicode-property regular expressions (the
 * regular expressions cost about 10 microseconds per post). One instance per run.
 */
export class MatchingCodes {
  codes = new Uint16Array(1024);
  /** Whether the text last filled ends in an ellipsis, as texts cut short to fit do (see `isCutPair`). */
  cut = false;

  /** Fills `codes` with the matching form of `text`; returns its length. */
  fill(text: string): number {
    let bare = text;
    // only texts that can hold a link are read for links
    if (bare.includes("/")) bare = bare.replace(LINK_RE, " ");
    if (HAS_ENTITY_RE.test(bare)) bare = bare.replace(ENTITY_RE, " ");
    this.cut = endsInEllipsis(bare);
    let ascii = true;
    for (let i = 0; i < bare.length; i++)
      if (bare.charCodeAt(i) > 0x7e) {
        ascii = false;
        break;
      }
    const s = (ascii ? bare : bare.normalize("NFKC")).toLowerCase();
    const table = unitTable();
    const n = s.length;
    if (this.codes.length < n + 16) this.codes = new Uint16Array(n * 2 + 16);
    let out = this.codes;
    let k = 0;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      const kind = table[c]!;
      if (kind === KEEP) {
        out[k++] = c; // (room: every code unit yields at most one before this, and mapped ones check below)
        continue;
      }
      let m: string;
      if (kind === MAP) m = unitMap.get(c)!;
      else if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
        const d = s.charCodeAt(i + 1);
        if (d < 0xdc00 || d > 0xdfff) continue;
        m = astralOut(((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000);
        i++;
      } else continue;
      if (k + m.length + (n - i) > out.length) {
        const grown = new Uint16Array((k + m.length + n - i) * 2);
        grown.set(out.subarray(0, k));
        this.codes = out = grown;
      }
      for (let j = 0; j < m.length; j++) out[k++] = m.charCodeAt(j);
    }
    return k;
  }
}

/** Shingle hashes are fmix32-scrambled Rabin-Karp hashes of `k` consecutive UTF-16 code units. */
const BASE = 0x01000193;

/** The murmur3 finaliser: a fast 32-bit bijection that spreads every input bit over the output. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Calls `each` with the hash of every `k`-gram of `s` (for a string shorter than `k`, once, with the whole
 * string). Repeated shingles are reported each time; MinHash does not mind.
 */
export function forEachShingle(s: string, k: number, each: (hash: number) => void): void {
  const n = s.length;
  if (n === 0) return;
  if (n <= k) {
    let h = 0;
    for (let i = 0; i < n; i++) h = (Math.imul(h, BASE) + s.charCodeAt(i)) | 0;
    each(fmix32(h ^ n));
    return;
  }
  // BASE^(k-1), to take the leaving code unit out of the rolling hash
  let top = 1;
  for (let i = 1; i < k; i++) top = Math.imul(top, BASE);
  let h = 0;
  for (let i = 0; i < k; i++) h = (Math.imul(h, BASE) + s.charCodeAt(i)) | 0;
  each(fmix32(h ^ k));
  for (let i = k; i < n; i++) {
    h = (Math.imul(h - Math.imul(s.charCodeAt(i - k), top), BASE) + s.charCodeAt(i)) | 0;
    each(fmix32(h ^ k));
  }
}

/** Two independent 32-bit hashes of the whole string: the exact-duplicate key (collisions ~ n^2 / 2^65). */
export function textKey(s: string): [number, number] {
  const codes = new Uint16Array(s.length);
  for (let i = 0; i < s.length; i++) codes[i] = s.charCodeAt(i);
  const out = new Uint32Array(2);
  textKeyCodes(codes, s.length, out);
  return [out[0]!, out[1]!];
}

/** `textKey` of the first `n` code units of `codes`, into `out[0]` and `out[1]`. */
export function textKeyCodes(codes: Uint16Array, n: number, out: Uint32Array): void {
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  for (let i = 0; i < n; i++) {
    const c = codes[i]!;
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  out[0] = fmix32(a ^ n);
  out[1] = fmix32(b);
}

/**
 * The length of a matching text with its repeats not counted: its distinct `k`-shingles plus k - 1. A text without
 * a repeated shingle keeps its length; a chant does not grow by being repeated ("آزادی آزادی آزادی ...", "hahaha",
 * one slogan written five times: each counts what it says once), so that length thresholds keep out what many
 * people write independently however many times they write it. Counted up to `cap` only: a text that gets there is
 * given its whole length, as only thresholds at or below `cap` read the result, and a long text then costs about
 * `cap` steps, not its length. One instance per run.
 *
 * @example
 * const len = new DistinctLength(4, 60);
 * len.of(codesOf("ازادیازادیازادیازادیازادیازادی"), 30); // 8: five distinct shingles, plus three
 */
export class DistinctLength {
  private readonly keys: Int32Array;
  private readonly stamps: Uint32Array;
  private readonly shift: number;
  private readonly top: number;
  private stamp = 0;

  constructor(
    readonly k: number,
    readonly cap: number,
  ) {
    let bits = 6;
    while (1 << bits < 2 * cap) bits++;
    this.keys = new Int32Array(1 << bits);
    this.stamps = new Uint32Array(1 << bits);
    this.shift = 32 - bits;
    let top = 1;
    for (let i = 1; i < k; i++) top = Math.imul(top, BASE);
    this.top = top;
  }

  /** The length of the first `n` code units of `codes`, repeats not counted, up to `cap` (see the class). */
  of(codes: Uint16Array, n: number): number {
    const { k, keys, stamps, shift, top } = this;
    // distinct shingles that take a text to the cap
    const enough = this.cap - k + 1;
    if (n <= k || enough <= 1) return n;
    if (++this.stamp === 0xffffffff) {
      stamps.fill(0);
      this.stamp = 1;
    }
    const stamp = this.stamp;
    const mask = (1 << (32 - shift)) - 1;
    let h = 0;
    for (let i = 0; i < k - 1; i++) h = (Math.imul(h, BASE) + codes[i]!) | 0;
    let distinct = 0;
    for (let i = k - 1; i < n; i++) {
      // the rolling hash of the shingle ending at i (the same as `forEachShingle`'s, before its scrambling)
      h =
        i < k
          ? (Math.imul(h, BASE) + codes[i]!) | 0
          : (Math.imul(h - Math.imul(codes[i - k]!, top), BASE) + codes[i]!) | 0;
      let at = Math.imul(h, 0x9e3779b1) >>> shift;
      for (;;) {
        if (stamps[at] !== stamp) {
          stamps[at] = stamp;
          keys[at] = h;
          if (++distinct >= enough) return n;
          break;
        }
        if (keys[at] === h) break;
        at = (at + 1) & mask;
      }
    }
    return Math.min(n, distinct + k - 1);
  }
}

/** Letters at the start of a text that `prefixKey` reads: about six words. */
export const PREFIX_LETTERS = 32;

/**
 * A 32-bit key of the first `PREFIX_LETTERS` code units of a matching text, never 0; 0 for a shorter text. A text
 * cut short to fit keeps the start of the text it was cut from, so the two meet on this key however little of the
 * text the cut one keeps (see `clusterSketches`).
 */
export function prefixKey(codes: Uint16Array, n: number): number {
  if (n < PREFIX_LETTERS) return 0;
  let a = 0x811c9dc5;
  for (let i = 0; i < PREFIX_LETTERS; i++) a = Math.imul(a ^ codes[i]!, 0x01000193);
  return (fmix32(a) | 1) >>> 0;
}

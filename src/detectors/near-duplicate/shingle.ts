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

// A scheme (or www.) up to the next space; or a bare host with a path ("bit.ly/x", "example.com/a").
const LINK_RE =
  /(?:[a-z][a-z0-9+.-]*:\/\/|www\.)\S*|\b[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.[a-z]{2,}\/\S*/giu;
// @handle, #tag (Persian tags keep their ZWNJ and underscores); fullwidth signs too.
const ENTITY_RE = /[@#\uff20\uff03](?:[\p{L}\p{N}\p{M}_.]|\u200c|\u200d)*/gu;
const HAS_ENTITY_RE = /[@#\uff20\uff03]/u;
const NOT_LETTER_RE = /[^\p{L}\p{N}\p{Mn}\p{Mc}]+/gu;

/**
 * The letters and digits of a text as near-duplicate matching sees them.
 *
 * @example
 * matchingLetters("RT @ali: می‌خواهم   بروم!! 🙂 https://x.co/a #تهران") === matchingLetters("rt میخواهم بروم"); // true
 */
export function matchingLetters(text: string): string {
  let bare = text;
  // the link pattern backtracks over every word: only run it on texts that can hold a link
  if (bare.includes("/")) bare = bare.replace(LINK_RE, " ");
  if (HAS_ENTITY_RE.test(bare)) bare = bare.replace(ENTITY_RE, " ");
  return foldText(bare).replace(NOT_LETTER_RE, "");
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
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  return [fmix32(a ^ s.length), fmix32(b)];
}

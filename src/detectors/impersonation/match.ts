/**
 * The matching kernel, over plain arrays so it can be benchmarked on a million accounts without a case file.
 *
 * Candidate pairs are found by blocking, never by comparing all pairs: accounts are indexed by the confusable
 * match key of their handle, by its loose key (separators, trailing numbers, accents dropped), by the
 * one-deletion neighbourhood of the match key (two keys within edit distance 1 share a deletion variant), by the
 * match key of their display name, by chunks of their avatar hash, and by MinHash bands of their bio. Only pairs
 * that could be reported are verified (see matchAmongAccounts), exactly, and only reported pairs are described.
 */
import {
  boundedEditDistance,
  charDiff,
  isInvisible,
  looseKey,
  matchKey,
  skeleton,
  type CharDiff,
} from "../../normalize/confusables.js";
import { foldText } from "../../normalize/text.js";
import { PairTable } from "../../stats/pair-table.js";
import { hamming, validHash } from "./avatar.js";
import { decoratedName, ownProfile, type OwnProfile } from "./namesake.js";
import { samePlatform, type ProtectedIdentity } from "./protect.js";
import { lowerHandle as lower, sameSpelling, typedForm } from "./spelling.js";

export { typedForm };

export interface AccountLite {
  platform: string;
  handle: string | null;
  displayName: string | null;
  bio: string | null;
  followers: number | null;
  createdMs: number | null;
  avatarHash: string | null;
}

export interface MatchOptions {
  /** Shortest match key for the loose and edit-distance tiers (short handles collide by chance). */
  minKeyLength: number;
  /** A display name must be at least this long (match key) to count as a copied name. */
  minNameLength: number;
  /** Largest block compared pairwise; beyond it, members are only compared with the block's most followed. */
  maxBlock: number;
  popularFollowers: number;
  popularRatio: number;
  bioMinLength: number;
  bioSimilarity: number;
  avatarMaxHamming: number;
  /** An avatar hash shared by more accounts than this is a platform default picture and is ignored. */
  defaultAvatarShare: number;
  /** Days by which one of two lookalike accounts must be older than the other for its age to name the original. */
  ageMarginDays: number;
}

export const DEFAULT_MATCH_OPTIONS: MatchOptions = {
  minKeyLength: 5,
  minNameLength: 6,
  maxBlock: 64,
  popularFollowers: 10_000,
  popularRatio: 10,
  bioMinLength: 30,
  bioSimilarity: 0.6,
  avatarMaxHamming: 6,
  defaultAvatarShare: 50,
  ageMarginDays: 90,
};

export type Signal =
  | { kind: "handle"; tier: "confusable" | "loose" | "edit"; distance: number; diff: CharDiff[] }
  | { kind: "display_name"; tier: "same" | "confusable"; diff: CharDiff[] }
  | { kind: "bio"; jaccard: number }
  | { kind: "avatar"; hamming: number };

export interface Match {
  /** Index of the imitating account. */
  suspect: number;
  /** Index of the imitated protected identity, or of the imitated account. */
  target: { protectedIndex: number } | { accountIndex: number };
  signals: Signal[];
  score: number;
  strength: "weak" | "moderate" | "strong";
  /**
   * Among accounts: how the original was told from the copy. "uncertain" when nothing tells them apart, or when
   * the older account has far fewer followers (followers can be bought, age cannot): both are named, and the
   * score is lowered.
   */
  direction?: "followers" | "created_at" | "homoglyphs" | "uncertain";
  /**
   * Against a protect list: the handles differ only by letters that Arabic and Persian keyboards or spellings
   * write differently (ي for ی, ك for ک, أ for ا): the account may be the listed one, written on another keyboard,
   * or a copy that uses the other keyboard's letters. Reported weak, saying so.
   */
  keyboardOnly?: boolean;
  /**
   * Among accounts: all that matches a popular account is its plain display name and a handle that varies its
   * own, not disguised, with no bio, photo or decorated name copied: what its namesakes look like as much as its
   * copies. Reported weak, with what the account has of its own.
   */
  namesake?: OwnProfile;
}

interface Keys {
  handleKey: string[];
  handleLoose: string[];
  nameKey: string[];
}

function keysOf(accounts: AccountLite[]): Keys {
  const handleKey: string[] = [];
  const handleLoose: string[] = [];
  const nameKey: string[] = [];
  // display names repeat (common names): each distinct one is keyed once
  const names = new Map<string, string>();
  for (const a of accounts) {
    const h = (a.handle ?? "").replace(/^@/, "");
    handleKey.push(h ? matchKey(h) : "");
    handleLoose.push(h ? looseKey(h) : "");
    let name = "";
    if (a.displayName) {
      const known = names.get(a.displayName);
      name = known ?? looseKey(a.displayName);
      if (known === undefined) names.set(a.displayName, name);
    }
    nameKey.push(name);
  }
  return { handleKey, handleLoose, nameKey };
}

/**
 * A character a reader cannot see, or hardly: zero-width and bidi characters, joiners, a soft hyphen, and a combining
 * mark of no script of its own (an accent or a haraka) left over once the string is composed. The vowel signs and
 * viramas of Devanagari, Thai and other scripts are letters' own marks, written and seen: not counted.
 */
const unseen = (ch: string): boolean =>
  isInvisible(ch) || (/^\p{Mn}$/u.test(ch) && /^\p{Script=Inherited}$/u.test(ch));

/**
 * Characters of `s` (composed, NFC) that no reader sees, which the match keys drop: zero-width and bidi
 * characters, joiners, a soft hyphen, and combining marks left over once the string is composed.
 */
export function hiddenChars(s: string): number {
  let n = 0;
  for (const ch of s.normalize("NFC")) if (unseen(ch)) n++;
  return n;
}

/** A number at the end of a handle, in any script's digits. */
const TRAILING_DIGITS = /\p{Nd}+$/u;

/**
 * Characters of `s` that disguise it: the hidden ones (`hiddenChars`) and those the skeleton rewrites (other than
 * case), such as homoglyphs and digits for letters. A number at the end of a handle is not counted: "sara1" is
 * Sara's first account far more often than a disguised "saral", and a digit reads as a letter only inside a word.
 */
export function disguisedChars(s: string): number {
  let n = 0;
  for (const ch of s.normalize("NFC").replace(TRAILING_DIGITS, "")) {
    if (unseen(ch)) {
      n++;
      continue;
    }
    const k = skeleton(ch.toLowerCase());
    if (k !== ch.toLowerCase().normalize("NFD")) n++;
  }
  return n;
}

const TRAILING_NUMBER = /\d+$/;

/** Two handles that are members of a numbered series ("news_12", "news_13"), not one imitating the other. */
function numberedSeries(a: string, b: string): boolean {
  return TRAILING_NUMBER.test(a) && TRAILING_NUMBER.test(b);
}

const WEIGHTS = {
  confusable: 0.75,
  loose: 0.5,
  edit: 0.45,
  nameSame: 0.35,
  nameConfusable: 0.6,
  bio: 0.4,
  avatar: 0.6,
};

/** Scores from which a finding is strong, and moderate; below, weak. The strength is read off the score alone. */
const STRONG = 0.8;
const MODERATE = 0.6;
/** The score of a pair whose original cannot be told from its copy is this share of its signals' score. */
const UNCERTAIN_SHARE = 0.75;
/** Highest score of a pair found only through a common name's oversized block, without a disguise or a copy. */
const COMMON_CAP = 0.5;
/** Highest score of a handle that is the listed one typed on the other keyboard (README: weak, at most 0.35). */
const KEYBOARD_CAP = 0.35;
/**
 * Highest score of a pair that a popular account's namesake would make as well as its copy (a plain name and a
 * handle variant, nothing copied): below moderate, so that it is never called a copy on that alone.
 */
const NAMESAKE_CAP = 0.5;

const strengthOf = (score: number): Match["strength"] =>
  score >= STRONG ? "strong" : score >= MODERATE ? "moderate" : "weak";

interface Caps {
  keyboardOnly?: boolean | undefined;
  uncertain?: boolean | undefined;
  common?: boolean | undefined;
  namesake?: boolean | undefined;
}

/**
 * Score and strength of a set of signals, lowered for what weakens the finding whatever its signals: an original
 * that cannot be told from its copy, a pair found only through a common name, a keyboard variant of a listed
 * handle.
 */
function gradeOf(signals: Signal[], caps: Caps = {}): { score: number; strength: Match["strength"] } {
  let score = signalScore(signals);
  if (caps.uncertain) score *= UNCERTAIN_SHARE;
  if (caps.common) score = Math.min(score, COMMON_CAP);
  if (caps.namesake) score = Math.min(score, NAMESAKE_CAP);
  if (caps.keyboardOnly) score = Math.min(score, KEYBOARD_CAP);
  score = Math.round(score * 1000) / 1000;
  return { score, strength: strengthOf(score) };
}

/** Score and strength of a match after signals were added to it, with the caps its own flags call for. */
export function rescore(m: Match): { score: number; strength: Match["strength"] } {
  return gradeOf(m.signals, {
    keyboardOnly: m.keyboardOnly,
    uncertain: m.direction === "uncertain",
    namesake: m.namesake !== undefined,
  });
}

/** The signals combined as independent evidence: one minus the chance that every one of them is innocent. */
function signalScore(signals: Signal[]): number {
  let keep = 1;
  for (const s of signals) {
    const w =
      s.kind === "handle"
        ? WEIGHTS[s.tier]
        : s.kind === "display_name"
          ? s.tier === "same"
            ? WEIGHTS.nameSame
            : WEIGHTS.nameConfusable
          : s.kind === "bio"
            ? WEIGHTS.bio * Math.min(1, s.jaccard / 0.8)
            : WEIGHTS.avatar * (s.hamming === 0 ? 1.15 : 1);
    keep *= 1 - Math.min(0.95, w);
  }
  return 1 - keep;
}

/**
 * Whether two handles of one match key differ only where one has a digit for the other's letter in its trailing
 * number ("sara1" and "saral", "amir0" and "amiro"): an ordinary numbered handle, not a disguise, unless more
 * points at imitation (see `settleTrailingDigits`).
 */
function trailingDigitSwap(a: string, b: string): boolean {
  const x = [...lower(a)];
  const y = [...lower(b)];
  if (x.length !== y.length) return false;
  const tail = (s: string[]): number => {
    let i = s.length;
    while (i > 0 && /^\p{Nd}$/u.test(s[i - 1]!)) i--;
    return i;
  };
  const tx = tail(x);
  const ty = tail(y);
  let differs = false;
  for (let i = 0; i < x.length; i++) {
    if (x[i] === y[i]) continue;
    differs = true;
    if (!((i >= tx && i < ty) || (i >= ty && i < tx))) return false;
  }
  return differs;
}

/**
 * A confusable handle signal that is only a trailing digit for a letter, kept as a disguise when the original is
 * protected or popular and other signals point at imitation, and otherwise read as the one-letter difference it
 * is (weighed as such).
 */
function settleTrailingDigits(
  signal: Signal | null,
  suspect: string,
  original: string,
  notableWithMore: boolean,
): Signal | null {
  if (!signal || signal.kind !== "handle" || signal.tier !== "confusable" || notableWithMore) return signal;
  if (!trailingDigitSwap(suspect, original)) return signal;
  return { ...signal, tier: "edit", distance: Math.max(1, signal.diff.length) };
}

function handleSignal(
  withDiff: boolean,
  suspect: string,
  original: string,
  kS: string,
  kO: string,
  lS: string,
  lO: string,
  opts: MatchOptions,
): Signal | null {
  if (!suspect || !original || lower(suspect) === lower(original)) return null;
  if (kS === kO)
    return {
      kind: "handle",
      tier: "confusable",
      distance: 0,
      diff: withDiff ? charDiff(suspect, original) : [],
    };
  if (kS.length < opts.minKeyLength || kO.length < opts.minKeyLength) return null;
  if (numberedSeries(lower(suspect), lower(original)) && lS === lO) return null;
  if (lS === lO)
    return {
      kind: "handle",
      tier: "loose",
      distance: boundedEditDistance(kS, kO, 8),
      diff: withDiff ? charDiff(suspect, original) : [],
    };
  const d = boundedEditDistance(kS, kO, 1);
  if (d === 1 && !numberedSeries(lower(suspect), lower(original))) {
    return { kind: "handle", tier: "edit", distance: 1, diff: withDiff ? charDiff(suspect, original) : [] };
  }
  return null;
}

function nameSignal(
  suspect: string | null,
  original: string | null | undefined,
  kS: string,
  kO: string,
  opts: MatchOptions,
): Signal | null {
  if (!suspect || !original || kS.length < opts.minNameLength || kS !== kO) return null;
  // the same name typed on an Arabic and a Persian keyboard, or spelt with or without a hamza or a non-joiner, is
  // the same name, not a lookalike; a name that mixes the two keyboards' letters was typed on neither, and stays
  // a lookalike
  const same = sameSpelling(suspect, original);
  return {
    kind: "display_name",
    tier: same ? "same" : "confusable",
    diff: same ? [] : charDiff(suspect, original),
  };
}

/** FNV-1a over UTF-16 units of `s`, skipping the unit at `skip` (or none when skip < 0). */
function hashSkip(s: string, skip: number): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) {
    if (i === skip) continue;
    h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  }
  return h >>> 0;
}

/** FNV-1a over the 4 UTF-16 units of `t` from `i`: `hashSkip(t.slice(i, i + 4), -1)` without the slice. */
function hash4(t: string, i: number): number {
  let h = Math.imul(2166136261 ^ t.charCodeAt(i), 16777619);
  h = Math.imul(h ^ t.charCodeAt(i + 1), 16777619);
  h = Math.imul(h ^ t.charCodeAt(i + 2), 16777619);
  h = Math.imul(h ^ t.charCodeAt(i + 3), 16777619);
  return h >>> 0;
}

/**
 * The order that sorts `keys` (unsigned 32-bit) ascending, ties by position: a stable two-pass radix sort, which
 * on millions of keys is far quicker than a comparison sort and needs no packing of key and index into a double.
 */
function radixOrder(keys: Uint32Array): Int32Array {
  const n = keys.length;
  const tmp = new Int32Array(n);
  const order = new Int32Array(n);
  const count = new Int32Array(65537);
  for (let i = 0; i < n; i++) count[(keys[i]! & 0xffff) + 1]!++;
  for (let d = 0; d < 65536; d++) count[d + 1]! += count[d]!;
  for (let i = 0; i < n; i++) tmp[count[keys[i]! & 0xffff]!++] = i;
  count.fill(0);
  for (let i = 0; i < n; i++) count[(keys[i]! >>> 16) + 1]!++;
  for (let d = 0; d < 65536; d++) count[d + 1]! += count[d]!;
  for (let i = 0; i < n; i++) {
    const t = tmp[i]!;
    order[count[keys[t]! >>> 16]!++] = t;
  }
  return order;
}

/** Accounts grouped by equal key, as flat arrays (no array per key). */
interface Groups {
  /** Id of each account's key (equal ids, equal keys). */
  id: Int32Array;
  /** Members (ascending) of key v: `members[start[v]]` up to `members[start[v + 1]]`. */
  start: Int32Array;
  members: Int32Array;
  /** Length of key v in UTF-16 units. */
  length: Int32Array;
}

function groupsOf(keys: string[]): Groups {
  const ids = new Map<string, number>();
  const id = new Int32Array(keys.length);
  const lengths: number[] = [];
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    let v = ids.get(k);
    if (v === undefined) {
      v = ids.size;
      ids.set(k, v);
      lengths.push(k.length);
    }
    id[i] = v;
  }
  const n = ids.size;
  const start = new Int32Array(n + 1);
  for (let i = 0; i < id.length; i++) start[id[i]! + 1]!++;
  for (let v = 0; v < n; v++) start[v + 1]! += start[v]!;
  const next = start.slice(0, n);
  const members = new Int32Array(id.length);
  for (let i = 0; i < id.length; i++) members[next[id[i]!]!++] = i;
  return { id, start, members, length: Int32Array.from(lengths) };
}

/** The (up to) three most followed of `members[from..to)`, ties to the lower index. */
function top3(members: Int32Array, from: number, to: number, followers: (number | null)[]): number[] {
  const top: number[] = [];
  const before = (a: number, b: number): boolean => {
    const fa = followers[a] ?? -1;
    const fb = followers[b] ?? -1;
    return fa > fb || (fa === fb && a < b);
  };
  for (let x = from; x < to; x++) {
    const m = members[x]!;
    let at = top.length;
    while (at > 0 && before(m, top[at - 1]!)) at--;
    if (at < 3) {
      top.splice(at, 0, m);
      if (top.length > 3) top.pop();
    }
  }
  return top;
}

/**
 * Calls `pair` for the pairs a block is compared by: all of them up to `maxBlock` members; beyond, a common key
 * (a common name) whose members are only compared with its three most followed, and `common` is told of those
 * pairs too.
 */
function scanBlock(
  members: Int32Array,
  from: number,
  to: number,
  followers: (number | null)[],
  opts: MatchOptions,
  pair: (a: number, b: number) => void,
  common?: (a: number, b: number) => void,
): void {
  const size = to - from;
  if (size < 2) return;
  if (size <= opts.maxBlock) {
    for (let x = from; x < to; x++) for (let y = x + 1; y < to; y++) pair(members[x]!, members[y]!);
    return;
  }
  for (const t of top3(members, from, to, followers)) {
    for (let x = from; x < to; x++) {
      const m = members[x]!;
      if (m === t) continue;
      common?.(t, m);
      pair(t, m);
    }
  }
}

/**
 * Blocks of accounts whose handle match keys may be within edit distance 1: the one-deletion neighbourhood of
 * every key (the key and each key with one UTF-16 unit deleted) as FNV hashes, radix-sorted, so accounts sharing
 * a hash form a block (no per-variant strings, no Map of millions of keys). Hash collisions only add candidates,
 * which are verified.
 *
 * Only the blocks holding a `wanted` account are built (with all their members, so their size and most followed
 * members are those of the whole block): a pair in any other block could not be reported. When most accounts
 * are wanted, all blocks are.
 */
function editBlocks(
  keys: string[],
  wanted: Uint8Array,
  opts: MatchOptions,
  block: (members: Int32Array, size: number) => void,
): void {
  const usable = (k: string): boolean => k.length >= opts.minKeyLength && k.length <= 40;
  let wantedVariants = 0;
  let total = 0;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    if (!usable(k)) continue;
    total += k.length + 1;
    if (wanted[i]) wantedVariants += k.length + 1;
  }
  if (wantedVariants === 0) return;
  const sparse = wantedVariants * 4 < total;
  const index = sparse ? new HashSet32(wantedVariants) : null;
  if (index) {
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      if (wanted[i] && usable(k)) for (let j = -1; j < k.length; j++) index.add(hashSkip(k, j));
    }
  }
  let hashes = new Uint32Array(sparse ? 1024 : total);
  let owner = new Int32Array(hashes.length);
  let p = 0;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    if (!usable(k)) continue;
    for (let j = -1; j < k.length; j++) {
      const h = hashSkip(k, j);
      if (index && !index.has(h)) continue;
      if (p === hashes.length) {
        const h2 = new Uint32Array(p * 2);
        h2.set(hashes);
        hashes = h2;
        const o2 = new Int32Array(p * 2);
        o2.set(owner);
        owner = o2;
      }
      hashes[p] = h;
      owner[p++] = i;
    }
  }
  hashes = hashes.subarray(0, p);
  const order = radixOrder(hashes);
  let members = new Int32Array(42);
  let start = 0;
  while (start < p) {
    const h = hashes[order[start]!]!;
    let end = start + 1;
    while (end < p && hashes[order[end]!] === h) end++;
    if (end - start > 1) {
      if (end - start > members.length) members = new Int32Array(end - start);
      // the same account can reach one hash twice ("aab" without either a): keep each member once
      let size = 0;
      for (let x = start; x < end; x++) {
        const m = owner[order[x]!]!;
        if (size === 0 || members[size - 1] !== m) members[size++] = m;
      }
      if (size > 1) block(members, size);
    }
    start = end;
  }
}

/** A set of unsigned 32-bit integers (open addressing over a typed array). */
class HashSet32 {
  private readonly slots: Uint32Array;
  private readonly full: Uint8Array;
  private readonly shift: number;

  constructor(expected: number) {
    const bits = Math.max(4, Math.ceil(Math.log2(expected * 2 + 1)));
    this.slots = new Uint32Array(2 ** bits);
    this.full = new Uint8Array(2 ** bits);
    this.shift = 32 - bits;
  }

  add(h: number): void {
    const mask = this.slots.length - 1;
    for (let s = Math.imul(h, 0x9e3779b1) >>> this.shift; ; s = (s + 1) & mask) {
      if (!this.full[s]) {
        this.full[s] = 1;
        this.slots[s] = h;
        return;
      }
      if (this.slots[s] === h) return;
    }
  }

  has(h: number): boolean {
    const mask = this.slots.length - 1;
    for (let s = Math.imul(h, 0x9e3779b1) >>> this.shift; ; s = (s + 1) & mask) {
      if (!this.full[s]) return false;
      if (this.slots[s] === h) return true;
    }
  }
}

/**
 * Near-duplicate bios: MinHash over character 4-grams of the folded text, 8 bands of 4 rows, verified by exact
 * Jaccard. Shingles are kept as one sorted array of hashes per bio (in one flat array), bands are grouped by
 * sorting, not by string keys. Calls `emit` with the similarity in thousandths.
 */
function bioNeighbours(
  bios: (string | null)[],
  opts: MatchOptions,
  emit: (a: number, b: number, thousandths: number) => void,
): void {
  const ROWS = 4;
  const BANDS = 8;
  const N = ROWS * BANDS;
  const seedA = Int32Array.from({ length: N }, (_, i) => Math.imul(i + 1, 0x9e3779b1) | 1);
  const seedB = Int32Array.from({ length: N }, (_, i) => Math.imul(i + 7, 0x85ebca6b));
  const texts: string[] = [];
  const owner: number[] = [];
  let total = 0;
  bios.forEach((b, idx) => {
    if (!b) return;
    const t = foldText(b);
    if (t.length < opts.bioMinLength) return;
    texts.push(t);
    owner.push(idx);
    total += Math.max(0, t.length - 3);
  });
  const nb = texts.length;
  if (nb < 2) return;
  // distinct shingle hashes of bio k, sorted: shingles[off[k] .. off[k + 1])
  const shingles = new Uint32Array(total);
  const off = new Int32Array(nb + 1);
  const sig = new Uint32Array(nb * N).fill(0xffffffff);
  let w = 0;
  for (let k = 0; k < nb; k++) {
    const t = texts[k]!;
    const from = w;
    for (let i = 0; i + 4 <= t.length; i++) shingles[w++] = hash4(t, i);
    const mine = shingles.subarray(from, w).sort();
    let u = 0;
    for (let x = 0; x < mine.length; x++) if (x === 0 || mine[x] !== mine[u - 1]) mine[u++] = mine[x]!;
    w = from + u;
    off[k + 1] = w;
    const base = k * N;
    for (let x = from; x < w; x++) {
      const h = shingles[x]!;
      for (let i = 0; i < N; i++) {
        const v = (Math.imul(h, seedA[i]!) + seedB[i]!) >>> 0;
        if (v < sig[base + i]!) sig[base + i] = v;
      }
    }
  }
  const seen = new PairTable(1024);
  const bandKeys = new Uint32Array(nb);
  for (let b = 0; b < BANDS; b++) {
    const at = b * ROWS;
    // bios grouped by a hash of the band's rows, then split by the rows themselves
    for (let k = 0; k < nb; k++) {
      let h = 0x811c9dc5;
      for (let r = 0; r < ROWS; r++) h = Math.imul(h ^ sig[k * N + at + r]!, 0x01000193) ^ (h >>> 15);
      bandKeys[k] = h >>> 0;
    }
    const order = radixOrder(bandKeys);
    const sameBand = (x: number, y: number): boolean => {
      for (let r = 0; r < ROWS; r++) if (sig[x * N + at + r] !== sig[y * N + at + r]) return false;
      return true;
    };
    const byRows = (x: number, y: number): number => {
      for (let r = 0; r < ROWS; r++) {
        const d = sig[x * N + at + r]! - sig[y * N + at + r]!;
        if (d !== 0) return d;
      }
      return x - y;
    };
    let start = 0;
    while (start < nb) {
      const key = bandKeys[order[start]!];
      let end = start + 1;
      while (end < nb && bandKeys[order[end]!] === key) end++;
      if (end - start > 1) {
        const run = Array.from(order.subarray(start, end));
        if (!run.every((x) => sameBand(x, run[0]!))) run.sort(byRows);
        let g = 0;
        while (g < run.length) {
          let h = g + 1;
          while (h < run.length && sameBand(run[g]!, run[h]!)) h++;
          if (h - g > 1 && h - g <= opts.maxBlock) {
            const group = run.slice(g, h);
            for (let x = 0; x < group.length; x++) {
              for (let y = x + 1; y < group.length; y++) {
                const p = group[x]!;
                const q = group[y]!;
                seen.add(p, q);
                if (!seen.inserted) continue;
                const jac = jaccard(shingles, off, p, q);
                if (jac >= opts.bioSimilarity) emit(owner[p]!, owner[q]!, Math.round(jac * 1000));
              }
            }
          }
          g = h;
        }
      }
      start = end;
    }
  }
}

/** Jaccard similarity of the sorted distinct hashes of bios p and q. */
function jaccard(shingles: Uint32Array, off: Int32Array, p: number, q: number): number {
  let inter = 0;
  let i = off[p]!;
  let j = off[q]!;
  const ie = off[p + 1]!;
  const je = off[q + 1]!;
  while (i < ie && j < je) {
    const u = shingles[i]!;
    const v = shingles[j]!;
    if (u === v) {
      inter++;
      i++;
      j++;
    } else if (u < v) i++;
    else j++;
  }
  const sa = off[p + 1]! - off[p]!;
  const sb = off[q + 1]! - off[q]!;
  return inter / (sa + sb - inter);
}

/** Index of byte pair (p, q), p < q < 8, in the order (0,1), (0,2) .. (6,7). */
const BYTE_PAIR = (p: number, q: number): number => p * 7 - (p * (p - 1)) / 2 + (q - p - 1);

/** Number of set bits of a 32-bit integer. */
function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/**
 * Avatar pairs within `avatarMaxHamming` bits. The 64-bit hash is cut into 8 bytes; two hashes are compared
 * under the first pair of bytes they agree on (up to 6 differing bits leave at least two bytes equal), and not
 * when more than 4 × `maxBlock` hashes share those two bytes.
 *
 * Indexing the 28 byte pairs (16 bits each) would find all such pairs, but on a million random hashes every
 * 16-bit key is shared by a few others and the candidates grow with the square of the count (tens of millions).
 * Within 6 bits the pairs are found instead through 9 chunks (the low 7 bits of each byte, and the 8 top bits):
 * 6 differing bits touch at most 6 chunks, so at least 3 agree, and each of the 84 triples of chunks (21 or 22
 * bits) is a sorted index; a candidate is checked only under the first triple it agrees on, so once. For
 * `avatarMaxHamming` above 6 the byte pairs themselves are scanned.
 */
function avatarNeighbours(
  hashes: (string | null)[],
  opts: MatchOptions,
  emit: (a: number, b: number, d: number) => void,
): void {
  const exact = new Map<string, number>();
  for (const h of hashes) if (h) exact.set(h, (exact.get(h) ?? 0) + 1);
  const idx: number[] = [];
  hashes.forEach((h, i) => {
    if (h && (exact.get(h) ?? 0) <= opts.defaultAvatarShare) idx.push(i);
  });
  const n = idx.length;
  if (n < 2) return;
  const bytes = new Uint8Array(n * 8);
  const hi = new Uint32Array(n);
  const lo = new Uint32Array(n);
  for (let k = 0; k < n; k++) {
    const h = hashes[idx[k]!]!;
    hi[k] = parseInt(h.slice(0, 8), 16);
    lo[k] = parseInt(h.slice(8), 16);
    for (let b = 0; b < 8; b++)
      bytes[k * 8 + b] = (b < 4 ? hi[k]! >>> (24 - 8 * b) : lo[k]! >>> (56 - 8 * b)) & 0xff;
  }
  const cap = opts.maxBlock * 4;
  if (opts.avatarMaxHamming > 6) {
    avatarsByBytePairs(idx, bytes, hi, lo, cap, opts, emit);
    return;
  }
  // how many hashes share each byte pair's values, for the block cap
  const pairCount = new Uint32Array(28 * 65536);
  for (let k = 0; k < n; k++) {
    const o = k * 8;
    for (let p = 0; p < 8; p++)
      for (let q = p + 1; q < 8; q++)
        pairCount[BYTE_PAIR(p, q) * 65536 + bytes[o + p]! * 256 + bytes[o + q]!]!++;
  }
  const chunks = new Uint8Array(n * 9);
  for (let k = 0; k < n; k++) {
    let top = 0;
    for (let b = 0; b < 8; b++) {
      const v = bytes[k * 8 + b]!;
      chunks[k * 9 + b] = v & 0x7f;
      top |= (v >>> 7) << b;
    }
    chunks[k * 9 + 8] = top;
  }
  const keys = new Uint32Array(n);
  for (let i = 0; i < 9; i++) {
    for (let j = i + 1; j < 9; j++) {
      for (let l = j + 1; l < 9; l++) {
        for (let k = 0; k < n; k++)
          keys[k] = chunks[k * 9 + i]! | (chunks[k * 9 + j]! << 8) | (chunks[k * 9 + l]! << 16);
        const order = radixOrder(keys);
        let start = 0;
        while (start < n) {
          const key = keys[order[start]!]!;
          let end = start + 1;
          while (end < n && keys[order[end]!] === key) end++;
          for (let x = start; x < end; x++) {
            for (let y = x + 1; y < end; y++) {
              const a = order[x]!;
              const b = order[y]!;
              if (!firstAgreeingTriple(chunks, a, b, i, j, l)) continue;
              const d = popcount(hi[a]! ^ hi[b]!) + popcount(lo[a]! ^ lo[b]!);
              if (d > opts.avatarMaxHamming) continue;
              // the byte-pair block the pair falls in: the first two bytes both hashes share
              let p = -1;
              let q = -1;
              for (let t = 0; t < 8 && q < 0; t++) {
                if (bytes[a * 8 + t] !== bytes[b * 8 + t]) continue;
                if (p < 0) p = t;
                else q = t;
              }
              if (pairCount[BYTE_PAIR(p, q) * 65536 + bytes[a * 8 + p]! * 256 + bytes[a * 8 + q]!]! > cap)
                continue;
              emit(Math.min(idx[a]!, idx[b]!), Math.max(idx[a]!, idx[b]!), d);
            }
          }
          start = end;
        }
      }
    }
  }
}

/** Whether chunks i < j < l are the first three on which hashes a and b agree. */
function firstAgreeingTriple(
  chunks: Uint8Array,
  a: number,
  b: number,
  i: number,
  j: number,
  l: number,
): boolean {
  let found = 0;
  for (let c = 0; c <= l; c++) {
    if (chunks[a * 9 + c] !== chunks[b * 9 + c]) continue;
    if (c !== (found === 0 ? i : found === 1 ? j : l)) return false;
    if (++found === 3) return true;
  }
  return false;
}

/** Avatar pairs by the 28 byte-pair indexes (complete only for pairs sharing two bytes; used beyond 6 bits). */
function avatarsByBytePairs(
  idx: number[],
  bytes: Uint8Array,
  hi: Uint32Array,
  lo: Uint32Array,
  cap: number,
  opts: MatchOptions,
  emit: (a: number, b: number, d: number) => void,
): void {
  const n = idx.length;
  const keys = new Uint32Array(n);
  for (let p = 0; p < 8; p++) {
    for (let q = p + 1; q < 8; q++) {
      for (let k = 0; k < n; k++) keys[k] = bytes[k * 8 + p]! * 256 + bytes[k * 8 + q]!;
      const order = radixOrder(keys);
      let start = 0;
      while (start < n) {
        const key = keys[order[start]!]!;
        let end = start + 1;
        while (end < n && keys[order[end]!] === key) end++;
        if (end - start > 1 && end - start <= cap) {
          for (let x = start; x < end; x++) {
            for (let y = x + 1; y < end; y++) {
              const a = order[x]!;
              const b = order[y]!;
              if (!firstAgreeingPair(bytes, a, b, p, q)) continue;
              const d = popcount(hi[a]! ^ hi[b]!) + popcount(lo[a]! ^ lo[b]!);
              if (d <= opts.avatarMaxHamming) emit(Math.min(idx[a]!, idx[b]!), Math.max(idx[a]!, idx[b]!), d);
            }
          }
        }
        start = end;
      }
    }
  }
}

/** Whether (p, q) is the first byte pair (in index order) on which both hashes agree. */
function firstAgreeingPair(bytes: Uint8Array, a: number, b: number, p: number, q: number): boolean {
  let first = -1;
  for (let i = 0; i < 8; i++) {
    if (bytes[a * 8 + i] !== bytes[b * 8 + i]) continue;
    if (first < 0) first = i;
    else return first === p && i === q;
  }
  return false;
}

/**
 * Whether an account is a protected identity's genuine account: the handle as listed (composed, any case; not
 * another keyboard's spelling of it, which is another handle), on the listed platform if one is given.
 */
export function isGenuine(a: AccountLite, p: ProtectedIdentity): boolean {
  return (!p.platform || samePlatform(p.platform, a.platform)) && lower(a.handle) === lower(p.handle);
}

/** Accounts imitating a protected identity. The genuine account (same handle, same platform if given) never is. */
export function matchProtected(
  accounts: AccountLite[],
  protectedIds: ProtectedIdentity[],
  opts: MatchOptions = DEFAULT_MATCH_OPTIONS,
  keys: Keys = keysOf(accounts),
): Match[] {
  const out: Match[] = [];
  const pk = protectedIds.map((p) => ({
    key: matchKey(p.handle),
    loose: looseKey(p.handle),
    name: p.display_name ? looseKey(p.display_name) : "",
    avatar: validHash(p.avatar_hash),
  }));
  // the protected identities by handle key, loose key and name key, and by the deletion neighbourhood of the
  // handle key (FNV hashes of the variants; a hit is confirmed on the variant itself)
  const byKey = new Map<string, number[]>();
  const byLoose = new Map<string, number[]>();
  const byName = new Map<string, number[]>();
  const byDeletion = new Map<number, Array<{ variant: string; index: number }>>();
  const add = (m: Map<string, number[]>, k: string, i: number): void => {
    const l = m.get(k);
    if (!l) m.set(k, [i]);
    else if (!l.includes(i)) l.push(i);
  };
  pk.forEach((p, i) => {
    add(byKey, p.key, i);
    add(byLoose, p.loose, i);
    add(byName, p.name, i);
    if (p.key.length < opts.minKeyLength) return;
    for (let j = -1; j < p.key.length; j++) {
      const variant = j < 0 ? p.key : p.key.slice(0, j) + p.key.slice(j + 1);
      const h = hashSkip(variant, -1);
      const l = byDeletion.get(h);
      if (!l) byDeletion.set(h, [{ variant, index: i }]);
      else if (!l.some((e) => e.variant === variant && e.index === i)) l.push({ variant, index: i });
    }
  });
  const withAvatar = pk.some((p) => p.avatar);
  accounts.forEach((a, ai) => {
    const k = keys.handleKey[ai]!;
    const cands = new Set<number>();
    for (const i of byKey.get(k) ?? []) cands.add(i);
    for (const i of byLoose.get(keys.handleLoose[ai]!) ?? []) cands.add(i);
    for (const i of byName.get(keys.nameKey[ai]!) ?? []) cands.add(i);
    if (k.length >= opts.minKeyLength) {
      for (let j = -1; j < k.length; j++) {
        const l = byDeletion.get(hashSkip(k, j));
        if (!l) continue;
        const variant = j < 0 ? k : k.slice(0, j) + k.slice(j + 1);
        for (const e of l) if (e.variant === variant) cands.add(e.index);
      }
    }
    const ah = withAvatar ? validHash(a.avatarHash) : null;
    if (ah) pk.forEach((p, i) => p.avatar && hamming(ah, p.avatar) <= opts.avatarMaxHamming && cands.add(i));
    if (cands.size === 0) return;
    for (const i of [...cands].sort((x, y) => x - y)) {
      const p = protectedIds[i]!;
      if (isGenuine(a, p)) continue;
      if (p.platform && !samePlatform(p.platform, a.platform)) continue;
      const signals: Signal[] = [];
      const suspectHandle = (a.handle ?? "").replace(/^@/, "");
      const hs = handleSignal(
        true,
        (a.handle ?? "").replace(/^@/, ""),
        p.handle,
        k,
        pk[i]!.key,
        keys.handleLoose[ai]!,
        pk[i]!.loose,
        opts,
      );
      const ns = nameSignal(a.displayName, p.display_name, keys.nameKey[ai]!, pk[i]!.name, opts);
      if (ns) signals.push(ns);
      if (ah && pk[i]!.avatar) {
        const d = hamming(ah, pk[i]!.avatar!);
        if (d <= opts.avatarMaxHamming) signals.push({ kind: "avatar", hamming: d });
      }
      // a trailing digit for a letter is a disguise of a listed handle only beside another signal
      const settled = settleTrailingDigits(hs, suspectHandle, p.handle, signals.length > 0);
      if (settled) signals.unshift(settled);
      // the same ordinary name alone is not evidence: different people share names
      if (signals.length === 0 || (signals.length === 1 && ns?.kind === "display_name" && ns.tier === "same"))
        continue;
      // a handle that is the listed one typed on the other keyboard cannot be told from the listed account by its
      // letters: reported, but weak, and the explanation says why (on a platform the two are different handles, and
      // that difference is a copy's trick as often as a list's keyboard)
      if (typedForm(a.handle) === typedForm(p.handle)) {
        out.push({
          suspect: ai,
          target: { protectedIndex: i },
          signals,
          ...gradeOf(signals, { keyboardOnly: true }),
          keyboardOnly: true,
        });
        continue;
      }
      out.push({ suspect: ai, target: { protectedIndex: i }, signals, ...gradeOf(signals) });
    }
  });
  return out;
}

/**
 * Other holders of a display name from which it counts as shared, a name people have rather than one account's.
 * Neither the popular account nor its fresh variants (see `matchAmongAccounts`) are counted: an operation that
 * makes more copies must not make its own copies look like namesakes.
 */
const NAMESAKE_ACCOUNTS = 3;

/** Per-pair state in the pair table: which signals were found, whether the pair came from a common block. */
const HANDLE = 1;
const NAME = 2;
const BIO = 4;
const AVATAR = 8;
const SIGNALS = HANDLE | NAME | BIO | AVATAR;
const COMMON = 16;
/** The avatar's Hamming distance is kept in the flags from this bit on. */
const HAMMING_SHIFT = 8;

/**
 * Groups of accounts that imitate one another or a popular account in the data, without a protect list.
 *
 * The blocks are scanned as described above, but a pair is only looked at when it could be reported at all: one
 * of the two is popular (enough followers to be an imitated original), their handles share a match key but are
 * written differently (a possible disguise), or they share a copied bio or photo (found first). The signals of
 * such a pair are recorded as flags in a typed-array pair table; every other pair of a block costs a few integer
 * comparisons and no allocation. Differences and Unicode names are worked out for reported pairs only.
 */
export function matchAmongAccounts(
  accounts: AccountLite[],
  opts: MatchOptions = DEFAULT_MATCH_OPTIONS,
  keys: Keys = keysOf(accounts),
): Match[] {
  const n = accounts.length;
  const followers = accounts.map((a) => a.followers);
  const handles = accounts.map((a) => (a.handle ?? "").replace(/^@/, ""));
  const lowered = handles.map(lower);
  // characters no reader sees in each handle (ASCII handles have none)
  const hidden = Uint8Array.from(handles, (h) =>
    /^[\x20-\x7e]*$/.test(h) ? 0 : Math.min(255, hiddenChars(h)),
  );
  const numbered = new Uint8Array(n);
  const popular = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    numbered[i] = TRAILING_NUMBER.test(lowered[i]!) ? 1 : 0;
    // an original is popular with at least popularFollowers and popularRatio × max(1, the copy's) followers
    const f = followers[i];
    popular[i] = f != null && f >= opts.popularFollowers && f >= opts.popularRatio ? 1 : 0;
  }
  const hk = groupsOf(keys.handleKey);
  const hl = groupsOf(keys.handleLoose);
  const nk = groupsOf(keys.nameKey);

  const table = new PairTable(1024, { extraFields: 2 });
  const FLAGS = table.extraOffset;
  const JACCARD = FLAGS + 1;
  const flagsOf = (a: number, b: number): number => {
    const s = table.find(a, b);
    return s < 0 ? 0 : table.records[s * table.stride + FLAGS]!;
  };
  const mark = (a: number, b: number, bits: number, jaccard = 0): void => {
    const s = table.add(a, b, 0);
    const r = table.records;
    r[s * table.stride + FLAGS] = r[s * table.stride + FLAGS]! | bits;
    if (bits & BIO) r[s * table.stride + JACCARD] = jaccard;
  };

  // copied bios and photos first: they make a pair worth looking at
  const copied = new Uint8Array(n);
  bioNeighbours(
    accounts.map((a) => a.bio),
    opts,
    (a, b, j) => {
      if (flagsOf(a, b) & BIO) return;
      mark(a, b, BIO, j);
      copied[a] = copied[b] = 1;
    },
  );
  avatarNeighbours(
    accounts.map((a) => validHash(a.avatarHash)),
    opts,
    (a, b, d) => {
      if (flagsOf(a, b) & AVATAR) return;
      mark(a, b, AVATAR | (d << HAMMING_SHIFT));
      copied[a] = copied[b] = 1;
    },
  );
  const worthLooking = (a: number, b: number): boolean =>
    popular[a] === 1 ||
    popular[b] === 1 ||
    (hk.id[a] === hk.id[b] && lowered[a] !== lowered[b]) ||
    (hl.id[a] === hl.id[b] && hidden[a] !== hidden[b]) ||
    (copied[a] === 1 && copied[b] === 1 && table.find(a, b) >= 0);

  // the handle signal of a pair, as handleSignal would find it (symmetric in the two accounts)
  const handleFound = (a: number, b: number): boolean => {
    if (!handles[a] || !handles[b] || lowered[a] === lowered[b]) return false;
    if (hk.id[a] === hk.id[b]) return true;
    if (hk.length[hk.id[a]!]! < opts.minKeyLength || hk.length[hk.id[b]!]! < opts.minKeyLength) return false;
    const series = numbered[a] === 1 && numbered[b] === 1;
    if (hl.id[a] === hl.id[b]) return !series;
    return !series && boundedEditDistance(keys.handleKey[a]!, keys.handleKey[b]!, 1) === 1;
  };
  const handlePair = (a: number, b: number): void => {
    if (a === b || !worthLooking(a, b) || flagsOf(a, b) & HANDLE) return;
    if (handleFound(a, b)) mark(a, b, HANDLE);
  };
  // pairs formed inside an oversized block share a common key (a common name): they need more evidence
  const commonPair = (a: number, b: number): void => {
    if (a !== b && worthLooking(a, b)) mark(a, b, COMMON);
  };
  // in a name block the names share their key, so the name signal holds (same or lookalike)
  const namePair = (a: number, b: number): void => {
    if (a !== b && worthLooking(a, b)) mark(a, b, NAME);
  };
  const eachBlock = (
    g: Groups,
    minLen: number,
    pair: (a: number, b: number) => void,
    common?: (a: number, b: number) => void,
  ): void => {
    for (let v = 0; v + 1 < g.start.length; v++) {
      if (g.length[v]! < minLen) continue;
      scanBlock(g.members, g.start[v]!, g.start[v + 1]!, followers, opts, pair, common);
    }
  };
  eachBlock(hk, 1, handlePair);
  eachBlock(hl, opts.minKeyLength, handlePair, commonPair);
  // beyond pairs of equal match keys, which the exact blocks above already hold (a bigger block holding both
  // holds all of their key's block, so its most followed are among that block's), a pair in an edit block is
  // only worth looking at with a popular or copying member
  const wanted = new Uint8Array(n);
  for (let i = 0; i < n; i++) wanted[i] = popular[i]! | copied[i]!;
  editBlocks(keys.handleKey, wanted, opts, (members, size) =>
    scanBlock(members, 0, size, followers, opts, handlePair),
  );
  eachBlock(nk, opts.minNameLength, namePair, commonPair);

  // A fresh variant of a popular account: a handle of its loose key, created after it (by ageMarginDays or more),
  // with a tenth of its followers or fewer. That is what a copy looks like; a namesake is an independent person,
  // older, with a handle or followers of their own. Without both creation dates an account is no fresh variant.
  const freshVariant = (i: number, original: number): boolean => {
    const ci = accounts[i]!.createdMs;
    const co = accounts[original]!.createdMs;
    const fo = followers[original] ?? 0;
    return (
      i !== original &&
      keys.handleLoose[i] === keys.handleLoose[original] &&
      ci != null &&
      co != null &&
      ci - co >= opts.ageMarginDays * DAY_MS &&
      popular[original] === 1 &&
      fo >= opts.popularRatio * Math.max(1, followers[i] ?? 0)
    );
  };
  // holders of the display name of account `i` other than `original` and its fresh variants, counted up to
  // NAMESAKE_ACCOUNTS (all a pair needs to know), once per name and original
  const holders = new Map<string, number>();
  const namesakesOf = (i: number, original: number): number => {
    const v = nk.id[i]!;
    const key = `${v}:${original}`;
    let count = holders.get(key);
    if (count === undefined) {
      count = 0;
      for (let s = nk.start[v]!; s < nk.start[v + 1]! && count < NAMESAKE_ACCOUNTS; s++) {
        const m = nk.members[s]!;
        if (m !== original && !freshVariant(m, original)) count++;
      }
      holders.set(key, count);
    }
    return count;
  };
  const out: Match[] = [];
  const disguised = new Int32Array(n).fill(-1);
  const disguisedOf = (i: number): number => {
    if (disguised[i]! < 0) disguised[i] = disguisedChars(handles[i]!);
    return disguised[i]!;
  };
  const records = table.records;
  const stride = table.stride;
  table.forEach((x, y, _count, _distinct, slot) => {
    const flags = records[slot * stride + FLAGS]!;
    if ((flags & SIGNALS) === 0) return;
    const { original, copy, direction } = orient(accounts, x, y, opts);
    // a handle signal between equal match keys is the confusable tier; between equal loose keys, a handle with
    // characters no reader sees where the other has a separator or nothing is as disguised ("nasrin\u00adsotoudeh")
    const homoglyph =
      (flags & HANDLE) !== 0 &&
      ((hk.id[x] === hk.id[y] && disguisedOf(copy) > disguisedOf(original)) ||
        (hl.id[x] === hl.id[y] && hidden[copy]! > hidden[original]!));
    const fo = accounts[original]!.followers ?? 0;
    const fc = accounts[copy]!.followers ?? 0;
    const popularOriginal = fo >= opts.popularFollowers && fo >= opts.popularRatio * Math.max(1, fc);
    const copiedPhotoOrBio = (flags & (AVATAR | BIO)) !== 0;
    const count = popcount(flags & SIGNALS);
    const common = (flags & COMMON) !== 0;
    const handle = (flags & HANDLE) !== 0;
    const hasName = (flags & NAME) !== 0;
    // a lookalike display name (homoglyphs, hidden characters), not the same name spelt another way
    const nameLookalike =
      hasName && !sameSpelling(accounts[copy]!.displayName ?? "", accounts[original]!.displayName ?? "");
    // namesakes: handles that spell a name several other accounts hold and differ only by separators or a
    // number ("ali_rezaei", "ali_rezaei88", "Ali Rezaei") are what people of one name choose, no evidence of
    // imitation; the original and its fresh variants are not counted among those holders (see namesakesOf)
    const looseOnly = handle && hk.id[x] !== hk.id[y] && hl.id[x] === hl.id[y];
    const spelt = keys.handleLoose[x]!;
    const nameHolders =
      looseOnly && !homoglyph && spelt !== ""
        ? keys.nameKey[x] === spelt
          ? namesakesOf(x, original)
          : keys.nameKey[y] === spelt
            ? namesakesOf(y, original)
            : 0
        : 0;
    const handleCounts = handle && nameHolders < NAMESAKE_ACCOUNTS;
    // a shared (common) name and a similar handle are not enough between two ordinary accounts: it takes a
    // disguised handle, a popular original, or a copied photo or bio beside another signal; and the same name
    // alone, or a namesake's handle, is not enough against a popular account either (a popular person's
    // namesakes are many)
    if (!(
      homoglyph ||
      (copiedPhotoOrBio && count >= 2) ||
      (popularOriginal && !common && (handleCounts || nameLookalike || copiedPhotoOrBio)) ||
      (popularOriginal && common && handleCounts && hasName)
    ))
      return;
    // described from the copy's side (both signals are symmetric, so they hold this way round too)
    const signals: Signal[] = [];
    if (handle)
      signals.push(
        settleTrailingDigits(
          handleSignal(
            true,
            handles[copy]!,
            handles[original]!,
            keys.handleKey[copy]!,
            keys.handleKey[original]!,
            keys.handleLoose[copy]!,
            keys.handleLoose[original]!,
            opts,
          ),
          handles[copy]!,
          handles[original]!,
          popularOriginal && count >= 2,
        )!,
      );
    if (hasName)
      signals.push(
        nameSignal(
          accounts[copy]!.displayName,
          accounts[original]!.displayName,
          keys.nameKey[copy]!,
          keys.nameKey[original]!,
          opts,
        )!,
      );
    if (flags & AVATAR) signals.push({ kind: "avatar", hamming: flags >>> HAMMING_SHIFT });
    if (flags & BIO) signals.push({ kind: "bio", jaccard: records[slot * stride + JACCARD]! / 1000 });
    // a popular account's plain name and a handle that varies its own, joined later with few followers: that is
    // what its namesakes look like too. Calling the account a copy takes evidence of copying: a copied bio or
    // photo, a disguised handle (confusable, or with characters no reader sees), a lookalike display name, or a
    // decorated display name (emoji, symbols, two scripts) taken to the character. A handle one letter from the
    // original's (a letter dropped, doubled or changed: `nasrinsotudeh`) is a typosquat's as often as another
    // spelling of the name: it reads as a namesake's only beside a bio or a photo of the account's own
    const handleTier = signals.find((s) => s.kind === "handle")?.tier;
    const own =
      popularOriginal && handleTier === "edit"
        ? ownProfile(accounts[copy]!, accounts[original]!, opts.avatarMaxHamming)
        : null;
    const namesake =
      popularOriginal &&
      !homoglyph &&
      !copiedPhotoOrBio &&
      (handleTier === "loose" || (handleTier === "edit" && own !== null && (own.ownBio || own.ownPhoto))) &&
      signals.some((s) => s.kind === "display_name" && s.tier === "same") &&
      !(
        decoratedName(accounts[original]!.displayName ?? "") &&
        decoratedName(accounts[copy]!.displayName ?? "")
      );
    out.push({
      suspect: copy,
      target: { accountIndex: original },
      signals,
      direction,
      ...gradeOf(signals, {
        uncertain: direction === "uncertain",
        common: common && !homoglyph && !copiedPhotoOrBio,
        namesake,
      }),
      ...(namesake
        ? { namesake: own ?? ownProfile(accounts[copy]!, accounts[original]!, opts.avatarMaxHamming) }
        : {}),
    });
  });
  return out.sort((a, b) => a.suspect - b.suspect || targetIndex(a) - targetIndex(b));
}

const targetIndex = (m: Match): number =>
  "protectedIndex" in m.target ? m.target.protectedIndex : m.target.accountIndex;

const DAY_MS = 86_400_000;

/**
 * Which of two lookalike accounts is the original. The account older by `ageMarginDays` or more is, unless the
 * newer one has at least twice its followers: followers can be bought and age cannot, so the two clues disagree,
 * and the direction is "uncertain" (the newer account is named the suspect, and the finding names both). Without
 * a clear difference in age: the one with at least twice the followers, then the older one, then the one with
 * fewer disguised characters in its handle. (The skeleton rewrites some plain letters, "m" to "rn", Persian yeh
 * to Arabic: a count of disguised characters only breaks ties.)
 */
function orient(
  accounts: AccountLite[],
  x: number,
  y: number,
  opts: MatchOptions,
): { original: number; copy: number; direction: Match["direction"] } {
  const a = accounts[x]!;
  const b = accounts[y]!;
  // the index with at least twice the other's followers, or -1
  let followed = -1;
  if (a.followers != null && b.followers != null) {
    if (a.followers >= 2 * Math.max(1, b.followers)) followed = x;
    else if (b.followers >= 2 * Math.max(1, a.followers)) followed = y;
  }
  const datedApart = a.createdMs != null && b.createdMs != null && a.createdMs !== b.createdMs;
  const older = datedApart ? (a.createdMs! < b.createdMs! ? x : y) : -1;
  const newer = older === x ? y : x;
  if (datedApart && Math.abs(a.createdMs! - b.createdMs!) >= opts.ageMarginDays * DAY_MS) {
    return { original: older, copy: newer, direction: followed === newer ? "uncertain" : "created_at" };
  }
  if (followed >= 0) return { original: followed, copy: followed === x ? y : x, direction: "followers" };
  if (datedApart) return { original: older, copy: newer, direction: "created_at" };
  const da = disguisedChars(a.handle ?? "");
  const db = disguisedChars(b.handle ?? "");
  if (da !== db)
    return da < db
      ? { original: x, copy: y, direction: "homoglyphs" }
      : { original: y, copy: x, direction: "homoglyphs" };
  return { original: x, copy: y, direction: "uncertain" };
}

export { keysOf };

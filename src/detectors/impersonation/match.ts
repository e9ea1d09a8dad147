/**
 * The matching kernel, over plain arrays so it can be benchmarked on a million accounts without a case file.
 *
 * Candidate pairs are found by blocking, never by comparing all pairs: accounts are indexed by the confusable
 * match key of their handle, by its loose key (separators, trailing numbers, accents dropped), by the
 * one-deletion neighbourhood of the match key (two keys within edit distance 1 share a deletion variant), by the
 * match key of their display name, by 8-bit bands of their avatar hash, and by MinHash bands of their bio.
 * Candidates are then verified exactly.
 */
import {
  boundedEditDistance,
  charDiff,
  looseKey,
  matchKey,
  skeleton,
  type CharDiff,
} from "../../normalize/confusables.js";
import { foldText } from "../../normalize/text.js";
import { hamming, validHash } from "./avatar.js";
import type { ProtectedIdentity } from "./protect.js";

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
  /** Among accounts: how the original was told from the copy. */
  direction?: "followers" | "created_at" | "homoglyphs" | "uncertain";
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
  for (const a of accounts) {
    const h = (a.handle ?? "").replace(/^@/, "");
    handleKey.push(h ? matchKey(h) : "");
    handleLoose.push(h ? looseKey(h) : "");
    nameKey.push(a.displayName ? looseKey(a.displayName) : "");
  }
  return { handleKey, handleLoose, nameKey };
}

const lower = (s: string | null | undefined): string => (s ?? "").replace(/^@/, "").toLowerCase();

/** Characters of `s` that the skeleton rewrites (other than case): homoglyphs, digits-for-letters, etc. */
export function disguisedChars(s: string): number {
  let n = 0;
  for (const ch of s.normalize("NFC")) {
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
  confusable: 0.8,
  loose: 0.5,
  edit: 0.45,
  nameSame: 0.35,
  nameConfusable: 0.6,
  bio: 0.4,
  avatar: 0.6,
};

/** Score and strength of a set of signals (after signals were added to a match). */
export function rescore(signals: Signal[]): { score: number; strength: Match["strength"] } {
  return scoreOf(signals);
}

function scoreOf(signals: Signal[]): { score: number; strength: Match["strength"] } {
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
  const score = Math.round((1 - keep) * 1000) / 1000;
  const handle = signals.some((s) => s.kind === "handle");
  const strength =
    score >= 0.85 || (handle && signals.length >= 2) ? "strong" : score >= 0.6 ? "moderate" : "weak";
  return { score, strength };
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
  const same = suspect.normalize("NFC").toLowerCase() === original.normalize("NFC").toLowerCase();
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

const IDX_BITS = 2 ** 21;

/**
 * Pairs of accounts whose handle match keys are within edit distance 1, found through the one-deletion
 * neighbourhood hashed into a sorted typed array (no per-variant strings, no Map of millions of keys).
 */
function editNeighbours(
  keys: string[],
  followers: (number | null)[],
  opts: MatchOptions,
  emit: (a: number, b: number) => void,
): void {
  let total = 0;
  for (const k of keys) if (k.length >= opts.minKeyLength && k.length <= 40) total += k.length + 1;
  const arr = new Float64Array(total);
  let p = 0;
  keys.forEach((k, i) => {
    if (k.length < opts.minKeyLength || k.length > 40) return;
    arr[p++] = hashSkip(k, -1) * IDX_BITS + i;
    for (let j = 0; j < k.length; j++) arr[p++] = hashSkip(k, j) * IDX_BITS + i;
  });
  arr.sort();
  let start = 0;
  while (start < arr.length) {
    const h = Math.floor(arr[start]! / IDX_BITS);
    let end = start + 1;
    while (end < arr.length && Math.floor(arr[end]! / IDX_BITS) === h) end++;
    if (end - start > 1) {
      const members = [...new Set(Array.from(arr.subarray(start, end), (v) => v % IDX_BITS))];
      pairsInBlock(members, followers, opts, emit);
    }
    start = end;
  }
}

function pairsInBlock(
  members: number[],
  followers: (number | null)[],
  opts: MatchOptions,
  emit: (a: number, b: number) => void,
  common?: (a: number, b: number) => void,
): void {
  if (members.length < 2) return;
  if (members.length > opts.maxBlock && common) {
    const top = [...members].sort((a, b) => (followers[b] ?? -1) - (followers[a] ?? -1) || a - b).slice(0, 3);
    for (const t of top) for (const m of members) if (m !== t) common(t, m);
  }
  if (members.length <= opts.maxBlock) {
    for (let x = 0; x < members.length; x++)
      for (let y = x + 1; y < members.length; y++) emit(members[x]!, members[y]!);
    return;
  }
  // a huge block (a common name): only the most followed members can be the imitated ones
  const top = [...members].sort((a, b) => (followers[b] ?? -1) - (followers[a] ?? -1) || a - b).slice(0, 3);
  for (const t of top) for (const m of members) if (m !== t) emit(t, m);
}

function blocksOf(keys: string[], minLen: number): Map<string, number[]> {
  const m = new Map<string, number[]>();
  keys.forEach((k, i) => {
    if (k.length < minLen) return;
    const list = m.get(k);
    if (list) list.push(i);
    else m.set(k, [i]);
  });
  return m;
}

/** Near-duplicate bios: MinHash over character 4-grams of the folded text, 8 bands of 4 rows, verified by Jaccard. */
function bioNeighbours(
  bios: (string | null)[],
  opts: MatchOptions,
  emit: (a: number, b: number, j: number) => void,
): void {
  const ROWS = 4;
  const BANDS = 8;
  const N = ROWS * BANDS;
  const seeds = Array.from(
    { length: N },
    (_, i) => [Math.imul(i + 1, 0x9e3779b1) | 1, Math.imul(i + 7, 0x85ebca6b)] as const,
  );
  const shingles: (Set<number> | null)[] = bios.map((b) => {
    if (!b) return null;
    const t = foldText(b);
    if (t.length < opts.bioMinLength) return null;
    const s = new Set<number>();
    for (let i = 0; i + 4 <= t.length; i++) s.add(hashSkip(t.slice(i, i + 4), -1));
    return s;
  });
  const buckets = new Map<string, number[]>();
  shingles.forEach((s, idx) => {
    if (!s) return;
    const sig = new Uint32Array(N).fill(0xffffffff);
    for (const h of s) {
      for (let i = 0; i < N; i++) {
        const v = (Math.imul(h, seeds[i]![0]) + seeds[i]![1]) >>> 0;
        if (v < sig[i]!) sig[i] = v;
      }
    }
    for (let b = 0; b < BANDS; b++) {
      const key = `${b}:${Array.from(sig.subarray(b * ROWS, (b + 1) * ROWS)).join(",")}`;
      const list = buckets.get(key);
      if (list) list.push(idx);
      else buckets.set(key, [idx]);
    }
  });
  const seen = new Set<number>();
  for (const list of buckets.values()) {
    if (list.length < 2 || list.length > opts.maxBlock) continue;
    for (let x = 0; x < list.length; x++) {
      for (let y = x + 1; y < list.length; y++) {
        const a = list[x]!;
        const b = list[y]!;
        const key = a * IDX_BITS + b;
        if (seen.has(key)) continue;
        seen.add(key);
        const sa = shingles[a]!;
        const sb = shingles[b]!;
        let inter = 0;
        for (const h of sa) if (sb.has(h)) inter++;
        const j = inter / (sa.size + sb.size - inter);
        if (j >= opts.bioSimilarity) emit(a, b, Math.round(j * 1000) / 1000);
      }
    }
  }
}

/**
 * Avatar pairs within `avatarMaxHamming` bits. The 64-bit hash is cut into 8 bytes; up to 6 differing bits touch
 * at most 6 bytes, so two near-identical hashes agree on at least one pair of bytes. Hashes are indexed by each of
 * the 28 byte pairs (a sorted typed array per pair, no string keys), and a candidate is reported only under the
 * first byte pair both agree on, so no pair is verified or emitted twice.
 */
function avatarNeighbours(
  hashes: (string | null)[],
  opts: MatchOptions,
  emit: (a: number, b: number, d: number) => void,
): void {
  const exact = new Map<string, number>();
  for (const h of hashes) if (h) exact.set(h, (exact.get(h) ?? 0) + 1);
  const idx: number[] = [];
  const bytes: number[][] = [];
  hashes.forEach((h, i) => {
    if (!h || (exact.get(h) ?? 0) > opts.defaultAvatarShare) return;
    idx.push(i);
    bytes.push(Array.from({ length: 8 }, (_, b) => parseInt(h.slice(b * 2, b * 2 + 2), 16)));
  });
  const n = idx.length;
  if (n < 2) return;
  const arr = new Float64Array(n);
  for (let p = 0; p < 8; p++) {
    for (let q = p + 1; q < 8; q++) {
      for (let k = 0; k < n; k++) arr[k] = (bytes[k]![p]! * 256 + bytes[k]![q]!) * IDX_BITS + k;
      arr.sort();
      let start = 0;
      while (start < n) {
        const key = Math.floor(arr[start]! / IDX_BITS);
        let end = start + 1;
        while (end < n && Math.floor(arr[end]! / IDX_BITS) === key) end++;
        if (end - start > 1 && end - start <= opts.maxBlock * 4) {
          for (let x = start; x < end; x++) {
            for (let y = x + 1; y < end; y++) {
              const a = arr[x]! % IDX_BITS;
              const b = arr[y]! % IDX_BITS;
              if (!firstAgreeingPair(bytes[a]!, bytes[b]!, p, q)) continue;
              const d = hamming(hashes[idx[a]!]!, hashes[idx[b]!]!);
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
function firstAgreeingPair(a: number[], b: number[], p: number, q: number): boolean {
  let first = -1;
  for (let i = 0; i < 8; i++) {
    if (a[i] !== b[i]) continue;
    if (first < 0) first = i;
    else return first === p && i === q;
  }
  return false;
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
  // index the protected identities by handle key, loose key, name key and deletion neighbourhood
  const byKey = new Map<string, number[]>();
  const add = (k: string, i: number): void => {
    if (!k) return;
    const l = byKey.get(k);
    if (l) {
      if (!l.includes(i)) l.push(i);
    } else byKey.set(k, [i]);
  };
  pk.forEach((p, i) => {
    add(`k:${p.key}`, i);
    add(`l:${p.loose}`, i);
    add(`n:${p.name}`, i);
    if (p.key.length >= opts.minKeyLength) {
      add(`d:${p.key}`, i);
      for (let j = 0; j < p.key.length; j++) add(`d:${p.key.slice(0, j)}${p.key.slice(j + 1)}`, i);
    }
  });
  accounts.forEach((a, ai) => {
    const k = keys.handleKey[ai]!;
    const cands = new Set<number>();
    for (const i of byKey.get(`k:${k}`) ?? []) cands.add(i);
    for (const i of byKey.get(`l:${keys.handleLoose[ai]}`) ?? []) cands.add(i);
    for (const i of byKey.get(`n:${keys.nameKey[ai]}`) ?? []) cands.add(i);
    if (k.length >= opts.minKeyLength) {
      for (const i of byKey.get(`d:${k}`) ?? []) cands.add(i);
      for (let j = 0; j < k.length; j++)
        for (const i of byKey.get(`d:${k.slice(0, j)}${k.slice(j + 1)}`) ?? []) cands.add(i);
    }
    const ah = validHash(a.avatarHash);
    if (ah) pk.forEach((p, i) => p.avatar && hamming(ah, p.avatar) <= opts.avatarMaxHamming && cands.add(i));
    for (const i of [...cands].sort((x, y) => x - y)) {
      const p = protectedIds[i]!;
      if (lower(a.handle) === lower(p.handle) && (!p.platform || p.platform === a.platform)) continue; // genuine
      if (p.platform && p.platform !== a.platform) continue;
      const signals: Signal[] = [];
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
      if (hs) signals.push(hs);
      const ns = nameSignal(a.displayName, p.display_name, keys.nameKey[ai]!, pk[i]!.name, opts);
      if (ns) signals.push(ns);
      if (ah && pk[i]!.avatar) {
        const d = hamming(ah, pk[i]!.avatar!);
        if (d <= opts.avatarMaxHamming) signals.push({ kind: "avatar", hamming: d });
      }
      // the same ordinary name alone is not evidence: different people share names
      if (signals.length === 0 || (signals.length === 1 && ns?.kind === "display_name" && ns.tier === "same"))
        continue;
      out.push({ suspect: ai, target: { protectedIndex: i }, signals, ...scoreOf(signals) });
    }
  });
  return out;
}

/** Groups of accounts that imitate one another or a popular account in the data, without a protect list. */
export function matchAmongAccounts(
  accounts: AccountLite[],
  opts: MatchOptions = DEFAULT_MATCH_OPTIONS,
  keys: Keys = keysOf(accounts),
): Match[] {
  const pairs = new Map<number, Signal[]>();
  const followers = accounts.map((a) => a.followers);
  const addSignal = (a: number, b: number, s: Signal | null): void => {
    if (!s || a === b) return;
    const [x, y] = a < b ? [a, b] : [b, a];
    const key = x * IDX_BITS + y;
    const list = pairs.get(key);
    if (!list) pairs.set(key, [s]);
    else if (!list.some((t) => t.kind === s.kind)) list.push(s);
  };
  const handleOf = (i: number): string => (accounts[i]!.handle ?? "").replace(/^@/, "");
  const tryHandle = (a: number, b: number): void =>
    addSignal(
      a,
      b,
      handleSignal(
        false,
        handleOf(a),
        handleOf(b),
        keys.handleKey[a]!,
        keys.handleKey[b]!,
        keys.handleLoose[a]!,
        keys.handleLoose[b]!,
        opts,
      ),
    );
  for (const m of blocksOf(keys.handleKey, 1).values()) pairsInBlock(m, followers, opts, tryHandle);
  // pairs formed inside an oversized block share a common key (a common name): they need more evidence
  const commonPairs = new Set<number>();
  const markCommon = (a: number, b: number): void =>
    void commonPairs.add(Math.min(a, b) * IDX_BITS + Math.max(a, b));
  for (const m of blocksOf(keys.handleLoose, opts.minKeyLength).values())
    pairsInBlock(m, followers, opts, tryHandle, markCommon);
  editNeighbours(keys.handleKey, followers, opts, tryHandle);
  for (const m of blocksOf(keys.nameKey, opts.minNameLength).values()) {
    pairsInBlock(
      m,
      followers,
      opts,
      (a, b) =>
        addSignal(
          a,
          b,
          nameSignal(
            accounts[a]!.displayName,
            accounts[b]!.displayName,
            keys.nameKey[a]!,
            keys.nameKey[b]!,
            opts,
          ),
        ),
      markCommon,
    );
  }
  bioNeighbours(
    accounts.map((a) => a.bio),
    opts,
    (a, b, j) => addSignal(a, b, { kind: "bio", jaccard: j }),
  );
  avatarNeighbours(
    accounts.map((a) => validHash(a.avatarHash)),
    opts,
    (a, b, d) => addSignal(a, b, { kind: "avatar", hamming: d }),
  );

  const out: Match[] = [];
  for (const [key, signals] of pairs) {
    const x = Math.floor(key / IDX_BITS);
    const y = key % IDX_BITS;
    const { original, copy, direction } = orient(accounts, x, y);
    const handle = signals.find((s) => s.kind === "handle");
    const homoglyph =
      handle?.kind === "handle" &&
      handle.tier === "confusable" &&
      disguisedChars(handleOf(copy)) > disguisedChars(handleOf(original));
    const fo = accounts[original]!.followers ?? 0;
    const fc = accounts[copy]!.followers ?? 0;
    const popular = fo >= opts.popularFollowers && fo >= opts.popularRatio * Math.max(1, fc);
    // a shared (common) name and a similar handle are not enough between two ordinary accounts: it takes a
    // disguised handle, a popular original, or a copied photo or bio beside another signal
    const copied = signals.some((s) => s.kind === "avatar" || s.kind === "bio");
    const common = commonPairs.has(key);
    const hasName = signals.some((s) => s.kind === "display_name");
    if (!(
      homoglyph ||
      (copied && signals.length >= 2) ||
      (popular && !common && (handle || hasName || copied)) ||
      (popular && common && handle && hasName)
    ))
      continue;
    // the signals were found for the pair in index order: describe the differences from the copy's side
    const oriented = signals.map((s) =>
      s.kind === "handle"
        ? (handleSignal(
            true,
            handleOf(copy),
            handleOf(original),
            keys.handleKey[copy]!,
            keys.handleKey[original]!,
            keys.handleLoose[copy]!,
            keys.handleLoose[original]!,
            opts,
          ) ?? s)
        : s.kind === "display_name"
          ? (nameSignal(
              accounts[copy]!.displayName,
              accounts[original]!.displayName,
              keys.nameKey[copy]!,
              keys.nameKey[original]!,
              opts,
            ) ?? s)
          : s,
    );
    const sorted = oriented.sort((a, b) => ORDER[a.kind] - ORDER[b.kind]);
    const graded = scoreOf(sorted);
    if (common && !homoglyph && !copied) graded.strength = "weak";
    out.push({
      suspect: copy,
      target: { accountIndex: original },
      signals: sorted,
      direction,
      ...graded,
    });
  }
  return out.sort((a, b) => a.suspect - b.suspect || targetIndex(a) - targetIndex(b));
}

const ORDER = { handle: 0, display_name: 1, avatar: 2, bio: 3 } as const;
const targetIndex = (m: Match): number =>
  "protectedIndex" in m.target ? m.target.protectedIndex : m.target.accountIndex;

/** Which of two lookalike accounts is the original: more followers, then older, then fewer disguised letters. */
function orient(
  accounts: AccountLite[],
  x: number,
  y: number,
): { original: number; copy: number; direction: Match["direction"] } {
  const a = accounts[x]!;
  const b = accounts[y]!;
  if (
    a.followers != null &&
    b.followers != null &&
    (a.followers >= 2 * Math.max(1, b.followers) || b.followers >= 2 * Math.max(1, a.followers))
  ) {
    return a.followers > b.followers
      ? { original: x, copy: y, direction: "followers" }
      : { original: y, copy: x, direction: "followers" };
  }
  if (a.createdMs != null && b.createdMs != null && a.createdMs !== b.createdMs) {
    return a.createdMs < b.createdMs
      ? { original: x, copy: y, direction: "created_at" }
      : { original: y, copy: x, direction: "created_at" };
  }
  const da = disguisedChars(a.handle ?? "");
  const db = disguisedChars(b.handle ?? "");
  if (da !== db)
    return da < db
      ? { original: x, copy: y, direction: "homoglyphs" }
      : { original: y, copy: x, direction: "homoglyphs" };
  return { original: x, copy: y, direction: "uncertain" };
}

export { keysOf };

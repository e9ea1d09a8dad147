/**
 * Ties between messages that share rare infrastructure, and the groups they form. Features are weighted by kind
 * and by rarity over the case's messages (softened for kinds unrelated senders never share, see RARITY_EXPONENTS); a pair of messages is tied when the noisy-OR of the weights of the
 * features they share, 1 - Π(1 - w), reaches `minTie`. Groups are the connected components of the ties: one
 * operation's messages are often tied in a chain (A and B share a Reply-To, B and C a landing page), which is how
 * analysts pivot over infrastructure.
 */
import { RARITY_EXPONENTS, rarity, type Feature } from "./features.js";

export interface TieOptions {
  minTie: number;
  /** Pseudo-messages that share nothing (see `rarity`). */
  background: number;
  /** Features on more messages than this are not expanded into pairs (they are common, and pairs grow as n²). */
  maxPostings: number;
}

/** A feature with its weight after rarity and the messages (indices) that carry it. */
export interface WeightedFeature {
  kind: Feature["kind"];
  value: string;
  /** Rarity-weighted: kind weight × rarity. */
  weight: number;
  messages: number[];
}

export interface Tie {
  a: number;
  b: number;
  strength: number;
  /** Indices into the weighted features. */
  shared: number[];
}

export interface TieResult {
  features: WeightedFeature[];
  ties: Tie[];
  /** Features too common to expand (more than maxPostings messages). */
  skipped: WeightedFeature[];
}

/**
 * Weighted features and ties among `n` messages, given each message's features. Deterministic: features sorted
 * by kind and value, ties by (a, b).
 */
export function messageTies(features: Feature[][], opts: TieOptions): TieResult {
  const n = features.length;
  const index = new Map<string, { f: Feature; messages: number[]; weight: number }>();
  features.forEach((list, i) => {
    for (const f of list) {
      const key = `${f.kind}\u0000${f.value}`;
      const e = index.get(key);
      if (e) {
        e.messages.push(i);
        e.weight = Math.max(e.weight, f.weight);
      } else index.set(key, { f, messages: [i], weight: f.weight });
    }
  });
  const all: WeightedFeature[] = [...index.values()]
    .filter((e) => e.messages.length >= 2)
    .map((e) => ({
      kind: e.f.kind,
      value: e.f.value,
      weight: e.weight * rarity(e.messages.length, n, opts.background) ** RARITY_EXPONENTS[e.f.kind],
      messages: e.messages,
    }))
    .sort((x, y) =>
      x.kind < y.kind ? -1 : x.kind > y.kind ? 1 : x.value < y.value ? -1 : x.value > y.value ? 1 : 0,
    );
  const kept: WeightedFeature[] = [];
  const skipped: WeightedFeature[] = [];
  for (const f of all) (f.messages.length > opts.maxPostings ? skipped : kept).push(f);
  // per pair: the product of (1 - w) over shared features, and which features
  const pairs = new Map<number, { miss: number; shared: number[] }>();
  kept.forEach((f, fi) => {
    if (f.weight <= 0) return;
    const m = f.messages;
    for (let x = 0; x < m.length; x++) {
      for (let y = x + 1; y < m.length; y++) {
        const a = Math.min(m[x]!, m[y]!);
        const b = Math.max(m[x]!, m[y]!);
        const key = a * n + b;
        const p = pairs.get(key);
        if (p) {
          p.miss *= 1 - f.weight;
          p.shared.push(fi);
        } else pairs.set(key, { miss: 1 - f.weight, shared: [fi] });
      }
    }
  });
  const ties: Tie[] = [];
  for (const [key, p] of pairs) {
    const strength = 1 - p.miss;
    if (strength + 1e-12 < opts.minTie) continue;
    ties.push({ a: Math.floor(key / n), b: key % n, strength, shared: p.shared });
  }
  ties.sort((x, y) => x.a - y.a || x.b - y.b);
  return { features: kept, ties, skipped };
}

/** Connected components of the ties with at least `minSize` messages, each sorted, largest first. */
export function tieComponents(n: number, ties: Tie[], minSize: number): number[][] {
  const parent = Int32Array.from({ length: n }, (_v, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]!]!;
      i = parent[i]!;
    }
    return i;
  };
  for (const t of ties) {
    const ra = find(t.a);
    const rb = find(t.b);
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
  const groups = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const r = find(i);
    const g = groups.get(r);
    if (g) g.push(i);
    else groups.set(r, [i]);
  }
  return [...groups.values()]
    .filter((g) => g.length >= minSize)
    .sort((x, y) => y.length - x.length || x[0]! - y[0]!);
}

import { describe, expect, it } from "vitest";
import { edited, SAME_TOPIC, TEMPLATES } from "../../../test/helpers/copypasta.js";
import { seededRng } from "../detector.js";
import { postClusters } from "./clusters.js";
import { clusterSketches, isCutCopy, KeyTable, UnionFind, type Sketches } from "./lsh.js";
import { Sketcher } from "./minhash.js";
import { MatchingCodes, matchingLetters, PREFIX_LETTERS, prefixKey } from "./shingle.js";

function sketches(texts: string[], order?: number[]): Sketches {
  const sk = new Sketcher({ shingle: 4, bands: 20, rows: 3, seed: 1 });
  const keys = new Uint32Array(texts.length * 20);
  const sig = new Uint8Array(texts.length * sk.slots);
  texts.forEach((t, i) => sk.sketch(matchingLetters(t), keys, i * 20, sig, i * sk.slots));
  const o = Int32Array.from(order ?? texts.map((_, i) => i));
  return { count: texts.length, bands: 20, slots: sk.slots, keys, sig, order: o };
}

/** The partition as a sorted list of sorted member lists, for comparison. */
function partition(uf: UnionFind, n: number): number[][] {
  const groups = new Map<number, number[]>();
  for (let i = 0; i < n; i++) groups.set(uf.find(i), [...(groups.get(uf.find(i)) ?? []), i]);
  return [...groups.values()].sort((a, b) => a[0]! - b[0]!);
}

describe("KeyTable", () => {
  it("gives dense ids in order of first insertion and the same id again, across growth", () => {
    const t = new KeyTable(4);
    const rng = seededRng(5);
    const keys = Array.from({ length: 50_000 }, () => [(rng() * 2 ** 32) >>> 0, (rng() * 2 ** 32) >>> 0]);
    const first = keys.map(([a, b]) => t.idOf(a!, b!));
    const again = keys.map(([a, b]) => t.idOf(a!, b!));
    expect(first.map((r) => r.id)).toEqual(keys.map((_, i) => i));
    expect(first.every((r) => r.isNew)).toBe(true);
    expect(again.map((r) => r.id)).toEqual(keys.map((_, i) => i));
    expect(again.some((r) => r.isNew)).toBe(false);
    expect(t.size).toBe(50_000);
    // same first half, different second half: a new key
    expect(t.idOf(keys[0]![0]!, (keys[0]![1]! + 1) >>> 0).isNew).toBe(true);
  });
});

describe("UnionFind", () => {
  it("roots every set at its smallest member whatever the order of unions", () => {
    const uf = new UnionFind(6);
    expect(uf.union(5, 3)).toBe(true);
    expect(uf.union(3, 4)).toBe(true);
    expect(uf.union(4, 5)).toBe(false);
    uf.union(1, 0);
    expect([0, 1, 2, 3, 4, 5].map((i) => uf.find(i))).toEqual([0, 0, 2, 3, 3, 3]);
  });
});

describe("clusterSketches", () => {
  const rng = seededRng(11);
  const templates = [...TEMPLATES.en, ...TEMPLATES.fa, ...TEMPLATES.ar];
  // 12 copies of each template with 0-3 edits, then the same-topic texts, in an interleaved order
  const texts: string[] = [];
  const truth: number[] = [];
  for (let c = 0; c < 12; c++) {
    templates.forEach((t, k) => {
      texts.push(edited(t, Math.floor(rng() * 4), rng));
      truth.push(k);
    });
  }
  SAME_TOPIC.forEach((t, k) => {
    texts.push(t);
    truth.push(100 + k);
  });

  it("puts every copy of a message in one cluster and nothing else with it", () => {
    const { uf, stats } = clusterSketches(sketches(texts), 0.45);
    const got = partition(uf, texts.length).map((g) => g.map((i) => truth[i]));
    for (const g of got) expect(new Set(g).size, JSON.stringify(g)).toBe(1);
    expect(got.filter((g) => g[0]! < 100).map((g) => g[0])).toEqual(templates.map((_, k) => k));
    expect(got.filter((g) => g[0]! >= 100)).toHaveLength(SAME_TOPIC.length);
    expect(stats.merges).toBe(texts.length - got.length);
    expect(stats.similar).toBeGreaterThanOrEqual(stats.merges);
  });

  it("gives the same partition whatever order the texts are stored in, given the visiting order", () => {
    const n = texts.length;
    const perm = Array.from({ length: n }, (_, i) => (i * 37) % n); // storage position of text i
    const stored: string[] = new Array<string>(n);
    perm.forEach((p, i) => (stored[p] = texts[i]!));
    const a = clusterSketches(sketches(texts), 0.45);
    const b = clusterSketches(sketches(stored, perm), 0.45); // visit in the original order
    const back = (uf: UnionFind, i: number): number => uf.find(perm[i]!);
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        expect(a.uf.find(i) === a.uf.find(j)).toBe(back(b.uf, i) === back(b.uf, j));
      }
    }
    expect(b.stats).toEqual(a.stats);
  });

  it("joins nothing at a threshold of 1 except exact copies", () => {
    const t = [texts[0]!, texts[0]!, edited(texts[0]!, 1, rng) + " extra words here"];
    const { uf } = clusterSketches(sketches(t), 1);
    expect(partition(uf, 3)).toEqual([[0, 1], [2]]);
  });
});

/** `sketches`, with what joining cut copies needs: each text's length, ellipsis and prefix key, as read.ts gives them. */
function cutSketches(texts: string[], seed: number): Sketches {
  const sk = new Sketcher({ shingle: 4, bands: 20, rows: 3, seed });
  const m = new MatchingCodes();
  const n = texts.length;
  const s: Required<Sketches> = {
    count: n,
    bands: 20,
    slots: sk.slots,
    keys: new Uint32Array(n * 20),
    sig: new Uint8Array(n * sk.slots),
    order: Int32Array.from(texts.map((_, i) => i)),
    chars: new Int32Array(n),
    cut: new Uint8Array(n),
    prefix: new Uint32Array(n),
  };
  texts.forEach((t, i) => {
    const len = m.fill(t);
    sk.sketchCodes(m.codes, len, s.keys, i * 20, s.sig, i * sk.slots);
    s.chars[i] = len;
    s.cut[i] = m.cut ? 1 : 0;
    s.prefix[i] = prefixKey(m.codes, len);
  });
  return s;
}

describe("clusterSketches on texts cut short", () => {
  // long posts, as truncated retweets and cross-posts cut them: a tweet of 280 characters keeps about 120
  const originals = [
    "The ministry lied to all of us again: the real unemployment figures are twice what they published last week, " +
      "and they know it. Share this before they delete it and ask your representative why nobody is being held " +
      "accountable for the cover-up",
    "دولت دوباره درباره قیمت آب به مردم دروغ گفت و آمار واقعی را پنهان کرد، این پیام را قبل از حذف شدن برای همه " +
      "دوستان خود بفرستید و از نماینده\u200cتان بپرسید چرا هیچ\u200cکس پاسخگو نیست و چه کسی از این سکوت سود می\u200cبرد؛ " +
      "فردا ساعت ده صبح جلوی ساختمان شورا جمع می\u200cشویم",
  ];
  const cutAt = (t: string, share: number): string => t.slice(0, Math.round(t.length * share));

  it("joins a copy cut to a half or two fifths and marked with an ellipsis to its original, a third mostly", () => {
    let third = 0;
    for (const original of originals)
      for (const share of [0.5, 0.4, 0.34])
        for (let seed = 1; seed <= 8; seed++) {
          const cut = `RT @someone: ${cutAt(original, share)}… https://t.co/Ab12`;
          const { uf } = clusterSketches(cutSketches([original, cut], seed), 0.45);
          const joined = uf.find(1) === uf.find(0);
          if (share > 0.34) expect(joined, `${share} ${seed} ${original.slice(0, 20)}`).toBe(true);
          else if (joined) third++;
        }
    // a third of the letters is near the estimate's reach: one slot of 60 moves the share by 0.05
    expect(third).toBeGreaterThanOrEqual(12);
    // without the prefix step only the half is joined with any regularity
    const plain = originals.map((o) => clusterSketches(sketches([o, `${cutAt(o, 0.34)}…`]), 0.45).uf);
    expect(plain.filter((uf) => uf.find(1) === uf.find(0)).length).toBeLessThan(originals.length);
  });

  it("keeps apart a cut text that only begins like another, and a short one with no ellipsis", () => {
    const [en, fa] = originals as [string, string];
    // the same first words, then a message of its own
    const alike =
      en.slice(0, 60) +
      " on the budget of the schools in the north, and the teachers have not been paid since May…";
    expect(matchingLetters(alike).slice(0, PREFIX_LETTERS)).toBe(
      matchingLetters(en).slice(0, PREFIX_LETTERS),
    );
    const bare = cutAt(fa, 0.3); // the first words, written out in full by someone quoting them
    for (let seed = 1; seed <= 8; seed++) {
      const { uf } = clusterSketches(cutSketches([en, alike, fa, bare], seed), 0.45);
      expect(uf.find(1), `seed ${seed}`).not.toBe(uf.find(0));
      expect(uf.find(3), `seed ${seed}`).not.toBe(uf.find(2));
    }
  });

  it("needs the cut copy to keep a quarter of the longer text and more than its first words", () => {
    // a true prefix has Jaccard similarity short / long: accepted from a quarter down to nothing below it
    expect(isCutCopy(0.5, 100, 200)).toBe(true);
    expect(isCutCopy(0.26, 80, 300)).toBe(true);
    expect(isCutCopy(0.2, 60, 300)).toBe(false);
    expect(isCutCopy(0.9, 2 * PREFIX_LETTERS - 1, 2 * PREFIX_LETTERS)).toBe(false);
    // longer than the text it would be cut from
    expect(isCutCopy(0.9, 210, 200)).toBe(false);
  });
});

describe("postClusters", () => {
  // texts 0-1 joined, 2 alone, 3-4 joined; post -1 = too short
  const uf = new UnionFind(5);
  uf.union(0, 1);
  uf.union(3, 4);
  const posts = {
    account: Int32Array.from([0, 1, 2, 0, 0, 3, 1, 0]),
    tsMs: Float64Array.from([50, 10, 30, 40, 20, 5, 60, 10]),
    text: Int32Array.from([0, 1, 0, 2, 3, 4, -1, 2]),
  };

  it("keeps clusters with two or more posts by enough accounts, numbered by earliest post", () => {
    const c = postClusters(posts, 5, uf, 2);
    // cluster of texts {0,1}: posts 0,1,2 (accounts 0,1,2), earliest post 1 at t=10
    // cluster {3,4}: posts 4,5 (accounts 0,3), earliest post 5 at t=5
    // text 2: posts 3,7 by account 0 only -> dropped for too few accounts
    expect(c.count).toBe(2);
    expect([...c.first]).toEqual([5, 1]);
    expect([...c.posts]).toEqual([2, 3]);
    expect([...c.accounts]).toEqual([2, 3]);
    expect([...c.texts]).toEqual([2, 2]);
    expect([...c.clusterOf]).toEqual([1, 1, 1, -1, 0, 0, -1, -1]);
    expect(c.fewAccounts).toBe(1);
  });

  it("keeps one account's repeated text when one account is enough", () => {
    const c = postClusters(posts, 5, uf, 1);
    expect(c.count).toBe(3);
    expect(c.fewAccounts).toBe(0);
    expect(c.texts[c.clusterOf[3]!]).toBe(1); // verbatim repeats only
  });
});

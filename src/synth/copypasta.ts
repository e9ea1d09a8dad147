/**
 * Copies of a pasted message. Operators paste one text through many accounts, and each copy picks up a few
 * small edits, by hand or by a tool meant to defeat exact matching: two words swapped, one dropped or slipped
 * in, an emoji, a change of punctuation or case, and in Persian a zero-width non-joiner written as a space or
 * left out, or Arabic letter forms (ي, ك) typed on an Arabic keyboard. Every copy draws its own number of edits
 * (0-3) and its own kinds and places, so no two members share one pattern.
 *
 * Edits fall on places at least three words apart, so the word-level edit distance of a copy from its template
 * (`wordDistance` over `copyWords`) is at most its number of edits. Spacing variants of Persian affixes count as
 * no word edit at all: `copyWords` joins them, as a reader does.
 */
import { COPY_EMOJI, COPY_FILLERS } from "./banks-text.js";
import type { SynthLang } from "./config.js";
import type { Rng } from "./rng.js";

const ZWNJ = "\u200c";

export type CopyEdit = "swap" | "drop" | "insert" | "emoji" | "punctuation" | "case" | "zwnj" | "letters";

export interface PastedCopy {
  text: string;
  /** The edits made, in the order they were drawn (0-3 of them). */
  edits: CopyEdit[];
}

const EDITS_BY_LANG: Readonly<Record<SynthLang, readonly CopyEdit[]>> = {
  en: ["swap", "drop", "insert", "emoji", "punctuation", "case"],
  fa: ["swap", "drop", "insert", "emoji", "punctuation", "zwnj", "zwnj", "letters"],
  ar: ["swap", "drop", "insert", "emoji", "punctuation"],
};

/** Persian prefixes and suffixes that are written joined, with a ZWNJ, or with a space. */
const PREFIXES = new Set(["می", "نمی", "بی"]);
const SUFFIXES = new Set([
  "ها",
  "های",
  "هایی",
  "ای",
  "ی",
  "ام",
  "ات",
  "اش",
  "ایم",
  "اید",
  "اند",
  "تر",
  "ترین",
  "شان",
  "تان",
  "مان",
]);

const END_PUNCT = /[.!?؟،,…]+$/u;
const ENDINGS: readonly string[] = [".", "!", "!!", "…", ""];

/** Draw 0-3 edits: a fifth of the copies are verbatim, a fifth carry three edits. */
function editCount(rng: Rng, max: number): number {
  const u = rng.next();
  const n = u < 0.2 ? 0 : u < 0.5 ? 1 : u < 0.8 ? 2 : 3;
  return Math.min(n, max);
}

/** A copy of `template` with 0 to `maxEdits` (at most 3) small edits. */
export function pasteCopy(rng: Rng, template: string, lang: SynthLang, maxEdits = 3): PastedCopy {
  const words = template.split(" ");
  const want = editCount(rng, Math.min(3, maxEdits));
  const anchors: number[] = [];
  const free = (p: number, span: number): boolean =>
    p >= 0 && p + span - 1 < words.length && anchors.every((q) => Math.abs(q - p) >= 3);
  const planned: Array<{ kind: CopyEdit; at: number }> = [];
  let emoji = false;
  for (let tries = 0; planned.length < want && tries < 40; tries++) {
    const kind = rng.pick(EDITS_BY_LANG[lang]);
    let at: number;
    if (kind === "emoji") {
      if (emoji) continue;
      at = rng.chance(0.75) ? words.length - 1 : 0;
      if (!free(at, 1)) continue;
      emoji = true;
    } else if (kind === "swap") {
      at = rng.int(words.length - 1);
      if (!free(at, 2) || !free(at + 1, 1) || words[at] === words[at + 1]) continue;
    } else if (kind === "zwnj" || kind === "letters") {
      const re = kind === "zwnj" ? /\u200c/ : /[یک]/;
      const options = words.map((w, i) => (re.test(w) && free(i, 1) ? i : -1)).filter((i) => i >= 0);
      if (options.length === 0) continue;
      at = rng.pick(options);
    } else if (kind === "case") {
      at = rng.int(words.length);
      if (!free(at, 1) || !/[A-Za-z]/.test(words[at] as string)) continue;
    } else {
      // Never drop the last word (it carries the final punctuation an edit of its own may change).
      at = rng.int(kind === "drop" ? words.length - 1 : words.length);
      if (!free(at, 1)) continue;
    }
    anchors.push(at);
    planned.push({ kind, at });
  }
  // Apply from the end of the text so earlier places keep their positions.
  const order = [...planned].sort((x, y) => y.at - x.at);
  for (const { kind, at } of order) {
    const w = words[at] as string;
    switch (kind) {
      case "swap":
        words[at] = words[at + 1] as string;
        words[at + 1] = w;
        break;
      case "drop":
        words.splice(at, 1);
        break;
      case "insert":
        words.splice(at + 1, 0, rng.pick(COPY_FILLERS[lang]));
        break;
      case "emoji":
        if (at === 0) words.unshift(rng.pick(COPY_EMOJI));
        else words.push(rng.pick(COPY_EMOJI));
        break;
      case "punctuation": {
        const end = END_PUNCT.exec(w)?.[0] ?? "";
        const stem = w.slice(0, w.length - end.length);
        words[at] =
          stem + (end === "" ? rng.pick(["!", ",", "…"]) : rng.pick(ENDINGS.filter((e) => e !== end)));
        break;
      }
      case "case":
        words[at] = /^[A-Z]/.test(w) ? w.charAt(0).toLowerCase() + w.slice(1) : w.toUpperCase();
        break;
      case "zwnj": {
        const parts = w.split(ZWNJ);
        const spaced =
          parts.length === 2 && (PREFIXES.has(parts[0] as string) || SUFFIXES.has(parts[1] as string));
        words[at] = spaced && rng.chance(0.6) ? parts.join(" ") : parts.join("");
        break;
      }
      case "letters":
        words[at] = w.replaceAll("ی", "ي").replaceAll("ک", "ك");
        break;
    }
  }
  return { text: words.join(" "), edits: planned.map((e) => e.kind) };
}

/**
 * The words of a text as a reader counts them: split on spaces, a ZWNJ is no boundary and no letter, and a
 * Persian prefix or suffix written apart joins its word.
 */
export function copyWords(text: string): string[] {
  const raw = text
    .split(/\s+/u)
    .filter((w) => w !== "")
    .map((w) => w.replaceAll(ZWNJ, ""));
  const out: string[] = [];
  for (let i = 0; i < raw.length; i++) {
    const w = raw[i] as string;
    if (PREFIXES.has(w) && i + 1 < raw.length) {
      raw[i + 1] = w + (raw[i + 1] as string);
      continue;
    }
    if (SUFFIXES.has(w) && out.length > 0) {
      out[out.length - 1] += w;
      continue;
    }
    out.push(w);
  }
  return out;
}

/** Edit distance in words: insertions, deletions, substitutions and swaps of neighbours (optimal alignment). */
export function wordDistance(a: readonly string[], b: readonly string[]): number {
  const m = a.length;
  const n = b.length;
  const d: number[][] = Array.from({ length: m + 1 }, (_, i) =>
    Array.from({ length: n + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= m; i++) {
    for (let j = 1; j <= n; j++) {
      const row = d[i] as number[];
      const up = d[i - 1] as number[];
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min((up[j] as number) + 1, (row[j - 1] as number) + 1, (up[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        v = Math.min(v, ((d[i - 2] as number[])[j - 2] as number) + 1);
      }
      row[j] = v;
    }
  }
  return (d[m] as number[])[n] as number;
}

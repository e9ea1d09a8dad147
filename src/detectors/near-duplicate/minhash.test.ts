import { describe, expect, it } from "vitest";
import { edited, SAME_TOPIC, TEMPLATES } from "../../../test/helpers/copypasta.js";
import { seededRng } from "../detector.js";
import {
  candidateProbability,
  estimatedJaccard,
  estimatedJaccard32,
  sCurveThreshold,
  Sketcher,
  type SketchShape,
} from "./minhash.js";
import { forEachShingle, matchingLetters } from "./shingle.js";

const SHAPE: SketchShape = { shingle: 4, bands: 20, rows: 3, seed: 42 };

function exactJaccard(a: string, b: string, k: number): number {
  const sa = new Set<number>();
  const sb = new Set<number>();
  forEachShingle(a, k, (h) => sa.add(h));
  forEachShingle(b, k, (h) => sb.add(h));
  let both = 0;
  for (const h of sa) if (sb.has(h)) both++;
  return both / (sa.size + sb.size - both);
}

/** Sketches of the given (already matching-form) texts, in one pair of arrays as the detector keeps them. */
function sketchAll(texts: string[], shape = SHAPE): { keys: Uint32Array; sig: Uint8Array; slots: number } {
  const sk = new Sketcher(shape);
  const keys = new Uint32Array(texts.length * shape.bands);
  const sig = new Uint8Array(texts.length * sk.slots);
  texts.forEach((t, i) => sk.sketch(t, keys, i * shape.bands, sig, i * sk.slots));
  return { keys, sig, slots: sk.slots };
}

const ALL = [...TEMPLATES.en, ...TEMPLATES.fa, ...TEMPLATES.ar];

describe("Sketcher", () => {
  it("gives identical texts identical band keys and signatures", () => {
    const t = matchingLetters(TEMPLATES.fa[0]!);
    const { keys, sig, slots } = sketchAll([t, t]);
    expect(keys.subarray(0, 20)).toEqual(keys.subarray(20, 40));
    expect(estimatedJaccard(sig, 0, 1, slots)).toBe(1);
  });

  it("estimates the Jaccard similarity of edited copies within the sampling error", () => {
    const rng = seededRng(9);
    const errors: number[] = [];
    for (const template of ALL) {
      for (let r = 0; r < 10; r++) {
        const a = matchingLetters(edited(template, Math.floor(rng() * 4), rng));
        const b = matchingLetters(edited(template, Math.floor(rng() * 4), rng));
        const { sig, slots } = sketchAll([a, b]);
        errors.push(estimatedJaccard(sig, 0, 1, slots) - exactJaccard(a, b, SHAPE.shingle));
      }
    }
    // 60 slots: a standard error of at most sqrt(0.25 / 60) = 0.065 per pair
    for (const e of errors) expect(Math.abs(e)).toBeLessThan(0.25);
    const bias = errors.reduce((s, e) => s + e, 0) / errors.length;
    expect(Math.abs(bias)).toBeLessThan(0.03);
  });

  it("keeps different texts on the same topic well below the default threshold", () => {
    for (const other of SAME_TOPIC) {
      for (const template of ALL) {
        const a = matchingLetters(other);
        const b = matchingLetters(template);
        expect(exactJaccard(a, b, SHAPE.shingle)).toBeLessThan(0.3);
        const { sig, slots } = sketchAll([a, b]);
        expect(estimatedJaccard(sig, 0, 1, slots)).toBeLessThan(0.45);
      }
    }
  });

  it("depends on the seed", () => {
    const t = matchingLetters(TEMPLATES.en[1]!);
    const one = sketchAll([t]);
    const two = sketchAll([t], { ...SHAPE, seed: 43 });
    expect(one.keys).not.toEqual(two.keys);
  });

  it("sketches a text shorter than one shingle, and an empty one, without failing", () => {
    const { keys, sig, slots } = sketchAll(["ab", "ab", ""]);
    expect(estimatedJaccard(sig, 0, 1, slots)).toBe(1);
    expect(keys.subarray(40, 60).every((k) => k === 0)).toBe(true);
  });
});

describe("LSH banding", () => {
  it("puts the S-curve midpoint at (1/b)^(1/r)", () => {
    expect(sCurveThreshold(20, 3)).toBeCloseTo(Math.cbrt(1 / 20), 12);
    expect(sCurveThreshold(16, 4)).toBeCloseTo(0.5, 12);
  });

  it("makes pairs at the default threshold candidates far more often than same-topic pairs", () => {
    expect(candidateProbability(0.45, 20, 3)).toBeGreaterThan(0.8);
    expect(candidateProbability(0.6, 20, 3)).toBeGreaterThan(0.98);
    expect(candidateProbability(0.15, 20, 3)).toBeLessThan(0.07);
    expect(candidateProbability(1, 20, 3)).toBe(1);
    expect(candidateProbability(0, 20, 3)).toBe(0);
  });
});

describe("estimatedJaccard32", () => {
  it("agrees with the byte-wise estimate", () => {
    const rng = seededRng(4);
    const sig = new Uint8Array(60 * 40);
    for (let i = 0; i < sig.length; i++) sig[i] = rng() < 0.5 ? 7 : Math.floor(rng() * 256);
    const words = new Uint32Array(sig.buffer);
    for (let a = 0; a < 40; a++) {
      for (let b = 0; b < 40; b++) {
        expect(estimatedJaccard32(words, a, b, 15)).toBe(estimatedJaccard(sig, a, b, 60));
      }
    }
  });
});

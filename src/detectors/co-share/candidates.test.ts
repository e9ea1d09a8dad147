/**
 * Co-share keeps, of each layer's pairs, only those that can become ties (`tieCandidates`): the false-discovery
 * control, the candidates and the strongest chance ties must come out exactly as if every pair had been kept.
 */
import { describe, expect, it } from "vitest";
import { benjaminiHochberg } from "../../stats/poisson.js";
import { smallestK } from "../../stats/select.js";
import { seededRng } from "../detector.js";
import { tieCandidates } from "./layer.js";

const base = { minCoshares: 2, candidateP: 0.001, keepInsignificant: 25 };

/** Pairs as a busy layer gives them: mostly chance meetings, some strong ones, repeated p-values, a NaN. */
function layer(n: number, seed: number): { objects: Uint32Array; logP: Float64Array } {
  const rng = seededRng(seed);
  const objects = new Uint32Array(n);
  const logP = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    objects[i] = 1 + Math.floor(rng() * 4);
    const u = rng();
    // a tenth strong, a tenth near the thresholds, the rest spread over (0, 1], every seventh a repeat of the
    // one before
    logP[i] =
      i % 7 === 6
        ? logP[i - 1]!
        : u < 0.1
          ? Math.log(rng() * 1e-8)
          : u < 0.2
            ? Math.log(1e-4 + rng() * 0.01)
            : Math.log(1 - rng());
  }
  logP[n >> 1] = NaN;
  return { objects, logP };
}

describe("tieCandidates", () => {
  it.each([
    ["below", 0.0002],
    ["above", 0.05],
  ])(
    "keeps what the control, the candidates and the strongest chance ties need (alpha %s candidateP)",
    (_, alpha) => {
      const params = { ...base, alpha };
      const layers = [layer(5000, 1), layer(3000, 2), layer(800, 3)];
      const m = layers.reduce((n, l) => n + l.logP.length, 0);
      const kept = layers.map((l) => tieCandidates(l.objects, l.logP, params));
      // keeping fewer is the point: most pairs are chance meetings
      for (const [i, k] of kept.entries()) {
        expect(k.length).toBeLessThan(layers[i]!.logP.length / 3);
        for (let j = 1; j < k.length; j++) expect(k[j]!).toBeGreaterThan(k[j - 1]!);
      }

      // the control over every pair (p = 1 below minCoshares) and over the kept pairs with the same m
      const eligible = (l: { objects: Uint32Array; logP: Float64Array }, at?: Int32Array): Float64Array => {
        const pos = at ?? Int32Array.from(l.logP, (_, i) => i);
        return Float64Array.from(pos, (i) => (l.objects[i]! >= params.minCoshares ? l.logP[i]! : 0));
      };
      const concat = (parts: Float64Array[]): Float64Array => {
        const out = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
        let off = 0;
        for (const p of parts) out.set(p, (off += p.length) - p.length);
        return out;
      };
      const fullFlags = benjaminiHochberg(concat(layers.map((l) => eligible(l))), params.alpha, m);
      const keptFlags = benjaminiHochberg(
        concat(layers.map((l, i) => eligible(l, kept[i]))),
        params.alpha,
        m,
      );
      // classify every pair as the detector does, from the full arrays and from the kept ones
      type Tie = string;
      const classify = (
        positions: Int32Array[],
        flags: Uint8Array,
      ): { sure: Tie[]; chance: Tie[]; logP: number[] } => {
        const sure: Tie[] = [];
        const chance: Tie[] = [];
        const logP: number[] = [];
        let off = 0;
        positions.forEach((pos, li) => {
          const l = layers[li]!;
          pos.forEach((i, j) => {
            const tie = `${li}:${i}`;
            if (flags[off + j]) sure.push(`${tie} significant`);
            else if (l.objects[i]! < params.minCoshares) return;
            else if (l.logP[i]! <= Math.log(params.candidateP)) sure.push(`${tie} candidate`);
            else {
              chance.push(tie);
              logP.push(l.logP[i]!);
            }
          });
          off += pos.length;
        });
        return { sure, chance, logP };
      };
      const full = classify(
        layers.map((l) => Int32Array.from(l.logP, (_, i) => i)),
        fullFlags,
      );
      const compact = classify(kept, keptFlags);
      expect(full.sure.filter((t) => t.endsWith("significant")).length).toBeGreaterThan(100);
      if (alpha < params.candidateP) {
        expect(full.sure.filter((t) => t.endsWith("candidate")).length).toBeGreaterThan(10);
      }
      expect(compact.sure).toEqual(full.sure);
      const strongest = (c: { chance: Tie[]; logP: number[] }): Tie[] =>
        [...smallestK(Float64Array.from(c.logP), params.keepInsignificant)].map((k) => c.chance[k]!);
      expect(full.chance.length).toBeGreaterThan(1000);
      expect(strongest(compact)).toEqual(strongest(full));
    },
  );

  it("keeps nothing below minCoshares, and every chance pair when they are fewer than keepInsignificant", () => {
    const params = { ...base, alpha: 0.01 };
    const objects = Uint32Array.of(1, 2, 2, 5, 1);
    const logP = Float64Array.of(-50, -0.1, -40, -0.2, 0);
    expect([...tieCandidates(objects, logP, params)]).toEqual([1, 2, 3]);
    expect([...tieCandidates(objects, logP, { ...params, keepInsignificant: 1 })]).toEqual([2, 3]);
    expect([...tieCandidates(objects, logP, { ...params, keepInsignificant: 0 })]).toEqual([2]);
  });
});

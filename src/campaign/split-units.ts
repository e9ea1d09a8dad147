/**
 * Units that the clustering split. A unit that posts over minutes rather than seconds (each member a little after
 * the last, for as long as a burst lasts) has few pairs that beat chance inside one window, and modularity then cuts
 * it into groups along chance lines. Each group is a minority of the shares of the unit's own hashtags and links, so
 * each is set aside as a small part of their audience (all but the largest, at times, which passes alone), though
 * together they made most of those shares.
 *
 * Here such groups are found again: an object is held jointly when two or more of the groups acted on it inside one
 * window and together made at least `minShare` of everyone's shares of it; two groups are kin when they jointly hold
 * at least `minJoint` objects, and kin of kin are one unit. The caller tests each unit as one group (every test
 * again, on its own facts). Reposts are left out: a popular account's posts are reposted mostly by its fans, who fall
 * into many groups, so groups together can make most of a post's reposts without acting as one; fans have their own
 * tests.
 */
import type { SharedObjectFact } from "./facts.js";

const LEFT_OUT = new Set(["repost", "fast-repost"]);

/**
 * `groups`: each candidate group's shared objects (its facts' `objects`). Returns the units of two or more groups,
 * as indices into `groups`, each ascending, ordered by their first index.
 */
export function splitUnits(
  groups: ReadonlyArray<{ objects: readonly SharedObjectFact[] }>,
  opts: { minShare: number; minJoint: number },
): number[][] {
  const held = new Map<string, { shares: number; total: number; groups: number[] }>();
  groups.forEach(({ objects }, g) => {
    for (const o of objects) {
      if (o.burst < 2 || LEFT_OUT.has(o.kind)) continue;
      const key = `${o.kind}\u0000${o.value}`;
      const h = held.get(key);
      if (h === undefined) held.set(key, { shares: o.shares, total: o.total, groups: [g] });
      else if (h.groups[h.groups.length - 1] !== g) {
        h.shares += o.shares;
        h.groups.push(g);
      }
    }
  });
  // how many objects each pair of groups holds jointly
  const joint = new Map<number, number>();
  const n = groups.length;
  for (const h of held.values()) {
    if (h.groups.length < 2 || h.shares < opts.minShare * Math.max(h.total, h.shares)) continue;
    for (let i = 0; i < h.groups.length; i++) {
      for (let j = i + 1; j < h.groups.length; j++) {
        const key = h.groups[i]! * n + h.groups[j]!;
        joint.set(key, (joint.get(key) ?? 0) + 1);
      }
    }
  }
  const parent = Array.from({ length: n }, (_, i) => i);
  const root = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  for (const [key, count] of joint) {
    if (count < opts.minJoint) continue;
    const a = root(Math.floor(key / n));
    const b = root(key % n);
    if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
  }
  const units = new Map<number, number[]>();
  for (let g = 0; g < n; g++) {
    const r = root(g);
    const u = units.get(r);
    if (u === undefined) units.set(r, [g]);
    else u.push(g);
  }
  return [...units.values()].filter((u) => u.length >= 2).sort((x, y) => x[0]! - y[0]!);
}

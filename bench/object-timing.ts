/**
 * Benchmark: co-share's per-object timing (`objectTiming`, src/detectors/co-share/chance.ts: each account's shares
 * of an object counted in arrays by account) against the former method, two JS Maps cleared and refilled for every
 * object, on a layer shaped like the repost layer of the 10M-post analysis: about 3.8M shares of 3M objects, most
 * shared once or twice, a few thousand by hundreds of fans over minutes. Both run in the same process, alternating,
 * and must give the same degrees and q values.
 *
 *   npx tsx bench/object-timing.ts [--shares 3800000] [--runs 3]
 */
import { parseArgs } from "node:util";
import { objectTiming } from "../src/detectors/co-share/chance.js";
import { seededRng } from "../src/detectors/detector.js";

const { values } = parseArgs({
  options: { shares: { type: "string", default: "3800000" }, runs: { type: "string", default: "3" } },
});
const target = Number(values.shares);
const runs = Number(values.runs);
const rng = seededRng(1);
const ACCOUNTS = 60_000;
const objectOf: number[] = [];
const accountOf: number[] = [];
const timeOf: number[] = [];
let objects = 0;
while (objectOf.length < target) {
  // one popular post in 1,000 is reposted by 100-800 fans over ten minutes; the rest once to three times over hours
  const popular = rng() < 0.001;
  const n = popular ? 100 + Math.floor(rng() * 700) : 1 + Math.floor(rng() * rng() * 3);
  const spread = popular ? 600_000 : 6 * 3_600_000;
  const times = Array.from({ length: n }, () => Math.floor(rng() * spread)).sort((x, y) => x - y);
  for (const t of times) {
    objectOf.push(objects);
    accountOf.push(Math.floor(Math.pow(rng(), 2) * ACCOUNTS));
    timeOf.push(t);
  }
  objects++;
}
const object = Int32Array.from(objectOf);
const account = Int32Array.from(accountOf);
const tsMs = Float64Array.from(timeOf);

/** The former method: each object's accounts counted in two Maps, cleared for every object. */
function byMaps(windowMs: number): { degree: Float64Array; q: Float64Array } {
  const degree = new Float64Array(objects);
  const q = new Float64Array(objects);
  const n = object.length;
  const inWin = new Map<number, number>();
  const total = new Map<number, number>();
  let i = 0;
  while (i < n) {
    const o = object[i]!;
    let j = i;
    let lo = i;
    let crossInWindow = 0;
    inWin.clear();
    total.clear();
    while (j < n && object[j] === o) {
      while (tsMs[j]! - tsMs[lo]! > windowMs) {
        const a = account[lo]!;
        inWin.set(a, inWin.get(a)! - 1);
        lo++;
      }
      const a = account[j]!;
      const same = inWin.get(a) ?? 0;
      crossInWindow += j - lo - same;
      inWin.set(a, same + 1);
      total.set(a, (total.get(a) ?? 0) + 1);
      j++;
    }
    const rows = j - i;
    let samePairs = 0;
    for (const c of total.values()) samePairs += (c * (c - 1)) / 2;
    const cross = (rows * (rows - 1)) / 2 - samePairs;
    degree[o] = total.size;
    q[o] = cross > 0 ? Math.min(1, crossInWindow / cross) : 0;
    i = j;
  }
  return { degree, q };
}

const times = { arrays: [] as number[], maps: [] as number[] };
for (let r = 0; r < runs; r++) {
  let t = performance.now();
  const fast = objectTiming(object, account, tsMs, objects, 60_000);
  times.arrays.push((performance.now() - t) / 1000);
  t = performance.now();
  const slow = byMaps(60_000);
  times.maps.push((performance.now() - t) / 1000);
  if (r === 0) {
    for (let o = 0; o < objects; o++) {
      if (fast.degree[o] !== slow.degree[o] || fast.q[o] !== slow.q[o])
        throw new Error(`object ${o} differs`);
    }
  }
}
const fmt = (xs: number[]): string => xs.map((x) => x.toFixed(3)).join(", ");
console.log(
  `shares              ${object.length.toLocaleString("en-US")} of ${objects.toLocaleString("en-US")} objects (the same output both ways)`,
);
console.log(`arrays by account   ${fmt(times.arrays)} s`);
console.log(`Maps (baseline)     ${fmt(times.maps)} s`);
console.log(
  `ratio               ${(Math.min(...times.arrays) / Math.min(...times.maps)).toFixed(2)}x (best runs)`,
);
console.log(`peak RSS            ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB`);

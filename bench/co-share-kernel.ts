/**
 * Benchmark: the co-share kernel on synthetic shares.
 *
 *   npx tsx bench/co-share-kernel.ts [--shares 10000000] [--window 60] [--cap 200] [--order time|shuffled|sorted]
 *                                    [--seed 1] [--no-evidence] [--reference auto|on|off]
 *
 * The generator is seeded and deterministic: Zipf object popularity (popular objects also live longer), heavy-
 * tailed account activity, a few viral objects that burst for minutes, and planted coordinated groups (accounts
 * sharing the same fresh objects within seconds), whose pairs the kernel must find. Times have second resolution,
 * as in most exports. Prints elapsed time, the phases, peak RSS and the ratio against a straightforward
 * reference (Array sort + Map), which stops where Map does (2^24 entries).
 */
import { coShareWindows, type ShareColumns } from "../src/detectors/co-share/kernel.js";
import { sortShares } from "../src/detectors/co-share/sort.js";

interface Args {
  shares: number;
  window: number;
  cap: number;
  order: "time" | "shuffled" | "sorted";
  seed: number;
  evidence: boolean;
  reference: "auto" | "on" | "off";
  repeat: number;
}

function parseArgs(argv: string[]): Args {
  const args: Args = {
    shares: 10_000_000,
    window: 60,
    cap: 200,
    order: "time",
    seed: 1,
    evidence: true,
    reference: "auto",
    repeat: 1,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    const num = () => {
      const v = Number(value);
      if (!Number.isFinite(v)) throw new Error(`bench: ${flag} needs a number`);
      i++;
      return v;
    };
    if (flag === "--shares") args.shares = Math.floor(num());
    else if (flag === "--window") args.window = num();
    else if (flag === "--cap") args.cap = Math.floor(num());
    else if (flag === "--seed") args.seed = Math.floor(num());
    else if (flag === "--repeat") args.repeat = Math.max(1, Math.floor(num()));
    else if (flag === "--no-evidence") args.evidence = false;
    else if (flag === "--order" && (value === "time" || value === "shuffled" || value === "sorted")) {
      args.order = value;
      i++;
    } else if (flag === "--reference" && (value === "auto" || value === "on" || value === "off")) {
      args.reference = value;
      i++;
    } else throw new Error(`bench: unknown or incomplete option ${flag}`);
  }
  return args;
}

/** mulberry32: a small, seeded 32-bit generator; returns floats in [0, 1). */
function makeRng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Cumulative weights of k^-s for k = 1..n, for inverse-CDF sampling. */
function zipfTable(n: number, s: number): Float64Array {
  const cdf = new Float64Array(n);
  let acc = 0;
  for (let k = 0; k < n; k++) {
    acc += 1 / Math.pow(k + 1, s);
    cdf[k] = acc;
  }
  return cdf;
}

function sample(cdf: Float64Array, u: number): number {
  const target = u * cdf[cdf.length - 1]!;
  let lo = 0;
  let hi = cdf.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cdf[mid]! < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

interface Synthetic {
  cols: ShareColumns;
  plantedGroups: number[][];
  plantedObjects: number;
}

const DAY = 86_400;

function generate(n: number, seed: number, order: Args["order"]): Synthetic {
  const rnd = makeRng(seed);
  const nObjects = Math.max(1000, Math.floor(n / 8));
  const nAccounts = Math.max(1000, Math.floor(n / 25));
  const objCdf = zipfTable(nObjects, 0.9);
  const accCdf = zipfTable(nAccounts, 0.8);
  // Shuffle ranks so that popular objects/accounts are not the low ids.
  const objPerm = Int32Array.from({ length: nObjects }, (_, i) => i);
  const accPerm = Int32Array.from({ length: nAccounts }, (_, i) => i);
  for (const p of [objPerm, accPerm]) {
    for (let i = p.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      const t = p[i]!;
      p[i] = p[j]!;
      p[j] = t;
    }
  }

  const planted = Math.min(200, Math.floor(n / 50_000));
  const groupSize = 12;
  const perGroupObjects = 40;
  const viral = 5;
  const viralShares = Math.max(100, Math.floor(n / 2000));
  const plantedShares = planted * groupSize * perGroupObjects;
  const organic = n - plantedShares - viral * viralShares;

  const object = new Int32Array(n);
  const account = new Int32Array(n);
  const tsSec = new Float64Array(n);

  // Organic shares: popularity decides the object, activity the account; an object's shares decay from its
  // birth with a lifetime growing with its popularity (sqrt), from 30 minutes to a week.
  const expected = (rank: number) => (organic * (1 / Math.pow(rank + 1, 0.9))) / objCdf[nObjects - 1]!;
  const birth = new Float64Array(nObjects);
  for (let o = 0; o < nObjects; o++) birth[o] = rnd() * 30 * DAY;
  let r = 0;
  for (; r < organic; r++) {
    const rank = sample(objCdf, rnd());
    const o = objPerm[rank]!;
    const life = Math.min(7 * DAY, 1800 * Math.sqrt(Math.max(1, expected(rank))));
    object[r] = o;
    account[r] = accPerm[sample(accCdf, rnd())]!;
    tsSec[r] = Math.floor(birth[o]! - life * Math.log(1 - rnd()));
  }
  // Viral bursts: a few objects shared thousands of times within a quarter of an hour.
  let nextObject = nObjects;
  for (let v = 0; v < viral; v++) {
    const o = nextObject++;
    const start = rnd() * 30 * DAY;
    for (let k = 0; k < viralShares; k++, r++) {
      object[r] = o;
      account[r] = Math.floor(rnd() * nAccounts);
      tsSec[r] = Math.floor(start + rnd() * 900);
    }
  }
  // Planted coordination: groups of accounts that share the same fresh objects within 20 seconds.
  const plantedGroups: number[][] = [];
  for (let g = 0; g < planted; g++) {
    const members: number[] = [];
    while (members.length < groupSize) {
      const a = Math.floor(rnd() * nAccounts);
      if (!members.includes(a)) members.push(a);
    }
    plantedGroups.push(members);
    for (let k = 0; k < perGroupObjects; k++) {
      const o = nextObject++;
      const start = rnd() * 30 * DAY;
      for (const a of members) {
        object[r] = o;
        account[r] = a;
        tsSec[r] = Math.floor(start + rnd() * 20);
        r++;
      }
    }
  }

  const perm = orderRows(tsSec, object, order, rnd);
  const cols: ShareColumns = {
    object: new Int32Array(n),
    account: new Int32Array(n),
    tsMs: new Float64Array(n),
  };
  for (let k = 0; k < n; k++) {
    const src = perm[k]!;
    cols.object[k] = object[src]!;
    cols.account[k] = account[src]!;
    cols.tsMs[k] = tsSec[src]! * 1000;
  }
  return { cols, plantedGroups, plantedObjects: perGroupObjects };
}

/** Row order of the benchmark input: chronological (counting sort on seconds), shuffled, or by object then time. */
function orderRows(
  tsSec: Float64Array,
  object: Int32Array,
  order: Args["order"],
  rnd: () => number,
): Int32Array {
  const n = tsSec.length;
  if (order === "shuffled") {
    const p = Int32Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      const t = p[i]!;
      p[i] = p[j]!;
      p[j] = t;
    }
    return p;
  }
  let maxT = 0;
  for (let i = 0; i < n; i++) if (tsSec[i]! > maxT) maxT = tsSec[i]!;
  const byTime = countingSort(n, maxT + 1, (i) => tsSec[i]!);
  if (order === "time") return byTime;
  let maxO = 0;
  for (let i = 0; i < n; i++) if (object[i]! > maxO) maxO = object[i]!;
  const byObject = countingSort(n, maxO + 1, (k) => object[byTime[k]!]!);
  return byObject.map((k) => byTime[k]!);
}

function countingSort(n: number, buckets: number, key: (i: number) => number): Int32Array {
  const offsets = new Int32Array(buckets + 1);
  for (let i = 0; i < n; i++) offsets[key(i) + 1]!++;
  for (let b = 1; b <= buckets; b++) offsets[b]! += offsets[b - 1]!;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[offsets[key(i)]!++] = i;
  return out;
}

/** The straightforward version: sort an index array with a comparator, all pairs in the window, a Map of pairs. */
function reference(cols: ShareColumns, windowMs: number, cap: number): { pairs: number; sharePairs: number } {
  const n = cols.object.length;
  const idx = Array.from({ length: n }, (_, i) => i);
  idx.sort((x, y) => cols.object[x]! - cols.object[y]! || cols.tsMs[x]! - cols.tsMs[y]! || x - y);
  const pairs = new Map<number, number>();
  let sharePairs = 0;
  for (let p = 0; p < n; p++) {
    const i = idx[p]!;
    for (let q = p + 1; q < n && q <= p + cap; q++) {
      const j = idx[q]!;
      if (cols.object[j] !== cols.object[i] || cols.tsMs[j]! - cols.tsMs[i]! > windowMs) break;
      const ai = cols.account[i]!;
      const aj = cols.account[j]!;
      if (ai === aj) continue;
      const key = ai < aj ? ai * 2 ** 31 + aj : aj * 2 ** 31 + ai;
      pairs.set(key, (pairs.get(key) ?? 0) + 1);
      sharePairs++;
    }
  }
  return { pairs: pairs.size, sharePairs };
}

const mib = (kib: number) => `${(kib / 1024).toFixed(0)} MiB`;
const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  console.log(
    `co-share kernel: ${args.shares.toLocaleString("en")} shares, window ${args.window} s, partner cap ${args.cap}, ` +
      `input order ${args.order}, evidence ${args.evidence ? "on" : "off"}, seed ${args.seed}`,
  );
  let t0 = performance.now();
  const data = generate(args.shares, args.seed, args.order);
  console.log(`generated in ${secs(performance.now() - t0)}`);
  global.gc?.();
  const rssBefore = process.memoryUsage().rss / 1024;
  const peakBefore = process.resourceUsage().maxRSS;

  const windowMs = args.window * 1000;
  const run = () =>
    coShareWindows(data.cols, { windowMs, maxPartnersPerShare: args.cap, evidence: args.evidence });
  for (let k = 1; k < args.repeat; k++) {
    t0 = performance.now();
    run();
    console.log(`warm-up run ${k}: ${secs(performance.now() - t0)}`);
    global.gc?.();
  }
  const cpu0 = process.cpuUsage();
  const faults0 = process.resourceUsage().minorPageFault;
  t0 = performance.now();
  const result = run();
  const elapsed = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const faults = process.resourceUsage().minorPageFault - faults0;
  const peak = process.resourceUsage().maxRSS;
  const t = result.totals;
  console.log(
    `kernel: ${secs(elapsed)} wall, CPU user ${secs(cpu.user / 1000)} + sys ${secs(cpu.system / 1000)} ` +
      `(${faults.toLocaleString("en")} page faults)`,
  );
  console.log(
    `  rows ${t.rows.toLocaleString("en")}, objects ${t.objects.toLocaleString("en")}, ` +
      `account pairs ${t.pairs.toLocaleString("en")}, share pairs ${t.sharePairs.toLocaleString("en")}, ` +
      `(object, pair) combinations ${t.objectPairs.toLocaleString("en")}`,
  );
  console.log(
    `  viral guard: ${t.objectsCapped.toLocaleString("en")} objects capped, ` +
      `${t.sharePairsSkipped.toLocaleString("en")} share pairs skipped`,
  );
  console.log(
    `  RSS before kernel ${mib(rssBefore)}, peak before ${mib(peakBefore)}, peak RSS (maxRSS) ${mib(peak)}`,
  );

  // Planted groups must come out with one co-shared object per planted object.
  const byPair = new Map<number, number>();
  for (let k = 0; k < result.a.length; k++) {
    if (result.objects[k]! >= data.plantedObjects) byPair.set(result.a[k]! * 2 ** 31 + result.b[k]!, k);
  }
  let found = 0;
  let expected = 0;
  for (const g of data.plantedGroups) {
    for (let x = 0; x < g.length; x++) {
      for (let y = x + 1; y < g.length; y++) {
        expected++;
        const a = Math.min(g[x]!, g[y]!);
        const b = Math.max(g[x]!, g[y]!);
        if (byPair.has(a * 2 ** 31 + b)) found++;
      }
    }
  }
  console.log(`  planted pairs recovered: ${found} / ${expected}`);

  // Phase split, on a second run of the sort alone.
  t0 = performance.now();
  sortShares(data.cols);
  console.log(`  of which sorting ~${secs(performance.now() - t0)} (measured separately)`);

  const runReference = args.reference === "on" || (args.reference === "auto" && args.shares <= 2_000_000);
  if (!runReference) {
    console.log("reference: skipped (use --reference on)");
    return;
  }
  t0 = performance.now();
  try {
    const ref = reference(data.cols, windowMs, args.cap);
    const refMs = performance.now() - t0;
    const same = ref.pairs === t.pairs && ref.sharePairs === t.sharePairs;
    console.log(
      `reference (Array.sort + Map): ${secs(refMs)}, ratio ${(refMs / elapsed).toFixed(1)}x, ` +
        `results ${same ? "identical" : `DIFFER (${ref.pairs} pairs, ${ref.sharePairs} share pairs)`}`,
    );
  } catch (err) {
    console.log(`reference failed after ${secs(performance.now() - t0)}: ${(err as Error).message}`);
  }
}

main();

/**
 * Benchmark: PairTable past the 2^24-entry limit of a JS Map.
 *
 *   npx tsx bench/pair-table.ts [--pairs 20000000] [--accounts 2000000] [--reference on|off]
 *
 * Inserts `--pairs` distinct account pairs (a deterministic, well-mixed sequence), then adds each pair again
 * (every pair is looked up once more and ends with count 2), checks the result, and prints time and peak RSS.
 * The reference is a `Map<number, number>` keyed by a * 2^31 + b over the same sequence; it throws at
 * 16,777,216 entries, so the ratio is per pair over what it managed.
 */
import { PairTable } from "../src/stats/pair-table.js";

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1]! : fallback;
}

const pairs = Math.floor(Number(arg("--pairs", "20000000")));
const accounts = Math.floor(Number(arg("--accounts", "2000000")));
const withReference = arg("--reference", "on") === "on";
if (!(pairs > 0) || !(accounts > 2) || pairs > (accounts * (accounts - 1)) / 2) {
  throw new Error("bench: need --pairs > 0 and enough --accounts for that many distinct pairs");
}

/** A prime that does not divide `pairs`, so k -> k * STEP mod pairs permutes [0, pairs). */
const STEP = pairs % 1_000_003 === 0 ? 999_983 : 1_000_003;

/**
 * Pair k: a bijection from k to (a, b) with a < b, scrambled so consecutive k land far apart (like co-shares of
 * unrelated objects do). With j = k * STEP mod pairs, r = j % accounts and d = 1 + floor(j / accounts) give the
 * distinct pairs {r, (r + d) % accounts} while d < accounts / 2.
 */
function pairOf(k: number): [number, number] {
  const scrambled = (k * STEP) % pairs;
  const r = scrambled % accounts;
  const d = 1 + Math.floor(scrambled / accounts);
  const s = (r + d) % accounts;
  return r < s ? [r, s] : [s, r];
}

const mib = (kib: number) => `${(kib / 1024).toFixed(0)} MiB`;
const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

function main(): void {
  console.log(
    `pair-table: ${pairs.toLocaleString("en")} distinct pairs over ${accounts.toLocaleString("en")} ids`,
  );
  if ((pairs - 1) / accounts + 1 >= accounts / 2) throw new Error("bench: too many pairs for distinctness");
  const rss0 = process.memoryUsage().rss / 1024;
  const cpu0 = process.cpuUsage();
  let t0 = performance.now();
  const table = new PairTable();
  for (let k = 0; k < pairs; k++) {
    const [a, b] = pairOf(k);
    table.add(a, b);
  }
  const insertMs = performance.now() - t0;
  t0 = performance.now();
  for (let k = 0; k < pairs; k++) {
    const [a, b] = pairOf(k);
    table.add(b, a);
  }
  const updateMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const peak = process.resourceUsage().maxRSS;
  let total = 0;
  table.forEach((_a, _b, count) => (total += count));
  console.log(
    `PairTable: ${table.size.toLocaleString("en")} pairs (Map limit 16,777,216), capacity ` +
      `${table.capacity.toLocaleString("en")}, ${table.generation} doublings, counts sum ${total.toLocaleString("en")}`,
  );
  console.log(
    `  insert ${secs(insertMs)} (${((insertMs * 1e6) / pairs).toFixed(0)} ns a pair, growth included), ` +
      `update ${secs(updateMs)} (${((updateMs * 1e6) / pairs).toFixed(0)} ns), ` +
      `CPU user ${secs(cpu.user / 1000)} sys ${secs(cpu.system / 1000)}`,
  );
  console.log(`  RSS at start ${mib(rss0)}, peak RSS (maxRSS) ${mib(peak)}`);
  if (total !== 2 * pairs || table.size !== pairs) throw new Error("bench: PairTable lost pairs or counts");

  if (!withReference) return;
  t0 = performance.now();
  const map = new Map<number, number>();
  let done = 0;
  let failure = "";
  try {
    for (let k = 0; k < pairs; k++) {
      const [a, b] = pairOf(k);
      const key = a * 2 ** 31 + b;
      map.set(key, (map.get(key) ?? 0) + 1);
      done = k + 1;
    }
  } catch (err) {
    failure = ` (stopped: ${(err as Error).message} at ${map.size.toLocaleString("en")} entries)`;
  }
  const mapMs = performance.now() - t0;
  const perPairMap = mapMs / done;
  const perPairTable = insertMs / pairs;
  console.log(
    `reference Map: ${done.toLocaleString("en")} inserts in ${secs(mapMs)}${failure}; ` +
      `ratio ${(perPairMap / perPairTable).toFixed(1)}x per insert; peak RSS now ${mib(process.resourceUsage().maxRSS)}`,
  );
}

main();

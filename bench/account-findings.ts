/**
 * Benchmark: co-share's account findings (one per account in a significant tie: partners, layers, strongest tie)
 * from tie columns the size of the 10M-post analysis's (57M ties among 66k accounts; 20M by default).
 *
 *   npx tsx bench/account-findings.ts [--ties 20000000] [--accounts 66000] [--repeat 3]
 *
 * Prints each run's time and the peak RSS, and checks every account's strongest tie against the rule applied by
 * brute force (smallest log10 p-value, then most objects, then partner key, then layer). To compare two versions
 * of `accountFindings`, run the script at each commit, alternating: keeping each account's best p-value beside it,
 * instead of reading it back from the ties, took the runs from 6.8-8.7 s to 5.8-6.5 s (20M ties, two rounds).
 * Naming each account's 50 strongest partners (and counting all; src/detectors/partners.ts) instead of every
 * partner by key took the runs here from 6.6-7.4 s to 8.3-9.3 s (two rounds): with 600 ties an account, the
 * selection costs more than the list did. In the 10M-post analysis (57M ties, up to 20,746 partners an account)
 * the step after staging the ties took about 9 s against 13-21 s, saving the findings 2.1 s against 9.0 s, and the
 * findings' JSON in the case is 52 MB for co-share (bench/analyze.ts --posts 10000000 --log).
 */
import { accountFindings } from "../src/detectors/co-share/index.js";
import { newTieColumns, type AccountRef } from "../src/detectors/co-share/evidence.js";
import { seededRng } from "../src/detectors/detector.js";

function arg(name: string, fallback: string): number {
  const i = process.argv.indexOf(name);
  return Math.floor(Number(i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback));
}

const n = arg("--ties", "20000000");
const accounts = arg("--accounts", "66000");
const repeat = arg("--repeat", "3");
if (!(n > 0 && accounts > 2 && repeat > 0))
  throw new Error("bench: need --ties > 0, --accounts > 2, --repeat > 0");
const LAYERS = ["url", "domain", "hashtag", "mention", "repost"] as const;

// ties within fandom-sized neighbourhoods of 1,800 accounts, p-values from 1e-5 down to far below the smallest
// double (as fandoms reach), objects 2 to 41: equal p-values are rare, equal objects common
const rnd = seededRng(1);
const ties = newTieColumns(n);
ties.expected.fill(0.5);
for (let t = 0; t < n; t++) {
  const x = Math.floor(rnd() * accounts);
  const y = (x + 1 + Math.floor(rnd() * 1800)) % accounts;
  ties.a[t] = Math.min(x, y);
  ties.b[t] = Math.max(x, y);
  ties.layer[t] = t % LAYERS.length;
  ties.k[t] = 2 + Math.floor(rnd() * 40);
  ties.sharePairs[t] = ties.k[t]!;
  ties.log10P[t] = -5 - Math.round(rnd() * 6000) / 10;
  ties.pValue[t] = 10 ** ties.log10P[t]!;
}
const refs = new Map<number, AccountRef>();
for (let i = 0; i < accounts; i++)
  refs.set(i, { key: `twitter:u${i}`, platform: "twitter", accountId: `u${i}`, handle: `u${i}` });

console.log(
  `account findings: ${n.toLocaleString("en-US")} ties among ${accounts.toLocaleString("en-US")} accounts`,
);
let findings: ReturnType<typeof accountFindings> = [];
for (let r = 0; r < repeat; r++) {
  const start = performance.now();
  findings = accountFindings(ties, n, LAYERS, 60, refs);
  console.log(
    `run ${r + 1}: ${((performance.now() - start) / 1000).toFixed(2)} s, ${findings.length} findings`,
  );
}
console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);

// the rule by brute force: every account's ties, the first by (log10 p, -objects, partner key, layer)
const best = new Int32Array(accounts).fill(-1);
const key = (acc: number, t: number): string => refs.get(ties.a[t] === acc ? ties.b[t]! : ties.a[t]!)!.key;
const before = (acc: number, t: number, u: number): boolean =>
  ties.log10P[t] !== ties.log10P[u]
    ? ties.log10P[t]! < ties.log10P[u]!
    : ties.k[t] !== ties.k[u]
      ? ties.k[t]! > ties.k[u]!
      : key(acc, t) !== key(acc, u)
        ? key(acc, t) < key(acc, u)
        : ties.layer[t]! < ties.layer[u]!;
for (let t = 0; t < n; t++) {
  for (const acc of [ties.a[t]!, ties.b[t]!]) if (best[acc]! < 0 || before(acc, t, best[acc]!)) best[acc] = t;
}
let wrong = 0;
for (const f of findings) {
  const acc = Number(f.subject.slice("twitter:u".length));
  const t = best[acc]!;
  const strongest = f.evidence["strongest"] as { account: string; layer: string };
  if (strongest.account !== key(acc, t) || strongest.layer !== LAYERS[ties.layer[t]!]) wrong++;
}
console.log(
  wrong === 0 ? "strongest ties: as the rule gives, for every account" : `strongest ties: ${wrong} DIFFER`,
);
if (wrong > 0) process.exitCode = 1;

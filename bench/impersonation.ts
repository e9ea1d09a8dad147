/**
 * Impersonation matching at scale: N synthetic accounts (handles and display names from Latin and Persian name
 * parts with numbers and separators, followers drawn from a heavy tail), a protect list of 50 identities and
 * planted lookalikes, matched by the blocking kernel (src/detectors/impersonation/match.ts).
 *
 *   npx tsx bench/impersonation.ts --accounts 1000000
 *
 * Reports time (wall and CPU: on a shared machine wall time says little) and peak RSS, and the ratio against the
 * naive reference run in the same script: comparing all pairs of match keys on a subsample, extrapolated
 * quadratically to N.
 */
import { boundedEditDistance } from "../src/normalize/confusables.js";
import { seededRng } from "../src/detectors/detector.js";
import {
  DEFAULT_MATCH_OPTIONS,
  keysOf,
  matchAmongAccounts,
  matchProtected,
  type AccountLite,
} from "../src/detectors/impersonation/match.js";
import type { ProtectedIdentity } from "../src/detectors/impersonation/protect.js";

const arg = (name: string, def: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
};
const N = arg("accounts", 100_000);
const SAMPLE = arg("sample", 4000);

const FIRST = [
  "ali",
  "sara",
  "maryam",
  "reza",
  "mohammad",
  "zahra",
  "john",
  "anna",
  "omid",
  "leila",
  "hossein",
  "nina",
  "amir",
  "fatemeh",
  "david",
  "elena",
  "kian",
  "parisa",
  "hamid",
  "neda",
];
const LAST = [
  "karimi",
  "ahmadi",
  "rezaei",
  "hosseini",
  "smith",
  "jones",
  "tehrani",
  "moradi",
  "jafari",
  "sadeghi",
  "nouri",
  "kazemi",
  "brown",
  "rahimi",
  "shirazi",
  "bagheri",
];
const FA = ["علی", "سارا", "مریم", "رضا", "محمد", "زهرا", "امید", "لیلا", "حسین", "نیلوفر"];
const WORDS = Array.from({ length: 400 }, (_, i) => `w${(i * 7919) % 100003}`);
const rng = seededRng(11);
const pick = <T>(xs: T[]): T => xs[Math.floor(rng() * xs.length)]!;
const SEP = ["", "_", ".", ""];

let peakRss = 0;
const sampleRss = (): void => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
};
const timer = setInterval(sampleRss, 50);

function makeAccounts(n: number): {
  accounts: AccountLite[];
  protectedIds: ProtectedIdentity[];
  planted: number;
} {
  const accounts: AccountLite[] = [];
  for (let i = 0; i < n; i++) {
    const f = pick(FIRST);
    const l = pick(LAST);
    const persian = rng() < 0.2;
    const handle = `${f}${pick(SEP)}${l}${rng() < 0.7 ? Math.floor(rng() * 10_000) : ""}`;
    accounts.push({
      platform: "twitter",
      handle,
      displayName: persian ? `${pick(FA)} ${pick(FA)}` : `${f} ${l}`,
      bio:
        rng() < 0.3
          ? Array.from({ length: 10 }, () => WORDS[Math.floor(rng() * WORDS.length)]).join(" ")
          : null,
      followers: Math.floor(1 / Math.max(1e-6, rng()) ** 1.2),
      createdMs: 1.2e12 + Math.floor(rng() * 3e11),
      avatarHash:
        rng() < 0.5
          ? Math.floor(rng() * 2 ** 32)
              .toString(16)
              .padStart(8, "0") +
            Math.floor(rng() * 2 ** 32)
              .toString(16)
              .padStart(8, "0")
          : null,
    });
  }
  const protectedIds: ProtectedIdentity[] = Array.from({ length: 50 }, (_, k) => ({
    handle: `outlet${k}news`,
    display_name: `Outlet ${k} News`,
  }));
  // planted: homoglyph, underscore and dropped-letter copies of the first 20 protected identities
  let planted = 0;
  for (let k = 0; k < 20; k++) {
    const h = protectedIds[k]!.handle;
    for (const fake of [h.replace("o", "о"), h.replace("news", "_news"), h.replace("ws", "s")]) {
      accounts[Math.floor(rng() * n)] = {
        ...accounts[0]!,
        handle: fake,
        displayName: `Outlet ${k} News`,
        followers: 3,
      };
      planted++;
    }
  }
  return { accounts, protectedIds, planted };
}

function naivePairs(keys: string[]): number {
  let found = 0;
  for (let i = 0; i < keys.length; i++) {
    for (let j = i + 1; j < keys.length; j++) if (boundedEditDistance(keys[i]!, keys[j]!, 1) <= 1) found++;
  }
  return found;
}

const { accounts, protectedIds, planted } = makeAccounts(N);
global.gc?.();
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const keys = keysOf(accounts);
const tKeys = performance.now();
const prot = matchProtected(accounts, protectedIds, DEFAULT_MATCH_OPTIONS, keys);
const tProt = performance.now();
const among = matchAmongAccounts(accounts, DEFAULT_MATCH_OPTIONS, keys);
const t1 = performance.now();
const cpu = process.cpuUsage(cpu0);
sampleRss();

// reference: all pairs of match keys on a subsample, extrapolated by (N / SAMPLE)^2
const sample = keys.handleKey.slice(0, SAMPLE);
const r0 = performance.now();
naivePairs(sample);
const naiveSec = ((performance.now() - r0) / 1000) * (N / SAMPLE) ** 2;
clearInterval(timer);

const sec = (t1 - t0) / 1000;
const found = new Set(prot.map((m) => m.suspect)).size;
console.log(`accounts            ${N.toLocaleString("en-US")}`);
console.log(`keys (skeletons)    ${((tKeys - t0) / 1000).toFixed(2)} s`);
console.log(
  `protect list (50)   ${((tProt - tKeys) / 1000).toFixed(2)} s  -> ${found} of ${planted} planted lookalikes found`,
);
console.log(
  `among all accounts  ${((t1 - tProt) / 1000).toFixed(2)} s  -> ${among.length.toLocaleString("en-US")} findings`,
);
const maxRss = Math.max(peakRss, process.resourceUsage().maxRSS * 1024);
console.log(
  `total               ${sec.toFixed(2)} s (CPU ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s), peak RSS ${(maxRss / 2 ** 20).toFixed(0)} MiB (whole process)`,
);
console.log(
  `naive all pairs     ${naiveSec.toFixed(0)} s extrapolated from ${SAMPLE.toLocaleString("en-US")} accounts (edit distance only, no names, bios or photos)`,
);
console.log(`ratio               ${(naiveSec / sec).toFixed(0)}x faster than all pairs`);
if (process.argv.includes("--inspect")) {
  const kinds = new Map<string, number>();
  for (const m of among) {
    const k =
      m.signals.map((s) => (s.kind === "handle" ? `handle:${s.tier}` : s.kind)).join("+") +
      ` (${m.direction})`;
    kinds.set(k, (kinds.get(k) ?? 0) + 1);
  }
  console.log([...kinds].sort((a, b) => b[1] - a[1]).slice(0, 12));
  const ex = among
    .slice(0, 5)
    .map((m) => [
      accounts[m.suspect]!.handle,
      accounts[(m.target as { accountIndex: number }).accountIndex]!.handle,
      accounts[(m.target as { accountIndex: number }).accountIndex]!.followers,
    ]);
  console.log(ex);
}

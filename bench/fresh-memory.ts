/**
 * Benchmark: first writes to fresh typed arrays, with malloc's memory in 4 KiB pages (glibc's default) and in
 * transparent huge pages (`GLIBC_TUNABLES=glibc.malloc.hugetlb=1`, which the `chorus` command once set for its
 * heavy verbs and no longer does, src/cli/heap.ts: which of the two is faster changes with the machine). The
 * detectors allocate their columns hundreds of MB at a time and write each once; on some machines (virtual ones
 * especially) the page faults of that first write cost more than the work itself.
 *
 *   npx tsx bench/fresh-memory.ts [--gib 2] [--runs 3]
 *
 * Each run is a new Node process (the tunable is read when a process starts) that allocates `--gib` GiB as 256 MiB
 * Int32Arrays and writes one element per 4 KiB page, then reports the time, its minor page faults and its peak
 * memory. The two settings alternate, and the ratio is taken pair by pair. Linux with glibc 2.35 or later only; where
 * the system gives huge pages always or never (/sys/kernel/mm/transparent_hugepage/enabled), both runs are the same.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";

const CHILD = "CHORUS_BENCH_FRESH_MEMORY_CHILD";

/** What a child run reports. */
interface Sample {
  seconds: number;
  faults: number;
  peakMiB: number;
}

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1]! : fallback;
}

const gib = Number(arg("--gib", "2"));
const runs = Number(arg("--runs", "3"));

if (process.env[CHILD] === "1") {
  const arrays: Int32Array[] = [];
  const t0 = performance.now();
  for (let k = 0; k < gib * 4; k++) {
    const a = new Int32Array(2 ** 26); // 256 MiB
    for (let i = 0; i < a.length; i += 1024) a[i] = k + 1;
    arrays.push(a);
  }
  const seconds = (performance.now() - t0) / 1000;
  let check = 0;
  for (const a of arrays) check += a[0]!;
  const usage = process.resourceUsage();
  console.log(JSON.stringify({ seconds, faults: usage.minorPageFault, peakMiB: usage.maxRSS / 1024, check }));
} else {
  let thp = "(unknown)";
  try {
    thp = readFileSync("/sys/kernel/mm/transparent_hugepage/enabled", "utf8").trim();
  } catch {
    // not Linux, or no transparent huge pages
  }
  console.log(`${gib} GiB of fresh Int32Arrays, ${runs} runs of each; transparent huge pages: ${thp}`);
  const run = (hugetlb: 0 | 1): Sample => {
    const r = spawnSync(process.execPath, [...process.execArgv, process.argv[1]!, ...process.argv.slice(2)], {
      env: { ...process.env, [CHILD]: "1", GLIBC_TUNABLES: `glibc.malloc.hugetlb=${hugetlb}` },
      encoding: "utf8",
    });
    if (r.status !== 0) throw new Error(`child run failed: ${r.stderr}`);
    return JSON.parse(r.stdout.trim().split("\n").at(-1)!) as Sample;
  };
  const ratios: number[] = [];
  for (let i = 0; i < runs; i++) {
    const small = run(0);
    const huge = run(1);
    ratios.push(huge.seconds / small.seconds);
    const show = (name: string, x: Sample): string =>
      `${name} ${x.seconds.toFixed(2)} s, ${x.faults.toLocaleString("en-US")} faults, peak ${Math.round(x.peakMiB)} MiB`;
    console.log(`run ${i + 1}: ${show("4 KiB pages", small)}; ${show("huge pages", huge)}`);
  }
  ratios.sort((x, y) => x - y);
  console.log(
    `huge pages / 4 KiB pages, time: median ${ratios[Math.floor(ratios.length / 2)]!.toFixed(2)}x ` +
      `(${ratios[0]!.toFixed(2)}-${ratios.at(-1)!.toFixed(2)}x)`,
  );
}

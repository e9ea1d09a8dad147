#!/usr/bin/env node
// usage: node score.mjs TRUTH.json FINDINGS.json [--json]
// Scores Chorus findings (schema chorus.findings/v1) against a world's truth.json.
import fs from "node:fs";

const [truthPath, findingsPath] = process.argv.slice(2);
const asJson = process.argv.includes("--json");
const truth = JSON.parse(fs.readFileSync(truthPath, "utf8"));
const findings = JSON.parse(fs.readFileSync(findingsPath, "utf8"));

// account keys in findings: {platform, id}; members of ruled_out groups are "platform:id"
const key = (a) =>
  typeof a === "string"
    ? a.replace(/^twitter:/, "")
    : String(a.id ?? a.account_id ?? a.account ?? "").replace(/^twitter:/, "");

const plantedOf = new Map(); // account id -> planted campaign id
const seedOf = new Map();
for (const c of truth.campaigns) {
  for (const a of c.accounts) plantedOf.set(a, c.id);
  for (const a of c.seeds ?? []) seedOf.set(a, c.id);
}
// trap attribution: most specific first
const PRIORITY = [
  "wireAggregators",
  "newsOutlets",
  "autoPostApp",
  "fanHubs",
  "friendsCliques",
  "hyperactive",
  "celebrities",
  "celebrityFans",
  "twitterStorm",
  "greetings",
  "newcomers",
  "viralEvent",
  "trendingHashtag",
];
const trapSets = Object.fromEntries(Object.entries(truth.organicTraps).map(([k, v]) => [k, new Set(v)]));
const order = [
  ...PRIORITY.filter((t) => trapSets[t]),
  ...Object.keys(trapSets).filter((t) => !PRIORITY.includes(t)),
];
function label(id) {
  if (plantedOf.has(id)) return plantedOf.get(id);
  if (seedOf.has(id)) return seedOf.get(id) + "-seed";
  for (const t of order) if (trapSets[t].has(id)) return "trap:" + t;
  return "other-organic";
}

const reported = (findings.campaigns ?? []).map((c) => ({
  id: c.id,
  score: c.score,
  layers: c.layers ?? [],
  members: (c.accounts ?? c.members ?? []).map((a) => ({ id: key(a), role: a.role ?? "member" })),
}));

function evaluate(filterRole) {
  const flagged = new Set();
  for (const c of reported)
    for (const m of c.members) if (!filterRole || m.role === filterRole) flagged.add(m.id);
  let tp = 0,
    seedTp = 0;
  for (const id of flagged) {
    if (plantedOf.has(id)) tp++;
    else if (seedOf.has(id)) seedTp++;
  }
  const planted = plantedOf.size;
  return {
    flagged: flagged.size,
    truePlanted: tp,
    seedsFlagged: seedTp,
    falsePositives: flagged.size - tp - seedTp,
    precision: flagged.size ? (tp + seedTp) / flagged.size : 0,
    recall: planted ? tp / planted : 0,
    planted,
    flaggedSet: flagged,
  };
}
const all = evaluate(null),
  core = evaluate("core");

const perPlanted = truth.campaigns.map((c) => {
  const where = {};
  let found = 0;
  for (const a of c.accounts) {
    const hits = reported.filter((r) => r.members.some((m) => m.id === a)).map((r) => r.id);
    if (hits.length) found++;
    for (const h of hits) where[h] = (where[h] ?? 0) + 1;
  }
  const seedsFound = (c.seeds ?? []).filter((s) => all.flaggedSet.has(s)).length;
  // planted accounts placed in ruled-out groups
  const ruled = {};
  (findings.ruled_out ?? []).forEach((g, i) => {
    const ms = new Set((g.members ?? []).map(key));
    const n = c.accounts.filter((a) => ms.has(a)).length;
    if (n) ruled[`R${i + 1}`] = { n, reason: String(g.reason ?? "").split(":")[0] };
  });
  return {
    id: c.id,
    kind: c.kind,
    mode: c.mode,
    mutual: !!c.mutual,
    lang: c.lang,
    size: c.accounts.length,
    bursts: c.bursts,
    found,
    recall: c.accounts.length ? found / c.accounts.length : 0,
    seeds: (c.seeds ?? []).length,
    seedsFound,
    inReported: where,
    inRuledOut: ruled,
  };
});

const perReported = reported.map((r) => {
  const comp = {};
  for (const m of r.members) {
    const l = label(m.id);
    comp[l] = (comp[l] ?? 0) + 1;
  }
  const planted = r.members.filter((m) => plantedOf.has(m.id) || seedOf.has(m.id)).length;
  return {
    id: r.id,
    score: r.score,
    size: r.members.length,
    layers: r.layers.join(","),
    plantedShare: r.members.length ? planted / r.members.length : 0,
    composition: comp,
  };
});

const fpByTrap = {};
for (const id of all.flaggedSet) {
  if (plantedOf.has(id) || seedOf.has(id)) continue;
  const l = label(id);
  fpByTrap[l] = (fpByTrap[l] ?? 0) + 1;
}

const out = {
  summary: { ...all, flaggedSet: undefined },
  coreOnly: { ...core, flaggedSet: undefined },
  falsePositivesBySource: fpByTrap,
  perPlanted,
  perReported,
  ruledOutGroups: (findings.ruled_out ?? []).length,
};
if (asJson) {
  console.log(JSON.stringify(out, null, 1));
  process.exit(0);
}

const pct = (x) => (100 * x).toFixed(1) + "%";
console.log(`findings: ${findingsPath}`);
console.log(`reported campaigns: ${reported.length}; ruled-out groups: ${out.ruledOutGroups}`);
console.log(
  `flagged accounts (union of campaign members): ${all.flagged}  planted accounts: ${all.planted} (+${seedOf.size} seed accounts)`,
);
console.log(
  `  true planted flagged: ${all.truePlanted}, seeds flagged: ${all.seedsFlagged}, false positives: ${all.falsePositives}`,
);
console.log(`  PRECISION ${pct(all.precision)}   RECALL ${pct(all.recall)}`);
console.log(
  `  core members only: flagged ${core.flagged}, precision ${pct(core.precision)}, recall ${pct(core.recall)}`,
);
console.log(`false positives by source: ${JSON.stringify(fpByTrap)}`);
console.log("\nper planted campaign:");
for (const p of perPlanted) {
  console.log(
    `  ${p.id.padEnd(4)} ${(p.kind + "/" + p.mode + (p.mutual ? "(mutual)" : "")).padEnd(28)} ${p.lang} size=${String(p.size).padStart(2)} bursts=${String(p.bursts).padStart(2)}  found ${p.found}/${p.size} = ${pct(p.recall).padStart(6)}  in ${JSON.stringify(p.inReported)}${p.seeds ? `  seeds ${p.seedsFound}/${p.seeds}` : ""}${Object.keys(p.inRuledOut).length ? "  ruled-out: " + JSON.stringify(p.inRuledOut) : ""}`,
  );
}
console.log("\nper reported campaign:");
for (const r of perReported)
  console.log(
    `  ${r.id.padEnd(4)} score=${r.score?.toFixed?.(2)} size=${String(r.size).padStart(3)} layers=${r.layers.padEnd(24)} planted=${pct(r.plantedShare).padStart(6)}  ${JSON.stringify(r.composition)}`,
  );

/**
 * `findings.json` (schema `chorus.findings/v1`): the output contract other tools and our evaluations read. Field
 * names are stable; additions are fine, renames need a new schema version. Deterministic for the same inputs and
 * parameters: no wall-clock times inside, stable ordering everywhere, JSON-safe numbers only.
 */
import { wellFormed } from "../normalize/text.js";
import type { Campaign, RuledOut } from "../campaign/index.js";
import type { DetectorRun } from "../detectors/run.js";
import type { Finding, Strength } from "../model/index.js";
import { parseAccountKey } from "../store/account-keys.js";
import type { CaseStore } from "../store/case.js";
import { TOOL_VERSION } from "../version.js";

export const FINDINGS_SCHEMA = "chorus.findings/v1";

export interface FindingsDoc {
  schema: typeof FINDINGS_SCHEMA;
  tool: { name: "chorus"; version: string };
  inputs: Array<{ path: string; sha256: string; format: string; rows: number; rejected: number }>;
  params: Record<string, unknown>;
  detectors: Array<{
    id: string;
    version: string;
    status: string;
    message: string;
    counts: Record<string, number>;
    warnings: string[];
    details: Record<string, unknown>;
  }>;
  campaigns: Array<Record<string, unknown>>;
  ruled_out: RuledOut[];
  accounts: Array<{
    platform: string;
    id: string;
    handle: string | null;
    score: number;
    campaigns: string[];
    findings: Array<{ detector: string; strength: Strength; score: number; explanation: string }>;
  }>;
}

/**
 * Whether co-share ran as CooRTweet 2.1.3 does (`--compat coortweet`): its ties are then raw counts over a quantile
 * of edge weights, and no chance test stands behind them. The report and the web app word their claims by this.
 */
export function coortweetCompat(doc: FindingsDoc): boolean {
  return doc.detectors.find((d) => d.id === "co-share")?.details["compat"] === "coortweet";
}

const STRENGTH_RANK: Record<Strength, number> = { strong: 3, moderate: 2, weak: 1 };

function splitKey(key: string): { platform: string; id: string } {
  const { platform, accountId } = parseAccountKey(key);
  return { platform, id: accountId };
}

function clean<T>(v: T): T {
  return JSON.parse(
    JSON.stringify(v, (_k, x: unknown) => {
      if (typeof x === "bigint") return Number(x);
      if (typeof x === "number" && !Number.isFinite(x)) return null;
      // a lone surrogate (from an input's escape, or a cut) is not Unicode: JSON readers (DuckDB's among them) refuse it
      if (typeof x === "string") return wellFormed(x);
      return x;
    }),
  ) as T;
}

export async function buildFindings(
  store: CaseStore,
  runs: DetectorRun[],
  campaigns: Campaign[],
  ruledOut: RuledOut[],
  params: Record<string, unknown>,
): Promise<FindingsDoc> {
  const inputs = await store.all<{
    path: string;
    sha256: string;
    format: string;
    rows: number;
    rejected: number;
  }>(
    `SELECT path, sha256, format, rows_read::DOUBLE AS rows, rows_rejected::DOUBLE AS rejected FROM inputs ORDER BY id`,
  );
  const handles = new Map<string, string | null>();
  const findingsBy = new Map<string, Finding[]>();
  for (const r of runs) {
    for (const f of r.result.findings) findingsBy.set(f.subject, [...(findingsBy.get(f.subject) ?? []), f]);
  }
  const campaignsOf = new Map<string, Array<{ id: string; score: number; member: number }>>();
  for (const c of campaigns) {
    for (const m of c.members) {
      handles.set(m.key, m.handle);
      campaignsOf.set(m.key, [
        ...(campaignsOf.get(m.key) ?? []),
        { id: c.id, score: c.score, member: m.score },
      ]);
    }
  }
  const keys = [...new Set([...findingsBy.keys(), ...campaignsOf.keys()])].sort();
  const missing = keys.filter((k) => !handles.has(k));
  if (missing.length > 0) {
    const rows = await store.all<{ k: string; handle: string | null }>(
      `SELECT platform || ':' || account_id AS k, handle FROM accounts
        WHERE platform || ':' || account_id IN (SELECT unnest($keys::JSON::VARCHAR[]))`,
      { keys: JSON.stringify(missing) },
    );
    for (const r of rows) handles.set(r.k, r.handle);
  }
  const accounts = keys.map((k) => {
    const fs = (findingsBy.get(k) ?? []).sort(
      (x, y) =>
        STRENGTH_RANK[y.strength] - STRENGTH_RANK[x.strength] ||
        y.score - x.score ||
        (x.detector < y.detector ? -1 : 1),
    );
    const cs = campaignsOf.get(k) ?? [];
    // in a campaign: the campaign's confidence, weighted by the member's place in it; else half its best finding
    const fromCampaigns = Math.max(0, ...cs.map((c) => c.score * (0.5 + 0.5 * c.member)));
    const fromFindings = 0.5 * Math.max(0, ...fs.map((f) => f.score));
    return {
      ...splitKey(k),
      handle: handles.get(k) ?? null,
      score: Math.round(Math.max(fromCampaigns, fromFindings) * 1000) / 1000,
      campaigns: cs.map((c) => c.id),
      findings: fs.map((f) => ({
        detector: f.detector,
        strength: f.strength,
        score: f.score,
        explanation: f.explanation,
      })),
    };
  });
  accounts.sort((x, y) => y.score - x.score || (x.platform + x.id < y.platform + y.id ? -1 : 1));
  const doc: FindingsDoc = {
    schema: FINDINGS_SCHEMA,
    tool: { name: "chorus", version: TOOL_VERSION },
    inputs,
    params,
    detectors: runs.map((r) => ({
      id: r.id,
      version: r.version,
      status: r.status,
      message: r.message,
      counts: r.result.counts,
      warnings: r.result.warnings,
      details: r.result.details ?? {},
    })),
    campaigns: campaigns.map((c) => ({
      id: c.id,
      score: c.score,
      summary: c.summary,
      layers: c.layers,
      accounts: c.members.map((m) => ({
        platform: m.platform,
        id: m.accountId,
        handle: m.handle,
        role: m.role,
        score: m.score,
        ties: m.ties,
        ...(m.joined === undefined ? {} : { joined: m.joined }),
      })),
      first_seen: c.facts.firstSeen,
      last_seen: c.facts.lastSeen,
      top_objects: c.topObjects.map((o) => ({
        kind: o.kind,
        value: o.value,
        shares: o.shares,
        members: o.members,
        all_shares: o.total,
        burst: o.burst,
        ...(o.text === undefined ? {} : { text: o.text }),
        ...(o.author === undefined ? {} : { author: o.author }),
      })),
      examples: c.examples,
      basis: c.basis,
      tie_notes: c.tieNotes,
      ties: c.ties,
      density: c.density,
      participation: Math.round(c.facts.participation * 1000) / 1000,
      burst_share: Math.round(c.facts.burstShare * 1000) / 1000,
      exclusivity: Math.round(c.facts.exclusivity * 1000) / 1000,
      burst_objects: c.facts.burstObjects,
      ...(c.client === null
        ? {}
        : {
            client: {
              name: c.client.name,
              share: c.client.share,
              members: c.client.members,
              outside: c.client.outside,
              named: c.client.named,
              posts: c.client.posts,
              naming_outside: c.client.namingOutside,
            },
          }),
      ...(c.facts.audienceShare === null
        ? {}
        : {
            audience_share: Math.round(c.facts.audienceShare * 1000) / 1000,
            amplified: c.facts.amplified.map((a) => ({ ...a })),
            ...(c.facts.bloc ? { bloc: true } : {}),
            ...(c.facts.slowBloc ? { bloc_over_minutes: true } : {}),
          }),
      fast_core_share: c.fastCoreShare,
      layer_weights: c.layerWeights,
      hour_of_week: c.facts.hourOfWeek,
      timeline: c.facts.timeline,
    })),
    ruled_out: ruledOut,
    accounts,
  };
  return clean(doc);
}

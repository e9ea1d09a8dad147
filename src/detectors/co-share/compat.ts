/**
 * `--compat coortweet`: the co-share step computed exactly as CooRTweet 2.1.3 does (see coortweet.ts), on the
 * objects of the case, so that a user can check Chorus against the reference on the same data. No chance model:
 * edges above CooRTweet's weight quantile count as significant, the rest are kept as context.
 */
import type { Edge, ObjectKind } from "../../model/index.js";
import type { CaseStore } from "../../store/case.js";
import type { DetectorResult } from "../detector.js";
import { coortweetCompat } from "./coortweet.js";
import { accountKey } from "../../store/account-keys.js";

export async function runCoortweet(
  store: CaseStore,
  params: { window: number | "auto"; minParticipation: number; edgeQuantile: number },
  layers: ObjectKind[],
): Promise<DetectorResult> {
  if (params.window === "auto") {
    return {
      status: "error",
      message: "compat coortweet needs a fixed --window (CooRTweet has no estimated window)",
      counts: {},
      findings: [],
      edges: [],
      warnings: [],
    };
  }
  const counts: Record<string, number> = {};
  const edges: Edge[] = [];
  const totals = {
    coshares: 0,
    edges: 0,
    accounts: 0,
    edges_above_threshold: 0,
    accounts_above_threshold: 0,
  };
  for (const layer of layers) {
    const rows = await store.all<{ o: string; a: string; c: string; t: number; platform: string }>(
      `SELECT o.value AS o, p.account_id AS a, p.post_id AS c, p.platform, epoch(p.ts)::DOUBLE AS t
         FROM shared_objects o JOIN posts p ON p.platform = o.platform AND p.post_id = o.post_id
        WHERE o.kind = $layer ORDER BY p.platform, p.post_id, o.value`,
      { layer },
    );
    const platform = new Map(rows.map((r) => [r.a, r.platform]));
    const r = coortweetCompat(
      {
        objectId: rows.map((x) => x.o),
        accountId: rows.map((x) => x.a),
        contentId: rows.map((x) => x.c),
        tsSec: rows.map((x) => x.t),
      },
      {
        timeWindow: params.window,
        minParticipation: params.minParticipation,
        edgeWeightQuantile: params.edgeQuantile,
      },
    );
    const layerCounts = {
      coshares: r.coshares,
      edges: r.edges,
      accounts: r.accounts,
      edges_above_threshold: r.edgesAboveThreshold,
      accounts_above_threshold: r.accountsAboveThreshold,
    };
    for (const [k, v] of Object.entries(layerCounts)) {
      counts[`${layer}_${k}`] = v;
      totals[k as keyof typeof totals] += v;
    }
    for (const e of r.edgeList) {
      edges.push({
        layer,
        a: accountKey(platform.get(e.a) ?? "unknown", e.a),
        b: accountKey(platform.get(e.b) ?? "unknown", e.b),
        weight: e.weight,
        nObjects: e.objects,
        lift: null,
        pValue: null,
        evidence: { significant: e.aboveThreshold, compat: "coortweet", window_seconds: params.window },
      });
    }
  }
  Object.assign(counts, totals);
  return {
    status: "ok",
    message:
      `CooRTweet 2.1.3 semantics: ${totals.coshares} co-shares, ${totals.edges} edges among ${totals.accounts} accounts; ` +
      `${totals.edges_above_threshold} edges among ${totals.accounts_above_threshold} accounts above the weight quantile`,
    counts,
    findings: [],
    edges,
    warnings:
      layers.length > 1
        ? ["compat coortweet: the top-level counts add up the layers, as separate CooRTweet runs would"]
        : [],
    details: { window_seconds: params.window, compat: "coortweet", layers },
  };
}

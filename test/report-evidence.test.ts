/**
 * The report's example pairs: for each campaign, those of its heaviest ties that carry one, at most the limit, each
 * tie's evidence read only as far as the report needs (src/report/html/data.ts); the count beside them is every
 * tie inside the campaign.
 */
import { describe, expect, it } from "vitest";
import { examplePair } from "../src/campaign/examples.js";
import { loadReportData } from "../src/report/html/data.js";
import { renderReport } from "../src/report/html/render.js";
import type { CaseStore } from "../src/store/case.js";
import { analysedSampleSuite } from "./helpers/sample-case.js";

let store: CaseStore;
let runId: number;
analysedSampleSuite((sample) => {
  ({ store, runId } = sample);
});

interface Tie {
  layer: string;
  a: string;
  b: string;
  weight: number;
  evidence: string | null;
}

/** Every binding tie between two accounts of one campaign, heaviest first, read whole from the `edges` view. */
async function tiesInside(campaignId: string): Promise<Tie[]> {
  return store.all<Tie>(
    `WITH m AS (SELECT platform || ':' || account_id AS k FROM campaign_members
                 WHERE run_id = $run AND campaign_id = $c)
     SELECT layer, a, b, weight, evidence::VARCHAR AS evidence FROM edges
      WHERE run_id = $run AND tier IN ('significant', 'candidate')
        AND a IN (SELECT k FROM m) AND b IN (SELECT k FROM m)
      ORDER BY weight DESC, a, b, layer`,
    { run: runId, c: campaignId },
  );
}

describe("the report's example pairs", () => {
  it("are the heaviest ties that carry a post pair, at most the limit, beside the number of ties inside", async () => {
    const data = await loadReportData(store, { limits: { evidence: 4 } });
    expect(data.campaigns.length).toBeGreaterThan(1);
    let cut = 0;
    for (const c of data.campaigns) {
      const inside = await tiesInside(c.id);
      expect(c.totalTies, c.id).toBe(inside.length);
      const withPair = inside.filter(
        (t) => t.evidence !== null && examplePair(t.layer, JSON.parse(t.evidence) as Record<string, unknown>),
      );
      expect(c.evidence.length, c.id).toBe(Math.min(4, withPair.length));
      if (withPair.length > 4) cut++;
      c.evidence.forEach((row, i) => {
        const t = withPair[i]!;
        expect(row.layer).toBe(t.layer);
        expect([row.first.account, row.second.account].sort()).toEqual([t.a, t.b].sort());
        const ex = examplePair(t.layer, JSON.parse(t.evidence!) as Record<string, unknown>)!;
        expect([row.first.post_id, row.second.post_id].sort()).toEqual([ex.a.post_id, ex.b.post_id].sort());
      });
    }
    // the sample's campaigns have more ties than four: the limit did cut
    expect(cut).toBeGreaterThan(0);
    const html = renderReport(data, { script: "" });
    expect(html).toMatch(
      /Showing the example pairs of the 4 heaviest ties that have one, of\s+[\d,]+ ties inside/,
    );
  });

  it("say when none of the ties read carries a pair, and how many were read of how many", async () => {
    const data = await loadReportData(store);
    const c = data.campaigns[0]!;
    expect(c.totalTies).toBeGreaterThan(5);
    const html = renderReport(
      { ...data, campaigns: [{ ...c, evidence: [], tiesScanned: 5 }, ...data.campaigns.slice(1)] },
      { script: "" },
    );
    expect(html).toMatch(
      new RegExp(
        `None of the 5 heaviest of the campaign's\\s+${c.totalTies.toLocaleString("en-US")} ties carries`,
      ),
    );
    const all = renderReport(
      { ...data, campaigns: [{ ...c, evidence: [], tiesScanned: c.totalTies }, ...data.campaigns.slice(1)] },
      { script: "" },
    );
    expect(all).toContain("No example post pairs were recorded for these ties.");
  });

  it("are the same with the default limit as with a limit above every campaign's ties", async () => {
    const whole = await loadReportData(store, { limits: { evidence: 1_000_000 } });
    const usual = await loadReportData(store);
    whole.campaigns.forEach((c, i) => {
      expect(usual.campaigns[i]!.evidence).toEqual(c.evidence.slice(0, 300));
      expect(usual.campaigns[i]!.totalTies).toBe(c.totalTies);
    });
  });
});

import { describe, expect, it } from "vitest";
import { combinedScore, groupReasons, NAMED_ALIKE, rankReasons, verdictFor } from "./verdict.js";
import type { Reason } from "./types.js";

const r = (code: string, weight: number, severity: Reason["severity"] = "medium"): Reason => ({
  code,
  weight,
  severity,
  message: code,
  evidence: { kind: "header", ref: "From" },
});

describe("verdict", () => {
  it("combines independent signals and counts repeats of one check only a little", () => {
    expect(combinedScore([r("a", 0.5), r("b", 0.5)])).toBe(0.75);
    expect(combinedScore([r("a", 0.1), r("a", 0.1), r("a", 0.1)])).toBe(0.2);
    expect(combinedScore([])).toBe(0);
  });

  it("maps scores to the closed vocabulary", () => {
    expect(verdictFor([], true).verdict).toBe("no-signs-found");
    expect(verdictFor([r("a", 0.35)], true).verdict).toBe("suspicious");
    expect(verdictFor([r("a", 0.5), r("b", 0.5)], true).verdict).toBe("malicious");
    expect(verdictFor([r("x", 0.75, "high")], true).verdict).toBe("malicious");
    expect(verdictFor([r("a", 0.9)], false)).toEqual({ verdict: "unknown", score: 0 });
  });

  it("ranks strongest first, stably", () => {
    const ranked = rankReasons([r("low", 0.1, "low"), r("b", 0.5, "high"), r("a", 0.5, "high")]);
    expect(ranked.map((x) => x.code)).toEqual(["a", "b", "low"]);
  });
});

describe("groupReasons (regression: QA c/51, c/67, c/41)", () => {
  it("shows identical findings once with their count, and scores them as before", async () => {
    const { triage } = await import("./index.js");
    const anchors = Array.from(
      { length: 40 },
      (_, i) => `<a href="https://bit.ly/x${i}">paypal.com</a>`,
    ).join(" ");
    const raw = Buffer.from(
      [
        "From: PayPal <service@pp-billing.example>",
        "To: reza@civicrights.org",
        "Subject: Your account",
        "Date: Tue, 12 Mar 2024 10:00:00 +0000",
        "Content-Type: text/html; charset=utf-8",
        "",
        `<p>Confirm here: ${anchors}</p>`,
        "",
      ].join("\r\n"),
    );
    const r = await triage(raw, { yara: false });
    const mismatch = r.reasons.filter((x) => x.code === "link.text-mismatch");
    expect(mismatch).toHaveLength(1);
    expect(mismatch[0]).toMatchObject({ count: 40, evidence: { ref: "https://bit.ly/x0" } });
    expect(mismatch[0]!.message).toMatch(/The same for 39 more links/);
    // every link is still an indicator, and the score counts the repeats as it did
    expect(r.indicators.urls).toHaveLength(40);
    expect(r.score).toBe(combinedScore(ungrouped(r.reasons)));
  });

  it("groups findings that differ only in the name of their evidence, not others", () => {
    const bomb = (path: string): Reason => ({
      code: "attachment.zip-bomb",
      severity: "medium",
      weight: 0.4,
      message: `${path} expands 1028 times: a zip bomb; not unpacked.`,
      evidence: { kind: "attachment", ref: path },
    });
    const paths = ["a.zip > p0.zip", "a.zip > p1.zip", "a.zip > p2.zip", "a.zip > p3.zip"];
    const grouped = groupReasons(paths.map(bomb));
    expect(grouped).toHaveLength(1);
    expect(grouped[0]!.message).toBe(
      "a.zip > p0.zip expands 1028 times: a zip bomb; not unpacked. The same for 3 more files (the first is shown).",
    );
    // a few are each named
    expect(groupReasons(paths.slice(0, NAMED_ALIKE).map(bomb))).toHaveLength(NAMED_ALIKE);
    const other = { ...bomb("b.zip"), message: "b.zip expands 9 times: a zip bomb; not unpacked." };
    expect(groupReasons([bomb("a.zip"), other])).toHaveLength(2);
  });
});

/** The reasons a grouped list stands for, each repeated `count` times. */
function ungrouped(reasons: Reason[]): Reason[] {
  return reasons.flatMap((r) => Array.from({ length: r.count ?? 1 }, () => r));
}

import { describe, expect, it } from "vitest";
import { combinedScore, rankReasons, verdictFor } from "./verdict.js";
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

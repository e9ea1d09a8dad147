/**
 * From reasons to a verdict. Each reason carries a weight in [0, 1] (how much it alone would make a reviewer
 * suspect the message); the score combines them as independent signals, 1 - Π(1 - w), so two medium signals
 * outweigh one and no pile of weak ones reaches 1. Thresholds: `malicious` at 0.75 or with a high-severity
 * reason of weight ≥ 0.7 (an executable, a link that runs script); `suspicious` at 0.3; otherwise
 * `no-signs-found`, which is not "safe": it means none of these checks fired. `unknown` is for messages that
 * could not be read at all.
 */
import type { Reason, Severity, Verdict } from "./types.js";

export const MALICIOUS_AT = 0.75;
export const SUSPICIOUS_AT = 0.3;

const SEVERITY_RANK: Record<Severity, number> = { high: 0, medium: 1, low: 2, info: 3 };

/** Strongest first; ties by severity then code, so the order is stable. */
export function rankReasons(reasons: Reason[]): Reason[] {
  return [...reasons].sort(
    (a, b) =>
      b.weight - a.weight ||
      SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
      a.code.localeCompare(b.code) ||
      a.evidence.ref.localeCompare(b.evidence.ref),
  );
}

/**
 * The same check firing on many links or entries counts once at its weight plus 0.05 for each repeat, at most
 * 0.15 in all: ten shortened links are not ten independent signals.
 */
export function combinedScore(reasons: Reason[]): number {
  const byCode = new Map<string, number[]>();
  for (const r of reasons) {
    if (r.weight <= 0) continue;
    const list = byCode.get(r.code) ?? [];
    list.push(r.weight);
    byCode.set(r.code, list);
  }
  let keep = 1;
  for (const ws of byCode.values()) {
    ws.sort((a, b) => b - a);
    const w = Math.min(0.95, ws[0]! + Math.min(0.15, 0.05 * (ws.length - 1)));
    keep *= 1 - w;
  }
  return Math.round((1 - keep) * 1000) / 1000;
}

export function verdictFor(reasons: Reason[], readable: boolean): { verdict: Verdict; score: number } {
  if (!readable) return { verdict: "unknown", score: 0 };
  const score = combinedScore(reasons);
  const decisive = reasons.some((r) => r.severity === "high" && r.weight >= 0.7);
  if (score >= MALICIOUS_AT || decisive) return { verdict: "malicious", score };
  if (score >= SUSPICIOUS_AT) return { verdict: "suspicious", score };
  return { verdict: "no-signs-found", score };
}

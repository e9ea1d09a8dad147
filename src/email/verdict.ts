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

const COUNTED: Record<Reason["evidence"]["kind"], [string, string]> = {
  link: ["link", "links"],
  attachment: ["file", "files"],
  header: ["header", "headers"],
  body: ["time", "times"],
  message: ["time", "times"],
};

/** Findings that differ only in the name of their evidence are each shown up to this many; past it, as one. */
export const NAMED_ALIKE = 3;

/**
 * Identical reasons (same code, severity, weight and message: the same redirect on 500 links) as one, in the order
 * of their first, with `count` and a sentence saying how many more there are; reasons that differ only in the name
 * of their evidence (the same bomb in 257 archive entries) too, when there are more than NAMED_ALIKE of them. For
 * display and the JSON; the score is computed on the reasons before grouping.
 */
export function groupReasons(reasons: Reason[]): Reason[] {
  const key = (r: Reason, message: string): string =>
    `${r.code}\u0000${r.severity}\u0000${r.weight}\u0000${message}`;
  const exact = group(reasons, (r) => key(r, r.message)).map((g) => ({ first: g[0]!, count: g.length }));
  const alike = group(exact, ({ first: r }) =>
    key(r, r.evidence.ref.length > 0 ? r.message.split(r.evidence.ref).join("\u0001") : r.message),
  );
  return alike.flatMap((g) =>
    g.length <= NAMED_ALIKE
      ? g.map((t) => counted(t.first, t.count))
      : [
          counted(
            g[0]!.first,
            g.reduce((n, t) => n + t.count, 0),
          ),
        ],
  );
}

/** A reason standing for `count` alike, saying so. */
function counted(r: Reason, count: number): Reason {
  if (count === 1) return r;
  const more = count - 1;
  const [one, many] = COUNTED[r.evidence.kind];
  return {
    ...r,
    count,
    message: `${r.message} The same for ${more} more ${more === 1 ? one : many} (the first is shown).`,
  };
}

/** Items in groups by `keyOf`, the groups in the order of their first member. */
function group<T>(items: T[], keyOf: (x: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const x of items) {
    const k = keyOf(x);
    const g = groups.get(k);
    if (g) g.push(x);
    else groups.set(k, [x]);
  }
  return [...groups.values()];
}

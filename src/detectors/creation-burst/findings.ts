/**
 * A creation burst's members as findings, with the explanation an investigator reads (what the burst shows, what
 * made the account look cut from a template or left at its defaults, and what the burst cannot show), and the
 * context edges between template mates.
 */
import type { Edge, Finding, Strength } from "../../model/index.js";
import { pText } from "../../stats/p-text.js";
import { samplePairs } from "../../stats/sample-pairs.js";
import type { Burst } from "./bursts.js";
import { dayOf, monthOf } from "./dates.js";
import { handleShape } from "./handles.js";
import type { FirstPost, AccountRow } from "./load.js";
import type { Template } from "./traits.js";

const HOUR_MS = 3_600_000;

/** How precise the case's creation dates are. */
export type DatePrecision = "time" | "day" | "month";

export interface Member {
  row: AccountRow;
  burst: number;
  /** The first template of its burst it matches (`kind:value`), or null. */
  template: string | null;
  templateWhy: string[];
  /** Its profile fields left at their defaults. */
  defaults: string[];
  /** Whether its default profile counts: it has one, and default profiles are a trait of its burst. */
  defaulted: boolean;
}

/** What a burst's default profiles were: members with one, and the share among the accounts outside it. */
export interface BurstDefaults {
  count: number;
  othersShare: number;
  trait: boolean;
  /** Dated accounts outside the burst: none leaves nothing to compare its handles and profiles with. */
  outside: number;
}

const pct = (x: number): string => `${Math.round(100 * x)}%`;

/** Why a member's handle matches a template of its burst, in words. */
export function templateReason(t: Template, burstCount: number): string {
  const others = `against ${pct(t.share)} of the other accounts`;
  if (t.kind === "word-digits") {
    return `a word followed by digits, like ${t.count} of the ${burstCount} (${others})`;
  }
  if (t.kind === "shape")
    return `handle shape ${t.value} shared by ${t.count} of the ${burstCount} (${others})`;
  return `handle starts with '${t.value}' like ${t.count} of the ${burstCount} (${others})`;
}

function windowWords(widthMs: number, precision: DatePrecision): string {
  if (precision === "month") return "in the same month";
  const h = widthMs / HOUR_MS;
  return `within ${h} hour${h === 1 ? "" : "s"}`;
}

function createdWords(t: number, precision: DatePrecision): string {
  if (precision === "month") return `in ${monthOf(t)} (the source gives the month only)`;
  if (precision === "day") return `on ${dayOf(t)} (the source gives the day only)`;
  return `${new Date(t).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

export function finding(
  m: Member,
  b: Burst,
  defaults: BurstDefaults,
  backgroundDays: number,
  firstPost: FirstPost | null,
  precision: DatePrecision,
): Finding {
  const templated = m.templateWhy.length > 0;
  const strength: Strength =
    templated && m.defaulted ? "strong" : templated || m.defaulted ? "moderate" : "weak";
  const sig = Math.min(1, -b.logP / Math.LN10 / 20);
  const score = (strength === "strong" ? 0.7 : strength === "moderate" ? 0.45 : 0.2) + 0.2 * sig;
  const name = m.row.handle ? `@${m.row.handle}` : m.row.key;
  const parts = [
    `${name} was created ${createdWords(m.row.t, precision)}, one of ${b.count} accounts created ` +
      `${windowWords(b.widthMs, precision)} ` +
      (b.background === 0
        ? `with no other account of the case created within ${backgroundDays} days around them: the case gives no ` +
          `rate of creations to compare with, only that these accounts were made together.`
        : `where about ${b.expected.toPrecision(2)} were expected from the creations around it (${pText(b.logP)}).`),
  ];
  if (templated) parts.push(`Its handle looks templated: ${m.templateWhy.join("; ")}.`);
  if (defaults.outside === 0) {
    parts.push(
      "The case holds no other account with a creation date to compare its handle and profile with, so they " +
        "count for nothing here.",
    );
  } else if (m.defaults.length > 0) {
    const fields = m.defaults.join(", ");
    parts.push(
      m.defaulted
        ? `Its profile is at its defaults (${fields}), like ${defaults.count} of the ${b.count} (against ` +
            `${pct(defaults.othersShare)} of the other accounts).`
        : 2 * defaults.count < b.count
          ? `Its profile is at its defaults (${fields}), but so are only ${defaults.count} of the ${b.count}: new ` +
            `people often leave theirs so, and it counts for nothing here.`
          : `Its profile is at its defaults (${fields}), like ${defaults.count} of the ${b.count}, but also ` +
            `${pct(defaults.othersShare)} of the other accounts: it counts for nothing here.`,
    );
  }
  parts.push(
    templated || m.defaulted || defaults.outside === 0
      ? "Being created together shows how the accounts were made, not who runs them or what they did: read it beside their posts."
      : "Nothing else about it or its burst is unusual: real sign-up waves (news events, app launches) do this too.",
  );
  return {
    detector: "creation-burst",
    subject: m.row.key,
    strength,
    score: Math.min(1, score),
    explanation: parts.join(" "),
    evidence: {
      created_at: new Date(m.row.t).toISOString(),
      date_precision: precision,
      handle: m.row.handle,
      handle_shape: m.row.handle ? handleShape(m.row.handle) : null,
      templated_because: m.templateWhy,
      default_fields: m.defaults,
      default_profile_counts: m.defaulted,
      burst: {
        window_hours: b.widthMs / HOUR_MS,
        count: b.count,
        expected: b.expected,
        background: b.background,
        p_value: Math.exp(b.logP),
        log10_p: b.logP / Math.LN10,
      },
      account_row: { input_id: m.row.inputId, source_row: m.row.sourceRow },
      first_post: firstPost,
    },
  };
}

/**
 * Context edges between members of one burst cut from the same template. Low weight and never significant: shared
 * creation alone must not make a campaign, but it adds to ties the other layers find. In a group of more than
 * `maxPartners` + 1 members, each draws `maxPartners` partners by a stable hash (src/stats/sample-pairs.ts).
 */
export function templateEdges(members: Member[], bursts: Burst[], maxPartners: number): Edge[] {
  const groups = new Map<string, Member[]>();
  for (const m of members) {
    if (!m.template) continue;
    const k = `${m.burst}|${m.template}`;
    const list = groups.get(k);
    if (list === undefined) groups.set(k, [m]);
    else list.push(m);
  }
  const out: Edge[] = [];
  for (const [k, list] of [...groups].sort((x, y) => (x[0] < y[0] ? -1 : 1))) {
    const b = bursts[Number(k.split("|")[0])]!;
    const sorted = [...list].sort((x, y) => (x.row.key < y.row.key ? -1 : 1));
    for (const [i, j] of samplePairs(
      sorted.map((m) => m.row.key),
      maxPartners,
    )) {
      const x = sorted[i]!;
      const y = sorted[j]!;
      out.push({
        layer: "creation",
        a: x.row.key,
        b: y.row.key,
        weight: 0.25,
        nObjects: 1,
        lift: b.expected > 0 ? b.count / b.expected : null,
        pValue: Math.exp(b.logP),
        evidence: {
          significant: false,
          tier: "context",
          template: x.template,
          created_a: new Date(x.row.t).toISOString(),
          created_b: new Date(y.row.t).toISOString(),
          gap_hours: Math.abs(x.row.t - y.row.t) / HOUR_MS,
          burst_count: b.count,
        },
      });
    }
  }
  return out.sort((x, y) => (x.a < y.a ? -1 : x.a > y.a ? 1 : x.b < y.b ? -1 : x.b > y.b ? 1 : 0));
}

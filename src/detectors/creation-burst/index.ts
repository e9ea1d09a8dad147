/**
 * `creation-burst`: many accounts created within a short interval compared with the background rate around it,
 * strengthened by handles cut from one template and profiles left at their defaults. See README.md beside this file.
 */
import { z } from "zod";
import type { Edge, Finding, Strength } from "../../model/index.js";
import { skipped, type Detector, type DetectorResult } from "../detector.js";
import { samplePairs } from "../../stats/sample-pairs.js";
import { pText } from "../../stats/p-text.js";
import { atTimeOfDay, dayTimes, findBursts, type Burst } from "./bursts.js";
import { defaultFields, handleShape, leadingWord, wordAndDigits } from "./handles.js";
import { firstPosts, loadAccounts, type AccountRow } from "./load.js";

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export const creationBurstParams = z
  .object({
    windowsHours: z
      .array(
        z
          .number()
          .positive()
          .max(24 * 60),
      )
      .min(1)
      .default([1, 6, 24, 72, 168])
      .describe("window widths tested, hours"),
    backgroundDays: z
      .number()
      .positive()
      .max(3650)
      .default(90)
      .describe("days on each side of a window whose creations give its background rate"),
    alpha: z.number().gt(0).lt(1).default(0.01).describe("false-discovery rate over all windows tested"),
    minAccounts: z.number().int().min(3).default(5).describe("fewest accounts in a burst"),
    minLift: z
      .number()
      .min(1)
      .default(3)
      .describe("least ratio of accounts created in the window to the number expected"),
    minShared: z
      .number()
      .int()
      .min(2)
      .default(3)
      .describe("fewest burst members sharing a handle shape or leading word for it to count as a template"),
    maxPartners: z
      .number()
      .int()
      .min(1)
      .default(20)
      .describe(
        "partners each account draws among more template mates of one burst, by a stable hash (fewer keep every pair)",
      ),
  })
  .strict();

export type CreationBurstParams = z.infer<typeof creationBurstParams>;

interface Member {
  row: AccountRow;
  burst: number;
  template: string | null;
  templateWhy: string[];
  defaults: string[];
}

const iso = (ms: number): string => new Date(ms).toISOString().slice(0, 16).replace("T", " ");

export const creationBurstDetector: Detector<CreationBurstParams> = {
  id: "creation-burst",
  version: "1",
  summary:
    "many accounts created close together, beyond the background rate, with templated handles or default profiles",
  params: creationBurstParams,
  needs: ["accounts"],
  async run(ctx): Promise<DetectorResult> {
    const { store, params } = ctx;
    const loaded = await loadAccounts(store);
    const { accounts, coverage } = loaded;
    if (loaded.dated.length === 0) {
      return skipped(
        accounts === 0 ? "no accounts in the case" : `no account creation dates among ${accounts} accounts`,
      );
    }
    const resolution: string[] = [];
    // an account cannot be created after it posted: such a date is a placeholder (the time of a profile export, a
    // default), and a few hundred of them at one instant made a "factory" that never was
    const afterFirstPost = (a: AccountRow): boolean => a.firstPost !== null && a.t > a.firstPost + DAY_MS;
    const placeholders = loaded.dated.filter(afterFirstPost).length;
    let dated = placeholders > 0 ? loaded.dated.filter((a) => !afterFirstPost(a)) : loaded.dated;
    if (placeholders > 0) {
      resolution.push(
        `${placeholders} account${placeholders === 1 ? "'s" : "s'"} creation date${placeholders === 1 ? " is" : "s are"} ` +
          `more than a day after ${placeholders === 1 ? "its" : "their"} first post in the case, which no creation ` +
          `can be (a placeholder or the time of an export): left out`,
      );
    }
    // creation dates given to the day (or rounded to one) pile onto one time of day, or two in a zone with summer
    // time: a window under a day holds a whole day's creations, which the hourly background rate then finds a burst
    // every day. When most dates are such, only windows of a day and more are tested; when a few sources give them
    // beside others to the second, their accounts are left out
    const tods = dayTimes(Float64Array.from(dated, (a) => a.t));
    const onDay = dated.filter((a) => atTimeOfDay(a.t, tods)).length;
    const dayOnly = tods.size > 0 && onDay >= 0.5 * dated.length;
    const todList = [...tods]
      .sort((a, b) => a - b)
      .map((t) => new Date(t).toISOString().slice(11, 16))
      .join(", ");
    const asked = [...params.windowsHours].sort((a, b) => a - b);
    const hours = dayOnly ? asked.filter((h) => h >= 24) : asked;
    if (hours.length === 0) hours.push(24);
    if (dayOnly) {
      resolution.push(
        `${Math.round((100 * onDay) / dated.length)}% of the creation dates fall at ${todList} UTC: the source ` +
          `gives them to the day, so windows under a day (${asked.filter((h) => h < 24).join(", ") || "none"} ` +
          `hours asked) were not tested`,
      );
    } else if (onDay > 0) {
      dated = dated.filter((a) => !atTimeOfDay(a.t, tods));
      resolution.push(
        `${onDay} account${onDay === 1 ? "'s" : "s'"} creation dates fall at ${todList} UTC, as dates given to the ` +
          `day do, beside others given to the second: left out (a day's creations at one instant read as a burst ` +
          `every day)`,
      );
    }
    if (dated.length === 0) return skipped(`no usable account creation dates among ${accounts} accounts`);
    const times = Float64Array.from(dated, (a) => a.t);
    const { bursts, windowsTested } = findBursts(times, {
      widthsMs: hours.map((h) => h * HOUR_MS),
      backgroundMs: params.backgroundDays * 24 * HOUR_MS,
      alpha: params.alpha,
      minCount: params.minAccounts,
      minLift: params.minLift,
    });
    const counts: Record<string, number> = {
      accounts,
      accounts_with_creation_date: dated.length,
      windows_tested: windowsTested,
      bursts: bursts.length,
    };
    const fields = Object.entries(coverage)
      .filter(([, v]) => v)
      .map(([k]) => k);
    if (bursts.length === 0) {
      return {
        status: "ok",
        message: `no creation burst beyond the background rate among ${dated.length} accounts with a creation date`,
        counts,
        findings: [],
        edges: [],
        warnings: resolution,
        details: { profile_fields_carried: fields, windows_hours: hours },
      };
    }

    // template statistics over every dated account: how common each handle shape and leading word is
    const shapeAll = new Map<string, number>();
    const wordAll = new Map<string, number>();
    for (const a of dated) {
      if (!a.handle) continue;
      const s = handleShape(a.handle);
      shapeAll.set(s, (shapeAll.get(s) ?? 0) + 1);
      const w = leadingWord(a.handle);
      if (w) wordAll.set(w, (wordAll.get(w) ?? 0) + 1);
    }
    const members: Member[] = [];
    const burstTemplates: Array<
      Array<{ kind: "shape" | "word"; value: string; count: number; share: number }>
    > = [];
    bursts.forEach((b, bi) => {
      const rows = dated.slice(b.from, b.to);
      const enriched = templatesOf(rows, b, shapeAll, wordAll, dated.length, params.minShared);
      burstTemplates.push(enriched);
      for (const row of rows) {
        const why: string[] = [];
        let template: string | null = null;
        if (row.handle) {
          const shape = handleShape(row.handle);
          const word = leadingWord(row.handle);
          for (const t of enriched) {
            if ((t.kind === "shape" && t.value === shape) || (t.kind === "word" && t.value === word)) {
              template ??= `${t.kind}:${t.value}`;
              why.push(
                t.kind === "shape"
                  ? `handle shape ${t.value} shared by ${t.count} of the ${b.count}`
                  : `handle starts with '${t.value}' like ${t.count} of the ${b.count}`,
              );
            }
          }
          if (wordAndDigits(row.handle)) why.unshift("a word followed by digits");
        }
        members.push({
          row,
          burst: bi,
          template,
          templateWhy: why,
          defaults: defaultFields(
            { handle: row.handle, displayName: row.displayName, bio: row.bio, avatar: row.avatar },
            coverage,
          ),
        });
      }
    });

    const first = await firstPosts(
      store,
      members.map((m) => m.row.key),
    );
    const findings = members.map((m) =>
      finding(m, bursts[m.burst]!, fields.length, first.get(m.row.key) ?? null, dayOnly),
    );
    findings.sort((x, y) => (x.subject < y.subject ? -1 : x.subject > y.subject ? 1 : 0));
    const edges = templateEdges(members, bursts, params.maxPartners);
    counts["burst_accounts"] = members.length;
    counts["templated_handles"] = members.filter((m) => m.templateWhy.length > 0).length;
    counts["default_profiles"] = members.filter(
      (m) => m.defaults.length >= Math.min(2, fields.length),
    ).length;
    counts["edges"] = edges.length;
    return {
      status: "ok",
      message:
        `${members.length} accounts in ${bursts.length} creation burst${bursts.length === 1 ? "" : "s"} ` +
        `(${counts["templated_handles"]} with templated handles, ${fields.length > 0 ? counts["default_profiles"] : "no profile fields, so no"} default profiles); ` +
        `${dated.length} of ${accounts} accounts have a creation date`,
      counts,
      findings,
      edges,
      warnings: [
        ...resolution,
        ...(fields.length === 0
          ? ["the case carries no bios, avatars or display names: default profiles cannot be judged"]
          : []),
      ],
      details: {
        profile_fields_carried: fields,
        windows_hours: hours,
        bursts: bursts.map((b, bi) => ({
          id: `B${bi + 1}`,
          start: new Date(dated[b.from]!.t).toISOString(),
          end: new Date(dated[b.to - 1]!.t).toISOString(),
          window_hours: b.widthMs / HOUR_MS,
          count: b.count,
          expected: b.expected,
          log10_p: b.logP / Math.LN10,
          templates: burstTemplates[bi],
          members: dated.slice(b.from, b.to).map((a) => a.key),
        })),
      },
    };
  },
};

/** Handle shapes and leading words shared by `minShared` members and at least five times commoner than overall. */
function templatesOf(
  rows: AccountRow[],
  b: Burst,
  shapeAll: Map<string, number>,
  wordAll: Map<string, number>,
  total: number,
  minShared: number,
): Array<{ kind: "shape" | "word"; value: string; count: number; share: number }> {
  const shapes = new Map<string, number>();
  const words = new Map<string, number>();
  for (const r of rows) {
    if (!r.handle) continue;
    const s = handleShape(r.handle);
    shapes.set(s, (shapes.get(s) ?? 0) + 1);
    const w = leadingWord(r.handle);
    if (w) words.set(w, (words.get(w) ?? 0) + 1);
  }
  const out: Array<{ kind: "shape" | "word"; value: string; count: number; share: number }> = [];
  const consider = (kind: "shape" | "word", local: Map<string, number>, all: Map<string, number>): void => {
    for (const [value, count] of local) {
      const share = (all.get(value) ?? count) / total;
      if (count >= minShared && count / b.count >= 5 * share) out.push({ kind, value, count, share });
    }
  };
  consider("shape", shapes, shapeAll);
  consider("word", words, wordAll);
  return out.sort((x, y) => y.count - x.count || (x.kind + x.value < y.kind + y.value ? -1 : 1));
}

function finding(
  m: Member,
  b: Burst,
  fieldsCarried: number,
  firstPost: { post_id: string; ts: string; input_id: number; source_row: number } | null,
  dayOnly: boolean,
): Finding {
  const templated = m.templateWhy.length > 0;
  const defaulted = fieldsCarried > 0 && m.defaults.length >= Math.min(2, fieldsCarried);
  const strength: Strength = templated && defaulted ? "strong" : templated || defaulted ? "moderate" : "weak";
  const sig = Math.min(1, -b.logP / Math.LN10 / 20);
  const score = (strength === "strong" ? 0.7 : strength === "moderate" ? 0.45 : 0.2) + 0.2 * sig;
  const name = m.row.handle ? `@${m.row.handle}` : m.row.key;
  const parts = [
    `${name} was created ${dayOnly ? `on ${iso(m.row.t).slice(0, 10)} (the source gives the day only)` : `${iso(m.row.t)} UTC`}, one of ${b.count} accounts created within ` +
      `${b.widthMs / HOUR_MS} hour${b.widthMs === HOUR_MS ? "" : "s"} where about ${b.expected.toPrecision(2)} ` +
      `were expected from the creations around it (${pText(b.logP)}).`,
  ];
  if (templated) parts.push(`Its handle looks templated: ${m.templateWhy.join("; ")}.`);
  if (m.defaults.length > 0) parts.push(`Its profile is at its defaults: ${m.defaults.join(", ")}.`);
  if (!templated && !defaulted) {
    parts.push(
      "Nothing else in its profile is unusual; real sign-up waves (news events, app launches) do this too.",
    );
  }
  return {
    detector: "creation-burst",
    subject: m.row.key,
    strength,
    score: Math.min(1, score),
    explanation: parts.join(" "),
    evidence: {
      created_at: new Date(m.row.t).toISOString(),
      handle: m.row.handle,
      handle_shape: m.row.handle ? handleShape(m.row.handle) : null,
      templated_because: m.templateWhy,
      default_fields: m.defaults,
      burst: {
        window_hours: b.widthMs / HOUR_MS,
        count: b.count,
        expected: b.expected,
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
function templateEdges(members: Member[], bursts: Burst[], maxPartners: number): Edge[] {
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

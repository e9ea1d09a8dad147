/**
 * `creation-burst`: many accounts created within a short interval compared with the background rate around it,
 * strengthened by handles cut from one template and profiles left at their defaults. See README.md beside this file.
 */
import { z } from "zod";
import { skipped, type Detector, type DetectorResult } from "../detector.js";
import { atTimeOfDay, dayTimes, findBursts } from "./bursts.js";
import { firstOfMonthShare, placeholderInstants, stampInstant } from "./dates.js";
import {
  finding,
  templateEdges,
  templateReason,
  type BurstDefaults,
  type DatePrecision,
  type Member,
} from "./findings.js";
import { defaultFields } from "./handles.js";
import { firstPosts, loadAccounts, type AccountRow } from "./load.js";
import { burstTemplates, defaultsTrait, patternCounts, patternsOf, type Template } from "./traits.js";

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** A window that holds exactly one first of a month, whatever the month: dates given to the month are tested so. */
const MONTH_HOURS = 28 * 24;

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
    const plural = (n: number, one: string, many: string): string => (n === 1 ? one : many);
    // an account cannot be created after it posted: such a date is a placeholder (the time of a profile export, a
    // default), and a few hundred of them at one instant made a "factory" that never was. An instant that two such
    // dates share is the source's placeholder for every account it gave it to, those that posted later included
    const afterFirstPost = (a: AccountRow): boolean => a.firstPost !== null && a.t > a.firstPost + DAY_MS;
    const impossible = loaded.dated.filter(afterFirstPost);
    const stamps = placeholderInstants(impossible.map((a) => a.t));
    let dated = loaded.dated.filter((a) => !afterFirstPost(a) && !stamps.has(a.t));
    if (impossible.length > 0) {
      const n = impossible.length;
      const more = loaded.dated.length - n - dated.length;
      resolution.push(
        `${n} account${plural(n, "'s", "s'")} creation date${plural(n, " is", "s are")} more than a day after ` +
          `${plural(n, "its", "their")} first post in the case, which no creation can be (a placeholder or the time ` +
          `of an export): left out` +
          (more > 0
            ? `, with ${more} other account${plural(more, "", "s")} given the same instant${plural(stamps.size, "", "s")} ` +
              `by the source`
            : ""),
      );
    }
    // one instant for half the case is the source's collection time: accounts are registered one by one
    const stamp = stampInstant(Float64Array.from(dated, (a) => a.t));
    if (stamp !== null) {
      const n = dated.filter((a) => a.t === stamp).length;
      dated = dated.filter((a) => a.t !== stamp);
      resolution.push(
        `${n} of the accounts' creation dates are one instant, ${new Date(stamp).toISOString()}: a time the source ` +
          `wrote for all of them (its collection time), not their creation, as accounts are registered one at a ` +
          `time: left out`,
      );
    }
    const unusable = (): DetectorResult => ({
      ...skipped(`no usable account creation dates among ${accounts} accounts: ${resolution.join("; ")}`),
      warnings: resolution,
    });
    if (dated.length === 0) return unusable();
    // creation dates given to the day (or rounded to one) pile onto one time of day, or two in a zone with summer
    // time: a window under a day holds a whole day's creations, which the hourly background rate then finds a burst
    // every day. When most dates are such, only windows of a day and more are tested (of a month, when they are
    // the first of a month: "Joined March 2019"); when a few sources give them beside others to the second, their
    // accounts are left out
    const tods = dayTimes(Float64Array.from(dated, (a) => a.t));
    const onDay = dated.filter((a) => atTimeOfDay(a.t, tods));
    const dayOnly = tods.size > 0 && onDay.length >= 0.5 * dated.length;
    const precision: DatePrecision = !dayOnly
      ? "time"
      : firstOfMonthShare(onDay.map((a) => a.t)) >= 0.5
        ? "month"
        : "day";
    const todList = [...tods]
      .sort((a, b) => a - b)
      .map((t) => new Date(t).toISOString().slice(11, 16))
      .join(", ");
    const asked = [...params.windowsHours].sort((a, b) => a - b);
    const floor = precision === "month" ? MONTH_HOURS : precision === "day" ? 24 : 0;
    const hours = asked.filter((h) => h >= floor);
    if (hours.length === 0) hours.push(Math.max(24, floor));
    if (precision !== "time") {
      const share = Math.round((100 * onDay.length) / dated.length);
      resolution.push(
        precision === "month"
          ? `${share}% of the creation dates fall at ${todList} UTC, most on the first of a month: the source ` +
              `gives them to the month ("joined March 2019"), so only windows of a month were tested ` +
              `(${asked.join(", ")} hours asked)`
          : `${share}% of the creation dates fall at ${todList} UTC: the source gives them to the day, so windows ` +
              `under a day (${asked.filter((h) => h < 24).join(", ") || "none"} hours asked) were not tested`,
      );
    } else if (onDay.length > 0) {
      dated = dated.filter((a) => !atTimeOfDay(a.t, tods));
      resolution.push(
        `${onDay.length} account${plural(onDay.length, "'s", "s'")} creation dates fall at ${todList} UTC, as ` +
          `dates given to the day do, beside others given to the second: left out (a day's creations at one ` +
          `instant read as a burst every day)`,
      );
    }
    if (dated.length === 0) return unusable();
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
    const details: Record<string, unknown> = {
      profile_fields_carried: fields,
      windows_hours: hours,
      date_precision: precision,
    };
    if (bursts.length === 0) {
      return {
        status: "ok",
        message: `no creation burst beyond the background rate among ${dated.length} accounts with a creation date`,
        counts,
        findings: [],
        edges: [],
        warnings: resolution,
        details,
      };
    }

    // a template or default profiles count for a burst only when they are enriched there against the other dated
    // accounts (traits.ts): a platform's default handles and new people's empty bios are common everywhere
    const patternsAll = patternCounts(dated.map((a) => a.handle));
    const defaultsOf = (a: AccountRow): string[] =>
      defaultFields({ handle: a.handle, displayName: a.displayName, bio: a.bio, avatar: a.avatar }, coverage);
    const isDefault = (d: string[]): boolean => fields.length > 0 && d.length >= Math.min(2, fields.length);
    const defaultsAll = dated.filter((a) => isDefault(defaultsOf(a))).length;
    const members: Member[] = [];
    const templatesByBurst: Template[][] = [];
    const defaultsByBurst: BurstDefaults[] = [];
    bursts.forEach((b, bi) => {
      const rows = dated.slice(b.from, b.to);
      const outside = dated.length - b.count;
      const templates = burstTemplates(
        patternCounts(rows.map((r) => r.handle)),
        patternsAll,
        b.count,
        outside,
        params.minShared,
      );
      templatesByBurst.push(templates);
      const defaults = rows.map(defaultsOf);
      const defaulted = defaults.filter(isDefault).length;
      const others = defaultsAll - defaulted;
      const burstDefaults: BurstDefaults = {
        count: defaulted,
        othersShare: outside > 0 ? others / outside : 0,
        outside,
        trait: defaultsTrait(defaulted, b.count, others, outside),
      };
      defaultsByBurst.push(burstDefaults);
      rows.forEach((row, k) => {
        const mine = patternsOf(row.handle);
        const matched = templates.filter((t) =>
          mine.some(([kind, value]) => t.kind === kind && t.value === value),
        );
        members.push({
          row,
          burst: bi,
          template: matched.length > 0 ? `${matched[0]!.kind}:${matched[0]!.value}` : null,
          templateWhy: matched.map((t) => templateReason(t, b.count)),
          defaults: defaults[k]!,
          defaulted: burstDefaults.trait && isDefault(defaults[k]!),
        });
      });
    });

    const first = await firstPosts(
      store,
      members.map((m) => m.row.key),
    );
    const findings = members.map((m) =>
      finding(
        m,
        bursts[m.burst]!,
        defaultsByBurst[m.burst]!,
        params.backgroundDays,
        first.get(m.row.key) ?? null,
        precision,
      ),
    );
    findings.sort((x, y) => (x.subject < y.subject ? -1 : x.subject > y.subject ? 1 : 0));
    const edges = templateEdges(members, bursts, params.maxPartners);
    counts["burst_accounts"] = members.length;
    counts["templated_handles"] = members.filter((m) => m.templateWhy.length > 0).length;
    counts["default_profiles"] = members.filter((m) => m.defaulted).length;
    counts["edges"] = edges.length;
    const plain = bursts.filter(
      (_, bi) =>
        templatesByBurst[bi]!.length === 0 && !defaultsByBurst[bi]!.trait && defaultsByBurst[bi]!.outside > 0,
    );
    const alone = bursts.length === 1 && defaultsByBurst[0]!.outside === 0;
    return {
      status: "ok",
      message:
        `${members.length} accounts in ${bursts.length} creation burst${plural(bursts.length, "", "s")} ` +
        `(${counts["templated_handles"]} with templated handles, ${fields.length > 0 ? counts["default_profiles"] : "no profile fields, so no"} default profiles` +
        (plain.length > 0
          ? `; ${plain.length} burst${plural(plain.length, "", "s")} of ${plain.reduce((s, b) => s + b.count, 0)} ` +
            `accounts with neither, as sign-up waves of real people look`
          : "") +
        (alone ? "; the burst holds every dated account, so there is nothing to compare them with" : "") +
        `); ${dated.length} of ${accounts} accounts have a creation date`,
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
        ...details,
        bursts: bursts.map((b, bi) => ({
          id: `B${bi + 1}`,
          start: new Date(dated[b.from]!.t).toISOString(),
          end: new Date(dated[b.to - 1]!.t).toISOString(),
          window_hours: b.widthMs / HOUR_MS,
          count: b.count,
          expected: b.expected,
          background: b.background,
          log10_p: b.logP / Math.LN10,
          templates: templatesByBurst[bi],
          default_profiles: {
            count: defaultsByBurst[bi]!.count,
            others_share: defaultsByBurst[bi]!.othersShare,
            trait: defaultsByBurst[bi]!.trait,
          },
          members: dated.slice(b.from, b.to).map((a) => a.key),
        })),
      },
    };
  },
};

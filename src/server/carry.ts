/**
 * Carrying campaign labels over a re-analysis. A campaign label is keyed by the hash of the campaign's members, so
 * when a new run changes the members a little (one account leaves, another joins) no campaign has that key any
 * more. The label then carries over to the current campaign whose members overlap the labelled members best, by
 * Jaccard index (|A ∩ B| / |A ∪ B|) of at least `CARRY_THRESHOLD`, one label to one campaign: pairs are taken
 * best overlap first, then by the older key and the newer campaign's rank, and a campaign that has a label of its
 * own never takes another. Nothing is written: the carry is worked out from the labels and the stored analyses
 * whenever it is asked for, always from the members the label was given to, so a label never drifts run after
 * run. A label that finds no campaign is reported as unplaced, never dropped.
 *
 * @example
 * const carry = await carryLabels(store, analysis, await notes.labels());
 * carry.byNumber.get("C4"); // { label, from_key: "cm_...", overlap: 0.92, shared: 23, ... }
 */
import type { CaseStore } from "../store/case.js";
import { loadAnalysis } from "../report/html/data.js";
import { campaignKey, type LabelRow } from "./annotations.js";
import { memberKeys, type Analysis } from "./case-view.js";

/** Least Jaccard overlap of members for a label to carry over to a changed campaign. */
export const CARRY_THRESHOLD = 0.5;
/** Older analyses searched for a label's members when its context does not name the run. */
const RUNS_SEARCHED = 50;

export interface Carried {
  label: LabelRow;
  from_key: string;
  /** The labelled campaign's number and run when the label was given. */
  from_number: string | null;
  from_run: number | null;
  to_number: string;
  to_key: string;
  /** Jaccard index of the two member sets, rounded to 3 decimals. */
  overlap: number;
  shared: number;
  members_before: number;
  members_now: number;
}

export interface CarryResult {
  /** Carried labels by current campaign number. */
  byNumber: Map<string, Carried>;
  /** Carried labels by the labelled (old) key. */
  byKey: Map<string, Carried>;
  /** Campaign labels that name no current campaign and carried to none. */
  unplaced: LabelRow[];
  /** Keys of labels the analyst has re-given to the campaign they had carried to: they carry no further. */
  settled: Set<string>;
}

/** |a ∩ b| / |a ∪ b| and |a ∩ b|. */
export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): { j: number; shared: number } {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let shared = 0;
  for (const x of small) if (large.has(x)) shared++;
  const union = a.size + b.size - shared;
  return { j: union === 0 ? 0 : shared / union, shared };
}

/**
 * One-to-one assignment of old member sets to new ones, best overlap first: `old` and `now` are [key, members]
 * in a stable order (now: rank order); returns pairs with overlap at least `threshold`.
 */
export function assignByOverlap(
  old: Array<[string, ReadonlySet<string>]>,
  now: Array<[string, ReadonlySet<string>]>,
  threshold = CARRY_THRESHOLD,
): Array<{ from: string; to: string; j: number; shared: number }> {
  const pairs: Array<{ from: string; to: string; j: number; shared: number; rank: number }> = [];
  for (const [from, om] of old) {
    now.forEach(([to, nm], rank) => {
      const { j, shared } = jaccard(om, nm);
      if (shared > 0 && j >= threshold) pairs.push({ from, to, j, shared, rank });
    });
  }
  pairs.sort((x, y) => y.j - x.j || (x.from < y.from ? -1 : x.from > y.from ? 1 : 0) || x.rank - y.rank);
  const usedFrom = new Set<string>();
  const usedTo = new Set<string>();
  const out: Array<{ from: string; to: string; j: number; shared: number }> = [];
  for (const p of pairs) {
    if (usedFrom.has(p.from) || usedTo.has(p.to)) continue;
    usedFrom.add(p.from);
    usedTo.add(p.to);
    out.push({ from: p.from, to: p.to, j: p.j, shared: p.shared });
  }
  return out;
}

/** Member sets of earlier runs' campaigns by key, read from the stored findings documents, parsed once per run. */
export class LabelledMembers {
  private runs = new Map<number, Map<string, { number: string; members: Set<string> }>>();

  constructor(private readonly store: CaseStore) {}

  private async run(runId: number): Promise<Map<string, { number: string; members: Set<string> }>> {
    let m = this.runs.get(runId);
    if (!m) {
      m = new Map();
      try {
        const { doc } = await loadAnalysis(this.store, runId);
        for (const c of doc.campaigns) {
          const keys = memberKeys(c);
          m.set(campaignKey(keys), { number: String(c["id"]), members: new Set(keys) });
        }
      } catch {
        // a run without a stored analysis has no campaigns to offer
      }
      this.runs.set(runId, m);
    }
    return m;
  }

  /** The members of the campaign with this key: in the run the label names, else the latest earlier run holding it. */
  async of(
    key: string,
    runHint: number | null,
    latestRun: number,
  ): Promise<{ run: number; number: string; members: Set<string> } | null> {
    if (runHint !== null) {
      const hit = (await this.run(runHint)).get(key);
      if (hit) return { run: runHint, ...hit };
    }
    const ids = await this.store.all<{ run_id: number }>(
      `SELECT run_id FROM analyses WHERE run_id < $latest ORDER BY run_id DESC LIMIT ${RUNS_SEARCHED}`,
      { latest: latestRun },
    );
    for (const { run_id } of ids) {
      const hit = (await this.run(run_id)).get(key);
      if (hit) return { run: run_id, ...hit };
    }
    return null;
  }
}

const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);

/** Which labels of campaigns no longer present carry over to which current campaigns. */
export async function carryLabels(
  source: LabelledMembers,
  a: Analysis,
  labels: LabelRow[],
): Promise<CarryResult> {
  const campaignLabels = labels.filter((l) => l.target_kind === "campaign");
  const direct = new Set(campaignLabels.filter((l) => a.idOf.has(l.target_id)).map((l) => l.target_id));
  // a label the analyst has already re-given to a campaign it had carried to is settled: it carries no further
  const settled = new Set(
    campaignLabels
      .filter((l) => a.idOf.has(l.target_id))
      .map((l) => l.context?.["carried_from"])
      .filter((k): k is string => typeof k === "string"),
  );
  const orphans = campaignLabels
    .filter((l) => !a.idOf.has(l.target_id) && !settled.has(l.target_id))
    .sort((x, y) => (x.target_id < y.target_id ? -1 : 1));
  const old: Array<[string, Set<string>]> = [];
  const origin = new Map<string, { run: number; number: string; members: Set<string> }>();
  for (const l of orphans) {
    const found = await source.of(l.target_id, num(l.context?.["run_id"]), a.run.id);
    if (!found) continue;
    origin.set(l.target_id, found);
    old.push([l.target_id, found.members]);
  }
  const now: Array<[string, Set<string>]> = a.doc.campaigns
    .map((c) => [String(c["id"]), new Set(memberKeys(c))] as [string, Set<string>])
    .filter(([n]) => !direct.has(a.keyOf.get(n)!));
  const byNumber = new Map<string, Carried>();
  const byKey = new Map<string, Carried>();
  for (const p of assignByOverlap(old, now)) {
    const label = orphans.find((l) => l.target_id === p.from)!;
    const o = origin.get(p.from)!;
    const c: Carried = {
      label,
      from_key: p.from,
      from_number: o.number,
      from_run: o.run,
      to_number: p.to,
      to_key: a.keyOf.get(p.to)!,
      overlap: Math.round(p.j * 1000) / 1000,
      shared: p.shared,
      members_before: o.members.size,
      members_now: now.find(([n]) => n === p.to)![1].size,
    };
    byNumber.set(p.to, c);
    byKey.set(p.from, c);
  }
  const unplaced = orphans.filter((l) => !byKey.has(l.target_id));
  return { byNumber, byKey, unplaced, settled };
}

/** The words the browser can show under a carried label. */
export function carriedCaption(c: Carried): string {
  return `label carried over from a campaign with ${Math.round(c.overlap * 100)}% of these members (${c.shared} shared)`;
}

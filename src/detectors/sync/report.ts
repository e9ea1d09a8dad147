/**
 * From the sync kernels' numbers to findings and edges: per-account findings (burst participation and fast
 * reposting, one finding per account), `sync` and `fast-repost` edges with their tier, and the evidence behind
 * each (burst times, the account's post in each, example post pairs, repost delays), resolved to post ids, input
 * files and rows.
 */
import type { Edge, Finding, Strength } from "../../model/index.js";
import type { CaseStore } from "../../store/case.js";
import type { Activity, BurstMembers, BurstScan } from "./bursts.js";
import { burstTopics, resolveAccounts, resolvePosts, type BurstTopics, type PostRef } from "./evidence.js";
import { delayMs, logBinomialUpperTail, type FastRepostStats } from "./fast-repost.js";
import { groupsByAccount, sharedGroups, type AccountTest, type PairTest } from "./groups.js";
import type { PostColumns, RepostColumns } from "./load.js";
import type { SyncParams } from "./index.js";
import { smallestK } from "../../stats/select.js";

const BURSTS_PER_FINDING = 10;
const BURSTS_PER_EDGE = 5;
const LN10 = Math.LN10;

export interface Tiered {
  test: PairTest;
  significant: Uint8Array;
}

export interface SyncState {
  posts: PostColumns;
  act: Activity;
  scan: BurstScan;
  members: BurstMembers;
  burstAccounts: AccountTest;
  burstPairs: Tiered;
  reposts: RepostColumns;
  fast: FastRepostStats;
  fastPairs: Tiered;
}

export interface SyncOutput {
  findings: Finding[];
  edges: Edge[];
  edgesSignificant: number;
  edgesCandidate: number;
  flaggedBursts: number;
  flaggedFast: number;
  reportedBursts: Array<Record<string, unknown>>;
}

type Layer = "sync" | "fast-repost";
interface EdgeRef {
  layer: Layer;
  i: number;
  tier: "significant" | "candidate" | "chance";
}

const iso = (epochSec: number): string => new Date(epochSec * 1000).toISOString();
/** log10 of a p-value, floored so that evidence stays JSON-safe. */
const log10 = (lnP: number): number => Math.max(-400, lnP / LN10);

export async function buildOutput(store: CaseStore, p: SyncParams, s: SyncState): Promise<SyncOutput> {
  const accounts = s.posts.accounts;
  const { bursts } = s.scan;
  const burstFlag = (a: number): boolean =>
    s.burstAccounts.count[a]! >= p.minBursts && s.burstAccounts.significant[a] === 1;
  const fastFlag = (a: number): boolean =>
    s.fast.fast[a]! >= p.minFastReposts && s.fast.fast[a]! >= p.minFastShare * s.fast.timed[a]!;

  // edges: significant, then candidates, then the strongest of the rest
  const refs: EdgeRef[] = [];
  const logCandidate = Math.log(p.candidateP);
  for (const [layer, t] of [
    ["sync", s.burstPairs],
    ["fast-repost", s.fastPairs],
  ] as const) {
    for (let i = 0; i < t.test.a.length; i++) {
      if (t.significant[i]) refs.push({ layer, i, tier: "significant" });
    }
  }
  const edgesSignificant = refs.length;
  for (const [layer, t] of [
    ["sync", s.burstPairs],
    ["fast-repost", s.fastPairs],
  ] as const) {
    for (let i = 0; i < t.test.a.length; i++) {
      if (!t.significant[i] && t.test.logP[i]! <= logCandidate) refs.push({ layer, i, tier: "candidate" });
    }
  }
  const edgesCandidate = refs.length - edgesSignificant;
  const testOf = (r: EdgeRef): PairTest => (r.layer === "sync" ? s.burstPairs.test : s.fastPairs.test);
  // the strongest of the pairs that chance explains (there can be millions): smallest p-value, then layer name,
  // then pair order, chosen by selection rather than sorting them all as objects
  const byName = (
    [
      ["sync", s.burstPairs],
      ["fast-repost", s.fastPairs],
    ] as Array<[Layer, Tiered]>
  ).sort((x, y) => cmp(x[0], y[0]));
  const isChance = (t: Tiered, i: number): boolean => !t.significant[i] && !(t.test.logP[i]! <= logCandidate);
  let chanceCount = 0;
  for (const [, t] of byName) for (let i = 0; i < t.test.a.length; i++) if (isChance(t, i)) chanceCount++;
  const chanceLogP = new Float64Array(chanceCount);
  const chanceLayer = new Uint8Array(chanceCount);
  const chancePair = new Int32Array(chanceCount);
  let c = 0;
  byName.forEach(([, t], li) => {
    for (let i = 0; i < t.test.a.length; i++) {
      if (!isChance(t, i)) continue;
      chanceLogP[c] = t.test.logP[i]!;
      chanceLayer[c] = li;
      chancePair[c++] = i;
    }
  });
  for (const k of smallestK(chanceLogP, p.keepInsignificant)) {
    refs.push({ layer: byName[chanceLayer[k]!]![0], i: chancePair[k]!, tier: "chance" });
  }

  // which accounts, posts and bursts the evidence needs
  const flagged: number[] = [];
  let flaggedBursts = 0;
  let flaggedFast = 0;
  for (let a = 0; a < accounts; a++) {
    const b = burstFlag(a);
    const f = fastFlag(a);
    if (b) flaggedBursts++;
    if (f) flaggedFast++;
    if (b || f) flagged.push(a);
  }
  const byBurst = groupsByAccount(s.members, accounts);
  const byOriginal = groupsByAccount(s.fast.groups, accounts);
  const aids = new Set<number>(flagged);
  const rows = new Set<number>();
  const burstSet = new Set<number>();
  const postRowOfMember = (m: number): number => s.posts.row[s.act.firstPost[s.members.unit[m]!]!]!;

  const findingBursts = new Map<number, Array<{ burst: number; member: number }>>();
  for (const a of flagged) {
    if (!burstFlag(a)) continue;
    const mine: Array<{ burst: number; member: number }> = [];
    for (let k = byBurst.offsets[a]!; k < byBurst.offsets[a + 1]!; k++) {
      mine.push({ burst: byBurst.group[k]!, member: byBurst.member[k]! });
    }
    mine.sort((x, y) => bursts[x.burst]!.logP - bursts[y.burst]!.logP || x.burst - y.burst);
    const top = mine.slice(0, BURSTS_PER_FINDING).sort((x, y) => x.burst - y.burst);
    findingBursts.set(a, top);
    for (const m of top) {
      rows.add(postRowOfMember(m.member));
      burstSet.add(m.burst);
    }
  }
  for (const a of flagged) for (const j of s.fast.examples.get(a) ?? []) addRepostRows(s.reposts, j, rows);

  const edgeExamples = new Map<number, Array<[number, number, number]>>();
  refs.forEach((r, e) => {
    const t = testOf(r);
    aids.add(t.a[r.i]!);
    aids.add(t.b[r.i]!);
    if (r.tier === "chance") return;
    // the first few only: a pair of fans shares hundreds of bursts, and the evidence names five
    const shared = sharedGroups(
      r.layer === "sync" ? byBurst : byOriginal,
      t.a[r.i]!,
      t.b[r.i]!,
      BURSTS_PER_EDGE,
    );
    edgeExamples.set(e, shared);
    const first = shared[0];
    if (!first) return;
    if (r.layer === "sync") {
      rows.add(postRowOfMember(first[1]));
      rows.add(postRowOfMember(first[2]));
    } else {
      addRepostRows(s.reposts, s.fast.memberRepost[first[1]]!, rows);
      addRepostRows(s.reposts, s.fast.memberRepost[first[2]]!, rows);
    }
  });

  // the most significant bursts go into the run's details
  const reported = bursts
    .map((_, b) => b)
    .sort((x, y) => bursts[x]!.logP - bursts[y]!.logP || x - y)
    .slice(0, p.maxBurstsReported)
    .sort((x, y) => x - y);
  for (const b of reported) burstSet.add(b);
  for (const b of burstSet) for (const a of s.members.origins[b]!) aids.add(a);
  const topicIds = [...burstSet].sort((x, y) => x - y);
  const topicList = await burstTopics(
    store,
    topicIds.map((b) => bursts[b]!),
    3,
  );
  const topics = new Map<number, BurstTopics>(topicIds.map((b, i) => [b, topicList[i]!]));
  const accountRefs = await resolveAccounts(store, aids);
  const postRefs = await resolvePosts(store, rows);
  const key = (a: number): string => accountRefs.get(a)!.key;
  const name = (a: number): string => {
    const r = accountRefs.get(a)!;
    return r.handle ? `@${r.handle}` : r.key;
  };
  const post = (row: number): PostRef | null => postRefs.get(row)?.ref ?? null;
  const startIso = bursts.map((b) => iso(b.start));
  const endIso = bursts.map((b) => iso(b.end));
  const burstFacts = (b: number): Record<string, unknown> => {
    const x = bursts[b]!;
    const t = topics.get(b);
    return {
      start: iso(x.start),
      end: iso(x.end),
      seconds: x.end - x.start,
      n_accounts: x.accounts,
      n_posts: x.posts,
      expected_accounts: round(x.expected),
      log10_p: round(log10(x.logP)),
      window_seconds: x.window,
      origin_accounts: s.members.origins[b]!.map(key),
      ...(t ? { top_objects: t.objects, top_texts: t.texts, reaction_to: t.reactionTo } : {}),
    };
  };
  const repostFacts = (j: number): Record<string, unknown> => {
    const r = postRefs.get(s.reposts.row[j]!);
    const origRow = s.reposts.originalRow[j]!;
    const original = Number.isNaN(origRow)
      ? {
          original_id: r?.refPostId ?? null,
          derived_ts: Number.isNaN(s.reposts.originalMs[j]!)
            ? null
            : new Date(s.reposts.originalMs[j]!).toISOString(),
        }
      : post(origRow);
    return { repost: post(s.reposts.row[j]!), original, delay_seconds: delayMs(s.reposts, j) / 1000 };
  };

  const edges: Edge[] = refs.map((r, e) => {
    const t = testOf(r);
    const n = t.n[r.i]!;
    const exp = t.expected[r.i]!;
    const evidence: Record<string, unknown> = {
      significant: r.tier === "significant",
      tier: r.tier,
      expected: exp,
      log10_p: log10(t.logP[r.i]!),
    };
    const shared = edgeExamples.get(e);
    if (shared && shared.length > 0) {
      const [g, ma, mb] = shared[0]!;
      if (r.layer === "sync") {
        evidence["shared_bursts"] = shared.map(([b]) => ({ start: startIso[b]!, end: endIso[b]! }));
        evidence["example"] = {
          burst_start: startIso[g]!,
          a: post(postRowOfMember(ma)),
          b: post(postRowOfMember(mb)),
        };
      } else {
        evidence["example"] = {
          a: repostFacts(s.fast.memberRepost[ma]!),
          b: repostFacts(s.fast.memberRepost[mb]!),
        };
        evidence["fast_repost_seconds"] = p.fastRepostSeconds;
      }
    }
    return {
      layer: r.layer,
      a: key(t.a[r.i]!),
      b: key(t.b[r.i]!),
      weight: n,
      nObjects: n,
      lift: exp > 0 ? n / exp : null,
      pValue: Math.exp(t.logP[r.i]!),
      evidence,
    };
  });

  const partners = new Map<number, Set<number>>();
  refs.forEach((r) => {
    if (r.tier !== "significant") return;
    const t = testOf(r);
    const ends: Array<[number, number]> = [
      [t.a[r.i]!, t.b[r.i]!],
      [t.b[r.i]!, t.a[r.i]!],
    ];
    for (const [x, y] of ends) {
      const set = partners.get(x) ?? new Set<number>();
      set.add(y);
      partners.set(x, set);
    }
  });

  const findings: Finding[] = flagged.map((a) => {
    const parts: string[] = [];
    const evidence: Record<string, unknown> = {};
    let strength: Strength = "weak";
    let score = 0;
    if (burstFlag(a)) {
      const x = s.burstAccounts.count[a]!;
      const lp = log10(s.burstAccounts.logP[a]!);
      const e = s.burstAccounts.expected[a]!;
      const mine = findingBursts.get(a) ?? [];
      const reactions = mine.filter((m) => topics.get(m.burst)?.reactionTo).length;
      strength = lp <= -8 && x >= 2 * p.minBursts ? "strong" : lp <= -4 ? "moderate" : "weak";
      score = Math.min(1, -lp / 20);
      parts.push(
        `Took part in ${x} bursts in which many distinct accounts were active within the same ` +
          `${p.windows.join(" or ")} s beyond the background rate; its activity explains ${e.toPrecision(2)} ` +
          `(p = ${fmtP(lp)}).` +
          (reactions > 0
            ? ` ${reactions} of the ${mine.length} bursts shown were mostly reposts of or replies to one author ` +
              `(fans reacting to one account do this too).`
            : ""),
      );
      evidence["bursts"] = {
        count: x,
        expected: e,
        log10_p: lp,
        shown: mine.map((m) => ({ ...burstFacts(m.burst), post: post(postRowOfMember(m.member)) })),
      };
    }
    if (fastFlag(a)) {
      const f = s.fast.fast[a]!;
      const timed = s.fast.timed[a]!;
      const share = f / timed;
      const q0 = s.fast.totalTimed > 0 ? s.fast.totalFast / s.fast.totalTimed : 0;
      const lp = log10(logBinomialUpperTail(f, timed, q0));
      const st: Strength = f >= 10 && share >= 0.8 ? "strong" : f >= 5 ? "moderate" : "weak";
      if (rank(st) > rank(strength)) strength = st;
      score = Math.max(score, share * Math.min(1, f / (4 * p.minFastReposts)));
      parts.push(
        `Reposted ${f} of ${timed} originals within ${p.fastRepostSeconds} s of their posting ` +
          `(${Math.round(share * 100)}%; ${Math.round(q0 * 100)}% of all timed reposts in the case are that fast).`,
      );
      evidence["fast_reposts"] = {
        count: f,
        timed_reposts: timed,
        share,
        case_share: q0,
        log10_p_vs_case: lp,
        fastest: (s.fast.examples.get(a) ?? []).map(repostFacts),
      };
    }
    const ps = [...(partners.get(a) ?? [])].sort((x, y) => x - y);
    if (ps.length > 0) {
      parts.push(
        `Tied to ${ps.length} account${ps.length === 1 ? "" : "s"} that share its bursts or fast reposts.`,
      );
    }
    evidence["partners"] = ps.map(key);
    return {
      detector: "sync",
      subject: key(a),
      strength,
      score: round(score),
      explanation: `${name(a)}: ${parts.join(" ")}`,
      evidence,
    };
  });
  findings.sort((x, y) => cmp(x.subject, y.subject));

  return {
    findings,
    edges,
    edgesSignificant,
    edgesCandidate,
    flaggedBursts,
    flaggedFast,
    reportedBursts: reported.map(burstFacts),
  };
}

function addRepostRows(r: RepostColumns, j: number, rows: Set<number>): void {
  rows.add(r.row[j]!);
  if (!Number.isNaN(r.originalRow[j]!)) rows.add(r.originalRow[j]!);
}

const rank = (s: Strength): number => (s === "strong" ? 2 : s === "moderate" ? 1 : 0);
const cmp = (x: string, y: string): number => (x < y ? -1 : x > y ? 1 : 0);
const round = (x: number): number => Math.round(x * 1e6) / 1e6;

function fmtP(log10p: number): string {
  if (log10p > -3) return (10 ** log10p).toFixed(3);
  return `1e${Math.floor(log10p)}`;
}

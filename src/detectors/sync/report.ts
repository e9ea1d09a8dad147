/**
 * From the sync kernels' numbers to findings and ties: per-account findings (burst participation and fast
 * reposting, one finding per account) with the evidence behind each (burst times, the account's post in each,
 * repost delays), resolved to post ids, input files and rows; and the `sync` and `fast-repost` ties with their tier,
 * as columns whose evidence (shared bursts, example post pairs) SQL writes into the case (ties.ts).
 */
import { pText } from "../../stats/p-text.js";
import type { Finding, Strength, TieTable } from "../../model/index.js";
import type { CaseStore } from "../../store/case.js";
import type { Activity, Burst, BurstMembers, BurstScan } from "./bursts.js";
import { isCrowdMoment } from "./crowds.js";
import { burstTopics, resolveAccounts, resolvePosts, type BurstTopics, type PostRef } from "./evidence.js";
import { delayMs, logBinomialUpperTail, type FastRepostStats } from "./fast-repost.js";
import { groupsByAccount, sharedGroups, type AccountTest, type PairTest } from "./groups.js";
import type { PostColumns, RepostColumns } from "./load.js";
import type { SyncParams } from "./index.js";
import { accountPartners } from "../partners.js";
import { smallestK } from "../../stats/select.js";
import {
  BURSTS_PER_EDGE,
  emptyTieColumns,
  FAST_REPOST,
  stageSyncTies,
  SYNC,
  SYNC_LAYERS,
  syncTieTable,
  type RepostExample,
} from "./ties.js";

const BURSTS_PER_FINDING = 10;
const LN10 = Math.LN10;

export interface Tiered {
  test: PairTest;
  significant: Uint8Array;
  /**
   * Pairs that may not be candidates (1): significant or chance only. Pairs of accounts that stand out in crowd
   * moments alone (index.ts): among thousands of fans, the pairs with p < candidateP are the chance ones.
   */
  noCandidate?: Uint8Array;
}

export interface SyncState {
  posts: PostColumns;
  act: Activity;
  scan: BurstScan;
  members: BurstMembers;
  /** The bursts cut into slices of the widest window (bursts.ts), and their members: the groups of the sync ties. */
  slices: Burst[];
  sliceMembers: BurstMembers;
  burstAccounts: AccountTest;
  burstPairs: Tiered;
  reposts: RepostColumns;
  fast: FastRepostStats;
  fastPairs: Tiered;
}

export interface SyncOutput {
  findings: Finding[];
  /** The ties, staged in the case for `writeSyncTies`. */
  ties: TieTable;
  edgesSignificant: number;
  edgesCandidate: number;
  flaggedBursts: number;
  flaggedFast: number;
  reportedBursts: Array<Record<string, unknown>>;
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

  // ties: significant, then candidates, then the strongest of the rest, as columns (see ties.ts)
  const layers: Array<[number, Tiered]> = [
    [SYNC, s.burstPairs],
    [FAST_REPOST, s.fastPairs],
  ];
  const logCandidate = Math.log(p.candidateP);
  const isChance = (t: Tiered, i: number): boolean =>
    !t.significant[i] && (t.noCandidate?.[i] === 1 || !(t.test.logP[i]! <= logCandidate));
  let edgesSignificant = 0;
  let edgesCandidate = 0;
  let chanceCount = 0;
  for (const [, t] of layers) {
    for (let i = 0; i < t.test.a.length; i++) {
      if (t.significant[i]) edgesSignificant++;
      else if (isChance(t, i)) chanceCount++;
      else edgesCandidate++;
    }
  }
  // the strongest of the pairs that chance explains (there can be millions): smallest p-value, then layer name,
  // then pair order, chosen by selection rather than sorting them all
  const byName = [...layers].sort((x, y) => cmp(SYNC_LAYERS[x[0]]!, SYNC_LAYERS[y[0]]!));
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
  const chosen = smallestK(chanceLogP, p.keepInsignificant);
  const ties = emptyTieColumns(edgesSignificant + edgesCandidate + chosen.length);
  let e = 0;
  const addTie = (layer: number, i: number, tier: number): void => {
    const t = layer === SYNC ? s.burstPairs.test : s.fastPairs.test;
    ties.layer[e] = layer;
    ties.a[e] = t.a[i]!;
    ties.b[e] = t.b[i]!;
    ties.n[e] = t.n[i]!;
    ties.expected[e] = t.expected[i]!;
    ties.pValue[e] = Math.exp(t.logP[i]!);
    ties.log10P[e] = log10(t.logP[i]!);
    ties.tier[e++] = tier;
  };
  for (const [layer, t] of layers) {
    for (let i = 0; i < t.test.a.length; i++) if (t.significant[i]) addTie(layer, i, 0);
  }
  for (const [layer, t] of layers) {
    for (let i = 0; i < t.test.a.length; i++) {
      if (!t.significant[i] && !isChance(t, i)) addTie(layer, i, 1);
    }
  }
  for (const k of chosen) addTie(byName[chanceLayer[k]!]![0], chancePair[k]!, 2);

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
  const bySlice = s.sliceMembers === s.members ? byBurst : groupsByAccount(s.sliceMembers, accounts);
  const byOriginal = groupsByAccount(s.fast.groups, accounts);
  const aids = new Set<number>(flagged);
  const inTie = new Uint8Array(accounts);
  for (let t = 0; t < ties.a.length; t++) inTie[ties.a[t]!] = inTie[ties.b[t]!] = 1;
  for (let a = 0; a < accounts; a++) if (inTie[a]) aids.add(a);
  const rows = new Set<number>();
  const burstSet = new Set<number>();
  const postRowOfMember = (m: number, of: BurstMembers = s.members): number =>
    s.posts.row[s.act.firstPost[of.unit[m]!]!]!;

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

  // each tie's example: the first few groups the pair shared (a pair of fans shares hundreds of bursts, and the
  // evidence names five), and in the first of them the two posts or reposts
  const exampleReposts = new Map<number, RepostExample>();
  const noteRepost = (j: number): number => {
    if (!exampleReposts.has(j)) {
      exampleReposts.set(j, {
        row: s.reposts.row[j]!,
        originalRow: s.reposts.originalRow[j]!,
        originalMs: s.reposts.originalMs[j]!,
        delayMs: delayMs(s.reposts, j),
      });
    }
    return j;
  };
  // (group, member of a, member of b) of each shared group, reused from tie to tie: millions of ties
  const shared = new Int32Array(3 * BURSTS_PER_EDGE);
  for (let t = 0; t < ties.a.length; t++) {
    if (ties.tier[t] === 2) continue;
    const isSync = ties.layer[t] === SYNC;
    const n = sharedGroups(isSync ? bySlice : byOriginal, ties.a[t]!, ties.b[t]!, BURSTS_PER_EDGE, shared);
    ties.shared[t] = n;
    if (n === 0) continue;
    if (isSync) {
      for (let k = 0; k < n; k++) ties.burst[k]![t] = shared[3 * k]!;
      ties.exA[t] = postRowOfMember(shared[1]!, s.sliceMembers);
      ties.exB[t] = postRowOfMember(shared[2]!, s.sliceMembers);
    } else {
      ties.exA[t] = noteRepost(s.fast.memberRepost[shared[1]!]!);
      ties.exB[t] = noteRepost(s.fast.memberRepost[shared[2]!]!);
    }
  }

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
  const widest = Math.max(...p.windows);
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
      crowd_moment: isCrowdMoment(x, widest, p.crowdAccounts),
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

  // each account's partners in significant ties (a pair can be tied in both layers): how many, and the strongest
  // few, partners of equal strength by their numbers (which follow platform and account id)
  const partners = accountPartners(
    { a: ties.a, b: ties.b, log10P: ties.log10P, n: ties.n, layer: ties.layer },
    edgesSignificant,
    accounts,
    Int32Array.from({ length: accounts }, (_, i) => i),
  );

  const findings: Finding[] = flagged.map((a) => {
    const parts: string[] = [];
    const evidence: Record<string, unknown> = {};
    let strength: Strength = "weak";
    let score = 0;
    const total = partners.count(a);
    if (burstFlag(a)) {
      const x = s.burstAccounts.count[a]!;
      const lp = log10(s.burstAccounts.logP[a]!);
      const e = s.burstAccounts.expected[a]!;
      const mine = findingBursts.get(a) ?? [];
      const reactions = mine.filter((m) => topics.get(m.burst)?.reactionTo).length;
      // what its bursts were: how many accounts, and how many of them crowd moments
      let fewest = Infinity;
      let most = 0;
      let crowdMoments = 0;
      for (let k = byBurst.offsets[a]!; k < byBurst.offsets[a + 1]!; k++) {
        const b = bursts[byBurst.group[k]!]!;
        fewest = Math.min(fewest, b.accounts);
        most = Math.max(most, b.accounts);
        if (isCrowdMoment(b, widest, p.crowdAccounts)) crowdMoments++;
      }
      strength = lp <= -8 && x >= 2 * p.minBursts ? "strong" : lp <= -4 ? "moderate" : "weak";
      // acting in the same seconds as many others, with no one in particular, is how a crowd's regulars react to
      // what everyone reacts to (fans at every goal): it says nothing of acting together
      if (total === 0) strength = "weak";
      score = Math.min(1, -lp / 20);
      parts.push(
        `Took part in ${x} bursts (of ${fewest === most ? most : `${fewest} to ${most}`} accounts) in which many ` +
          `distinct accounts were active within the same ${p.windows.join(" or ")} s beyond the background ` +
          `rate; its activity explains ${e.toPrecision(2)} (${fmtP(lp)}).` +
          (reactions > 0
            ? ` ${reactions} of the ${mine.length} bursts shown were mostly reposts of or replies to one author ` +
              `(fans reacting to one account do this too).`
            : "") +
          (total === 0
            ? ` It shares those seconds with no account in particular beyond chance` +
              (crowdMoments > 0
                ? `, and ${crowdMoments === x ? "all" : crowdMoments} of the bursts were crowd moments (more than ` +
                  `${p.crowdAccounts} accounts over more than ${widest} s, as a crowd reacting to one moment: a goal, ` +
                  `a broadcast, midnight, a push notification)`
                : "") +
              `: the regulars of a crowd react so to what everyone reacts to, so this says when it acts, not with ` +
              `whom.`
            : ""),
      );
      evidence["bursts"] = {
        count: x,
        expected: e,
        log10_p: lp,
        crowd_moments: crowdMoments,
        accounts_per_burst: { min: fewest, max: most },
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
    if (total > 0) {
      parts.push(`Tied to ${total} account${total === 1 ? "" : "s"} that share its bursts or fast reposts.`);
    }
    evidence["partner_count"] = total;
    evidence["partners"] = partners.strongest(a).partners.map(key);
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

  await stageSyncTies(store, ties, s.slices, exampleReposts);
  return {
    findings,
    ties: syncTieTable(ties, key),
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

const fmtP = (log10p: number): string => pText(log10p * Math.LN10);

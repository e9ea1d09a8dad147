/**
 * Campaigns: communities of the multiplex account graph that pass group-level tests, with the facts and the
 * plain-language summary an investigator needs. A pairwise test alone flags fans of one idol and crowds of a viral
 * moment; a campaign also acts together in the same bursts, again and again, and is densely tied rather than a
 * star around one account. Groups that fail those tests are kept as "ruled out", with the reason.
 */
import { getDomain, getDomainWithoutSuffix } from "tldts";
import { lapLogger, seededRng, type Logger } from "../detectors/detector.js";
import { OBJECT_KINDS, type Edge, type TieTable } from "../model/index.js";
import { accountKey, parseAccountKey, writeAccountKeys } from "../store/account-keys.js";
import type { CaseStore } from "../store/case.js";
import { EDGE_ROWS, edgeEvidenceSql, edgeRowsById, TIE_ACCOUNTS } from "../store/edges.js";
import { buildAccountGraph, communities, tieTableOf, type AccountGraph } from "./cluster.js";
import { communitiesAside } from "./communities-thread.js";
import { describeTie, examplePair, type ExamplePair } from "./examples.js";
import { isObjectLayer } from "./layers.js";
import type { ShareTables } from "../store/shares.js";
import { normalizeMention } from "../normalize/entities.js";
import { clipText } from "../normalize/text.js";
import { SHORTENERS } from "../normalize/url.js";
import { classifyClient } from "../detectors/automation/clients.js";

export { isObjectLayer } from "./layers.js";
import { groupFacts, paceOf, type GroupFacts, type SharedObjectFact } from "./facts.js";
import { splitUnits } from "./split-units.js";
import { campaignFringes, type FringeJoin } from "./fringe.js";
import { summarise } from "./summary.js";

export interface CampaignMember {
  key: string;
  platform: string;
  accountId: string;
  handle: string | null;
  /** For a member without a handle: its display name, to name it by in summaries. */
  displayName?: string;
  /**
   * Core members are tied to at least half the others; fringe accounts have no tie that beats chance but joined the
   * campaign's bursts on separate occasions (fringe.ts), listed after the members with those posts.
   */
  role: "core" | "member" | "fringe";
  /** Share of the strongest member's tie weight inside the campaign, in [0, 1]; 0 for fringe accounts. */
  score: number;
  ties: number;
  /** For a fringe account: each post by which it joined the campaign's bursts. */
  joined?: FringeJoin[];
}

export interface CampaignExample {
  layer: string;
  /** What the two posts shared (an object, a burst, a reposted post). */
  object: string;
  a: {
    account: string;
    handle: string | null;
    post_id: string;
    ts: string;
    input_id: number;
    source_row: number;
  };
  b: {
    account: string;
    handle: string | null;
    post_id: string;
    ts: string;
    input_id: number;
    source_row: number;
  };
  gap_seconds: number;
  first: string;
}

export interface Campaign {
  id: string;
  score: number;
  summary: string;
  layers: string[];
  layerWeights: Record<string, number>;
  members: CampaignMember[];
  ties: number;
  density: number;
  fastCoreShare: number;
  facts: GroupFacts;
  topObjects: SharedObjectFact[];
  examples: CampaignExample[];
  /** Ties without a post pair (timing alone), in words. */
  tieNotes: Array<{ layer: string; a: string; b: string; description: string }>;
  /**
   * The client (app) that sent most of the members' posts, when it sent at least 80% of those that name one and
   * few accounts outside the campaign use it (no more than its members): an app posting for its users, or the
   * group's own tool. Null otherwise.
   */
  /**
   * The app that sent most of the members' posts that name one: `share` of those `named` posts (of their `posts`
   * in all), `members` of them using it, `outside` accounts beyond them using it, of `namingOutside` accounts beyond
   * them whose posts name an app at all.
   */
  client: {
    name: string;
    share: number;
    members: number;
    outside: number;
    named: number;
    posts: number;
    namingOutside: number;
  } | null;
  /**
   * What binds the group: shared objects (links, hashtags, reposts, texts: the group tests of shared bursts
   * apply) or behaviour alone (acting in the same seconds, shift rotas: those detectors' own tests apply).
   */
  basis: "objects" | "behaviour";
  /**
   * The sizes of the clustering's groups that the campaign was formed from, largest first, when it is a unit that
   * the clustering split (groups too small a part of their objects' shares to stand alone, that together made most of
   * them: split-units.ts); empty otherwise.
   */
  split: number[];
}

/** How a ruled-out entry with fewer members than a campaign needs (`minMembers`) begins its reason. */
const TOO_FEW = "too few to be a campaign";

/** The reason of a group ruled out for having fewer than `min` members: "a pair, not a group" for two. */
function tooFewReason(n: number, min: number): string {
  return n === 2
    ? `a pair, not a group (${TOO_FEW}: fewer than ${min} accounts)`
    : `${TOO_FEW} (${n} accounts, fewer than ${min})`;
}

/**
 * Whether a ruled-out entry is a group ruled out for what it did (an organic pattern, an open source), not one
 * ruled out for having too few members to be a campaign, which says nothing of whether it is organic.
 */
export const isRuledOutGroup = (r: { reason: string }): boolean =>
  // analyses saved by earlier versions said only "a pair, not a group (fewer than N accounts)"
  !r.reason.includes(TOO_FEW) && !r.reason.startsWith("a pair, not a group");

export interface RuledOut {
  accounts: number;
  reason: string;
  layers: string[];
  sample: string[];
  /** Every member's account key. */
  members: string[];
  participation: number;
  exclusivity: number;
  density: number;
}

export interface CampaignOptions {
  windowSec: number;
  /**
   * The compatibility mode co-share ran in (`--compat`): its ties are then another tool's raw counts over a
   * quantile, which no chance model tested, and the summaries say so.
   */
  compat?: string;
  /** Smallest group reported as a campaign. */
  minMembers: number;
  /** Fewest of the shares of its co-shared objects a group must have made itself. */
  minExclusivity: number;
  /**
   * Most of a group's joint reposts that may be of accounts that do not repost the group back, when the members are
   * under `minAudienceShare` of those accounts' audience taken together (fans of one or a few idols).
   */
  maxOneWay: number;
  /**
   * Most of a group's joint reposts that may be of idols: accounts that never repost a member and whose audience
   * (everyone who reposted them) is mostly outside the group. Fans amplify their idol and the fan accounts that
   * follow it; what they mostly do together is repost someone with a larger audience of their own.
   */
  maxIdolShare: number;
  /**
   * Fewest separate occasions on which three or more members (all, in a smaller group) acted inside one window, for
   * a group bound by shared objects: members that only ever met two at a time are pairs chained, not a group acting
   * together.
   */
  minGroupBursts: number;
  /**
   * A group that amplifies one way is kept as acting as a bloc, whatever the audience of the accounts it amplifies,
   * when at least this share of the members who shared each object did so inside one window (`burstShare`) and the
   * members made at least this share of those objects' shares (`exclusivity`). Fans come to their idol's posts over
   * minutes, each a different slice, among a larger crowd; a unit amplifying its personas reposts each post at once,
   * and nearly alone.
   */
  minBloc: number;
  /**
   * A group that amplifies one way is kept too, as a bloc that works over minutes, when on average at least this
   * share of its members reposted each post inside one window (`participation`), at least `maxLooseBurstShare` of
   * those who reposted a post did so inside that window (`burstShare`), and the members made at least `minBloc` of
   * those posts' shares (`exclusivity`). Fans are a slice of a larger audience either way: a small fan group is a
   * small part of each post's reposts, and a fan group that makes most of them is a large one whose members each
   * come to a few of the posts. A unit brings a third or more of itself to each of its personas' posts and makes
   * nearly all their reposts, however slowly it works; the persona's audience may still be mostly others, each
   * reposting it once or twice.
   */
  minBlocParticipation: number;
  /**
   * Least share of everyone who reposted the accounts a group amplifies one way that the group must be, for the
   * group to be kept as an amplification network rather than set aside as fans (a slice of a larger audience).
   */
  minAudienceShare: number;
  /**
   * A group bound by reposts alone is set aside as a loose following when, on average, under this share of its
   * members reposted each post inside one window (`participation`) and under `maxLooseBurstShare` of the members who
   * reposted a post did so inside that window (`burstShare`): a few of them at a time, over minutes, post after
   * post, as the superfans of a few stars and their fan accounts do. A unit reposting its own posts or its personas'
   * brings many of its members to each post and at once (every planted repost unit of the second evaluation world:
   * 0.33 or more of its members in a window, and 0.5 or more of them inside it), whatever its size; the burst bound
   * keeps a large network that serves each order with a slice of itself, all inside one window.
   */
  minRepostParticipation: number;
  /** See `minRepostParticipation`. */
  maxLooseBurstShare: number;
  /**
   * Groups set aside as small parts of their objects' audience are tested again as one unit, with any campaigns
   * bound by objects that are kin to them, when on at least `minGroupBursts` objects other than reposts two or more
   * of them acted inside one window and together made at least this share of everyone's shares (a unit the
   * clustering split: split-units.ts).
   */
  minSplitShare: number;
  /**
   * Accounts outside every campaign that joined a campaign's bursts (posted an object within a window of at least 3
   * members' shares of it) on at least this many separate occasions, on objects of which the members made at least
   * `minFringeShare` of everyone's shares, are listed as its fringe (fringe.ts).
   */
  minFringeOccasions: number;
  /** See `minFringeOccasions`. */
  minFringeShare: number;
  /**
   * A group bound by replies and mentions (with reposts or not) is set aside as a conversation among its members when
   * at least this share of the posts it replied to and the accounts it mentioned together were its members' own,
   * owned by at least half of them (and 3), unless nearly all members took part in each (`minBloc`).
   */
  minConversationOwn: number;
  /**
   * A group bound by reposting its own members' posts (half or more of what it reposted together) is set aside as
   * friends when its members replied to one another's posts at least this many times per repost of one another's
   * posts, unless nearly all members took part in each post (`minBloc`).
   */
  minAnswerRatio: number;
  rng: () => number;
  /**
   * The run whose saved ties hold the examples that detectors kept in the case rather than in memory
   * (`DetectorResult.writeEdges`); without it, only the examples in the edges' own evidence are used.
   */
  runId?: number;
  /** Told each step's size and time (the benchmark's `--log`). */
  log?: Logger;
  /**
   * The case's shares as numbers built in this run (the co-share detector's, `DetectorResult.shares`): the group
   * facts read the members' shares from them when they hold the layers needed, else number the case themselves.
   */
  shares?: ShareTables;
  /**
   * The account graph of these same ties, with its communities under way (`prepareGraph`); without it, the graph
   * is built here and its communities found with `rng`.
   */
  prepared?: PreparedGraph;
}

/** The account graph of a run's ties and its communities, started before the campaign step needs them. */
export interface PreparedGraph {
  tables: TieTable[];
  account: AccountGraph;
  /** Settles once Louvain is done; until then the graph's pair columns may be lent to its thread. */
  communities: Promise<Map<string, number>>;
  /** Ends Louvain's thread, if it still runs, when the campaigns will not be built. */
  stop: () => void;
  /** The seed of Louvain's generator, to find the communities again in this thread should the worker fail. */
  seed: number;
}

/**
 * Builds the account graph of `ties` (as `buildCampaigns` does) and starts its communities, seeded with `seed`, in a
 * worker thread when the graph is large (`communitiesAside`): the caller goes on (the analysis saves the run)
 * while Louvain runs. `buildCampaigns` with the result as `prepared` finds the campaigns `rng: seededRng(seed)`
 * would.
 */
export function prepareGraph(
  ties: ReadonlyArray<TieTable | readonly Edge[]>,
  seed: number,
  log?: Logger,
): PreparedGraph {
  const step = lapLogger((m) => log?.info(m), "campaigns: ");
  const tables = ties.map((t) => (isTieTable(t) ? t : tieTableOf(t)));
  const account = buildAccountGraph(tables);
  step(`graph of ${account.nodes.length} accounts and ${account.a.length} tied pairs`);
  let aside: ReturnType<typeof communitiesAside>;
  try {
    aside = communitiesAside(account, seed);
  } catch (err) {
    // a thread that cannot start (no worker file beside this one in a bundle, say) costs the overlap, not the run
    log?.warn(`campaigns: Louvain runs in this thread: its own could not start (${(err as Error).message})`);
    aside = { found: Promise.resolve(communities(account, seededRng(seed))), stop: () => {} };
  }
  // a failure is the campaign step's to handle, when it awaits the communities; never an unhandled rejection
  aside.found.catch(() => {});
  return { tables, account, communities: aside.found, stop: aside.stop, seed };
}

export const DEFAULT_CAMPAIGN_OPTIONS = {
  minMembers: 3,
  minExclusivity: 0.25,
  maxOneWay: 0.8,
  maxIdolShare: 0.5,
  minBloc: 0.8,
  minBlocParticipation: 0.33,
  minGroupBursts: 2,
  minAudienceShare: 0.5,
  minRepostParticipation: 0.1,
  maxLooseBurstShare: 0.5,
  minSplitShare: 0.5,
  minFringeOccasions: 2,
  minFringeShare: 0.5,
  minConversationOwn: 0.5,
  minAnswerRatio: 0.5,
};

type Refs = Map<
  string,
  {
    platform: string;
    accountId: string;
    handle: string | null;
    displayName?: string | null;
    bio?: string | null;
  }
>;

/**
 * Campaigns from the ties of a run: `ties` holds each detector's ties, as columns (`DetectorResult.ties`) or as
 * edge objects, in the order of the detectors.
 */
export async function buildCampaigns(
  store: CaseStore,
  ties: ReadonlyArray<TieTable | readonly Edge[]>,
  opts: CampaignOptions,
): Promise<{ campaigns: Campaign[]; ruledOut: RuledOut[] }> {
  const step = lapLogger((m) => opts.log?.info(m), "campaigns: ");
  let tables: TieTable[];
  let account: AccountGraph;
  let comm: Map<string, number>;
  if (opts.prepared) {
    ({ tables, account } = opts.prepared);
    try {
      comm = await opts.prepared.communities;
    } catch (err) {
      // the thread failed (it ran out of memory, or stopped): Louvain again here, on a graph built again, since the
      // pair columns lent to the thread may not have come back; an error of Louvain itself recurs and is thrown
      opts.log?.warn(
        `campaigns: Louvain's thread failed (${(err as Error).message}); running it in this one`,
      );
      account = buildAccountGraph(tables);
      comm = communities(account, seededRng(opts.prepared.seed));
    }
  } else {
    tables = ties.map((t) => (isTieTable(t) ? t : tieTableOf(t)));
    account = buildAccountGraph(tables);
    step(`graph of ${account.nodes.length} accounts and ${account.a.length} tied pairs`);
    comm = communities(account, opts.rng);
  }
  const { pairs } = account;
  const byGroup = new Map<number, string[]>();
  for (const [node, c] of comm) {
    const list = byGroup.get(c);
    if (list === undefined) byGroup.set(c, [node]);
    else list.push(node);
  }
  const groups = [...byGroup.values()]
    .filter((m) => m.length >= Math.min(2, opts.minMembers))
    .map((m) => m.sort())
    .sort((x, y) => y.length - x.length || (x[0]! < y[0]! ? -1 : 1));
  const memberOf = new Map<string, number>();
  groups.forEach((m, i) => m.forEach((k) => memberOf.set(k, i)));
  step(`${groups.length} communities`);
  const layers = [...groupLayers(tables)].filter(isObjectLayer).sort();
  // the authors of the posts that groups reposted or replied to together, gathered as each set of groups is read
  const authors = new Map<string, string>();
  // the facts of groups of accounts (`of`: account -> group), with the audience of the accounts that each group
  // amplifies one way (fans are a slice of it; a group whose one-way share is under the idols' bound cannot be
  // mostly its idols'). Facts come from shared objects; reposts are always read, so that fast reposts can be
  // checked for fans
  const factsOf = async (
    of: Map<string, number>,
    sizes: number[],
  ): Promise<{
    facts: GroupFacts[];
    oneWayOf: Array<number | null>;
    circles: Array<ReadonlyMap<string, string>>;
    answers: Array<Answers | null>;
  }> => {
    const facts = await groupFacts(store, of, sizes, layers, opts.windowSec, opts.shares);
    for (const [post, author] of await referencedAuthors(store, facts)) authors.set(post, author);
    const oneWayOf = facts.map((f) => oneWayShare(f.objects, f.reposters, authors));
    await amplifiedAudiences(
      store,
      of,
      facts,
      authors,
      oneWayOf.map((s) => s !== null && s >= opts.maxIdolShare),
      opts.minAudienceShare,
    );
    const membersOf: string[][] = facts.map(() => []);
    for (const [k, g] of of) membersOf[g]!.push(k);
    const circles = await conversationCircles(store, membersOf, facts, refs, authors);
    const answers = await answersAmong(store, membersOf, facts, authors, opts.minConversationOwn);
    return { facts, oneWayOf, circles, answers };
  };
  // the pairs inside each group, in the graph's order, found in one pass over the pairs (not one pass per group)
  const pairsWithin = (of: Map<string, number>, count: number): { ofNode: Int32Array; pairs: number[][] } => {
    const ofNode = Int32Array.from(account.nodes, (k) => of.get(k) ?? -1);
    const within: number[][] = Array.from({ length: count }, () => []);
    for (let p = 0; p < account.a.length; p++) {
      const g = ofNode[account.a[p]!]!;
      if (g >= 0 && g === ofNode[account.b[p]!]) within[g]!.push(p);
    }
    return { ofNode, pairs: within };
  };
  const refs = await accountRefs(store, [...memberOf.keys()]);
  const { facts, oneWayOf, circles, answers } = await factsOf(
    memberOf,
    groups.map((m) => m.length),
  );
  step(`facts of the groups`);
  const pairsOf = pairsWithin(memberOf, groups.length).pairs;

  let campaigns: Campaign[] = [];
  const ruledOut: RuledOut[] = [];
  // the ties behind each campaign's examples, resolved once every campaign is known (some are read from the case)
  const boundOf = new Map<Campaign, Edge[]>();
  // per-node and per-layer sums in typed arrays (groups are disjoint, so one array serves every group): at 10M
  // posts the groups held 15M pairs, and a Map update per pair end and an object per pair took minutes
  const layerNames: string[] = [];
  const layerOf = tables.map((t) =>
    t.layers.map((name) => {
      const at = layerNames.indexOf(name);
      return at >= 0 ? at : layerNames.push(name) - 1;
    }),
  );
  const nodeIndex = new Map(account.nodes.map((k, i) => [k, i]));
  const nodeDegree = new Float64Array(account.nodes.length);
  const nodeTies = new Int32Array(account.nodes.length);
  const pairSum = new Float64Array(layerNames.length);
  const pairSeen = new Int32Array(layerNames.length).fill(-1);
  const pairOrder: number[] = [];
  // each group's tests, in order; a group passing them all is a campaign. Groups are disjoint, so the per-node
  // sums serve every group; a group formed again from others (a split unit, below) has its nodes' sums reset first.
  // A "part" was ruled out as a small part of its objects' audience, and may belong to a split unit
  type Outcome = "campaign" | "part" | "other";
  const testGroup = (
    members: string[],
    groupPairs: readonly number[],
    f: GroupFacts,
    oneWay: number | null,
    split: number[],
    circle: ReadonlyMap<string, string>,
    answered: Answers | null,
  ): Outcome => {
    pairSeen.fill(-1);
    const groupSum = new Float64Array(layerNames.length);
    const groupSeen = new Uint8Array(layerNames.length);
    // layers in the order the group's pairs first met them
    const groupOrder: number[] = [];
    let ties = 0;
    let fastTies = 0;
    for (const pair of groupPairs) {
      const s = account.a[pair]!;
      const t = account.b[pair]!;
      const w = account.weight[pair]!;
      ties++;
      nodeDegree[s]! += w;
      nodeDegree[t]! += w;
      nodeTies[s]!++;
      nodeTies[t]!++;
      // the pair's weight per layer, added to the group's in the order the pair met its layers
      let fast = false;
      for (let pos = pairs.start[pair]!; pos < pairs.start[pair + 1]!; pos++) {
        const ti = pairs.table[pos]!;
        const table = tables[ti]!;
        const i = pairs.index[pos]!;
        const l = layerOf[ti]![table.layer[i]!]!;
        if (pairSeen[l] !== pair) {
          pairSeen[l] = pair;
          pairSum[l] = 0;
          pairOrder.push(l);
        }
        pairSum[l]! += table.weight[i]!;
        if (table.fast[i] === 1) fast = true;
      }
      for (const l of pairOrder) {
        if (groupSeen[l] === 0) {
          groupSeen[l] = 1;
          groupOrder.push(l);
        }
        groupSum[l]! += pairSum[l]!;
      }
      pairOrder.length = 0;
      if (fast) fastTies++;
    }
    // layers in the order the detectors list them (co-share's own in its order), not the order the pairs met them
    const layerWeights: Record<string, number> = {};
    for (const l of groupOrder.sort((x, y) => x - y)) layerWeights[layerNames[l]!] = groupSum[l]!;
    const memberNodes = members.map((k) => nodeIndex.get(k)!);
    const n = members.length;
    const density = n > 1 ? (2 * ties) / (n * (n - 1)) : 0;
    const totalWeight = Object.values(layerWeights).reduce((s, w) => s + w, 0);
    const bindingLayers = Object.entries(layerWeights)
      .filter(([, w]) => w >= 0.1 * totalWeight)
      .sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))
      .map(([l]) => l);
    let maxDegree = 0;
    let maxTies = 0;
    for (const v of memberNodes) {
      maxDegree = Math.max(maxDegree, nodeDegree[v]!);
      maxTies = Math.max(maxTies, nodeTies[v]!);
    }
    const hubShare = maxTies / Math.max(1, ties);
    const sample = members.slice(0, 5).map((k) => refs.get(k)?.handle ?? k);
    // read before any test, so that a group ruled out early is listed with its own figures, not with zeros
    f.exclusivity = burstExclusivity(f.objects, bindingLayers);
    const rule = (reason: string): void => {
      ruledOut.push({
        accounts: n,
        layers: bindingLayers,
        sample,
        members,
        reason,
        participation: round(f.participation),
        exclusivity: round(f.exclusivity),
        density: round(density),
      });
    };
    if (n < opts.minMembers) {
      rule(tooFewReason(n, opts.minMembers));
      return "other";
    }
    // the pattern of feeds, from accounts that are the sites' own (or that the data does not name)
    const feeds = f.feedSites.length > 0 ? ownFeeds(members, f.feedOf, refs) : null;
    if (f.feedDomain && feeds !== null && feeds.own) {
      rule(
        `syndication feeds: every member's links go to ${f.feedDomain}, the pattern of an outlet's own ` +
          `automated accounts (coordinated, but openly one source)${feeds.named > 0 ? `; ${feeds.said}` : ""}`,
      );
      return "other";
    }
    if (f.feedSites.length > 1 && feeds !== null && feeds.own) {
      const sites = f.feedSites
        .slice(0, 5)
        .map((s) => `${s.domain} (${s.members})`)
        .join(", ");
      rule(
        `syndication feeds of ${f.feedSites.length} outlets: every member posts the links of one site almost ` +
          `only (${sites}${f.feedSites.length > 5 ? ", ..." : ""}), the pattern of news outlets' automated accounts ` +
          `carrying the same wire headlines (coordinated, but each openly one source)` +
          `${feeds.named > 0 ? `; ${feeds.said}` : ""}`,
      );
      return "other";
    }
    const objectBound = bindingLayers.some(isObjectLayer);
    if (objectBound && f.groupBursts < opts.minGroupBursts) {
      const need = Math.min(3, n);
      rule(
        `never ${need === n ? "all" : need} at once more than once: ${need === n ? "all its members" : `${need} or more members`} ` +
          `acted inside one ${opts.windowSec}-second window ${f.groupBursts === 0 ? "on no occasion" : "on one occasion only"}, ` +
          `and otherwise two at a time (pairs that met, chained by the clustering, as friends replying to one ` +
          `another do; not a group acting together again and again)`,
      );
      return "other";
    }
    if (objectBound && f.exclusivity < opts.minExclusivity) {
      rule(
        `the group is a small part of the audience of what it shares in bursts (members made ` +
          `${Math.round(f.exclusivity * 100)}% of those objects' shares): the pattern of a fandom, a trending topic ` +
          `or a viral moment`,
      );
      return "part";
    }
    // a group tied by turning up in the same seconds: when what its members posted together in those seconds was
    // what many more accounts shared at the time, the seconds were a crowd's (a viral moment, an announced storm)
    if (!objectBound && bindingLayers.includes("sync") && !bindingLayers.includes("rhythm")) {
      const crowd = burstExclusivity(f.objects, OBJECT_KINDS);
      if (f.objects.some((o) => o.burst >= 2) && crowd < opts.minExclusivity) {
        f.exclusivity = crowd;
        rule(
          `bursts of a crowd: the members turn up in the same seconds, but what they posted together there was ` +
            `what many more accounts shared (members made ${Math.round(crowd * 100)}% of those objects' shares): ` +
            `the pattern of a viral moment or an announced hashtag storm, not a unit acting on its own`,
        );
        return "other";
      }
    }
    const reposting = bindingLayers.includes("repost") || bindingLayers.includes("fast-repost");
    const amplifying = reposting && oneWay !== null && oneWay >= opts.maxIdolShare;
    const audience = f.audienceShare ?? 0;
    const fans = amplifying && oneWay >= opts.maxOneWay && audience < opts.minAudienceShare;
    const idolised = amplifying && f.idols.share >= opts.maxIdolShare;
    // a bloc: nearly all the reposts of what it amplifies, made at once, or by many of its members at each post
    const nearlyAll = (fans || idolised) && f.exclusivity >= opts.minBloc;
    f.bloc = nearlyAll && f.burstShare >= opts.minBloc;
    if (nearlyAll && !f.bloc) {
      // over the posts the members reposted together, not their other shared objects
      const pace = paceOf(
        f.objects.filter((o) => o.kind === "repost"),
        n,
      );
      if (pace.participation >= opts.minBlocParticipation && pace.burstShare >= opts.maxLooseBurstShare) {
        f.slowBloc = pace;
        f.bloc = true;
      }
    }
    if (fans && !f.bloc) {
      rule(
        `one-way amplification: ${Math.round(oneWay * 100)}% of the reposts the members made together were of ` +
          `accounts that never repost the others, and the members are ${Math.round(audience * 100)}% of everyone ` +
          `who reposted those accounts in the data (the pattern of fans: the fastest slice of a larger audience)`,
      );
      return "other";
    }
    if (idolised && !f.bloc) {
      const { share, audience } = f.idols;
      rule(
        `one-way amplification: ${Math.round(share * 100)}% of the reposts the members made together were of ` +
          `accounts that never repost the others and whose audience is mostly outside the group: the members are ` +
          `${Math.round(audience * 100)}% of everyone who reposted those accounts in the data (the pattern of ` +
          `fans: the fastest slice of a larger audience)`,
      );
      return "other";
    }
    const repostBound = reposting && bindingLayers.every((l) => l === "repost" || l === "fast-repost");
    if (
      repostBound &&
      f.participation < opts.minRepostParticipation &&
      f.burstShare < opts.maxLooseBurstShare
    ) {
      rule(
        `a loose following: on average ${percent(f.participation)} of the members reposted each post inside one ` +
          `${opts.windowSec}-second window, and ${percent(f.burstShare)} of those who reposted a post did so inside ` +
          `it: a few of them at a time, over minutes, post after post (the pattern of the superfans of a few ` +
          `accounts; a unit brings many of its members to each post, at once)`,
      );
      return "other";
    }
    // members talking among themselves: bound by replying to the same posts and mentioning the same accounts, and
    // what they replied to and mentioned together was mostly their circle's posts and handles (their own, and those
    // of accounts that answer two or more of them in turn), spread over many of them (friends in their threads,
    // which the clustering may cut in parts). A unit's replies and mentions go to its targets, who do not answer it
    // as friends do, or to the few personas it amplifies; a unit that does answer its own posts brings nearly all
    // its members at once
    const amongThemselves =
      bindingLayers.every((l) => CONVERSATION_LAYERS.has(l)) &&
      !(f.participation >= opts.minBloc && f.burstShare >= opts.minBloc);
    const conversational =
      amongThemselves && bindingLayers.some((l) => l === "reply" || l === "quote" || l === "mention");
    const talk = conversational ? conversation(f.objects, members, refs, authors, circle) : null;
    if (
      talk !== null &&
      talk.objects > 0 &&
      talk.own / talk.objects >= opts.minConversationOwn &&
      talk.owners >= Math.max(3, n / 2) &&
      talk.members > 0
    ) {
      rule(
        `a conversation among the members: ${percent(talk.own / talk.objects)} of the posts they replied to or quoted and ` +
          `the accounts they mentioned together were of their circle (${talk.owners} accounts: ${talk.members} of ` +
          `the ${n} members${talk.owners > talk.members ? `, and ${talk.owners - talk.members} who answer two or more of them in turn` : ""}), ` +
          `and on average ${percent(f.participation)} of them took part each time (the pattern of friends answering ` +
          `one another in their threads; a unit replies to and mentions its targets, or brings nearly all its ` +
          `members to each post)`,
      );
      return "other";
    }
    // friends who repost one another also answer one another: a group that reposts mostly its own members' posts,
    // and whose members reply to one another's posts about as often as they repost them, is friends sharing their
    // posts over minutes. A ring amplifying its own members reposts them and hardly answers them; one that does
    // answer them but brings nearly all its members to each post at once is a unit
    if (
      answered !== null &&
      reposting &&
      amongThemselves &&
      answered.reposts > 0 &&
      answered.replies >= opts.minAnswerRatio * answered.reposts
    ) {
      rule(
        `friends who repost one another: ${percent(answered.own)} of the posts they reposted together were the ` +
          `members' own, and the members replied to one another's posts ${answered.replies} times for the ` +
          `${answered.reposts} times they reposted them; on average ${percent(f.participation)} of them took part ` +
          `each time (a ring amplifying its members reposts them and hardly answers them, or brings nearly all ` +
          `its members to each post at once)`,
      );
      return "other";
    }
    if (!amplifying) {
      f.amplified = [];
      f.audienceShare = null;
    }
    if (n >= 6 && density < 0.15 && hubShare > 0.6) {
      rule("a star around one account rather than a densely tied group (followers reacting to one author)");
      return "other";
    }
    const campaignMembers: CampaignMember[] = members
      .map((k, mi) => {
        const r = refs.get(k);
        const v = memberNodes[mi]!;
        const score = maxDegree > 0 ? nodeDegree[v]! / maxDegree : 0;
        return {
          key: k,
          platform: r?.platform ?? parseAccountKey(k).platform,
          accountId: r?.accountId ?? parseAccountKey(k).accountId,
          handle: r?.handle ?? null,
          // a member without a handle (Telegram's exports name people, not handles) is named by its display name
          ...(r?.handle ? {} : r?.displayName ? { displayName: r.displayName } : {}),
          role: (nodeTies[v]! >= 0.5 * (n - 1) ? "core" : "member") as "core" | "member",
          score: round(score),
          ties: nodeTies[v]!,
        };
      })
      .sort((x, y) => y.score - x.score || (x.key < y.key ? -1 : 1));
    // the group's ties on its binding layers, pair by pair in graph order
    const bound: Edge[] = [];
    for (const pair of groupPairs) {
      for (let pos = pairs.start[pair]!; pos < pairs.start[pair + 1]!; pos++) {
        const table = tables[pairs.table[pos]!]!;
        const i = pairs.index[pos]!;
        if (bindingLayers.includes(table.layers[table.layer[i]!]!)) bound.push(table.edge(i));
      }
    }
    const fastCoreShare = ties > 0 ? fastTies / ties : 0;
    const score = objectBound
      ? confidence({
          density,
          burstShare: f.burstShare,
          exclusivity: f.exclusivity,
          objects: f.burstObjects,
          fastCoreShare,
          layers: bindingLayers.length,
          n,
        })
      : behaviourConfidence({ density, strength: tieStrength(bound), layers: bindingLayers.length, n });
    const campaign: Campaign = {
      id: "",
      score,
      summary: "",
      layers: bindingLayers,
      layerWeights,
      members: campaignMembers,
      ties,
      density: round(density),
      fastCoreShare: round(fastCoreShare),
      facts: f,
      topObjects: f.objects.slice(0, 10),
      examples: [],
      tieNotes: [],
      client: null,
      basis: objectBound ? "objects" : "behaviour",
      split,
    };
    campaigns.push(campaign);
    boundOf.set(campaign, bound);
    return "campaign";
  };
  const ruleOf = new Map<number, RuledOut>();
  const campaignOf = new Map<number, Campaign>();
  groups.forEach((members, gi) => {
    const outcome = testGroup(
      members,
      pairsOf[gi]!,
      facts[gi]!,
      oneWayOf[gi]!,
      [],
      circles[gi]!,
      answers[gi]!,
    );
    if (outcome === "part") ruleOf.set(gi, ruledOut[ruledOut.length - 1]!);
    if (outcome === "campaign" && campaigns[campaigns.length - 1]!.basis === "objects") {
      campaignOf.set(gi, campaigns[campaigns.length - 1]!);
    }
  });
  // parts that together made most of the shares of the same objects, with any campaign bound by objects that is kin
  // to them (the unit's fast core, passed alone): a unit the clustering split (split-units.ts), tested again as one
  // group, with its own facts, when it holds at least one part. Kept when it passes every test, in place of its parts
  // and campaigns; otherwise they stay as they were. (Pairs and groups that never acted three at once are not parts:
  // friends' cliques hold their mentions and replies jointly, and joined up they passed in 4 of 16 evaluation worlds)
  const candidates = [...ruleOf.keys(), ...campaignOf.keys()].sort((x, y) => x - y);
  const units = splitUnits(
    candidates.map((gi) => facts[gi]!),
    { minShare: opts.minSplitShare, minJoint: opts.minGroupBursts },
  )
    .map((u) => u.map((i) => candidates[i]!))
    .filter((u) => u.some((gi) => ruleOf.has(gi)));
  if (units.length > 0) {
    const unitOf = new Map<string, number>();
    const unitMembers = units.map((u, ui) => {
      const m = u.flatMap((gi) => groups[gi]!).sort();
      for (const k of m) unitOf.set(k, ui);
      return m;
    });
    const {
      facts: unitFacts,
      oneWayOf: unitOneWay,
      circles: unitCircles,
      answers: unitAnswers,
    } = await factsOf(
      unitOf,
      unitMembers.map((m) => m.length),
    );
    const { ofNode: unitOfNode, pairs: unitPairs } = pairsWithin(unitOf, units.length);
    for (let v = 0; v < unitOfNode.length; v++) {
      if (unitOfNode[v]! >= 0) {
        nodeDegree[v] = 0;
        nodeTies[v] = 0;
      }
    }
    units.forEach((u, ui) => {
      const before = ruledOut.length;
      const split = u.map((gi) => groups[gi]!.length).sort((x, y) => y - x);
      const outcome = testGroup(
        unitMembers[ui]!,
        unitPairs[ui]!,
        unitFacts[ui]!,
        unitOneWay[ui]!,
        split,
        unitCircles[ui]!,
        unitAnswers[ui]!,
      );
      if (outcome === "campaign") {
        const parts = new Set(u.map((gi) => ruleOf.get(gi)).filter((r) => r !== undefined));
        const kept = ruledOut.filter((r) => !parts.has(r));
        ruledOut.length = 0;
        ruledOut.push(...kept);
        const joined = new Set(u.map((gi) => campaignOf.get(gi)).filter((c) => c !== undefined));
        campaigns = campaigns.filter((c) => !joined.has(c));
        for (const c of joined) boundOf.delete(c);
      } else ruledOut.length = before;
    });
    step(`${units.length} split units tested again`);
  }
  step(`tested the groups`);
  // each campaign shows its 8 strongest ties that have an example post pair (and, when bound by behaviour alone,
  // its first 8 ties without one, in words). Examples kept in the case are looked up in rounds of a few ties per
  // campaign, strongest first, not for every binding tie: a campaign of fans-sized groups has millions of them.
  // Each round of a campaign is twice the one before: a campaign bound by behaviour whose ties all have examples
  // is read to its end for ties without one, and at 64 ties a round (a query each) 180,000 ties took 127 s
  const ROUND = 64;
  const work = [...boundOf].map(([campaign, bound]) => ({
    campaign,
    bound,
    round: ROUND,
    strongest: strongestFirst(bound),
    nextStrong: 0,
    // ties without an example are described in words only for campaigns bound by behaviour
    nextNote: campaign.basis === "objects" ? bound.length : 0,
    examples: [] as Array<CampaignExample & { p: number }>,
    notes: [] as Edge[],
  }));
  const examplesDone = (w: (typeof work)[number]): boolean =>
    w.examples.length >= 8 || w.nextStrong >= w.strongest.length;
  const notesDone = (w: (typeof work)[number]): boolean =>
    w.notes.length >= 8 || w.nextNote >= w.bound.length;
  while (work.some((w) => !examplesDone(w) || !notesDone(w))) {
    const round = work.map((w) => ({
      strong: examplesDone(w) ? [] : w.strongest.slice(w.nextStrong, w.nextStrong + w.round),
      note: notesDone(w) ? [] : w.bound.slice(w.nextNote, w.nextNote + w.round),
    }));
    const stored = await storedExamples(
      store,
      opts.runId,
      round.flatMap((r) => [...r.strong, ...r.note]),
    );
    const exampleOf = (e: Edge): ExamplePair | null => {
      const ex = stored.get(e);
      return ex !== undefined
        ? examplePair(String(e.layer), { example: ex })
        : examplePair(String(e.layer), e.evidence);
    };
    work.forEach((w, wi) => {
      const { strong, note } = round[wi]!;
      for (const e of strong) {
        const x = toExample(e, exampleOf(e), refs);
        if (x !== null && w.examples.length < 8) w.examples.push(x);
      }
      w.nextStrong += strong.length;
      for (const e of note) if (w.notes.length < 8 && exampleOf(e) === null) w.notes.push(e);
      w.nextNote += note.length;
      w.round *= 2;
    });
  }
  for (const w of work) {
    w.campaign.examples = w.examples.map(({ p: _p, ...x }) => x);
    w.campaign.tieNotes = w.notes.map((e) => ({
      layer: String(e.layer),
      a: e.a,
      b: e.b,
      description: describeTie(String(e.layer), e.evidence),
    }));
  }
  campaigns.sort(
    (x, y) =>
      y.score - x.score ||
      y.members.length - x.members.length ||
      (x.members[0]!.key < y.members[0]!.key ? -1 : 1),
  );
  // a text object is named by its cluster's first post (`t:platform:post_id`): the summary, findings.json and the
  // report quote that post's text, which the name does not say
  const firstTexts = await clusterTexts(
    store,
    campaigns.flatMap((c) => c.topObjects.filter((o) => o.kind === "text").map((o) => o.value)),
  );
  // a repost, reply or quote object is a post id: the summary, findings.json and the report name the post's author
  // and quote its text (a quote pile-on's target, and what was piled onto, are the finding)
  const referenced = await referencedPosts(
    store,
    campaigns.flatMap((c) => c.topObjects.filter((o) => POST_LAYERS.has(o.kind)).map((o) => o.value)),
  );
  for (const c of campaigns) {
    const platforms = new Set(c.members.map((m) => m.platform));
    for (const o of c.topObjects) {
      const t = o.kind === "text" ? firstTexts.get(o.value) : undefined;
      if (t !== undefined) o.text = clipText(t, 500);
      if (!POST_LAYERS.has(o.kind)) continue;
      const post = (referenced.get(o.value) ?? []).find((r) => platforms.has(r.platform));
      if (post === undefined) continue;
      o.author = post.handle ? `@${post.handle}` : `${post.platform}:${post.account_id}`;
      if (post.text !== null) o.text = clipText(post.text, 500);
    }
  }
  await campaignClients(store, campaigns);
  // a campaign found to be one of the open patterns checked on whole campaigns, listed with the reason
  const setAside = (c: Campaign, reason: string): void => {
    ruledOut.push({
      accounts: c.members.length,
      layers: c.layers,
      sample: c.members.slice(0, 5).map((m) => m.handle ?? m.key),
      members: c.members.map((m) => m.key).sort(),
      reason,
      participation: round(c.facts.participation),
      exclusivity: round(c.facts.exclusivity),
      density: c.density,
    });
  };
  // an app that posts for its users, signing each post with a link to its own site, is one open source (as an
  // outlet's syndication feeds are): set aside with the reason, as the other open patterns are
  const apps = await appsPostingForUsers(store, campaigns);
  for (const [c, app] of apps) {
    setAside(
      c,
      `an app posting for its users: ${Math.round(app.share * 100)}% of the members' posts linking to ` +
        `${app.domain}, the site the group shares most together, were sent by the client ` +
        `"${clipText(app.client, 80)}", which is named for that site (coordinated by the app, and openly one ` +
        `source)`,
    );
  }
  campaigns = campaigns.filter((c) => !apps.has(c));
  // bots that relay the same feeds (news aggregators posting each wire story within seconds of one another) are
  // openly automated and carry sites that others share far more: set aside with the reason
  const relays = await relaysOfFeeds(store, campaigns);
  for (const [c, relay] of relays) setAside(c, relayReason(relay, c.members.length));
  // a group bound by timing alone whose posts its scheduling tools sent: their same seconds are the tools' clocks
  // firing on the hour (thirty outlets posting through Buffer at :00), not people acting together
  const scheduled = await scheduledByTools(store, campaigns);
  for (const [c, s] of scheduled) {
    setAside(
      c,
      `scheduled posting: ${Math.round(s.share * 100)}% of the members' posts were sent by scheduling tools ` +
        `(${s.tools.slice(0, 3).join(", ")}), half or more in the first ${CLOCK_SECONDS} seconds of a minute, and ` +
        `the group shares no objects beyond chance: the same seconds it is tied by are the tools' schedules firing ` +
        `together on the clock, not people acting together`,
    );
  }
  campaigns = campaigns.filter((c) => !relays.has(c) && !scheduled.has(c));
  step(`examples of ${campaigns.length} campaigns`);
  // each campaign bound by objects lists its fringe after its members: accounts in no campaign that joined its
  // bursts on separate occasions, with the posts by which they did
  const fringes = await campaignFringes(
    store,
    campaigns.map((c) => (c.basis === "objects" ? c.members.map((m) => m.key) : [])),
    layers,
    { windowSec: opts.windowSec, minOccasions: opts.minFringeOccasions, minShare: opts.minFringeShare },
  );
  campaigns.forEach((c, i) => {
    for (const f of fringes[i]!) {
      const { platform, accountId } = parseAccountKey(f.key);
      c.members.push({
        key: f.key,
        platform,
        accountId,
        handle: f.handle,
        role: "fringe",
        score: 0,
        ties: 0,
        joined: f.joined,
      });
    }
  });
  step(`fringes of ${campaigns.length} campaigns: ${fringes.reduce((n, f) => n + f.length, 0)} accounts`);
  campaigns.forEach((c, i) => {
    c.id = `C${i + 1}`;
    c.summary = summarise(c, opts.windowSec, firstTexts, opts.compat);
  });
  return { campaigns, ruledOut };
}

/**
 * Confidence in [0, 1] from the group facts, each term in [0, 1]: how densely the members are tied, how much of
 * the audience of what they share they are, how many of them act inside the same burst, on how many distinct
 * objects, how much of it survives a narrower window, and on how many layers. Weights are a documented judgement (docs/chance-model.md), not a fitted model.
 */
export function confidence(f: {
  density: number;
  burstShare: number;
  exclusivity: number;
  objects: number;
  fastCoreShare: number;
  layers: number;
  n: number;
}): number {
  const objects = 1 - Math.exp(-f.objects / 5);
  const layers = Math.min(1, f.layers / 2);
  const s =
    0.25 * f.density +
    0.25 * f.exclusivity +
    0.2 * f.burstShare +
    0.15 * objects +
    0.1 * f.fastCoreShare +
    0.05 * layers;
  return round(Math.max(0, Math.min(1, s)));
}

/**
 * How much of the audience of its bursts a group is: over the objects of its binding layers on which at least two
 * members acted inside one window, the mean of (members' shares / everyone's shares), weighted by what the group did
 * on each object together (its members' shares inside windows of at least three of them, or its biggest burst, if
 * more). A troll unit's links, hashtags and reposts are shared mostly by the unit; fans of a celebrity are a slice of
 * a much larger audience of the same posts, and a viral link's audience is the whole population. A unit that adds a
 * trending tag to each burst did most of its work on its own tag: weighted by burst size alone, the tags it rode once
 * each would outweigh it.
 */
export function burstExclusivity(objects: SharedObjectFact[], layers: readonly string[]): number {
  let num = 0;
  let den = 0;
  for (const o of objects) {
    if (o.burst < 2 || !layers.includes(o.kind)) continue;
    const w = Math.max(o.burst, o.together);
    num += (w * o.shares) / Math.max(o.total, o.shares);
    den += w;
  }
  return den === 0 ? 0 : num / den;
}

/**
 * Authors (account keys) of the posts that groups reposted, replied to or quoted together: each id's post on the
 * first platform that has one (`referencedPosts`).
 */
async function referencedAuthors(store: CaseStore, facts: GroupFacts[]): Promise<Map<string, string>> {
  const ids = facts.flatMap((f) =>
    f.objects.filter((o) => POST_LAYERS.has(o.kind) && o.burst >= 2).map((o) => o.value),
  );
  const out = new Map<string, string>();
  for (const [id, posts] of await referencedPosts(store, ids, { texts: false })) {
    out.set(id, `${posts[0]!.platform}:${posts[0]!.account_id}`);
  }
  return out;
}

/**
 * Each campaign's client (`Campaign.client`): the app that sent most of its members' posts, when it sent 80% or
 * more of those that name one, and no more accounts outside the campaign than inside it use it. "Few outside use it"
 * says something only where the accounts outside name their apps too: with fewer of them naming any app than the
 * campaign has members (a source that gives the app for some accounts alone), no client is stated.
 */
async function campaignClients(store: CaseStore, campaigns: Campaign[]): Promise<void> {
  if (campaigns.length === 0) return;
  await writeAccountKeys(store, "chorus_campaign_members", membersOf(campaigns, campaigns.keys()), true);
  type Row = {
    g: number;
    client: string;
    share: number;
    members: number;
    users: number;
    named: number;
    posts: number;
    naming: number;
    naming_members: number;
  };
  const rows = await store.all<Row>(
    `WITH mp AS (SELECT m.g, p.platform, p.account_id, p.client
                   FROM posts p JOIN chorus_campaign_members m USING (platform, account_id)),
          all_posts AS (SELECT g, count(*) AS posts, count(DISTINCT (platform, account_id))
                                 FILTER (WHERE client IS NOT NULL) AS naming_members
                          FROM mp GROUP BY g),
          top AS (SELECT g, client, count(*) AS n, sum(count(*)) OVER (PARTITION BY g) AS total,
                         count(DISTINCT (platform, account_id)) AS members,
                         row_number() OVER (PARTITION BY g ORDER BY count(*) DESC, client) AS r
                    FROM mp WHERE client IS NOT NULL GROUP BY g, client),
          users AS (SELECT client, count(DISTINCT (platform, account_id)) AS users FROM posts
                     WHERE client IN (SELECT client FROM top WHERE r = 1) GROUP BY client),
          naming AS (SELECT count(DISTINCT (platform, account_id)) AS naming FROM posts WHERE client IS NOT NULL)
     SELECT t.g, t.client, (t.n / t.total)::DOUBLE AS share, t.members::INTEGER AS members, u.users::INTEGER AS users,
            t.total::INTEGER AS named, a.posts::INTEGER AS posts, (SELECT naming FROM naming)::INTEGER AS naming,
            a.naming_members::INTEGER AS naming_members
       FROM top t JOIN users u USING (client) JOIN all_posts a USING (g) WHERE t.r = 1 ORDER BY t.g`,
  );
  await store.conn.run("DROP TABLE chorus_campaign_members");
  for (const r of rows) {
    const outside = r.users - r.members;
    // the accounts beyond the campaign whose posts name an app (one in two campaigns counts for both: an
    // approximation on the side of saying less)
    const namingOutside = r.naming - r.naming_members;
    if (r.share >= 0.8 && outside <= r.members && namingOutside >= r.members) {
      campaigns[r.g]!.client = {
        name: r.client,
        share: round(r.share),
        members: r.members,
        outside,
        named: r.named,
        posts: r.posts,
        namingOutside,
      };
    }
  }
}

/**
 * The links and domains that two or more of a campaign's members shared inside one window, each with its site (a
 * link's domain) and how many members shared it and how often.
 */
function burstSites(c: Campaign): Array<{ domain: string; members: number; shares: number }> {
  const out: Array<{ domain: string; members: number; shares: number }> = [];
  for (const o of c.facts.objects) {
    if ((o.kind !== "domain" && o.kind !== "url") || o.burst < 2) continue;
    const domain = o.kind === "domain" ? o.value : getDomain(o.value);
    if (domain !== null) out.push({ domain, members: o.members, shares: o.shares });
  }
  return out;
}

/** Each member of the campaigns at `gs` (indices into `campaigns`), with its campaign's index. */
function membersOf(campaigns: readonly Campaign[], gs: Iterable<number>): Array<[string, number]> {
  const out: Array<[string, number]> = [];
  for (const g of gs) for (const m of campaigns[g]!.members) out.push([m.key, g]);
  return out;
}

/**
 * Sites of campaigns (a campaign's index and a domain, a row each) as an inline table of a query: its SQL and the
 * parameters it reads.
 */
function siteTable(sites: ReadonlyArray<{ g: number; domain: string }>): {
  sql: string;
  params: { g: string; d: string };
} {
  return {
    sql: `SELECT unnest($g::JSON::INTEGER[]) AS g, unnest($d::JSON::VARCHAR[]) AS domain`,
    params: { g: JSON.stringify(sites.map((x) => x.g)), d: JSON.stringify(sites.map((x) => x.domain)) },
  };
}

/** Sites that host many sources (blogs, channels, profiles) or are the platforms themselves: never one app's own. */
const HOSTS_OF_MANY = new Set([
  "blogger.com",
  "blogspot.com",
  "bsky.app",
  "facebook.com",
  "instagram.com",
  "linkedin.com",
  "mastodon.social",
  "medium.com",
  "reddit.com",
  "substack.com",
  "t.me",
  "telegram.org",
  "threads.net",
  "tiktok.com",
  "tumblr.com",
  "twitter.com",
  "whatsapp.com",
  "wix.com",
  "wordpress.com",
  "x.com",
  "youtube.com",
]);

/** Whether a site could be one app's own: not a platform, a host of many sources or a link shortener. */
function couldBeAppSite(domain: string): boolean {
  return !HOSTS_OF_MANY.has(domain) && !SHORTENERS.has(domain);
}

/** Letters and digits only, lower case: "Athkar Daily" and "athkar-daily" both read "athkardaily". */
function nameKey(s: string): string {
  return s
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, "");
}

/**
 * Whether accounts that each post one site's links almost only are that site's own (syndication feeds, openly one
 * source) rather than personas pushing it: at least half of the members whose profiles the data gives are named
 * for their site (`profileNamesSite`). An outlet's feeds carry its name (@BBCBreaking, "Press TV News"); a unit
 * amplifying a site covertly does not. When the data names no member (ids alone), the pattern is all there is and
 * the group is taken for feeds, as before names were read; but links to a platform or a host of many sources
 * (youtube.com, t.me, medium.com) are nobody's feed.
 */
function ownFeeds(
  members: readonly string[],
  feedOf: ReadonlyMap<string, string>,
  refs: Refs,
): { own: boolean; named: number; said: string } {
  let named = 0;
  let own = 0;
  let hosts = 0;
  for (const k of members) {
    const r = refs.get(k);
    const site = feedOf.get(k);
    if (site !== undefined && !couldBeAppSite(site)) hosts++;
    if (r === undefined || site === undefined) continue;
    if (!r.handle && !r.displayName && !r.bio) continue;
    named++;
    if (profileNamesSite(r, site)) own++;
  }
  return {
    // a platform or a host of many sources (youtube.com, t.me) is no outlet's feed, whoever posts it
    own: hosts === 0 && (named === 0 || 2 * own >= named),
    named,
    said: `${own} of the ${named} ${named === 1 ? "member" : "members"} with a profile ${own === 1 ? "is" : "are"} named for ${own === 1 ? "its" : "their"} site`,
  };
}

/**
 * Whether an account's profile names a site: its handle or display name holds the site's registrable name without
 * its suffix (presstv of presstv.ir; a name of two letters, rt of rt.com, at its start), or is most of that name
 * (@guardian of theguardian.com, not @news of irannews.ir); or its bio gives the site's domain. A platform, a host of
 * many sources or a shortener is nobody's own site.
 */
export function profileNamesSite(
  profile: { handle?: string | null; displayName?: string | null; bio?: string | null },
  domain: string,
): boolean {
  if (!couldBeAppSite(domain)) return false;
  const site = nameKey(getDomainWithoutSuffix(domain) ?? "");
  for (const n of [profile.handle, profile.displayName]) {
    const name = n ? nameKey(n) : "";
    if (name.length < 2 || site.length < 2) continue;
    // a name of two letters (rt.com, ft.com) must begin the handle (@RT_com); a longer one may be anywhere in it
    if (site.length >= 3 ? name.includes(site) : name.startsWith(site)) return true;
    // the handle inside the site's name (@guardian of theguardian.com): most of it, not a word of it ("news")
    if (name.length >= 3 && site.includes(name) && name.length >= 0.6 * site.length) return true;
  }
  const registered = getDomain(domain) ?? domain;
  return (profile.bio ?? "").toLowerCase().includes(registered.toLowerCase());
}

/**
 * Whether a client's name names a site: the site's registrable name without its suffix (athkar-daily of
 * athkar-daily.app) and the client's name hold the same letters, one inside the other, four or more.
 */
export function clientNamesSite(client: string, domain: string): boolean {
  if (!couldBeAppSite(domain)) return false;
  const site = nameKey(getDomainWithoutSuffix(domain) ?? "");
  const name = nameKey(client);
  if (Math.min(site.length, name.length) < 4) return false;
  return name.includes(site) || site.includes(name);
}

/**
 * The campaigns that are an app posting for its users: the site the group shared most together (the domain or
 * link with most members inside one window) is the app's own, 80% or more of the members' posts linking to it came
 * from one client, and that client is named for the site. What the data holds of such apps is exactly this
 * signature: the app signs each post it sends with its name as the client and a link to itself.
 */
async function appsPostingForUsers(
  store: CaseStore,
  campaigns: Campaign[],
): Promise<Map<Campaign, { client: string; share: number; domain: string }>> {
  const out = new Map<Campaign, { client: string; share: number; domain: string }>();
  const sites: Array<{ g: number; domain: string }> = [];
  campaigns.forEach((c, g) => {
    if (c.basis !== "objects") return;
    // the site of the link or domain most members shared together (a link's, when the domain layer was not read)
    let top: { members: number; shares: number; domain: string } | undefined;
    for (const o of burstSites(c)) {
      if (
        top === undefined ||
        o.members > top.members ||
        (o.members === top.members && o.shares > top.shares)
      )
        top = o;
    }
    if (top !== undefined && couldBeAppSite(top.domain)) sites.push({ g, domain: top.domain });
  });
  if (sites.length === 0) return out;
  const members = membersOf(
    campaigns,
    sites.map((x) => x.g),
  );
  await writeAccountKeys(store, "chorus_app_members", members, true);
  const site = siteTable(sites);
  const rows = await store.all<{ g: number; client: string | null; n: number }>(
    `WITH site AS (${site.sql})
     SELECT m.g, p.client, count(*)::INTEGER AS n
       FROM chorus_app_members m
       JOIN site s USING (g)
       JOIN objects o ON o.kind = 'domain' AND o.value = s.domain
       JOIN posts p ON p.platform = o.platform AND p.post_id = o.post_id
                   AND p.platform = m.platform AND p.account_id = m.account_id
      GROUP BY 1, 2 ORDER BY 1, 3 DESC, 2`,
    site.params,
  );
  await store.conn.run("DROP TABLE chorus_app_members");
  const domainOf = new Map(sites.map((x) => [x.g, x.domain]));
  const total = new Map<number, number>();
  for (const r of rows) total.set(r.g, (total.get(r.g) ?? 0) + r.n);
  const seen = new Set<number>();
  for (const r of rows) {
    if (seen.has(r.g)) continue;
    seen.add(r.g);
    const domain = domainOf.get(r.g)!;
    const share = r.n / total.get(r.g)!;
    if (r.client !== null && share >= 0.8 && clientNamesSite(r.client, domain)) {
      out.set(campaigns[r.g]!, { client: r.client, share, domain });
    }
  }
  return out;
}

/**
 * Least share of a member's posts sent through automation tools for it to be a relay, or linking one of the sites the
 * group carries for it to be that site's outlet.
 */
const RELAY_MEMBER_SHARE = 0.8;
/** Most of the shares of each site it carries that a group's relays may have made themselves. */
const RELAY_MAX_SHARE = 0.5;
/** Layers of a group that shares links (its texts are often the links' headlines). */
const LINK_LAYERS = new Set(["url", "domain", "text"]);

/** The reason a campaign of `n` members is set aside as relays of feeds. */
function relayReason(r: Relays, n: number): string {
  const amount = r.automated >= 1 ? "all" : `${percent(r.automated)} or more`;
  const who =
    r.outlets === 0
      ? `every member sent ${amount} of its`
      : `${r.relays} of the ${n} members sent ${amount} of their`;
  const sites = `${r.domains.slice(0, 5).join(", ")}${r.domains.length > 5 ? ", ..." : ""}`;
  const outlets =
    r.outlets === 0
      ? ""
      : r.outlets === 1
        ? `, and the other is the outlet of ${r.outletSites.join(", ")}, whose links it posts almost only`
        : `, and the other ${r.outlets} are outlets of ${r.outletSites.join(", ")}, whose links they post almost only`;
  return (
    `relays of feeds: ${who} posts through automation (${r.tools.join(", ")})${outlets}; the sites they carried ` +
    `together (${sites}) are shared far more by others (${r.outlets === 0 ? "the group" : "the relays"} made at ` +
    `most ${percent(r.share)} of any one's shares in the data${r.outlets === 0 ? "" : ", the outlets' own aside"}): the ` +
    `pattern of news aggregator bots posting the same feeds (coordinated by the feeds, and openly automated)`
  );
}

/** The share of a behaviour-bound group's posts sent by scheduling tools above which its timing is theirs. */
const SCHEDULED_SHARE = 0.8;
/** The first seconds of a minute, where schedulers fire. */
const CLOCK_SECONDS = 5;

/**
 * The campaigns bound by timing alone (same-second bursts, rotas; not fast reposts) 80% or more of whose members'
 * posts were sent by scheduling or declared automation tools (the automation detector's list), half or more of them
 * in the first seconds of a minute, as schedulers fire: with that share and the tools, most used first.
 */
async function scheduledByTools(
  store: CaseStore,
  campaigns: Campaign[],
): Promise<Map<Campaign, { share: number; tools: string[] }>> {
  const out = new Map<Campaign, { share: number; tools: string[] }>();
  // fast reposts are not a clock: a ring reposting through IFTTT recipes within seconds is judged on its reposts
  const gs = [...campaigns.keys()].filter(
    (g) => campaigns[g]!.basis === "behaviour" && !campaigns[g]!.layers.includes("fast-repost"),
  );
  if (gs.length === 0) return out;
  await writeAccountKeys(store, "chorus_scheduled_members", membersOf(campaigns, gs), true);
  try {
    // each client's posts, and how many fell in the first seconds of a minute, where schedulers fire
    const rows = await store.all<{
      g: number;
      platform: string;
      client: string | null;
      n: number;
      onClock: number;
    }>(
      `SELECT m.g, p.platform, p.client, count(*)::INTEGER AS n,
              count(*) FILTER (WHERE epoch_ms(p.ts) % 60000 < ${CLOCK_SECONDS * 1000})::INTEGER AS "onClock"
         FROM chorus_scheduled_members m JOIN posts p USING (platform, account_id)
        GROUP BY ALL ORDER BY m.g, n DESC, p.client`,
    );
    const per = new Map<number, { total: number; onClock: number; tools: Map<string, number> }>();
    for (const r of rows) {
      const e = per.get(r.g) ?? { total: 0, onClock: 0, tools: new Map<string, number>() };
      e.total += r.n;
      e.onClock += r.onClock;
      const cls = r.client === null ? null : classifyClient(r.client, r.platform);
      if (cls) e.tools.set(cls.tool, (e.tools.get(cls.tool) ?? 0) + r.n);
      per.set(r.g, e);
    }
    for (const [g, e] of per) {
      const sent = [...e.tools.values()].reduce((a, b) => a + b, 0);
      // tools' posts, on the clock: half of them in the first seconds of a minute (a person's posts, one in twelve)
      if (e.total > 0 && sent >= SCHEDULED_SHARE * e.total && e.onClock >= 0.5 * e.total) {
        const tools = [...e.tools].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1)).map(([t]) => t);
        out.set(campaigns[g]!, { share: sent / e.total, tools });
      }
    }
  } finally {
    await store.conn.run("DROP TABLE IF EXISTS chorus_scheduled_members");
  }
  return out;
}

/** What made a campaign relays of feeds (`relaysOfFeeds`). */
interface Relays {
  /** Members that are relays, the least automated one's share of posts sent through automation, and the tools. */
  relays: number;
  automated: number;
  tools: string[];
  /** Members that are outlets of a site the group carries, and those sites. */
  outlets: number;
  outletSites: string[];
  /**
   * The sites the group carried together, and the largest share of any one site's shares in the case that its relays
   * made (the outlets' own shares of their sites left out: they are the source, not its audience).
   */
  domains: string[];
  share: number;
}

/**
 * The campaigns that are relays of feeds: a group bound by links alone, of which most members are relays, each
 * sending `RELAY_MEMBER_SHARE` or more of its posts through automation tools (feed and scheduling services, bots by
 * their own name: the automation detector's list), and the rest outlets of the sites it carries (that share of
 * their posts link one of them), and whose relays made under `RELAY_MAX_SHARE` of the shares in the case of each
 * site it carried together (the outlets' own left out). News aggregator bots post each story of the same wire feeds
 * within seconds of one another and of the agency's own accounts, openly automated, carrying agencies that many
 * others share. A unit posting through the same tools carries its own sites, which hardly anyone else shares; a unit
 * posting by hand is not automated.
 */
async function relaysOfFeeds(store: CaseStore, campaigns: Campaign[]): Promise<Map<Campaign, Relays>> {
  const out = new Map<Campaign, Relays>();
  const sites = new Map<number, string[]>();
  campaigns.forEach((c, g) => {
    if (c.basis !== "objects" || !c.layers.every((l) => LINK_LAYERS.has(l))) return;
    const domains = new Set(burstSites(c).map((o) => o.domain));
    if (domains.size > 0) sites.set(g, [...domains].sort());
  });
  if (sites.size === 0) return out;
  await writeAccountKeys(store, "chorus_relay_members", membersOf(campaigns, sites.keys()), true);
  try {
    const { sql: sitesSql, params: siteParams } = siteTable(
      [...sites].flatMap(([g, ds]) => ds.map((domain) => ({ g, domain }))),
    );
    // each member's posts by client, and its posts linking each carried site
    const clients = await store.all<{
      g: number;
      platform: string;
      account_id: string;
      client: string | null;
      n: number;
    }>(
      `SELECT m.g, m.platform, m.account_id, p.client, count(*)::INTEGER AS n
         FROM chorus_relay_members m JOIN posts p USING (platform, account_id)
        GROUP BY ALL ORDER BY m.g, m.platform, m.account_id, n DESC, p.client`,
    );
    const linking = await store.all<{
      g: number;
      platform: string;
      account_id: string;
      domain: string;
      n: number;
    }>(
      `WITH site AS (${sitesSql})
       SELECT m.g, m.platform, m.account_id, s.domain, count(DISTINCT p.post_id)::INTEGER AS n
         FROM chorus_relay_members m
         JOIN site s USING (g)
         JOIN posts p ON p.platform = m.platform AND p.account_id = m.account_id
         JOIN objects o ON o.platform = p.platform AND o.post_id = p.post_id AND o.kind = 'domain'
                       AND o.value = s.domain
        GROUP BY ALL ORDER BY m.g, m.platform, m.account_id, n DESC, s.domain`,
      siteParams,
    );
    const memberKey = (r: { g: number; platform: string; account_id: string }): string =>
      `${r.g} ${accountKey(r.platform, r.account_id)}`;
    const perMember = new Map<
      string,
      { g: number; all: number; auto: number; site: number; domain: string; kind?: "relay" | "outlet" }
    >();
    const tools = new Map<number, Map<string, number>>();
    for (const r of clients) {
      const m = perMember.get(memberKey(r)) ?? { g: r.g, all: 0, auto: 0, site: 0, domain: "" };
      m.all += r.n;
      const tool = r.client === null ? null : classifyClient(r.client, r.platform);
      if (tool !== null) {
        m.auto += r.n;
        const byTool = tools.get(r.g) ?? new Map<string, number>();
        byTool.set(tool.tool, (byTool.get(tool.tool) ?? 0) + r.n);
        tools.set(r.g, byTool);
      }
      perMember.set(memberKey(r), m);
    }
    for (const r of linking) {
      const m = perMember.get(memberKey(r));
      if (m !== undefined && r.n > m.site) Object.assign(m, { site: r.n, domain: r.domain });
    }
    const groups = new Map<
      number,
      { relays: number; automated: number; outlets: number; sites: Set<string> }
    >();
    for (const m of perMember.values()) {
      const gr = groups.get(m.g) ?? { relays: 0, automated: 1, outlets: 0, sites: new Set<string>() };
      if (m.auto >= RELAY_MEMBER_SHARE * m.all) {
        m.kind = "relay";
        gr.relays++;
        gr.automated = Math.min(gr.automated, m.auto / m.all);
      } else if (m.site >= RELAY_MEMBER_SHARE * m.all) {
        m.kind = "outlet";
        gr.outlets++;
        gr.sites.add(m.domain);
      }
      groups.set(m.g, gr);
    }
    // every member a relay or an outlet, and most of them relays
    const candidates = [...groups].filter(([g, gr]) => {
      const n = campaigns[g]!.members.length;
      return gr.relays + gr.outlets === n && 2 * gr.relays > n;
    });
    if (candidates.length === 0) return out;
    // each site's shares in the case by member (NULL: by others); the outlets' own are left out, as the source's
    const shares = await store.all<{
      g: number;
      domain: string;
      platform: string | null;
      account_id: string | null;
      n: number;
    }>(
      `WITH site AS (${sitesSql})
       SELECT s.g, s.domain, m.platform, m.account_id, count(*)::DOUBLE AS n
         FROM site s
         JOIN objects o ON o.kind = 'domain' AND o.value = s.domain
         JOIN posts p ON p.platform = o.platform AND p.post_id = o.post_id
         LEFT JOIN chorus_relay_members m ON m.g = s.g AND m.platform = p.platform AND m.account_id = p.account_id
        GROUP BY ALL ORDER BY s.g, s.domain, m.platform NULLS FIRST, m.account_id NULLS FIRST`,
      siteParams,
    );
    const perSite = new Map<string, { g: number; mine: number; total: number }>();
    for (const r of shares) {
      const m =
        r.platform === null
          ? undefined
          : perMember.get(memberKey({ g: r.g, platform: r.platform, account_id: r.account_id! }));
      if (m?.kind === "outlet") continue;
      const k = `${r.g} ${r.domain}`;
      const t = perSite.get(k) ?? { g: r.g, mine: 0, total: 0 };
      t.total += r.n;
      if (m?.kind === "relay") t.mine += r.n;
      perSite.set(k, t);
    }
    // the largest share the relays made of any one site's: each site must have an audience of its own
    const shareOf = new Map<number, number>();
    for (const t of perSite.values()) {
      const share = t.total === 0 ? 1 : t.mine / t.total;
      shareOf.set(t.g, Math.max(shareOf.get(t.g) ?? 0, share));
    }
    for (const [g, gr] of candidates) {
      const share = shareOf.get(g) ?? 1;
      if (share >= RELAY_MAX_SHARE) continue;
      const byTool = [...tools.get(g)!].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1));
      out.set(campaigns[g]!, {
        relays: gr.relays,
        automated: gr.automated,
        tools: byTool.slice(0, 3).map(([t]) => t),
        outlets: gr.outlets,
        outletSites: [...gr.sites].sort(),
        domains: sites.get(g)!,
        share,
      });
    }
    return out;
  } finally {
    await store.conn.run("DROP TABLE chorus_relay_members");
  }
}

/** Layers whose objects are posts (their ids): reposted, replied to or quoted. */
const POST_LAYERS: ReadonlySet<string> = new Set(["repost", "reply", "quote"]);

/**
 * The posts named by ids (on any platform, a list per id in platform order): each one's platform, author, the
 * author's handle and its text (null both, without `texts`).
 */
async function referencedPosts(
  store: CaseStore,
  ids: string[],
  { texts = true }: { texts?: boolean } = {},
): Promise<
  Map<string, Array<{ platform: string; account_id: string; handle: string | null; text: string | null }>>
> {
  const out = new Map<
    string,
    Array<{ platform: string; account_id: string; handle: string | null; text: string | null }>
  >();
  const wanted = [...new Set(ids)].sort();
  if (wanted.length === 0) return out;
  const rows = await store.all<{
    post_id: string;
    platform: string;
    account_id: string;
    handle: string | null;
    text: string | null;
  }>(
    texts
      ? `SELECT p.post_id, p.platform, p.account_id, a.handle, p.text
           FROM posts p LEFT JOIN accounts a USING (platform, account_id)
          WHERE p.post_id IN (SELECT unnest($ids::JSON::VARCHAR[]))
          ORDER BY p.post_id, p.platform, p.input_id, p.source_row`
      : // the authors alone: no handle nor text to read
        `SELECT post_id, platform, account_id, NULL AS handle, NULL AS text FROM posts
          WHERE post_id IN (SELECT unnest($ids::JSON::VARCHAR[]))
          ORDER BY post_id, platform, input_id, source_row`,
    { ids: JSON.stringify(wanted) },
  );
  for (const r of rows) {
    const list = out.get(r.post_id) ?? [];
    // a post stored once per platform (accounts may have a row per input: the first)
    if (!list.some((x) => x.platform === r.platform)) list.push(r);
    out.set(r.post_id, list);
  }
  return out;
}

/** The text of the first post of each near-duplicate cluster named `t:platform:post_id`, by name. */
async function clusterTexts(store: CaseStore, names: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const wanted = [...new Set(names)].sort();
  if (wanted.length === 0) return out;
  // `t:` then the platform (which holds no colon) then the post id (which may)
  const ids = wanted.map((name) => {
    const rest = name.slice(2);
    const at = rest.indexOf(":");
    return { name, platform: rest.slice(0, at), postId: rest.slice(at + 1) };
  });
  const rows = await store.all<{ platform: string; post_id: string; text: string }>(
    `SELECT platform, post_id, text FROM posts
      WHERE post_id IN (SELECT unnest($ids::JSON::VARCHAR[])) AND text IS NOT NULL`,
    { ids: JSON.stringify([...new Set(ids.map((i) => i.postId))]) },
  );
  const textOf = new Map(rows.map((r) => [`${r.platform}\u0000${r.post_id}`, r.text]));
  for (const i of ids) {
    const text = textOf.get(`${i.platform}\u0000${i.postId}`);
    if (text !== undefined) out.set(i.name, text);
  }
  return out;
}

/**
 * For each group flagged in `oneWay`, the accounts it reposts together that never repost a member (`facts[g]
 * .amplified`): how many members reposted each, and how many distinct accounts in the case reposted it at all; and
 * the members' share of those audiences, weighted by the group's joint reposts of each (`facts[g].audienceShare`);
 * and the same for those of the accounts whose audience the members are less than `minAudienceShare` of, with the
 * share of all the group's joint reposts that were of them (`facts[g].idols`). A unit that amplifies its operators'
 * personas is most of everyone who reposts them; fans are a slice of a larger audience, however fast and faithful
 * they are.
 */
async function amplifiedAudiences(
  store: CaseStore,
  memberOf: Map<string, number>,
  facts: GroupFacts[],
  authors: Map<string, string>,
  oneWay: boolean[],
  minAudienceShare: number,
): Promise<void> {
  // the one-way authors of each flagged group, with the weight of its joint reposts of them
  const weights = facts.map((f, g) =>
    oneWay[g]
      ? oneWayWeights(f.objects, f.reposters, authors)
      : { known: 0, byAuthor: new Map<string, number>() },
  );
  const idols: Array<[string, number]> = [];
  weights.forEach(({ byAuthor }, g) => {
    for (const a of [...byAuthor.keys()].sort()) idols.push([a, g]);
  });
  if (idols.length === 0) return;
  await writeAccountKeys(store, "chorus_idols", idols, true);
  await writeAccountKeys(store, "chorus_idol_groups", memberOf, true);
  const rows = await store.all<{ g: number; author: string; audience: number; members: number }>(
    `WITH idol AS (SELECT DISTINCT platform, account_id FROM chorus_idols),
          orig AS (SELECT platform, post_id, account_id FROM posts SEMI JOIN idol USING (platform, account_id)),
          rp AS (SELECT DISTINCT o.platform, o.account_id AS author, p.account_id AS r
                   FROM posts p JOIN orig o ON o.platform = p.platform AND o.post_id = p.ref_post_id
                  WHERE p.kind = 'repost' AND p.account_id <> o.account_id)
     SELECT i.g, i.platform || ':' || i.account_id AS author, count(*)::INTEGER AS audience,
            count(m.g)::INTEGER AS members
       FROM chorus_idols i JOIN rp ON rp.platform = i.platform AND rp.author = i.account_id
       LEFT JOIN chorus_idol_groups m ON m.platform = rp.platform AND m.account_id = rp.r AND m.g = i.g
      GROUP BY 1, 2`,
  );
  for (const t of ["chorus_idols", "chorus_idol_groups"]) await store.conn.run(`DROP TABLE ${t}`);
  const found = facts.map(() => new Map<string, { members: number; audience: number }>());
  for (const r of rows) found[r.g]!.set(r.author, { members: r.members, audience: r.audience });
  weights.forEach(({ known, byAuthor: m }, g) => {
    if (m.size === 0) return;
    const f = facts[g]!;
    const all = { sum: 0, weight: 0 };
    const idols = { sum: 0, weight: 0 };
    const list: GroupFacts["amplified"] = [];
    for (const [account, w] of m) {
      const a = found[g]!.get(account);
      if (a === undefined || a.audience === 0) continue;
      const share = a.members / a.audience;
      all.sum += w * share;
      all.weight += w;
      if (share < minAudienceShare) {
        idols.sum += w * share;
        idols.weight += w;
      }
      list.push({ account, ...a });
    }
    f.amplified = list.sort(
      (x, y) => y.members - x.members || y.audience - x.audience || (x.account < y.account ? -1 : 1),
    );
    f.audienceShare = all.weight > 0 ? all.sum / all.weight : null;
    f.idols = {
      share: known > 0 ? idols.weight / known : 0,
      audience: idols.weight > 0 ? idols.sum / idols.weight : 0,
    };
  });
}

/**
 * Layers of a conversation: replying to and quoting the same posts, mentioning the same accounts, reposting each
 * other.
 */
const CONVERSATION_LAYERS: ReadonlySet<string> = new Set([
  "reply",
  "quote",
  "mention",
  "repost",
  "fast-repost",
]);

/**
 * Who owns each post a group replied to or quoted and each account it mentioned inside one window (two or more
 * members each): a member's key, a replied-to or quoted post's author's key, or `@handle` for an account mentioned
 * outside the group. Replies and quotes whose post is not in the case are left out.
 */
function conversationOwners(
  objects: readonly SharedObjectFact[],
  members: readonly string[],
  refs: Refs,
  authors: ReadonlyMap<string, string>,
): string[] {
  const byHandle = new Map<string, string>();
  for (const k of members) {
    const h = refs.get(k)?.handle;
    const v = h ? normalizeMention(h) : null;
    if (v !== null && !byHandle.has(v)) byHandle.set(v, k);
  }
  const owners: string[] = [];
  for (const o of objects) {
    if (o.burst < 2 || (o.kind !== "reply" && o.kind !== "quote" && o.kind !== "mention")) continue;
    const owner = o.kind === "mention" ? (byHandle.get(o.value) ?? `@${o.value}`) : authors.get(o.value);
    if (owner !== undefined) owners.push(owner);
  }
  return owners;
}

/**
 * Of the posts a group replied to and the accounts it mentioned inside one window (`objects`, those whose owner is
 * known), how many were its circle's (`own`): its members' own, or those of accounts in `circle` (outside the group,
 * they answered two or more members in turn; each owner, a key or an @handle, with its account's key); how many
 * accounts of the circle owned one (`owners`), and how many of those were members (`members`).
 */
export function conversation(
  objects: readonly SharedObjectFact[],
  members: readonly string[],
  refs: Refs,
  authors: ReadonlyMap<string, string>,
  circle: ReadonlyMap<string, string> = new Map(),
): { objects: number; own: number; owners: number; members: number } {
  const memberSet = new Set(members);
  const all = conversationOwners(objects, members, refs, authors);
  // each owner once, whether its posts were replied to or its handle mentioned
  const owners = new Set<string>();
  let own = 0;
  for (const owner of all) {
    const account = memberSet.has(owner) ? owner : circle.get(owner);
    if (account !== undefined) {
      own++;
      owners.add(account);
    }
  }
  const inGroup = [...owners].filter((o) => memberSet.has(o)).length;
  return { objects: all.length, own, owners: owners.size, members: inGroup };
}

/** How a group's members answered and reposted one another (`answersAmong`). */
export interface Answers {
  /** Of the posts the group reposted together, the share that were its members' own. */
  own: number;
  /** The members' reposts of other members' posts, and their replies to them, over everything in the case. */
  reposts: number;
  replies: number;
}

/**
 * Of the posts a group reposted together (two or more members inside one window), the share that were its members'
 * own; null when it reposted together no post whose author the case holds.
 */
export function ownRepostShare(
  objects: readonly SharedObjectFact[],
  members: ReadonlySet<string>,
  authors: ReadonlyMap<string, string>,
): number | null {
  let all = 0;
  let own = 0;
  for (const o of objects) {
    if (o.burst < 2 || o.kind !== "repost") continue;
    const author = authors.get(o.value);
    if (author === undefined) continue;
    all++;
    if (members.has(author)) own++;
  }
  return all === 0 ? null : own / all;
}

/**
 * For each group that reposted mostly its own members' posts together (`ownRepostShare` at least `minOwn`): how many
 * times its members reposted another member's post, and replied to one, over all their posts in the case (a reply
 * to one's own post, a thread, is not an answer). Null for the other groups.
 */
async function answersAmong(
  store: CaseStore,
  membersOf: readonly string[][],
  facts: readonly GroupFacts[],
  authors: ReadonlyMap<string, string>,
  minOwn: number,
): Promise<Array<Answers | null>> {
  const out: Array<Answers | null> = facts.map(() => null);
  const own = facts.map((f, g) => ownRepostShare(f.objects, new Set(membersOf[g]), authors));
  const rows: Array<[number, string, string]> = [];
  own.forEach((share, g) => {
    if (share === null || share < minOwn) return;
    for (const k of membersOf[g]!) {
      const colon = k.indexOf(":");
      rows.push([g, k.slice(0, colon), k.slice(colon + 1)]);
    }
  });
  if (rows.length === 0) return out;
  await store.conn.run(
    `CREATE OR REPLACE TEMP TABLE chorus_answer_members AS
     SELECT unnest($g::JSON::INTEGER[]) AS g, unnest($platform::JSON::VARCHAR[]) AS platform,
            unnest($account::JSON::VARCHAR[]) AS account_id`,
    {
      g: JSON.stringify(rows.map(([g]) => g)),
      platform: JSON.stringify(rows.map(([, p]) => p)),
      account: JSON.stringify(rows.map(([, , a]) => a)),
    },
  );
  const counts = await store.all<{ g: number; reposts: number; replies: number }>(
    `SELECT m.g, count(*) FILTER (WHERE p.kind = 'repost')::DOUBLE AS reposts,
            count(*) FILTER (WHERE p.kind = 'reply')::DOUBLE AS replies
       FROM chorus_answer_members m
       JOIN posts p ON p.platform = m.platform AND p.account_id = m.account_id AND p.kind IN ('repost', 'reply')
       JOIN posts r ON r.platform = p.platform AND r.post_id = p.ref_post_id AND r.account_id <> p.account_id
       JOIN chorus_answer_members o ON o.g = m.g AND o.platform = r.platform AND o.account_id = r.account_id
      GROUP BY m.g ORDER BY m.g`,
  );
  await store.conn.run("DROP TABLE chorus_answer_members");
  for (const c of counts) out[c.g] = { own: own[c.g]!, reposts: c.reposts, replies: c.replies };
  return out;
}

/**
 * For each group, the accounts outside it that own what it replied to or mentioned together (`conversationOwners`)
 * and that answered two or more of its members in turn, in two posts or more: replied to their posts or mentioned
 * them; each owner (a key or an @handle) with its account's key. One reply naming two members, as a target's answer
 * to a thread of harassers does, is not a friend's answers. Friends in a thread answer one another; a target does
 * not answer the accounts that swarm it, one after another.
 */
async function conversationCircles(
  store: CaseStore,
  membersOf: readonly string[][],
  facts: readonly GroupFacts[],
  refs: Refs,
  authors: ReadonlyMap<string, string>,
): Promise<Array<Map<string, string>>> {
  const circles = facts.map(() => new Map<string, string>());
  // the outside owners of each group, as account keys or @handles
  const outside: Array<[number, string]> = [];
  facts.forEach((f, g) => {
    const members = new Set(membersOf[g]);
    for (const o of new Set(conversationOwners(f.objects, membersOf[g]!, refs, authors))) {
      if (!members.has(o)) outside.push([g, o]);
    }
  });
  if (outside.length === 0) return circles;
  // the members of those groups, with their handles as mentions give them (empty: none; no mention is empty)
  const handles: Array<[number, string, string]> = [];
  for (const g of new Set(outside.map(([gi]) => gi))) {
    for (const k of membersOf[g]!) {
      const h = refs.get(k)?.handle;
      handles.push([g, k, (h ? normalizeMention(h) : null) ?? ""]);
    }
  }
  await store.conn.run(
    `CREATE OR REPLACE TEMP TABLE chorus_talk_owners AS
     WITH o AS (SELECT unnest($g::JSON::INTEGER[]) AS g, unnest($owner::JSON::VARCHAR[]) AS owner)
     SELECT DISTINCT o.g, o.owner, a.platform, a.account_id FROM o
       JOIN accounts a ON a.platform || ':' || a.account_id = o.owner WHERE NOT starts_with(o.owner, '@')
     UNION
     SELECT DISTINCT o.g, o.owner, a.platform, a.account_id FROM o
       JOIN accounts a ON lower(ltrim(a.handle, '@')) = substr(o.owner, 2) WHERE starts_with(o.owner, '@')`,
    { g: JSON.stringify(outside.map(([g]) => g)), owner: JSON.stringify(outside.map(([, o]) => o)) },
  );
  await store.conn.run(
    `CREATE OR REPLACE TEMP TABLE chorus_talk_members AS
     SELECT unnest($g::JSON::INTEGER[]) AS g, unnest($k::JSON::VARCHAR[]) AS k, unnest($h::JSON::VARCHAR[]) AS handle`,
    {
      g: JSON.stringify(handles.map(([g]) => g)),
      k: JSON.stringify(handles.map(([, k]) => k)),
      h: JSON.stringify(handles.map(([, , h]) => h)),
    },
  );
  // each outside account's answers to any of these members, found once (not once per group that shares it: a busy
  // account many groups reply to would be read again for each), then matched to each group's own members
  const rows = await store.all<{ g: number; owner: string; account: string }>(
    `WITH acc AS (SELECT DISTINCT platform, account_id FROM chorus_talk_owners),
          replies AS (
            SELECT DISTINCT p.platform, p.account_id, r.platform || ':' || r.account_id AS k, p.post_id
              FROM acc JOIN posts p ON p.platform = acc.platform AND p.account_id = acc.account_id AND p.kind = 'reply'
              JOIN posts r ON r.platform = p.platform AND r.post_id = p.ref_post_id
             WHERE r.platform || ':' || r.account_id IN (SELECT k FROM chorus_talk_members)),
          mentions AS (
            SELECT DISTINCT p.platform, p.account_id, x.value AS handle, p.post_id
              FROM acc JOIN posts p ON p.platform = acc.platform AND p.account_id = acc.account_id
              JOIN objects x ON x.platform = p.platform AND x.post_id = p.post_id AND x.kind = 'mention'
             WHERE x.value IN (SELECT handle FROM chorus_talk_members WHERE handle <> '')),
          answered AS (
            SELECT o.g, o.owner, o.platform || ':' || o.account_id AS account, m.k, r.post_id
              FROM chorus_talk_owners o JOIN replies r ON r.platform = o.platform AND r.account_id = o.account_id
              JOIN chorus_talk_members m ON m.g = o.g AND m.k = r.k
            UNION
            SELECT o.g, o.owner, o.platform || ':' || o.account_id AS account, m.k, x.post_id
              FROM chorus_talk_owners o JOIN mentions x ON x.platform = o.platform AND x.account_id = o.account_id
              JOIN chorus_talk_members m ON m.g = o.g AND m.handle = x.handle)
     SELECT g, owner, account FROM answered GROUP BY g, owner, account
     HAVING count(DISTINCT k) >= 2 AND count(DISTINCT post_id) >= 2 ORDER BY g, owner`,
  );
  await store.conn.run("DROP TABLE IF EXISTS chorus_talk_owners");
  await store.conn.run("DROP TABLE IF EXISTS chorus_talk_members");
  for (const r of rows) if (!circles[r.g]!.has(r.owner)) circles[r.g]!.set(r.owner, r.account);
  return circles;
}

/**
 * Burst-weighted share of a group's joint reposts whose author never reposted another member (outside accounts
 * included); null when no author is known. Fans amplify their idol, who does not amplify them; a repost ring's
 * handlers and members also repost one another.
 */
export function oneWayShare(
  objects: SharedObjectFact[],
  reposters: Set<string>,
  authors: Map<string, string>,
): number | null {
  const { known, byAuthor } = oneWayWeights(objects, reposters, authors);
  let oneWay = 0;
  for (const w of byAuthor.values()) oneWay += w;
  return known === 0 ? null : oneWay / known;
}

/**
 * The burst weight of a group's joint reposts whose author is known (`known`), and of those whose author never
 * reposted another member, by author (`byAuthor`).
 */
function oneWayWeights(
  objects: SharedObjectFact[],
  reposters: Set<string>,
  authors: Map<string, string>,
): { known: number; byAuthor: Map<string, number> } {
  let known = 0;
  const byAuthor = new Map<string, number>();
  for (const o of objects) {
    if (o.kind !== "repost" || o.burst < 2) continue;
    const a = authors.get(o.value);
    if (a === undefined) continue;
    known += o.burst;
    if (!reposters.has(a)) byAuthor.set(a, (byAuthor.get(a) ?? 0) + o.burst);
  }
  return { known, byAuthor };
}

/** Whether a detector's ties came as columns (`DetectorResult.ties`) rather than as edge objects. */
export function isTieTable(t: TieTable | readonly Edge[]): t is TieTable {
  return !Array.isArray(t);
}

/**
 * The layers whose shared objects the group facts read: every layer with a significant tie, reposts whenever there
 * are fast-repost ties (so that fast reposts can be checked for fans), and every layer any detector tied accounts
 * on whenever there are significant sync ties (so that a group tied by turning up in the same seconds can be checked
 * for a crowd's bursts, even on layers where no pair beat chance).
 */
function groupLayers(tables: readonly TieTable[]): Set<string> {
  const out = new Set<string>();
  const named = new Set<string>();
  let timed = false;
  for (const t of tables) {
    const seen = new Uint8Array(t.layers.length);
    for (let i = 0; i < t.layer.length; i++) if (t.tier[i] === 0) seen[t.layer[i]!] = 1;
    t.layers.forEach((name, li) => {
      named.add(name);
      if (seen[li]) out.add(name);
      if (seen[li] && name === "sync") timed = true;
      if (name === "fast-repost" && t.layer.includes(li)) out.add("repost");
    });
  }
  if (timed) for (const name of named) out.add(name);
  return out;
}

/** A share as a percentage for a reason: to a tenth under 10% (a loose group's 1.1%, not 1%). */
function percent(x: number): string {
  return x < 0.1 ? `${(Math.round(x * 1000) / 10).toFixed(1)}%` : `${Math.round(x * 100)}%`;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/**
 * The examples of `ties` that their detector kept in the case (saved in run `runId`'s ties) rather than in the
 * edge's evidence; ties that carry their example, or have none, are not looked up.
 */
export async function storedExamples(
  store: CaseStore,
  runId: number | undefined,
  ties: Edge[],
): Promise<Map<Edge, unknown>> {
  const out = new Map<Edge, unknown>();
  const wanted = runId === undefined ? [] : ties.filter((e) => e.evidence["example"] === undefined);
  if (wanted.length === 0) return out;
  await store.conn.run(
    "CREATE OR REPLACE TEMP TABLE chorus_wanted_ties (i INTEGER, layer VARCHAR, a VARCHAR, b VARCHAR)",
  );
  const app = await store.conn.createAppender("chorus_wanted_ties");
  try {
    wanted.forEach((e, i) => {
      app.appendInteger(i);
      app.appendVarchar(String(e.layer));
      app.appendVarchar(e.a);
      app.appendVarchar(e.b);
      app.endRow();
    });
  } finally {
    app.closeSync();
  }
  // the ties by their keys first, then the evidence of those rows alone (edgeRowsById): in one join, at 10M posts,
  // 640 examples took 30 s and 3.9 GiB of buffers, against 7 s and 1.2 GiB in two steps
  // (the ties of a run name their accounts by key or by number: src/store/edges.ts)
  const found = await store.all<{ i: number; r: bigint }>(
    `SELECT w.i, e.rowid AS r
       FROM chorus_wanted_ties w
       JOIN ${EDGE_ROWS} e ON e.run_id = $run AND e.layer = w.layer AND e.a = w.a AND e.b = w.b
     UNION ALL
     SELECT w.i, e.rowid AS r
       FROM chorus_wanted_ties w
       JOIN ${TIE_ACCOUNTS} ka ON ka.run_id = $run AND ka.key = w.a
       JOIN ${TIE_ACCOUNTS} kb ON kb.run_id = $run AND kb.key = w.b
       JOIN ${EDGE_ROWS} e ON e.run_id = $run AND e.layer = w.layer AND e.a_ref = ka.ref AND e.b_ref = kb.ref
      ORDER BY i, r`,
    { run: runId! },
  );
  await store.conn.run("DROP TABLE chorus_wanted_ties");
  const rows = await edgeRowsById<{ example: string | null }>(
    store,
    found.map((f) => f.r),
    `json_extract(${edgeEvidenceSql("e")}, '$.example')::VARCHAR AS example`,
    true,
  );
  for (const r of rows) {
    const tie = wanted[found[r.o]!.i]!;
    if (r.example !== null && !out.has(tie)) out.set(tie, JSON.parse(r.example));
  }
  return out;
}

/**
 * Ties strongest first: smallest p-value (none counts as 1), then the two account keys, then the layer, so that the
 * order is total and the same whatever order the ties come in.
 */
export function strongestFirst(ties: readonly Edge[]): Edge[] {
  const keyed = ties.map((e) => ({ e, p: e.pValue ?? 1, key: e.a + e.b, layer: String(e.layer) }));
  keyed.sort(
    (x, y) =>
      x.p - y.p ||
      (x.key < y.key ? -1 : x.key > y.key ? 1 : x.layer < y.layer ? -1 : x.layer > y.layer ? 1 : 0),
  );
  return keyed.map((k) => k.e);
}

function toExample(e: Edge, ex: ExamplePair | null, refs: Refs): (CampaignExample & { p: number }) | null {
  if (!ex) return null;
  return {
    layer: String(e.layer),
    object: ex.object,
    a: { account: e.a, handle: refs.get(e.a)?.handle ?? null, ...ex.a },
    b: { account: e.b, handle: refs.get(e.b)?.handle ?? null, ...ex.b },
    gap_seconds: ex.gap_seconds,
    first: ex.first,
    p: e.pValue ?? 1,
  };
}

/**
 * Mean strength of a group's binding ties in [0, 1]: a tie with a p-value counts by how far below chance it is
 * (p = 1e-10 or less is full strength); a tie without one (a rhythm rota) by its weight, capped at 1.
 */
export function tieStrength(ties: Edge[]): number {
  if (ties.length === 0) return 0;
  let sum = 0;
  for (const e of ties) {
    sum +=
      e.pValue !== null && e.pValue > 0
        ? Math.min(1, -Math.log10(e.pValue) / 10)
        : e.pValue === 0
          ? 1
          : Math.min(1, Math.max(0, e.weight));
  }
  return sum / ties.length;
}

/**
 * Confidence for a group bound by behaviour alone (same-second bursts, fast reposts, shift rotas), where shared
 * objects cannot be tested: density and tie strength, a little for several layers and for size, scaled by 0.8
 * because behaviour alone also fits organised but open work (a newsroom's social desk works shifts too).
 */
export function behaviourConfidence(f: {
  density: number;
  strength: number;
  layers: number;
  n: number;
}): number {
  const s =
    0.45 * f.density + 0.35 * f.strength + 0.1 * Math.min(1, f.layers / 2) + 0.1 * Math.min(1, f.n / 10);
  return round(0.8 * Math.max(0, Math.min(1, s)));
}

async function accountRefs(store: CaseStore, keys: string[]): Promise<Refs> {
  const out: Refs = new Map();
  if (keys.length === 0) return out;
  await writeAccountKeys(store, "chorus_keys", keys, false);
  const rows = await store.all<{
    platform: string;
    account_id: string;
    handle: string | null;
    display_name: string | null;
    bio: string | null;
  }>(
    `SELECT k.platform, k.account_id, a.handle, a.display_name, a.bio FROM chorus_keys k
       LEFT JOIN accounts a ON a.platform = k.platform AND a.account_id = k.account_id`,
  );
  for (const r of rows)
    out.set(accountKey(r.platform, r.account_id), {
      platform: r.platform,
      accountId: r.account_id,
      handle: r.handle,
      displayName: r.display_name,
      bio: r.bio,
    });
  await store.conn.run("DROP TABLE IF EXISTS chorus_keys");
  return out;
}

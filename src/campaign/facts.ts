/**
 * The facts of a candidate campaign, read from the case: what its members shared together, how many of them acted
 * inside the same burst, when, and at which hours. Group-level facts are what separate a troll unit from organic
 * crowds: a fandom or a viral moment produces many significant pairs, but its members rarely act together in the
 * same few seconds, burst after burst.
 */
import { writeAccountKeys } from "../store/account-keys.js";
import type { CaseStore } from "../store/case.js";
import { readColumns } from "../store/columns.js";
import { buildShares, layerList, notOpenShortenerSql, type ShareTables } from "../store/shares.js";
import type { ObjectKind } from "../model/index.js";

export interface SharedObjectFact {
  kind: string;
  value: string;
  shares: number;
  members: number;
  /** Shares of this object by anyone in the case. */
  total: number;
  /** Most members inside one window on this object. */
  burst: number;
  /**
   * The members' shares of this object inside windows where at least 3 members (or all, for smaller groups) acted:
   * how much the group did on it together.
   */
  together: number;
  /**
   * A near-duplicate text object's text as its cluster's first post wrote it; a repost, reply or quote object's, the
   * text of the post it names, when that post is in the case (set for a campaign's top objects).
   */
  text?: string;
  /** A repost, reply or quote object's: the author of the post it names, `@handle` or account key (top objects). */
  author?: string;
}

export interface GroupFacts {
  /** Objects on which at least two members acted inside one window, most members first. */
  objects: SharedObjectFact[];
  /** Mean over co-shared objects of (most members inside one window) / group size. */
  participation: number;
  /** Of the members who shared a co-shared object, the share inside its biggest burst (weighted by shares). */
  burstShare: number;
  /** How much of the audience of its bursts the group is, in [0, 1] (set by the campaign step). */
  exclusivity: number;
  /**
   * The accounts the group reposts together that never repost a member, each with how many members reposted it and
   * how many accounts in all (its audience in the case), most members first; and the members' share of those
   * audiences, weighted by the joint reposts (set by the campaign step, for groups that amplify one way).
   */
  amplified: Array<{ account: string; members: number; audience: number }>;
  audienceShare: number | null;
  /**
   * Of the amplified accounts, those whose audience is mostly outside the group (idols): the share of the group's
   * joint reposts that were of them, and the members' share of their audiences, weighted the same way.
   */
  idols: { share: number; audience: number };
  /**
   * Whether the group was kept only because it acts as a bloc (set by the campaign step): it amplifies accounts with
   * larger audiences of their own, as fans do, but nearly every member who reposted each post did so inside one
   * window, and the members made nearly all of those posts' shares; or a third or more of the members reposted each
   * post inside one window, half or more of those who came, and the members made nearly all the shares.
   */
  bloc: boolean;
  /**
   * When that bloc works over minutes (kept on the second count above, not the first): its pace over the posts the
   * members reposted together (`paceOf` over its reposts); else null.
   */
  slowBloc: { participation: number; burstShare: number } | null;
  /** When every member's links go (>= 80%) to one and the same domain: that domain (syndication feeds). */
  feedDomain: string | null;
  /**
   * When every member posts (>= 80%) links of one site, its own: the sites, with how many members each (news
   * outlets' syndication accounts, several outlets bound by the same wire headlines). Empty otherwise.
   */
  feedSites: Array<{ domain: string; members: number }>;
  /** With `feedSites`: each member's site (account key -> domain), to check whether its name is the site's. */
  feedOf: Map<string, string>;
  /** Members who reposted a post by another member: the group amplifies itself, not only someone else. */
  reposters: Set<string>;
  /** Objects on which at least 3 members (or all, for smaller groups) acted inside one window. */
  burstObjects: number;
  /**
   * Separate occasions on which at least 3 members (or all, for smaller groups) acted inside one window, on any
   * objects: windows that overlap in time, on one object or several (a link and its domain), are one occasion.
   */
  groupBursts: number;
  /**
   * The first and last share inside a window where at least 3 members (or all, for smaller groups) acted; for a group
   * with none (bound by behaviour), its members' first and last posts.
   */
  firstSeen: string | null;
  lastSeen: string | null;
  /** Posts by members per hour of week, UTC, Monday 00:00 first. */
  hourOfWeek: number[];
  /**
   * Members' posts per UTC day inside bursts of at least three members (or the whole group, if smaller): each post
   * once, whatever objects it names (a link, its domain and a tag are one post).
   */
  timeline: Array<{ day: string; posts: number }>;
  posts: number;
}

/**
 * Facts for every group at once; `groups` maps account key -> group index. `shares`: the case's shares as numbers
 * built in this run (the co-share detector's), used when they hold `layers`.
 */
export async function groupFacts(
  store: CaseStore,
  groups: Map<string, number>,
  sizes: number[],
  layers: string[],
  windowSec: number,
  shares?: ShareTables,
): Promise<GroupFacts[]> {
  await writeAccountKeys(store, "chorus_members", groups, true);
  const facts: GroupFacts[] = sizes.map(() => ({
    objects: [],
    participation: 0,
    burstShare: 0,
    exclusivity: 0,
    amplified: [],
    audienceShare: null,
    idols: { share: 0, audience: 0 },
    bloc: false,
    slowBloc: null,
    feedDomain: null,
    feedSites: [],
    feedOf: new Map<string, string>(),
    reposters: new Set<string>(),
    burstObjects: 0,
    groupBursts: 0,
    firstSeen: null,
    lastSeen: null,
    hourOfWeek: new Array<number>(168).fill(0),
    timeline: [],
    posts: 0,
  }));
  if (groups.size === 0) return facts;
  // the members' shares as the co-share detector counted them, read from the case's shares as numbers (store/
  // shares.ts): those the detector built in this run when they hold these layers, else built here. Joins of
  // numbers: with posts and objects joined by their text keys, this step took 22.8 s against 11.7 s at 10M posts
  // (a group bound by behaviour alone, with no layer of objects, still needs the accounts and posts numbered)
  if (shares === undefined || !layers.every((l) => shares.layers.includes(l as ObjectKind))) {
    await buildShares(store, [...new Set([...(shares?.layers ?? []), ...(layers as ObjectKind[])])].sort());
  }
  await store.conn.run(
    `CREATE OR REPLACE TEMP TABLE chorus_member_ids AS
     SELECT a.aid, m.g FROM chorus_members m JOIN chorus_accounts a USING (platform, account_id)`,
  );
  if (layers.length > 0) await objectFacts(store, facts, sizes, layers, windowSec);
  // the hour of the week by arithmetic on epoch hours (1970-01-01 00:00 UTC was a Thursday, 72 hours into its
  // week): at 10M posts, the calendar functions on a TIMESTAMPTZ cost twice the rest of this query. With each hour's
  // first and last post, which date a group that never acted three at once (one bound by behaviour: its activity is
  // its members' posts)
  const hours = await store.all<{ g: number; how: number; n: number; first: number; last: number }>(
    `SELECT m.g, ((floor(p.t / 3600000)::BIGINT + 72) % 168 + 168)::INTEGER % 168 AS how, count(*)::INTEGER AS n,
            min(p.t)::DOUBLE AS first, max(p.t)::DOUBLE AS last
       FROM chorus_member_ids m JOIN chorus_post_rows p USING (aid)
      GROUP BY 1, 2`,
  );
  const postsFrom = new Float64Array(sizes.length).fill(Infinity);
  const postsTo = new Float64Array(sizes.length).fill(-Infinity);
  for (const h of hours) {
    facts[h.g]!.hourOfWeek[h.how] = h.n;
    facts[h.g]!.posts += h.n;
    postsFrom[h.g] = Math.min(postsFrom[h.g]!, h.first);
    postsTo[h.g] = Math.max(postsTo[h.g]!, h.last);
  }
  facts.forEach((f, g) => {
    if (f.firstSeen === null && postsFrom[g]! !== Infinity) {
      f.firstSeen = new Date(postsFrom[g]!).toISOString();
      f.lastSeen = new Date(postsTo[g]!).toISOString();
    }
  });
  // each member's commonest domain (the lesser name among equals) and how many links it posted in all: one row
  // per member, where a row per member and domain (1.2M at 10M posts) cost seconds to read into objects
  type Top = { g: number; acc: string; domain: string; n: number; total: number };
  const topDomains = await store.all<Top>(
    `SELECT g, a.platform || ':' || a.account_id AS acc, domain, n, total::INTEGER AS total FROM (
       SELECT g, aid, domain, n, sum(n) OVER (PARTITION BY aid) AS total,
              row_number() OVER (PARTITION BY aid ORDER BY n DESC, domain) AS r
         FROM (SELECT m.g, m.aid, o.value AS domain, count(*)::INTEGER AS n
                 FROM chorus_member_ids m JOIN chorus_post_rows p USING (aid)
                 JOIN objects o ON o.platform = p.platform AND o.post_id = p.post_id AND o.kind = 'domain'
                                  AND ${notOpenShortenerSql("o")}
                GROUP BY 1, 2, 3))
      JOIN chorus_accounts a USING (aid)
      WHERE r = 1 ORDER BY g, aid`,
  );
  const topsOf: Top[][] = sizes.map(() => []);
  for (const t of topDomains) topsOf[t.g]!.push(t);
  facts.forEach((f, g) => {
    const tops = topsOf[g]!;
    if (tops.length !== sizes[g] || tops.length === 0) return;
    const domain = tops[0]!.domain;
    if (!tops.every((t) => t.n >= 0.8 * t.total && t.total >= 5)) return;
    if (tops.every((t) => t.domain === domain)) f.feedDomain = domain;
    const sites = new Map<string, number>();
    for (const t of tops) {
      sites.set(t.domain, (sites.get(t.domain) ?? 0) + 1);
      f.feedOf.set(t.acc, t.domain);
    }
    f.feedSites = [...sites]
      .map(([d, members]) => ({ domain: d, members }))
      .sort((x, y) => y.members - x.members || (x.domain < y.domain ? -1 : 1));
  });
  const mutual = await store.all<{ g: number; acc: string }>(
    `SELECT g, a.platform || ':' || a.account_id AS acc
       FROM (SELECT DISTINCT m.g, m.aid
               FROM chorus_member_ids m
               JOIN chorus_post_rows p USING (aid)
               JOIN objects o ON o.platform = p.platform AND o.post_id = p.post_id AND o.kind = 'repost'
               JOIN chorus_post_rows orig ON orig.platform = o.platform AND orig.post_id = o.value AND orig.aid <> p.aid
               JOIN chorus_member_ids m2 ON m2.aid = orig.aid AND m2.g = m.g)
       JOIN chorus_accounts a USING (aid)`,
  );
  for (const r of mutual) facts[r.g]!.reposters.add(r.acc);
  for (const t of ["chorus_members", "chorus_member_ids"]) await store.conn.run(`DROP TABLE IF EXISTS ${t}`);
  return facts;
}

/**
 * The facts of `groupFacts` that come from the members' shares of objects (`layers`, at least one): the objects they
 * shared, how many acted inside one window, when, and on which days. Needs `chorus_member_ids` and the shares.
 */
async function objectFacts(
  store: CaseStore,
  facts: GroupFacts[],
  sizes: number[],
  layers: string[],
  windowSec: number,
): Promise<void> {
  // the members' shares of objects that at least two members of their group shared, with every object's total
  // shares in the case; read as typed columns rather than as a JS object per share, which at a million posts was
  // most of this step's time. "At least two members" is min < max, which needs no set of members per group and
  // object as a distinct count does (at 10M posts, the two queries that ask it took 0.75x the time)
  await store.conn.run(
    `CREATE OR REPLACE TEMP TABLE chorus_member_shares AS
     SELECT m.g, s.aid, s.kind, s.oid, s.t, s.pid
       FROM chorus_shares s JOIN chorus_member_ids m USING (aid)
      WHERE s.kind IN (${layerList(layers as ObjectKind[])})`,
  );
  await store.conn.run(
    `CREATE OR REPLACE TEMP TABLE chorus_group_objects AS
     WITH shared AS (SELECT DISTINCT kind, oid FROM chorus_member_shares
                      GROUP BY g, kind, oid HAVING min(aid) < max(aid)),
          totals AS (SELECT kind, oid, count(*)::DOUBLE AS total
                       FROM chorus_shares SEMI JOIN shared USING (kind, oid) GROUP BY 1, 2)
     SELECT t.kind, t.oid, d.value, (row_number() OVER (ORDER BY t.kind, t.oid) - 1)::INTEGER AS obj, t.total
       FROM totals t JOIN chorus_object_ids d USING (kind, oid)`,
  );
  const { rows: n, cols } = await readColumns(
    store,
    `WITH s AS (SELECT s.g, s.aid, s.t, s.pid, d.obj, d.total
                  FROM chorus_member_shares s JOIN chorus_group_objects d USING (kind, oid)),
          shared AS (SELECT g, obj FROM s GROUP BY g, obj HAVING min(aid) < max(aid))
     SELECT s.g, s.obj, s.aid AS acc_id, s.t, s.pid, s.total
       FROM s SEMI JOIN shared ON shared.g = s.g AND shared.obj = s.obj
      ORDER BY g, obj, t, acc_id`,
    { g: "int32", obj: "int32", acc_id: "int32", t: "float64", pid: "int32", total: "float64" },
  );
  const objectRows = await store.all<{ kind: string; value: string }>(
    `SELECT kind, value FROM chorus_group_objects ORDER BY obj`,
  );
  for (const t of ["chorus_member_shares", "chorus_group_objects"]) {
    await store.conn.run(`DROP TABLE ${t}`);
  }
  const { g: gOf, obj: objOf, acc_id: accOf, t: tOf, pid: pidOf, total: totalOf } = cols;
  const windowMs = windowSec * 1000;
  const DAY_MS = 86_400_000;
  const perGroupObjects: SharedObjectFact[][] = sizes.map(() => []);
  const daily: Array<Map<number, number>> = sizes.map(() => new Map());
  // the group that last counted each post (rows come group by group): a post named by several of a group's objects
  // is counted once, with one typed array for all groups rather than a set of posts per group
  let maxPid = -1;
  for (let r = 0; r < n; r++) if (pidOf[r]! > maxPid) maxPid = pidOf[r]!;
  const countedBy = new Int32Array(maxPid + 1).fill(-1);
  const firstT = new Float64Array(sizes.length).fill(Infinity);
  const lastT = new Float64Array(sizes.length).fill(-Infinity);
  const inWindow = new Map<number, number>();
  const distinct = new Set<number>();
  // each group's occasions, as [start, end] times, merged across objects at the end
  const occasions: Array<Array<[number, number]>> = sizes.map(() => []);
  let i = 0;
  while (i < n) {
    const g = gOf[i]!;
    const o = objOf[i]!;
    let j = i;
    while (j < n && gOf[j] === g && objOf[j] === o) j++;
    // most distinct members inside any window of this object's shares; the shares of windows holding at least
    // `need` members are the group's coordinated activity (two members meeting once on a viral link are not)
    const need = Math.min(3, sizes[g]!);
    let best = 0;
    inWindow.clear();
    let markedUntil = i;
    let together = 0;
    let lo = i;
    for (let hi = i; hi < j; hi++) {
      inWindow.set(accOf[hi]!, (inWindow.get(accOf[hi]!) ?? 0) + 1);
      while (tOf[hi]! - tOf[lo]! > windowMs) {
        const c = inWindow.get(accOf[lo]!)! - 1;
        if (c === 0) inWindow.delete(accOf[lo]!);
        else inWindow.set(accOf[lo]!, c);
        lo++;
      }
      best = Math.max(best, inWindow.size);
      if (inWindow.size >= need) {
        // a window that holds none of the shares of the last one is a new occasion; one that overlaps extends it
        const occ = occasions[g]!;
        if (lo >= markedUntil) occ.push([tOf[lo]!, tOf[hi]!]);
        else occ[occ.length - 1]![1] = tOf[hi]!;
        // shares from lo to hi are coordinated: each is counted once
        together += hi + 1 - Math.max(lo, markedUntil);
        for (let m = Math.max(lo, markedUntil); m <= hi; m++) {
          const t = tOf[m]!;
          if (t < firstT[g]!) firstT[g] = t;
          if (t > lastT[g]!) lastT[g] = t;
          if (countedBy[pidOf[m]!] === g) continue;
          countedBy[pidOf[m]!] = g;
          const day = Math.floor(t / DAY_MS);
          daily[g]!.set(day, (daily[g]!.get(day) ?? 0) + 1);
        }
        markedUntil = hi + 1;
      }
    }
    if (best >= 2) {
      distinct.clear();
      for (let m = i; m < j; m++) distinct.add(accOf[m]!);
      const ref = objectRows[o]!;
      perGroupObjects[g]!.push({
        kind: ref.kind,
        value: ref.value,
        shares: j - i,
        members: distinct.size,
        total: Math.max(totalOf[i]!, j - i),
        burst: best,
        together,
      });
    }
    i = j;
  }
  facts.forEach((f, g) => {
    if (firstT[g]! !== Infinity) {
      f.firstSeen = new Date(firstT[g]!).toISOString();
      f.lastSeen = new Date(lastT[g]!).toISOString();
    }
  });
  perGroupObjects.forEach((objs, g) => {
    const f = facts[g]!;
    const size = sizes[g]!;
    const need = Math.min(3, size);
    ({ participation: f.participation, burstShare: f.burstShare } = paceOf(objs, size));
    f.burstObjects = objs.filter((o) => o.burst >= need).length;
    f.groupBursts = mergedCount(occasions[g]!);
    f.objects = objs.sort(
      (x, y) => y.burst - x.burst || y.shares - x.shares || (x.kind + x.value < y.kind + y.value ? -1 : 1),
    );
    f.timeline = [...daily[g]!]
      .sort((x, y) => x[0] - y[0])
      .map(([day, posts]) => ({ day: new Date(day * DAY_MS).toISOString().slice(0, 10), posts }));
  });
}

/** How many separate intervals `spans` (`[start, end]`) make once those that overlap are merged. Sorts `spans`. */
/**
 * How many of a group's `size` members came to each of `objects` inside one window, on average (`participation`),
 * and what share of the members who shared them did so inside that window (`burstShare`).
 */
export function paceOf(
  objects: readonly SharedObjectFact[],
  size: number,
): { participation: number; burstShare: number } {
  const members = objects.reduce((s, o) => s + o.members, 0);
  return {
    participation:
      objects.length === 0 ? 0 : objects.reduce((s, o) => s + o.burst / size, 0) / objects.length,
    burstShare: members === 0 ? 0 : objects.reduce((s, o) => s + o.burst, 0) / members,
  };
}

function mergedCount(spans: Array<[number, number]>): number {
  spans.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  let count = 0;
  let end = -Infinity;
  for (const [s, e] of spans) {
    if (s > end) count++;
    end = Math.max(end, e);
  }
  return count;
}

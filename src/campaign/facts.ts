/**
 * The facts of a candidate campaign, read from the case: what its members shared together, how many of them acted
 * inside the same burst, when, and at which hours. Group-level facts are what separate a troll unit from organic
 * crowds: a fandom or a viral moment produces many significant pairs, but its members rarely act together in the
 * same few seconds, burst after burst.
 */
import { writeAccountKeys } from "../store/account-keys.js";
import type { CaseStore } from "../store/case.js";

export interface SharedObjectFact {
  kind: string;
  value: string;
  shares: number;
  members: number;
  /** Shares of this object by anyone in the case. */
  total: number;
  /** Most members inside one window on this object. */
  burst: number;
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
  /** When every member's links go (>= 80%) to one and the same domain: that domain (syndication feeds). */
  feedDomain: string | null;
  /**
   * When every member posts (>= 80%) links of one site, its own: the sites, with how many members each (news
   * outlets' syndication accounts, several outlets bound by the same wire headlines). Empty otherwise.
   */
  feedSites: Array<{ domain: string; members: number }>;
  /** Members who reposted a post by another member: the group amplifies itself, not only someone else. */
  reposters: Set<string>;
  /** Objects on which at least 3 members (or all, for smaller groups) acted inside one window. */
  burstObjects: number;
  firstSeen: string | null;
  lastSeen: string | null;
  /** Posts by members per hour of week, UTC, Monday 00:00 first. */
  hourOfWeek: number[];
  /** Members' shares per UTC day inside bursts of at least three members (or the whole group, if smaller). */
  timeline: Array<{ day: string; posts: number }>;
  posts: number;
}

/** Facts for every group at once; `groups` maps account key -> group index. */
export async function groupFacts(
  store: CaseStore,
  groups: Map<string, number>,
  sizes: number[],
  layers: string[],
  windowSec: number,
): Promise<GroupFacts[]> {
  await writeAccountKeys(store, "chorus_members", groups, true);
  const facts: GroupFacts[] = sizes.map(() => ({
    objects: [],
    participation: 0,
    burstShare: 0,
    exclusivity: 0,
    feedDomain: null,
    feedSites: [],
    reposters: new Set<string>(),
    burstObjects: 0,
    firstSeen: null,
    lastSeen: null,
    hourOfWeek: new Array<number>(168).fill(0),
    timeline: [],
    posts: 0,
  }));
  if (layers.length === 0 || groups.size === 0) return facts;
  const layerList = layers.map((l) => `'${l.replace(/'/g, "''")}'`).join(", ");
  const shares = await store.all<{
    g: number;
    kind: string;
    value: string;
    acc: string;
    t: number;
    total: number;
  }>(
    `WITH s AS (
       SELECT m.g, o.kind, o.value, p.platform || ':' || p.account_id AS acc, epoch_ms(p.ts)::DOUBLE AS t
         FROM chorus_members m
         JOIN posts p ON p.platform = m.platform AND p.account_id = m.account_id
         JOIN shared_objects o ON o.platform = p.platform AND o.post_id = p.post_id
        WHERE o.kind IN (${layerList})),
     shared AS (SELECT g, kind, value FROM s GROUP BY g, kind, value HAVING count(DISTINCT acc) >= 2),
     totals AS (SELECT o.kind, o.value, count(*)::DOUBLE AS total FROM shared_objects o
                  JOIN (SELECT DISTINCT kind, value FROM shared) USING (kind, value) GROUP BY 1, 2)
     SELECT s.*, totals.total FROM s JOIN shared USING (g, kind, value) JOIN totals USING (kind, value)
      ORDER BY s.g, s.kind, s.value, s.t, s.acc`,
  );
  const windowMs = windowSec * 1000;
  let i = 0;
  const perGroupObjects: SharedObjectFact[][] = sizes.map(() => []);
  const daily: Array<Map<string, number>> = sizes.map(() => new Map());
  while (i < shares.length) {
    const first = shares[i]!;
    let j = i;
    while (
      j < shares.length &&
      shares[j]!.g === first.g &&
      shares[j]!.kind === first.kind &&
      shares[j]!.value === first.value
    ) {
      j++;
    }
    const run = shares.slice(i, j);
    // most distinct members inside any window of this object's shares; the shares of windows holding at least
    // `need` members are the group's coordinated activity (two members meeting once on a viral link are not)
    const need = Math.min(3, sizes[first.g]!);
    let best = 0;
    const inWindow = new Map<string, number>();
    const coordinated = new Uint8Array(run.length);
    let markedUntil = 0;
    let lo = 0;
    for (let hi = 0; hi < run.length; hi++) {
      inWindow.set(run[hi]!.acc, (inWindow.get(run[hi]!.acc) ?? 0) + 1);
      while (run[hi]!.t - run[lo]!.t > windowMs) {
        const c = inWindow.get(run[lo]!.acc)! - 1;
        if (c === 0) inWindow.delete(run[lo]!.acc);
        else inWindow.set(run[lo]!.acc, c);
        lo++;
      }
      best = Math.max(best, inWindow.size);
      if (inWindow.size >= need) {
        for (let m = Math.max(lo, markedUntil); m <= hi; m++) coordinated[m] = 1;
        markedUntil = hi + 1;
      }
    }
    if (best >= 2) {
      perGroupObjects[first.g]!.push({
        kind: first.kind,
        value: first.value,
        shares: run.length,
        members: new Set(run.map((r) => r.acc)).size,
        total: Math.max(first.total, run.length),
        burst: best,
      });
    }
    const f = facts[first.g]!;
    run.forEach((r, m) => {
      if (!coordinated[m]) return;
      const iso = new Date(r.t).toISOString();
      if (f.firstSeen === null || iso < f.firstSeen) f.firstSeen = iso;
      if (f.lastSeen === null || iso > f.lastSeen) f.lastSeen = iso;
      const day = iso.slice(0, 10);
      daily[first.g]!.set(day, (daily[first.g]!.get(day) ?? 0) + 1);
    });
    i = j;
  }
  perGroupObjects.forEach((objs, g) => {
    const f = facts[g]!;
    const size = sizes[g]!;
    const need = Math.min(3, size);
    f.participation = objs.length === 0 ? 0 : objs.reduce((s, o) => s + o.burst / size, 0) / objs.length;
    const members = objs.reduce((s, o) => s + o.members, 0);
    f.burstShare = members === 0 ? 0 : objs.reduce((s, o) => s + o.burst, 0) / members;
    f.burstObjects = objs.filter((o) => o.burst >= need).length;
    f.objects = objs.sort(
      (x, y) => y.burst - x.burst || y.shares - x.shares || (x.kind + x.value < y.kind + y.value ? -1 : 1),
    );
    f.timeline = [...daily[g]!]
      .sort((x, y) => (x[0] < y[0] ? -1 : 1))
      .map(([day, posts]) => ({ day, posts }));
  });
  const hours = await store.all<{ g: number; how: number; n: number }>(
    `SELECT m.g, ((isodow(p.ts) - 1) * 24 + hour(p.ts))::INTEGER AS how, count(*)::INTEGER AS n
       FROM chorus_members m JOIN posts p ON p.platform = m.platform AND p.account_id = m.account_id
      GROUP BY 1, 2`,
  );
  for (const h of hours) {
    facts[h.g]!.hourOfWeek[h.how] = h.n;
    facts[h.g]!.posts += h.n;
  }
  const domains = await store.all<{ g: number; acc: string; domain: string; n: number }>(
    `SELECT m.g, p.platform || ':' || p.account_id AS acc, o.value AS domain, count(*)::INTEGER AS n
       FROM chorus_members m JOIN posts p ON p.platform = m.platform AND p.account_id = m.account_id
       JOIN objects o ON o.platform = p.platform AND o.post_id = p.post_id AND o.kind = 'domain'
      GROUP BY 1, 2, 3 ORDER BY 1, 2, 4 DESC, 3`,
  );
  const topOf = new Map<string, { g: number; domain: string; n: number; total: number }>();
  for (const d of domains) {
    const cur = topOf.get(d.acc);
    if (!cur) topOf.set(d.acc, { g: d.g, domain: d.domain, n: d.n, total: d.n });
    else cur.total += d.n;
  }
  facts.forEach((f, g) => {
    const tops = [...topOf.values()].filter((t) => t.g === g);
    if (tops.length !== sizes[g] || tops.length === 0) return;
    const domain = tops[0]!.domain;
    if (!tops.every((t) => t.n >= 0.8 * t.total && t.total >= 5)) return;
    if (tops.every((t) => t.domain === domain)) f.feedDomain = domain;
    const sites = new Map<string, number>();
    for (const t of tops) sites.set(t.domain, (sites.get(t.domain) ?? 0) + 1);
    f.feedSites = [...sites]
      .map(([d, members]) => ({ domain: d, members }))
      .sort((x, y) => y.members - x.members || (x.domain < y.domain ? -1 : 1));
  });
  const mutual = await store.all<{ g: number; acc: string }>(
    `SELECT DISTINCT m.g, p.platform || ':' || p.account_id AS acc
       FROM chorus_members m
       JOIN posts p ON p.platform = m.platform AND p.account_id = m.account_id
       JOIN objects o ON o.platform = p.platform AND o.post_id = p.post_id AND o.kind = 'repost'
       JOIN posts orig ON orig.platform = o.platform AND orig.post_id = o.value AND orig.account_id <> p.account_id
       JOIN chorus_members m2 ON m2.platform = orig.platform AND m2.account_id = orig.account_id AND m2.g = m.g`,
  );
  for (const r of mutual) facts[r.g]!.reposters.add(r.acc);
  await store.conn.run("DROP TABLE IF EXISTS chorus_members");
  return facts;
}

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copypastaWorld, type CopypastaWorld } from "../../../test/helpers/copypasta.js";
import { caseOf, DAY, HOUR, MINUTE, PostLog, SECOND, T0 } from "../../../test/helpers/posts.js";
import { tempDir } from "../../../test/helpers/tmp.js";
import type { CaseStore } from "../../store/case.js";
import { hasLoneSurrogate } from "../../normalize/text.js";
import type { DerivedObjects } from "../detector.js";
import { runDetectors, type DetectorRun } from "../run.js";
import { matchingLetters } from "./shingle.js";

const NOW = new Date("2024-06-01T00:00:00Z");

async function nearDuplicate(store: CaseStore, params: Record<string, unknown> = {}): Promise<DetectorRun> {
  const { runs } = await runDetectors(store, {
    only: ["near-duplicate"],
    params: { "near-duplicate": params },
    seed: 7,
    now: NOW,
  });
  return runs[0]!;
}

/** Cluster name -> its posts' ids, from the run's derived objects. */
function clustersOf(d: DerivedObjects | undefined): Map<string, string[]> {
  const out = new Map<string, string[]>();
  if (!d) return out;
  d.postId.forEach((id, i) => {
    const name = d.values[d.value[i]!]!;
    out.set(name, [...(out.get(name) ?? []), id]);
  });
  return out;
}

describe("near-duplicate on a unit pasting five messages among ordinary posts", () => {
  let tmp: ReturnType<typeof tempDir>;
  let store: CaseStore;
  let world: CopypastaWorld;
  let run: DetectorRun;

  beforeAll(async () => {
    tmp = tempDir();
    world = copypastaWorld(3);
    store = (await caseOf(tmp, world.posts)).store;
    run = await nearDuplicate(store);
  });
  afterAll(() => {
    store.close();
    tmp.cleanup();
  });

  it("finds each pasted message as one cluster holding exactly its copies", () => {
    expect(run.status).toBe("ok");
    const d = run.result.derivedObjects;
    expect(d?.kind).toBe("text");
    const got = [...clustersOf(d).values()].map((ids) => [...ids].sort());
    const want = world.copies.map((ids) => [...ids].sort());
    expect(got.sort()).toEqual(want.sort());
  });

  it("names each cluster after its earliest post", () => {
    const ts = new Map(world.posts.map((p) => [p.post_id, p.ts]));
    for (const [name, ids] of clustersOf(run.result.derivedObjects)) {
      const earliest = [...ids].sort(
        (a, b) => ts.get(a)!.localeCompare(ts.get(b)!) || a.localeCompare(b),
      )[0]!;
      expect(name).toBe(`t:twitter:${earliest}`);
    }
  });

  it("leaves out same-topic texts, short texts, bare links and hashtags, reposts and one account's repeats", () => {
    const inside = new Set(run.result.derivedObjects!.postId);
    for (const id of [...world.outside, ...world.selfCopies]) expect(inside.has(id), id).toBe(false);
    expect(run.result.counts["clusters_single_account"]).toBe(1);
  });

  it("counts verbatim-only and edited clusters, posts, and the largest cluster", () => {
    const c = run.result.counts;
    expect(c["clusters"]).toBe(5);
    expect(c["clusters_exact"]).toBe(1);
    expect(c["clusters_near"]).toBe(4);
    expect(c["posts_in_clusters"]).toBe(world.copies.flat().length);
    expect(c["largest_cluster_posts"]).toBe(8);
    expect(c["accounts_in_clusters"]).toBe(world.unit.length);
    // reposts are not read; the 36 short, link-only and hashtag-only posts are too short once stripped
    expect(c["posts"]).toBe(world.posts.length - world.reposts.length);
    expect(c["posts_too_short"]).toBe(36);
    expect(run.message).toMatch(/^5 texts posted by 2 or more accounts \(1 verbatim only, 4 with edits\)/);
  });

  it("reports each unit member that pasted two or more long messages, with the posts as evidence", async () => {
    const subjects = run.result.findings.map((f) => f.subject);
    const pastedBy = new Map<string, number>();
    const account = new Map(world.posts.map((p) => [p.post_id, p.account_id]));
    for (const ids of world.copies)
      for (const id of ids) pastedBy.set(account.get(id)!, (pastedBy.get(account.get(id)!) ?? 0) + 1);
    const want = [...pastedBy]
      .filter(([, n]) => n >= 2)
      .map(([a]) => `twitter:${a}`)
      .sort();
    expect(subjects).toEqual(want);
    for (const f of run.result.findings) {
      const ev = f.evidence as {
        clusters_total: number;
        clusters: Array<{ post: { post_id: string; source_row: number } }>;
      };
      expect(ev.clusters_total).toBe(pastedBy.get(f.subject.slice("twitter:".length)));
      for (const c of ev.clusters)
        expect(account.get(c.post.post_id)).toBe(f.subject.slice("twitter:".length));
      expect(f.strength).toBe(ev.clusters_total >= 4 ? "moderate" : "weak");
    }
    const rows = await store.all<{ post_id: string; source_row: number }>(
      "SELECT post_id, source_row::INTEGER AS source_row FROM posts",
    );
    const rowOf = new Map(rows.map((r) => [r.post_id, r.source_row]));
    const first = run.result.findings[0]!.evidence as {
      clusters: Array<{ post: { post_id: string; source_row: number } }>;
    };
    expect(first.clusters[0]!.post.source_row).toBe(rowOf.get(first.clusters[0]!.post.post_id));
  });

  it("describes the largest clusters with their first post", () => {
    const top = run.result.details!["top_clusters"] as Array<{
      text: string;
      accounts: number;
      first: { post_id: string; sample: string };
    }>;
    expect(top).toHaveLength(5);
    for (const t of top) expect(t.text).toBe(`t:twitter:${t.first.post_id}`);
    const texts = new Map(world.posts.map((p) => [p.post_id, p.text]));
    expect(top[0]!.first.sample).toBe(texts.get(top[0]!.first.post_id));
  });

  it("joins reposts to the cluster of the text they repeat when asked to", async () => {
    const r = await nearDuplicate(store, { includeReposts: true });
    const clusters = clustersOf(r.result.derivedObjects);
    const holding = [...clusters.values()].find((ids) => ids.includes(world.copies[0]![0]!))!;
    for (const id of world.reposts) expect(holding).toContain(id);
  });

  it("says it found nothing when every text is below the minimum length", async () => {
    const r = await nearDuplicate(store, { minChars: 500 });
    expect(r.status).toBe("ok");
    expect(r.message).toMatch(/no text was posted/);
    expect(r.result.derivedObjects).toBeUndefined();
    expect(r.result.counts["posts_too_short"]).toBe(r.result.counts["posts"]);
  });

  it("rejects a sketch larger than 256 slots", async () => {
    await expect(nearDuplicate(store, { bands: 64, rows: 8 })).rejects.toThrow(
      /near-duplicate: .*at most 256/,
    );
  });
});

/**
 * Cases an investigator meets (see the README's known false positives): outlets' feeds carrying the same wire
 * headlines, each with its own site's link, beside a unit pasting its messages with one campaign link; accounts
 * chanting a slogan over and over; copies cut short by a retweet; a sample cut in the middle of an emoji.
 */
describe("near-duplicate on syndicated headlines, chants and cut copies", () => {
  let tmp: ReturnType<typeof tempDir>;
  let store: CaseStore;
  let run: DetectorRun;
  const log = new PostLog();
  const feeds = ["bbc.com", "dw.com", "iranwire.com", "radiofarda.com"];
  const unit = ["u1", "u2", "u3", "u4", "u5"];
  const headlines = [
    "Teachers across Iran strike for a third day demanding higher wages and the release of colleagues",
    "UN rights experts call on Tehran to halt executions of protesters after closed-door trials",
    "Power cuts hit Tehran as a heatwave drives electricity demand to an all-time high this summer",
    "Journalist arrested in Mashhad after reporting on water shortages in the city, her family says",
    "Court sentences a rapper to prison for songs supporting the protest movement, his lawyer says",
  ];
  const messages = [
    "The ministry lied to all of us again: the real unemployment figures are twice what they published last week, " +
      "and they know it. Share this before they delete it and ask your representative why nobody is being held " +
      "accountable for the cover-up",
    "دولت دوباره درباره قیمت آب به مردم دروغ گفت و آمار واقعی را پنهان کرد، این پیام را قبل از حذف شدن برای همه " +
      "دوستان خود بفرستید و از نماینده\u200cتان بپرسید چرا هیچ\u200cکس پاسخگو نیست",
    "Do not trust the journalists of that channel, every report they publish about the strike is paid propaganda " +
      "and their owners sit in the same offices as the ministers they pretend to question every night on air",
  ];
  const chants: string[] = [];
  const chorus: string[] = [];
  const cutCopies: string[] = [];
  let sampled = "";

  beforeAll(async () => {
    // each feed: the shared wire headlines within seconds of one another, and stories of its own, all with its link
    headlines.forEach((h, j) =>
      feeds.forEach((site, k) =>
        log.add(`feed_${site}`, T0 + j * 5 * HOUR + k * 4 * SECOND, {
          text: `${h} https://www.${site}/news/${j}-${k}`,
          urls: [`https://www.${site}/news/${j}-${k}`],
        }),
      ),
    );
    const own = ["Opinion", "Weather", "Sport", "Culture", "Science", "Markets", "Letters", "Travel", "Food"];
    feeds.forEach((site, k) => {
      for (let i = 0; i < 2; i++)
        log.add(`feed_${site}`, T0 + DAY + i * HOUR + k * MINUTE, {
          text: `${own[(k * 2 + i) % own.length]} ${k * 7 + i}`,
          urls: [`https://www.${site}/own/${i}`],
        });
    });
    // the unit: each message pasted by every member within a minute, always with the one campaign link
    messages.forEach((m, j) =>
      unit.forEach((a, k) =>
        log.add(a, T0 + 2 * DAY + j * HOUR + k * 9 * SECOND, {
          text: `${m} https://campaign.example/p/${j}`,
          urls: [`https://campaign.example/p/${j}`],
        }),
      ),
    );
    unit.forEach((a, k) =>
      log.add(a, T0 + 3 * DAY + k * MINUTE, {
        text: `Read it all here https://campaign.example/all/${k}`,
        urls: [`https://campaign.example/all/${k}`],
      }),
    );
    // readers' manual retweets of the first message, cut to fit with an ellipsis
    for (let i = 0; i < 3; i++) {
      const text = `RT @h_u1: ${messages[0]!.slice(0, 115 - 10 * i)}… https://t.co/abc${i}`;
      cutCopies.push(log.add(`reader${i}`, T0 + 2 * DAY + 5 * MINUTE + i * MINUTE, { text }));
    }
    // people chanting, each as many times as they like
    const slogans = ["زن زندگی آزادی ✊ ", "آزادی ", "Woman Life Freedom! "];
    for (let i = 0; i < 12; i++)
      chants.push(
        log.add(`chanter${i}`, T0 + 4 * DAY + i * 20 * SECOND, {
          text: slogans[i % slogans.length]!.repeat(3 + i),
        }),
      );
    // two longer chants, each a few slogans written over and over: long in letters, short in what they say
    const longChants = [
      "مرگ بر دیکتاتور، زن زندگی آزادی! ",
      "Free them all, free Iran, woman life freedom. ",
    ];
    for (let i = 0; i < 5; i++)
      longChants.forEach((c, k) =>
        chorus.push(
          log.add(`chorus${i}`, T0 + 4 * DAY + HOUR + k * HOUR + i * 30 * SECOND, { text: c.repeat(3 + i) }),
        ),
      );
    // a text whose 280-character sample ends inside an emoji
    const long =
      "Nowruz in the village where I grew up began with my grandmother washing every carpet in the stream, and " +
      "ended, thirteen days later, with the whole street walking out to the fields to throw the sabzeh into the " +
      "river and to wish for a better year, which we did every year, even the years nobody believed in it";
    sampled = long.slice(0, 279) + "😀" + long.slice(279);
    for (let i = 0; i < 9; i++) log.add(`quoter${i}`, T0 + 5 * DAY + i * 30 * SECOND, { text: sampled });
    tmp = tempDir();
    store = (await caseOf(tmp, log.posts)).store;
    run = await nearDuplicate(store);
  });
  afterAll(() => {
    store.close();
    tmp.cleanup();
  });

  const accountOf = (id: string): string => log.posts.find((p) => p.post_id === id)!.account_id;

  it("keeps the syndicated headlines as texts but gives the feeds no finding, and says so", () => {
    const clusters = [...clustersOf(run.result.derivedObjects).values()];
    const syndicated = clusters.filter((ids) => ids.every((id) => accountOf(id).startsWith("feed_")));
    expect(syndicated).toHaveLength(headlines.length);
    for (const ids of syndicated) expect(new Set(ids.map(accountOf)).size).toBe(feeds.length);
    const subjects = run.result.findings.map((f) => f.subject);
    for (const site of feeds) expect(subjects).not.toContain(`twitter:feed_${site}`);
    expect(run.result.counts["clusters_syndicated"]).toBe(headlines.length);
    expect(run.result.counts["accounts_syndicating"]).toBe(feeds.length);
    expect(run.message).toMatch(new RegExp(`${feeds.length} accounts given no finding.*syndication`));
  });

  it("still reports a unit that pastes its messages with one campaign link", () => {
    const subjects = run.result.findings.map((f) => f.subject).sort();
    expect(subjects).toEqual(unit.map((a) => `twitter:${a}`));
    for (const f of run.result.findings)
      expect((f.evidence as { clusters_total: number }).clusters_total).toBe(messages.length);
  });

  it("puts manual retweets cut short with an ellipsis in the cluster of the message they cut", () => {
    const clusters = [...clustersOf(run.result.derivedObjects).values()];
    const holding = clusters.find((ids) => ids.includes(cutCopies[0]!));
    expect(holding).toBeDefined();
    for (const id of cutCopies) expect(holding).toContain(id);
    // the unit's copies of that message and the cut retweets, nothing else
    const texts = new Map(log.posts.map((p) => [p.post_id, p.text]));
    for (const id of holding!) {
      if (cutCopies.includes(id)) continue;
      expect(unit).toContain(accountOf(id));
      expect(texts.get(id)!.startsWith(messages[0]!)).toBe(true);
    }
    expect(new Set(holding!.map(accountOf)).size).toBe(unit.length + cutCopies.length);
  });

  it("compares no chant, however many times it is repeated", () => {
    const inside = new Set(run.result.derivedObjects!.postId);
    for (const id of chants) expect(inside.has(id), id).toBe(false);
  });

  it("compares longer chants but counts them at what they say towards findings, not at their length", () => {
    const clusters = [...clustersOf(run.result.derivedObjects).values()];
    const chanted = clusters.filter((ids) => ids.every((id) => chorus.includes(id)));
    expect(chanted).toHaveLength(2);
    // long enough in letters to count, had repeats been counted
    for (const id of chorus) {
      const text = log.posts.find((p) => p.post_id === id)!.text;
      expect(matchingLetters(text).length).toBeGreaterThanOrEqual(60);
    }
    const subjects = run.result.findings.map((f) => f.subject);
    for (let i = 0; i < 5; i++) expect(subjects).not.toContain(`twitter:chorus${i}`);
  });

  it("tells how long each cluster took to be posted, and cuts no emoji in half in a sample", () => {
    const ts = new Map(log.posts.map((p) => [p.post_id, Date.parse(p.ts)]));
    const spanOf = new Map(
      [...clustersOf(run.result.derivedObjects)].map(([name, ids]) => {
        const t = ids.map((id) => ts.get(id)!);
        return [name, Math.round((Math.max(...t) - Math.min(...t)) / 1000)];
      }),
    );
    for (const f of run.result.findings) {
      const ev = f.evidence as { clusters: Array<{ text: string; span_seconds: number }> };
      for (const c of ev.clusters) expect(c.span_seconds).toBe(spanOf.get(c.text));
      expect(f.explanation).toMatch(/within \d+ (seconds|minutes)/);
    }
    const top = run.result.details!["top_clusters"] as Array<{
      span_seconds: number;
      text: string;
      first: { sample: string };
    }>;
    for (const t of top) {
      expect(t.span_seconds).toBe(spanOf.get(t.text));
      expect(hasLoneSurrogate(t.first.sample)).toBe(false);
    }
    const quoted = top.find((t) => sampled.startsWith(t.first.sample))!;
    expect(quoted.first.sample.length).toBeLessThan(280);
  });
});

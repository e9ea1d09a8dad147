import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copypastaWorld, type CopypastaWorld } from "../../../test/helpers/copypasta.js";
import { caseOf } from "../../../test/helpers/posts.js";
import { tempDir } from "../../../test/helpers/tmp.js";
import type { CaseStore } from "../../store/case.js";
import type { DerivedObjects } from "../detector.js";
import { runDetectors, type DetectorRun } from "../run.js";

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

/**
 * A tie's post pairs, read back from the posts, follow co-share's counting of reposts: a repost's copied link is
 * the repost's, not a share of the link, and an original meets its reposters on its own repost object.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { analyzeCase } from "../report/pipeline.js";
import type { CaseStore } from "../store/case.js";
import { caseOf, HOUR, PostLog, SECOND, T0 } from "../../test/helpers/posts.js";
import { tempDir } from "../../test/helpers/tmp.js";
import { createApp } from "./app.js";

const ORIGIN = "http://127.0.0.1:8124";

let tmp: ReturnType<typeof tempDir>;
let store: CaseStore;
let app: ReturnType<typeof createApp>;

// c posts six links; a reposts each 5 s later and b 12 s later, copying the link as a retweet does. On six other
// days a and b post six links of their own, 20 s apart, and on four more a t.co link each, 10 s apart. 30 other accounts post links nobody else does.
beforeAll(async () => {
  tmp = tempDir();
  const log = new PostLog();
  for (let i = 0; i < 6; i++) {
    const t = T0 + (i + 1) * 3 * HOUR;
    const url = `https://news.example/${i}`;
    const original = log.add("c", t, { urls: [url] });
    log.add("a", t + 5 * SECOND, { urls: [url], mentions: ["h_c"], repostOf: original });
    log.add("b", t + 12 * SECOND, { urls: [url], mentions: ["h_c"], repostOf: original });
    const own = `https://blog.example/${i}`;
    log.add("a", t + 48 * HOUR, { urls: [own] });
    log.add("b", t + 48 * HOUR + 20 * SECOND, { urls: [own] });
    // and each a link of its own through t.co, seconds apart: an open shortener's domain is no shared site
    if (i < 4) {
      log.add("a", t + 96 * HOUR, { urls: [`https://t.co/a${i}`] });
      log.add("b", t + 96 * HOUR + 10 * SECOND, { urls: [`https://t.co/b${i}`] });
    }
  }
  for (let i = 0; i < 30; i++) {
    for (let j = 0; j < 3; j++)
      log.add(`other${i}`, T0 + (i * 3 + j) * 17 * 60_000, { urls: [`https://own${i}.example/${j}`] });
  }
  ({ store } = await caseOf(tmp, log.posts, "reposts"));
  await analyzeCase(store, { outDir: tmp.path("out"), report: false, now: new Date("2026-01-01T00:00:00Z") });
  app = createApp(store, { host: "127.0.0.1", port: 8124, casePath: "case.duckdb" });
}, 60_000);
afterAll(() => {
  store.close();
  tmp.cleanup();
});

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function tie(a: string, b: string): Promise<Json> {
  const res = await app.request(`${ORIGIN}/api/ties/${encodeURIComponent(a)}/${encodeURIComponent(b)}`);
  expect(res.status).toBe(200);
  return (await res.json()) as Json;
}

describe("a tie's post pairs and reposts", () => {
  it("counts no meeting on an open shortener's domain, as co-share does", async () => {
    const body = await tie("twitter:a", "twitter:b");
    const domainPairs = (body.pairs as Json[]).filter((p) => p.layer === "domain");
    expect(domainPairs.length).toBeGreaterThan(0);
    expect(domainPairs.map((p) => p.object)).not.toContain("t.co");
  });

  it("lists only the links two accounts posted themselves on their url tie, not the copies in their reposts", async () => {
    const body = await tie("twitter:a", "twitter:b");
    const url = (body.ties as Json[]).find((t) => t.layer === "url")!;
    expect(url).toMatchObject({ n_objects: 6, pairs: 6, objects_in_window: 6 });
    const urlPairs = (body.pairs as Json[]).filter((p) => p.layer === "url");
    expect(urlPairs.map((p) => p.object).every((o: string) => o.startsWith("https://blog.example/"))).toBe(
      true,
    );
    expect(urlPairs.map((p) => p.gap_seconds)).toEqual([20, 20, 20, 20, 20, 20]);
  });

  it("lists the author's original beside each repost on the repost tie", async () => {
    const body = await tie("twitter:c", "twitter:a");
    const repost = (body.ties as Json[]).find((t) => t.layer === "repost")!;
    expect(repost).toMatchObject({ n_objects: 6, pairs: 6 });
    const pairs = (body.pairs as Json[]).filter((p) => p.layer === "repost");
    expect(pairs).toHaveLength(6);
    for (const p of pairs) {
      // a < c: a's repost is side a, c's original side b, 5 s earlier and itself the object
      expect(p).toMatchObject({ gap_seconds: 5, first: "b", source: "posts" });
      expect(p.object).toBe(p.b.post_id);
    }
  });
});

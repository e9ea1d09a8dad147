/**
 * Hand-built cases for detector and campaign tests: posts in the native `chorus-jsonl` format, written to a
 * temporary file and ingested into a fresh case, exactly as a user's input would be.
 */
import { writeFileSync } from "node:fs";
import { ingestFile } from "../../src/ingest/ingest.js";
import { CaseStore } from "../../src/store/case.js";
import { afterAll, beforeAll } from "vitest";
import { tempDir } from "./tmp.js";

/** One line of `chorus-jsonl`. Entity lists are always given (possibly empty) so nothing is extracted from text. */
export interface JsonlPost {
  platform: string;
  post_id: string;
  account_id: string;
  handle: string;
  ts: string;
  text: string;
  urls: string[];
  hashtags: string[];
  mentions: string[];
  repost_of?: string;
  reply_to?: string;
  quote_of?: string;
  client?: string;
}

export interface PostSpec {
  urls?: string[];
  hashtags?: string[];
  mentions?: string[];
  repostOf?: string;
  replyTo?: string;
  quoteOf?: string;
  text?: string;
  /** The app that sent the post. */
  client?: string;
}

export const T0 = Date.UTC(2024, 4, 1, 0, 0, 0, 0);
export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** Collects posts with sequential ids; accounts are on platform `twitter` with handle `h_<id>`. */
export class PostLog {
  readonly posts: JsonlPost[] = [];
  private next = 1;

  /** Adds a post by `account` at epoch ms `tsMs`; returns its post id. */
  add(account: string, tsMs: number, spec: PostSpec = {}): string {
    const id = `p${String(this.next++).padStart(6, "0")}`;
    const post: JsonlPost = {
      platform: "twitter",
      post_id: id,
      account_id: account,
      handle: `h_${account}`,
      ts: new Date(tsMs).toISOString(),
      text: spec.text ?? `post ${id}`,
      urls: spec.urls ?? [],
      hashtags: spec.hashtags ?? [],
      mentions: spec.mentions ?? [],
    };
    if (spec.repostOf !== undefined) post.repost_of = spec.repostOf;
    if (spec.replyTo !== undefined) post.reply_to = spec.replyTo;
    if (spec.quoteOf !== undefined) post.quote_of = spec.quoteOf;
    if (spec.client !== undefined) post.client = spec.client;
    this.posts.push(post);
    return id;
  }
}

export const key = (account: string): string => `twitter:${account}`;

/** `n` account ids `<prefix>1` to `<prefix>n`. */
export function accountIds(prefix: string, n: number): string[] {
  return Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`);
}

/**
 * The background of the repost layer: `posts` posts by accounts of `crowd` at random times over 20 days from T0,
 * each reposted by 0-4 accounts of the crowd over the next 6 hours (drawn from `rng`, in that order).
 */
export function crowdReposts(log: PostLog, rng: () => number, crowd: readonly string[], posts: number): void {
  const pick = (): string => crowd[Math.floor(rng() * crowd.length)]!;
  for (let i = 0; i < posts; i++) {
    const t = T0 + Math.floor(rng() * 20 * DAY);
    const id = log.add(pick(), t, { text: `my view ${i}` });
    const reposts = Math.floor(rng() * 5);
    for (let r = 0; r < reposts; r++) {
      log.add(pick(), t + Math.floor(rng() * 6 * HOUR), { repostOf: id, text: `RT ${i}` });
    }
  }
}

/** A log-normal draw from `rng` with the given median and log-sd (a delay, say). */
export function lognormal(rng: () => number, median: number, sigma: number): number {
  const u = Math.max(1e-12, rng());
  const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
  return median * Math.exp(sigma * z);
}

export function writeJsonl(path: string, posts: JsonlPost[]): void {
  const sorted = [...posts].sort((x, y) => (x.ts < y.ts ? -1 : x.ts > y.ts ? 1 : 0));
  writeFileSync(path, sorted.map((p) => JSON.stringify(p)).join("\n") + "\n");
}

/**
 * The cases of a test suite: a temporary directory made before its tests and removed after them, each case opened
 * by `caseOf` there (`open`) closed first. Call it at the top of the file or of a `describe`.
 */
export function suiteCases(prefix?: string): {
  /** The suite's directory (made before its tests run). */
  tmp: () => ReturnType<typeof tempDir>;
  open: (posts: JsonlPost[], name?: string) => Promise<{ store: CaseStore; path: string }>;
} {
  let dir: ReturnType<typeof tempDir> | undefined;
  const stores: CaseStore[] = [];
  beforeAll(() => {
    dir = tempDir(prefix);
  });
  afterAll(() => {
    for (const s of stores) s.close();
    dir?.cleanup();
  });
  const tmp = (): ReturnType<typeof tempDir> => {
    if (dir === undefined) throw new Error("suiteCases: the directory is made before the suite's tests");
    return dir;
  };
  return {
    tmp,
    open: async (posts, name) => {
      const opened = await caseOf(tmp(), posts, name);
      stores.push(opened.store);
      return opened;
    },
  };
}

/** Writes the posts to `<tmp>/<name>.jsonl`, opens `<tmp>/<name>.duckdb` and ingests the file. */
export async function caseOf(
  tmp: ReturnType<typeof tempDir>,
  posts: JsonlPost[],
  name = "posts",
): Promise<{ store: CaseStore; path: string }> {
  const path = tmp.path(`${name}.jsonl`);
  writeJsonl(path, posts);
  const store = await CaseStore.open(tmp.path(`${name}.duckdb`));
  try {
    const summary = await ingestFile(store, path);
    if (summary.rowsRejected > 0) throw new Error(`test case ${name}: ${summary.rowsRejected} rows rejected`);
  } catch (err) {
    store.close();
    throw err;
  }
  return { store, path };
}

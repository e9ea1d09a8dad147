/**
 * Streaming synthetic posts to a file or stdout with bounded memory: lines are gathered into chunks of about a
 * megabyte and written with backpressure (wait for `drain` whenever the stream's buffer is full), so a
 * ten-million-post run holds one hour of posts and one chunk, never the file.
 */
import { once } from "node:events";
import type { Writable } from "node:stream";
import type { SynthLang } from "./config.js";
import { toJsonLine, type JsonLineOptions } from "./jsonl.js";
import type { SynthPost } from "./post.js";

export interface SynthStats {
  posts: number;
  bytes: number;
  accounts: number;
  reposts: number;
  replies: number;
  withUrl: number;
  withHashtag: number;
  byLang: Record<SynthLang, number>;
  first: string;
  last: string;
}

export interface WritePostsOptions extends JsonLineOptions {
  /** Called about every 100,000 posts. */
  onProgress?: (posts: number) => void;
  /** Bytes gathered before a write (default 1 MiB). */
  chunkBytes?: number;
}

/** Accumulates the facts about a generated dataset that its README states. */
export class StatsCollector {
  private readonly accounts = new Set<string>();
  readonly stats: SynthStats = {
    posts: 0,
    bytes: 0,
    accounts: 0,
    reposts: 0,
    replies: 0,
    withUrl: 0,
    withHashtag: 0,
    byLang: { en: 0, fa: 0, ar: 0 },
    first: "",
    last: "",
  };

  add(p: SynthPost): void {
    const s = this.stats;
    s.posts++;
    this.accounts.add(p.account_id);
    s.accounts = this.accounts.size;
    if (p.repost_of !== null) s.reposts++;
    if (p.reply_to !== null) s.replies++;
    if (p.urls.length > 0) s.withUrl++;
    if (p.hashtags.length > 0) s.withHashtag++;
    s.byLang[p.lang]++;
    if (s.first === "" || p.ts < s.first) s.first = p.ts;
    if (p.ts > s.last) s.last = p.ts;
  }
}

/** Write posts as JSON lines to `out` (not ended here), honouring backpressure. */
export async function writePostsJsonl(
  posts: Iterable<SynthPost>,
  out: Writable,
  opts: WritePostsOptions = {},
): Promise<SynthStats> {
  const chunkBytes = Math.max(1024, opts.chunkBytes ?? 1 << 20);
  const collector = new StatsCollector();
  // Lines are encoded straight into a fresh buffer per chunk: concatenating strings first and encoding the
  // result cost a third of the run (flattening a rope of thousands of two-byte strings).
  let buf = Buffer.allocUnsafe(chunkBytes);
  let used = 0;
  const flush = async (): Promise<void> => {
    if (used === 0) return;
    const full = buf.subarray(0, used);
    collector.stats.bytes += used;
    buf = Buffer.allocUnsafe(chunkBytes);
    used = 0;
    if (!out.write(full)) await once(out, "drain");
  };
  for (const p of posts) {
    const line = toJsonLine(p, opts) + "\n";
    // A UTF-16 code unit takes at most 3 bytes in UTF-8.
    if (used + line.length * 3 > chunkBytes) {
      await flush();
      if (line.length * 3 > chunkBytes) buf = Buffer.allocUnsafe(line.length * 3);
    }
    used += buf.write(line, used, "utf8");
    collector.add(p);
    if (opts.onProgress && collector.stats.posts % 100_000 === 0) opts.onProgress(collector.stats.posts);
  }
  await flush();
  return collector.stats;
}

/** Sort posts by time, then id: for small outputs that are read by people. */
export function sortedByTime(posts: Iterable<SynthPost>): SynthPost[] {
  const all = [...posts];
  all.sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : a.post_id < b.post_id ? -1 : 1));
  return all;
}

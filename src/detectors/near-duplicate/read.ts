/**
 * From the case to sketches: posts get dense ids in (platform, post_id) order and accounts in (platform,
 * account_id) order (temp table `chorus_nd_posts`, which the detector later joins back for evidence); texts are
 * streamed chunk by chunk, so at no time are millions of strings alive in JS. Each distinct matching text is
 * sketched once: exact copies find their text in a hash table keyed by its 64-bit hash and stop there.
 */
import type { CaseStore } from "../../store/case.js";
import { readColumns } from "../../store/columns.js";
import type { Sketches } from "./lsh.js";
import { KeyTable } from "./lsh.js";
import { Sketcher, type SketchShape } from "./minhash.js";
import { matchingLetters, textKey } from "./shingle.js";

export interface ReadOptions extends SketchShape {
  minChars: number;
  includeReposts: boolean;
  progress?: (done: number, total: number) => void;
}

export interface SketchedPosts {
  /** Posts read (with a text, reposts excluded unless asked for). */
  posts: number;
  /** Per post (dense id): its account's dense id, its time (epoch ms), its distinct text or -1 (too short). */
  account: Int32Array;
  tsMs: Float64Array;
  text: Int32Array;
  sketches: Sketches;
  /** Per distinct text: its length in letters and digits. */
  chars: Int32Array;
  tooShort: number;
}

/** Raw texts remembered between chunks so that pasted copies skip normalisation; cleared when full. */
const RAW_CACHE_LIMIT = 50_000;

export async function readAndSketch(store: CaseStore, opts: ReadOptions): Promise<SketchedPosts> {
  await store.conn.run(`CREATE OR REPLACE TEMP TABLE chorus_nd_posts AS
    SELECT (row_number() OVER (ORDER BY platform, post_id) - 1)::INTEGER AS idx, platform, post_id,
           (dense_rank() OVER (ORDER BY platform, account_id) - 1)::INTEGER AS aid,
           epoch_ms(ts)::DOUBLE AS t, text
      FROM posts
     WHERE text IS NOT NULL AND length(text) > 0 ${opts.includeReposts ? "" : "AND kind <> 'repost'"}`);
  const { rows, cols } = await readColumns(store, "SELECT idx, aid, t FROM chorus_nd_posts ORDER BY idx", {
    idx: "int32",
    aid: "int32",
    t: "float64",
  });
  const text = new Int32Array(rows).fill(-1);
  const sketcher = new Sketcher(opts);
  const { bands } = opts;
  const slots = sketcher.slots;
  // room for every post's text from the start: growing by doubling would, at the last doubling, hold the old
  // and the new arrays (1.5 times the final size) and could reserve up to twice what is needed
  let capacity = Math.max(1024, rows);
  let keys = new Uint32Array(capacity * bands);
  let sig = new Uint8Array(capacity * slots);
  let chars = new Int32Array(capacity);
  const table = new KeyTable(1024);
  const cache = new Map<string, number>();
  let tooShort = 0;
  let done = 0;

  const result = await store.conn.stream("SELECT idx, text FROM chorus_nd_posts");
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    const idxVec = chunk.getColumnVector(0);
    const textVec = chunk.getColumnVector(1);
    for (let j = 0; j < chunk.rowCount; j++) {
      const idx = Number(idxVec.getItem(j));
      const raw = String(textVec.getItem(j));
      let id = cache.get(raw);
      if (id === undefined) {
        const letters = matchingLetters(raw);
        if (letters.length < opts.minChars) id = -1;
        else {
          const [a, b] = textKey(letters);
          const hit = table.idOf(a, b);
          id = hit.id;
          if (hit.isNew) {
            if (id >= capacity) {
              capacity *= 2;
              keys = grow(keys, capacity * bands);
              sig = grow(sig, capacity * slots);
              chars = grow(chars, capacity);
            }
            chars[id] = letters.length;
            sketcher.sketch(letters, keys, id * bands, sig, id * slots);
          }
        }
        if (cache.size >= RAW_CACHE_LIMIT) cache.clear();
        cache.set(raw, id);
      }
      if (id === -1) tooShort++;
      text[idx] = id;
    }
    done += chunk.rowCount;
    opts.progress?.(done, rows);
  }

  // visit distinct texts in the order of their first post, whatever order the rows were streamed in
  const count = table.size;
  const order = new Int32Array(count);
  const seen = new Uint8Array(count);
  let o = 0;
  for (let i = 0; i < rows; i++) {
    const d = text[i]!;
    if (d >= 0 && seen[d] === 0) {
      seen[d] = 1;
      order[o++] = d;
    }
  }
  return {
    posts: rows,
    account: cols.aid,
    tsMs: cols.t,
    text,
    sketches: {
      count,
      bands,
      slots,
      keys: keys.subarray(0, count * bands),
      sig: sig.subarray(0, count * slots),
      order,
    },
    chars: chars.subarray(0, count),
    tooShort,
  };
}

function grow<T extends Uint32Array | Uint8Array | Int32Array>(a: T, size: number): T {
  const b = new (a.constructor as new (n: number) => T)(size);
  b.set(a);
  return b;
}

/**
 * From the case to sketches: posts get dense ids in (platform, post_id) order and accounts in (platform,
 * account_id) order; each post keeps its rowid in `posts`, by which the detector joins back for evidence. Texts are
 * streamed from `posts` in packs (the texts of a few thousand neighbouring rows as one blob, with their rows and
 * lengths), in no particular order, so that at no time are millions of strings alive in JS and DuckDB never sorts
 * the table. Each distinct matching text is sketched once: exact copies find their text in a hash table keyed by
 * its 64-bit hash and stop there. Distinct texts are then renumbered in the order of their first post, so that
 * results do not depend on the order the texts came in.
 */
import type { DuckDBBlobValue, DuckDBListValue, DuckDBMaterializedResult } from "@duckdb/node-api";
import type { CaseStore } from "../../store/case.js";
import { postCount, readColumns } from "../../store/columns.js";
import type { Sketches } from "./lsh.js";
import { KeyTable } from "./lsh.js";
import { Sketcher, type SketchShape } from "./minhash.js";
import { DistinctLength, MatchingCodes, prefixKey, textKeyCodes } from "./shingle.js";

/** Posts (by row number) whose texts are read as one blob. */
const TEXTS_PER_PACK = 2048;
/** Packs read by one query: DuckDB packs the next slice of rows while the last is sketched. */
const PACKS_PER_SLICE = 128;

export interface ReadOptions extends SketchShape {
  minChars: number;
  includeReposts: boolean;
  progress?: (done: number, total: number) => void;
  /** Rows of `posts` whose texts one query reads (default `TEXTS_PER_PACK * PACKS_PER_SLICE`). */
  sliceRows?: number;
}

export interface SketchedPosts {
  /** Posts read (with a text, reposts excluded unless asked for). */
  posts: number;
  /**
   * Per post (dense id): its row in `posts` (rowid, for joining back), its account's dense id, its time (epoch
   * ms), its distinct text or -1 (too short).
   */
  row: Int32Array;
  account: Int32Array;
  tsMs: Float64Array;
  text: Int32Array;
  sketches: Sketches;
  /** Per distinct text: its length in letters and digits. */
  chars: Int32Array;
  tooShort: number;
}

export async function readAndSketch(store: CaseStore, opts: ReadOptions): Promise<SketchedPosts> {
  const where = `text IS NOT NULL AND length(text) > 0 ${opts.includeReposts ? "" : "AND kind <> 'repost'"}`;
  // dense post ids in (platform, post_id) order, by a plain parallel ORDER BY rather than a window (which runs on
  // one thread), carrying only the post's row in `posts`, its account and time; accounts are numbered over the
  // distinct accounts only. The texts are then streamed straight from `posts` in table order, never sorted.
  const { rows, cols } = await readColumns(
    store,
    `WITH a AS (SELECT platform, account_id, (row_number() OVER (ORDER BY platform, account_id) - 1)::INTEGER AS aid
                  FROM (SELECT DISTINCT platform, account_id FROM posts WHERE ${where}))
     SELECT p.rowid::INTEGER AS r, a.aid, epoch_ms(p.ts)::DOUBLE AS t
       FROM posts p JOIN a USING (platform, account_id)
      WHERE ${where}
      ORDER BY p.platform, p.post_id`,
    { r: "int32", aid: "int32", t: "float64" },
    undefined,
    { rowsAtMost: await postCount(store) },
  );
  // the dense post id of each row of `posts`
  let maxRow = -1;
  for (let i = 0; i < rows; i++) if (cols.r[i]! > maxRow) maxRow = cols.r[i]!;
  const idxOfRow = new Int32Array(maxRow + 1).fill(-1);
  for (let i = 0; i < rows; i++) idxOfRow[cols.r[i]!] = i;
  const text = new Int32Array(rows).fill(-1);
  const sketcher = new Sketcher(opts);
  const matching = new MatchingCodes();
  const key = new Uint32Array(2);
  const { bands } = opts;
  const slots = sketcher.slots;
  // room for every post's text from the start: growing by doubling would, at the last doubling, hold the old
  // and the new arrays (1.5 times the final size) and could reserve up to twice what is needed; pages never
  // written (texts that are copies) are never touched
  const capacity = Math.max(1024, rows);
  const keys = new Uint32Array(capacity * bands);
  const sig = new Uint8Array(capacity * slots);
  const chars = new Int32Array(capacity);
  const cut = new Uint8Array(capacity);
  const prefix = new Uint32Array(capacity);
  // `minChars` counts a text's letters without its repeats, which only texts of `minChars` or more need
  const distinctLength = new DistinctLength(opts.shingle, opts.minChars);
  const table = new KeyTable(1024);
  let tooShort = 0;
  let done = 0;

  // the texts come packed, a few thousand posts' texts as one blob with their rows and lengths in bytes: read one by
  // one, each text took a call into DuckDB's bindings of its own (at 10M posts, 9.3 s to read 6.6M texts against
  // 5.8 s packed). The packs are read a slice of rows at a time, DuckDB packing the next slice while JavaScript
  // sketches the last: one query over every row packed them all before the first was sketched (at 10M posts, 6.8 s
  // of DuckDB's work that now runs beside the sketching)
  const decoder = new TextDecoder();
  const sliceRows = opts.sliceRows ?? TEXTS_PER_PACK * PACKS_PER_SLICE;
  if (!(sliceRows >= 1))
    throw new RangeError(`near-duplicate: sliceRows must be 1 or more, not ${sliceRows}`);
  const slice = (lo: number): Promise<DuckDBMaterializedResult> =>
    store.conn.run(
      `SELECT list(rowid::INTEGER ORDER BY rowid) AS r, list(strlen(text)::INTEGER ORDER BY rowid) AS n,
              encode(string_agg(text, '' ORDER BY rowid)) AS t
         FROM posts WHERE ${where} AND rowid >= ${lo} AND rowid < ${lo + sliceRows}
        GROUP BY rowid // ${TEXTS_PER_PACK}`,
    );
  let next: Promise<DuckDBMaterializedResult> | null = maxRow >= 0 ? slice(0) : null;
  try {
    for (let lo = 0; next !== null; lo += sliceRows) {
      const result = await next;
      next = lo + sliceRows <= maxRow ? slice(lo + sliceRows) : null;
      for (let c = 0; c < result.chunkCount; c++) {
        const chunk = result.getChunk(c);
        const packs = chunk.rowCount;
        const rowVec = chunk.getColumnVector(0);
        const lengthVec = chunk.getColumnVector(1);
        const textVec = chunk.getColumnVector(2);
        for (let g = 0; g < packs; g++) {
          const postRows = (rowVec.getItem(g) as DuckDBListValue).items as number[];
          const lengths = (lengthVec.getItem(g) as DuckDBListValue).items as number[];
          const bytes = (textVec.getItem(g) as DuckDBBlobValue).bytes;
          let at = 0;
          for (let j = 0; j < postRows.length; j++) {
            const idx = idxOfRow[postRows[j]!]!;
            const raw = decoder.decode(bytes.subarray(at, at + lengths[j]!));
            at += lengths[j]!;
            let id = -1;
            const n = matching.fill(raw);
            if (n >= opts.minChars) {
              const codes = matching.codes;
              textKeyCodes(codes, n, key);
              id = table.find(key[0]!, key[1]!);
              if (id === -1) {
                // a chant repeated to any length is as short as what it says
                if (distinctLength.of(codes, n) >= opts.minChars) {
                  id = table.idOf(key[0]!, key[1]!).id;
                  chars[id] = n;
                  prefix[id] = prefixKey(codes, n);
                  sketcher.sketchCodes(codes, n, keys, id * bands, sig, id * slots);
                }
              }
              if (id !== -1 && matching.cut) cut[id] = 1;
            }
            if (id === -1) tooShort++;
            text[idx] = id;
          }
          done += postRows.length;
        }
      }
      opts.progress?.(done, rows);
    }
  } finally {
    // a slice still being packed when the sketching failed: waited for, so that the store can be closed as soon as
    // this returns (a connection closed under a running query never settled, and held the process); its own
    // failure, if any, is not this one's
    await next?.catch(() => {});
  }

  // number distinct texts in the order of their first post (whatever order the rows were streamed in), so that
  // the LSH visits texts in storage order and reads the sketches sequentially
  const count = table.size;
  const rank = new Int32Array(count).fill(-1);
  let o = 0;
  for (let i = 0; i < rows; i++) {
    const d = text[i]!;
    if (d >= 0) {
      if (rank[d] === -1) rank[d] = o++;
      text[i] = rank[d]!;
    }
  }
  permuteRecords(keys, bands, rank);
  if (slots % 4 === 0) permuteRecords(new Uint32Array(sig.buffer, 0, (count * slots) / 4), slots / 4, rank);
  else permuteBytes(sig, slots, rank);
  permuteRecords(new Uint32Array(chars.buffer, 0, count), 1, rank);
  permuteRecords(prefix, 1, rank);
  permuteBytes(cut, 1, rank);
  const order = new Int32Array(count);
  for (let t = 0; t < count; t++) order[t] = t;
  return {
    posts: rows,
    row: cols.r,
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
      chars: chars.subarray(0, count),
      cut: cut.subarray(0, count),
      prefix: prefix.subarray(0, count),
    },
    chars: chars.subarray(0, count),
    tooShort,
  };
}

/**
 * Each of the dense post ids once, ascending, with its row in `posts` (`SketchedPosts.row`): the rows of a temporary
 * table (`writeTempInts`) by which a query joins back to the posts.
 */
export function postRows(ids: readonly number[], row: Int32Array): number[][] {
  return [...new Set(ids)].sort((a, b) => a - b).map((i) => [i, row[i]!]);
}

/**
 * Moves record t (`width` values from t * width) to position `to[t]`, in place, by following the permutation's
 * cycles (no second copy of the arrays, which are the largest the detector holds). One element type only, so
 * that the loop stays monomorphic: byte signatures are moved as 32-bit words.
 */
export function permuteRecords(
  a: Uint32Array | Uint8Array | Int32Array,
  width: number,
  to: Int32Array,
): void {
  const n = to.length;
  const done = new Uint8Array(n);
  const held = new Uint32Array(width);
  for (let start = 0; start < n; start++) {
    if (done[start] === 1 || to[start] === start) continue;
    // carry the record of `start` along its cycle until the cycle closes
    for (let w = 0; w < width; w++) held[w] = a[start * width + w]!;
    let t = start;
    for (;;) {
      const next = to[t]!;
      done[t] = 1;
      const at = next * width;
      for (let w = 0; w < width; w++) {
        const v = a[at + w]!;
        a[at + w] = held[w]!;
        held[w] = v;
      }
      if (next === start) break;
      t = next;
    }
  }
}

/** `permuteRecords` for byte records whose width is not a multiple of 4 (sketches of unusual shapes). */
function permuteBytes(a: Uint8Array, width: number, to: Int32Array): void {
  const copy = a.slice(0, to.length * width);
  for (let t = 0; t < to.length; t++) a.set(copy.subarray(t * width, t * width + width), to[t]! * width);
}

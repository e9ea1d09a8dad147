/**
 * Streaming an adapter's records into the case: every post, its shared objects and every reject become rows of
 * the bulk loader as they stream past; accounts are merged in memory and loaded at the end. Nothing here queries
 * the store: duplicates are dealt with afterwards, in SQL (see dedup.ts).
 */
import type { PostInput } from "../model/index.js";
import { BulkLoadError, type BulkLoader, type BulkTableSpec } from "../store/bulk.js";
import { AccountMerger } from "./accounts.js";
import { invalidPost, toObjectRows, toPostRow } from "./records.js";
import {
  IngestError,
  rawExcerpt,
  type AdapterOptions,
  type IngestAdapter,
  type SourceFile,
} from "./types.js";

const POST_COLUMNS: BulkTableSpec["columns"] = [
  ["platform", "VARCHAR"],
  ["post_id", "VARCHAR"],
  ["account_id", "VARCHAR"],
  ["ts", "EPOCH_MS"],
  ["text", "VARCHAR"],
  ["lang", "VARCHAR"],
  ["kind", "VARCHAR"],
  ["ref_post_id", "VARCHAR"],
  ["ref_account_id", "VARCHAR"],
  ["client", "VARCHAR"],
  ["source_row", "BIGINT"],
];

const OBJECT_COLUMNS: BulkTableSpec["columns"] = [
  ["platform", "VARCHAR"],
  ["post_id", "VARCHAR"],
  ["kind", "VARCHAR"],
  ["value", "VARCHAR"],
  ["raw", "VARCHAR"],
  ["source_row", "BIGINT"],
];

const REJECT_COLUMNS: BulkTableSpec["columns"] = [
  ["source_row", "BIGINT"],
  ["reason", "VARCHAR"],
  ["raw", "VARCHAR"],
];

/** avatar_hash is left NULL: the impersonation detector computes it. */
const ACCOUNT_COLUMNS: BulkTableSpec["columns"] = [
  ["platform", "VARCHAR"],
  ["account_id", "VARCHAR"],
  ["handle", "VARCHAR"],
  ["display_name", "VARCHAR"],
  ["bio", "VARCHAR"],
  ["created_at", "EPOCH_MS"],
  ["followers", "BIGINT"],
  ["following", "BIGINT"],
  ["avatar_url", "VARCHAR"],
  ["location", "VARCHAR"],
  ["source_row", "BIGINT"],
];

/** What streaming an input produced. Its posts, objects and rejects are loaded when this is returned. */
export interface StreamedInput {
  rowsRead: number;
  rowsRejected: number;
  postsAppended: number;
  objectsAppended: number;
  accounts: AccountMerger;
  /** The first rejects, for the message when nothing could be read. */
  firstReasons: string[];
}

/**
 * Read every record of `src` with `adapter` and load its rows under `inputId`. Throws `IngestError` when the
 * input stops being readable (the caller rolls back). Each post's author is merged into `accounts`, unless
 * `onPost` is given: it then receives every stored post instead.
 */
export async function streamInput(
  path: string,
  adapter: IngestAdapter,
  src: SourceFile,
  adapterOpts: AdapterOptions,
  loader: BulkLoader,
  inputId: number,
  onRows?: (rowsRead: number) => void,
  onPost?: (post: PostInput, row: number) => void,
): Promise<StreamedInput> {
  const constants = { input_id: inputId };
  const posts = loader.table({ table: "posts", columns: POST_COLUMNS, constants });
  const objects = loader.table({ table: "objects", columns: OBJECT_COLUMNS, constants });
  const rejects = loader.table({ table: "rejects", columns: REJECT_COLUMNS, constants });
  const out: StreamedInput = {
    rowsRead: 0,
    rowsRejected: 0,
    postsAppended: 0,
    objectsAppended: 0,
    accounts: new AccountMerger(),
    firstReasons: [],
  };
  const accounts = out.accounts;
  const reject = (row: number, reason: string, raw: string): void => {
    out.rowsRejected++;
    if (out.firstReasons.length < 3) out.firstReasons.push(`line ${row}: ${reason}`);
    rejects.int(row);
    rejects.str(reason);
    rejects.str(rawExcerpt(raw));
    rejects.endRow();
  };

  let lastRow = 0;
  try {
    for await (const chunk of adapter.read(src, adapterOpts)) {
      const items = Array.isArray(chunk) ? chunk : [chunk];
      for (const item of items) {
        if (item.row !== lastRow) {
          lastRow = item.row;
          out.rowsRead++;
          if (onRows && (out.rowsRead & 0x3fff) === 0) onRows(out.rowsRead);
        }
        if (item.type === "reject") {
          reject(item.row, item.reason, item.raw);
          continue;
        }
        if (item.type === "account") {
          accounts.noteAccount(item.account, item.row);
          continue;
        }
        const p = item.post;
        const bad = invalidPost(p);
        if (bad) {
          reject(item.row, bad, JSON.stringify(p));
          continue;
        }
        const r = toPostRow(p);
        posts.str(r.platform);
        posts.str(r.postId);
        posts.str(r.accountId);
        posts.epochMs(r.tsMs);
        posts.str(r.text);
        posts.str(r.lang);
        posts.str(r.kind);
        posts.str(r.refPostId);
        posts.str(r.refAccountId);
        posts.str(r.client);
        posts.int(item.row);
        posts.endRow();
        for (const o of toObjectRows(p)) {
          objects.str(r.platform);
          objects.str(r.postId);
          objects.str(o.kind);
          objects.str(o.value);
          objects.str(o.raw);
          objects.int(item.row);
          objects.endRow();
        }
        if (onPost) onPost(p, item.row);
        else accounts.notePost(p, item.row);
      }
      // parsing runs ahead of loading by at most a few segments (they wait on disk, not in memory)
      if (loader.pending > 2) await loader.throttle();
    }
    posts.finish();
    objects.finish();
    rejects.finish();
    await loader.drain();
  } catch (err) {
    loader.abort();
    if (err instanceof IngestError || err instanceof BulkLoadError) throw err;
    const msg = (err as Error).message ?? String(err);
    if (/unexpected end of file|incorrect header check|invalid (block|distance|stored)/i.test(msg)) {
      throw new IngestError(`${path}: the gzip data is truncated or corrupt (${msg})`);
    }
    throw new IngestError(`${path}: reading stopped after row ${lastRow}: ${msg}`);
  }
  out.postsAppended = posts.rows;
  out.objectsAppended = objects.rows;
  return out;
}

/** Load the accounts the input revealed into `table` (accounts itself, or a staging table like it). */
export async function loadAccounts(
  loader: BulkLoader,
  accounts: AccountMerger,
  inputId: number,
  table: string,
): Promise<void> {
  const w = loader.table({ table, columns: ACCOUNT_COLUMNS, constants: { input_id: inputId } });
  for (const a of accounts.values()) {
    w.str(a.platform);
    w.str(a.accountId);
    w.str(a.handle);
    w.str(a.displayName);
    w.str(a.bio);
    w.epochMs(a.createdAtMs);
    w.int(a.followers);
    w.int(a.following);
    w.str(a.avatarUrl);
    w.str(a.location);
    w.int(a.row);
    w.endRow();
  }
  w.finish();
  await loader.drain();
}

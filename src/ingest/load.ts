/**
 * Streaming an adapter's records into the case: every post, its shared objects, every reject, and the author's
 * profile as each post gives it become rows of the bulk loader as they stream past. Accounts are built in SQL from
 * those profile rows once the input's duplicates are known (see dedup.ts), so that a row dropped as a duplicate
 * contributes nothing to them.
 */
import type { AccountInput, PostInput } from "../model/index.js";
import { BulkLoadError, type BulkLoader, type BulkTableSpec } from "../store/bulk.js";
import { PROFILE_CAPS } from "./accounts.js";
import { findDuplicatePosts, insertInputAccounts, PROFILE_ROW_COLUMNS } from "./dedup.js";
import { cutNoted, invalidPost, toObjectRows, toPostRow } from "./records.js";
import { isGzipDamage } from "./source.js";
import {
  IngestError,
  rawExcerpt,
  type AdapterOptions,
  type IngestAdapter,
  type IngestItem,
  type SourceFile,
} from "./types.js";

/**
 * A post item with notes: problems with optional fields of the row that the adapter left out (stored as NULL)
 * rather than reject the post for them. An adapter may yield these where `IngestItem` allows a post item.
 */
export type NotedPostItem = Extract<IngestItem, { type: "post" }> & { notes?: readonly string[] };

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

/** The accounts an input gave: how many, and the temporary table that holds them until `loadAccounts`. */
export interface InputAccounts {
  size: number;
  table: string | null;
}

/** What streaming an input produced. Its posts, objects and rejects are loaded when this is returned. */
export interface StreamedInput {
  rowsRead: number;
  rowsRejected: number;
  postsAppended: number;
  objectsAppended: number;
  accounts: InputAccounts;
  /** The first rejects, for the message when nothing could be read. */
  firstReasons: string[];
  /** Optional fields left out (stored as NULL) of posts that were kept, by the adapters that note them. */
  fieldsDropped: number;
  /** The first of those, as `line N: reason`. */
  firstFieldReasons: string[];
}

/** The profile field `s` within its cap (see `PROFILE_CAPS`), the cut written into it. */
function cap(s: string | null | undefined, field: keyof typeof PROFILE_CAPS): string | null {
  if (s === null || s === undefined) return null;
  const max = PROFILE_CAPS[field];
  return s.length <= max ? s : cutNoted(s, max);
}

/**
 * Read every record of `src` with `adapter` and load its rows under `inputId`. Throws `IngestError` when the
 * input stops being readable (the caller rolls back).
 *
 * Each stored post's author, as the post gives it, and each profile given on its own become a row of `profiles`
 * (`PROFILE_ROW_COLUMNS`), a table the caller made and builds the accounts from. Without it, the rows go to a table
 * of this input's own: once every row is loaded, the input's duplicates are found (`findDuplicatePosts`) and its
 * accounts built from the rows kept, into a temporary table that `loadAccounts` moves where they belong.
 */
export async function streamInput(
  path: string,
  adapter: IngestAdapter,
  src: SourceFile,
  adapterOpts: AdapterOptions,
  loader: BulkLoader,
  inputId: number,
  onRows?: (rowsRead: number) => void,
  profiles?: string,
): Promise<StreamedInput> {
  const constants = { input_id: inputId };
  const profileTable = profiles ?? `stg_profiles_${inputId}`;
  if (profiles === undefined) {
    await loader.run(
      `CREATE TEMP TABLE ${profileTable} (${PROFILE_ROW_COLUMNS.map(([n, t]) => `${n} ${t}`).join(", ")})`,
    );
  }
  const posts = loader.table({ table: "posts", columns: POST_COLUMNS, constants });
  const objects = loader.table({ table: "objects", columns: OBJECT_COLUMNS, constants });
  const rejects = loader.table({ table: "rejects", columns: REJECT_COLUMNS, constants });
  const profileRows = loader.table({ table: profileTable, columns: PROFILE_ROW_COLUMNS });
  const out: StreamedInput = {
    rowsRead: 0,
    rowsRejected: 0,
    postsAppended: 0,
    objectsAppended: 0,
    accounts: { size: 0, table: null },
    firstReasons: [],
    fieldsDropped: 0,
    firstFieldReasons: [],
  };
  const reject = (row: number, reason: string, raw: string): void => {
    out.rowsRejected++;
    if (out.firstReasons.length < 3) out.firstReasons.push(`line ${row}: ${reason}`);
    rejects.int(row);
    rejects.str(reason);
    rejects.str(rawExcerpt(raw));
    rejects.endRow();
  };
  let seq = 0;
  const profile = (
    p: PostInput | AccountInput,
    postId: string | null,
    createdAtMs: number | null | undefined,
    row: number,
  ): void => {
    profileRows.str(p.platform);
    profileRows.str(p.accountId);
    profileRows.str(postId);
    profileRows.str(cap(p.handle, "handle"));
    profileRows.str(cap(p.displayName, "displayName"));
    profileRows.str(cap(p.bio, "bio"));
    profileRows.epochMs(createdAtMs); // as milliseconds: NULL beyond what TIMESTAMPTZ holds
    profileRows.int(p.followers);
    profileRows.int(p.following);
    profileRows.str(cap(p.avatarUrl, "avatarUrl"));
    profileRows.str(cap(p.location, "location"));
    profileRows.int(row);
    profileRows.int(++seq);
    profileRows.endRow();
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
          const a = item.account;
          if (a.platform && a.accountId) profile(a, null, a.createdAtMs, item.row);
          continue;
        }
        const p = item.post;
        const bad = invalidPost(p);
        if (bad) {
          reject(item.row, bad, JSON.stringify(p));
          continue;
        }
        const notes = (item as NotedPostItem).notes;
        if (notes !== undefined) {
          out.fieldsDropped += notes.length;
          for (const note of notes) {
            if (out.firstFieldReasons.length < 3) out.firstFieldReasons.push(`line ${item.row}: ${note}`);
          }
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
        profile(p, r.postId, p.accountCreatedAtMs, item.row);
      }
      // parsing runs ahead of loading by at most a few segments (they wait on disk, not in memory)
      if (loader.pending > 2) await loader.throttle();
    }
    posts.finish();
    objects.finish();
    rejects.finish();
    profileRows.finish();
    await loader.drain();
  } catch (err) {
    loader.abort();
    if (err instanceof IngestError || err instanceof BulkLoadError) throw err;
    const msg = (err as Error).message ?? String(err);
    if (isGzipDamage(msg)) {
      throw new IngestError(`${path}: the gzip data is truncated or corrupt (${msg})`);
    }
    throw new IngestError(`${path}: reading stopped after row ${lastRow}: ${msg}`);
  }
  out.postsAppended = posts.rows;
  out.objectsAppended = objects.rows;
  if (profiles === undefined) out.accounts = await buildAccounts(loader, inputId, posts.rows, profileTable);
  return out;
}

/**
 * The accounts of the input whose profile rows are in `profileTable` (dropped after), into a temporary table like
 * `accounts`, once the input's duplicates are found, so that the rows of posts not stored are left out.
 */
async function buildAccounts(
  loader: BulkLoader,
  inputId: number,
  appended: number,
  profileTable: string,
): Promise<InputAccounts> {
  const duplicates = await findDuplicatePosts(loader, inputId, appended);
  const table = `stg_input_accounts_${inputId}`;
  await loader.run(`CREATE TEMP TABLE ${table} AS SELECT * FROM accounts LIMIT 0`);
  await insertInputAccounts(loader, inputId, `SELECT * FROM ${profileTable}`, table, duplicates > 0);
  await loader.run(`DROP TABLE ${profileTable}`);
  const size = (await loader.scalar<number>(`SELECT count(*)::INTEGER FROM ${table}`)) ?? 0;
  if (size > 0) return { size, table };
  await loader.run(`DROP TABLE ${table}`);
  return { size: 0, table: null };
}

/**
 * Load the accounts the input revealed into `table` (accounts itself, or a staging table like it). They carry their
 * input's id already.
 */
export async function loadAccounts(
  loader: BulkLoader,
  accounts: InputAccounts,
  _inputId: number,
  table: string,
): Promise<void> {
  if (accounts.table === null) return;
  await loader.run(`INSERT INTO ${table} SELECT * FROM ${accounts.table}`);
  await loader.run(`DROP TABLE ${accounts.table}`);
}

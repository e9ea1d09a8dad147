/**
 * Ingest one file into a case, as one transaction: sniff or force the format, stream the adapter's records,
 * normalise them, load posts, accounts, objects and rejects, then drop duplicates of posts already in the case.
 * A file that cannot be read leaves the case exactly as it was; re-ingesting the same bytes is a no-op.
 *
 * Rows reach DuckDB through `BulkLoader` (delimited text read back by DuckDB's parallel CSV reader, segment by
 * segment, overlapping with parsing) rather than the appender, whose per-value calls dominated ingest time.
 */
import { basename, resolve } from "node:path";
import { statSync } from "node:fs";
import type { InputSummary, ObjectKind } from "../model/index.js";
import type { CaseStore } from "../store/case.js";
import { BulkLoadError, BulkLoader, type BulkTableSpec } from "../store/bulk.js";
import { TOOL_VERSION } from "../version.js";
import { AccountMerger } from "./accounts.js";
import { ADAPTERS, chooseAdapter } from "./registry.js";
import { openSource, readSample, sha256File } from "./source.js";
import { invalidPost, toObjectRows, toPostRow } from "./records.js";
import { IngestError, rawExcerpt, type AdapterOptions } from "./types.js";

export interface IngestOptions {
  /** Force a format instead of sniffing. */
  format?: string;
  map?: Record<string, string>;
  platform?: string;
  objectKind?: ObjectKind;
  delimiter?: string;
  /** Longest record accepted, bytes (default 16 MiB). */
  maxRecordBytes?: number;
  onProgress?: (p: { bytesRead: number; bytesTotal: number; rows: number }) => void;
}

export const DEFAULT_MAX_RECORD_BYTES = 16 * 1024 * 1024;

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

export async function ingestFile(
  store: CaseStore,
  path: string,
  opts: IngestOptions = {},
): Promise<InputSummary> {
  const absPath = resolve(path);
  let bytesTotal: number;
  try {
    const st = statSync(absPath);
    if (!st.isFile()) throw new IngestError(`${path}: not a regular file`);
    bytesTotal = st.size;
  } catch (err) {
    if (err instanceof IngestError) throw err;
    throw new IngestError(
      `${path}: cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
    );
  }
  const sha256 = await sha256File(absPath);
  const existing = await store.all<{ id: number; format: string }>(
    "SELECT id, format FROM inputs WHERE sha256 = $sha",
    { sha: sha256 },
  );
  if (existing.length > 0) {
    const prev = await store.all<Record<string, number>>(
      `SELECT id, rows_read::DOUBLE AS rows_read, rows_rejected::DOUBLE AS rows_rejected,
              posts_stored::DOUBLE AS posts_stored, posts_duplicate::DOUBLE AS posts_duplicate,
              accounts_stored::DOUBLE AS accounts_stored, objects_stored::DOUBLE AS objects_stored
         FROM inputs WHERE id = $id`,
      { id: existing[0]!.id },
    );
    const p = prev[0]!;
    return {
      id: existing[0]!.id,
      path,
      sha256,
      format: existing[0]!.format,
      bytes: bytesTotal,
      rowsRead: p["rows_read"]!,
      rowsRejected: p["rows_rejected"]!,
      postsStored: 0,
      postsDuplicate: 0,
      accountsStored: 0,
      objectsStored: 0,
      skipped: true,
    };
  }

  let bytesRead = 0;
  const src = openSource(absPath, (n) => (bytesRead += n));
  const sample = await readSample(openSource(absPath), basename(absPath).replace(/\.gz$/i, ""));
  bytesRead = 0;
  const adapter = chooseAdapter(sample, opts.format, path);
  const adapterOpts: AdapterOptions = {
    map: opts.map ?? {},
    maxRecordBytes: opts.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES,
    ...(opts.platform ? { platform: opts.platform } : {}),
    ...(opts.objectKind ? { objectKind: opts.objectKind } : {}),
    ...(opts.delimiter ? { delimiter: opts.delimiter } : {}),
  };

  return store.transaction(async () => {
    const inputId =
      ((await store.scalar<number>("SELECT coalesce(max(id), 0)::INTEGER FROM inputs")) ?? 0) + 1;
    const conn = store.conn;
    const caseHadPosts =
      (await store.scalar<number>("SELECT count(*)::INTEGER FROM (FROM posts LIMIT 1)")) === 1;
    const loader = new BulkLoader(conn, store.path);
    const T0 = performance.now();
    const tr = (m: string) =>
      process.env["TRACE"] &&
      console.error(`[${((performance.now() - T0) / 1000).toFixed(2)}s] ${m} pending=${loader.pending}`);
    try {
      const constants = { input_id: inputId };
      const posts = loader.table({ table: "posts", columns: POST_COLUMNS, constants });
      const objects = loader.table({ table: "objects", columns: OBJECT_COLUMNS, constants });
      const rejects = loader.table({ table: "rejects", columns: REJECT_COLUMNS, constants });
      const accounts = new AccountMerger();

      let rowsRead = 0;
      let rowsRejected = 0;
      let lastRow = 0;
      const firstReasons: string[] = [];
      const reject = (row: number, reason: string, raw: string): void => {
        rowsRejected++;
        if (firstReasons.length < 3) firstReasons.push(`line ${row}: ${reason}`);
        rejects.int(row);
        rejects.str(reason);
        rejects.str(rawExcerpt(raw));
        rejects.endRow();
      };

      try {
        for await (const chunk of adapter.read(src, adapterOpts)) {
          const items = Array.isArray(chunk) ? chunk : [chunk];
          for (const item of items) {
            if (item.row !== lastRow) {
              lastRow = item.row;
              rowsRead++;
              if (opts.onProgress && (rowsRead & 0x3fff) === 0) {
                opts.onProgress({ bytesRead, bytesTotal, rows: rowsRead });
              }
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
            accounts.notePost(p, item.row);
          }
          if (loader.pending > 2) await loader.throttle();
        }
        tr("stream done");
        posts.finish();
        objects.finish();
        rejects.finish();
        await loader.drain();
        tr("drained");
      } catch (err) {
        loader.abort();
        if (err instanceof IngestError || err instanceof BulkLoadError) throw err;
        const msg = (err as Error).message ?? String(err);
        if (/unexpected end of file|incorrect header check|invalid (block|distance|stored)/i.test(msg)) {
          throw new IngestError(`${path}: the gzip data is truncated or corrupt (${msg})`);
        }
        throw new IngestError(`${path}: reading stopped after row ${lastRow}: ${msg}`);
      }
      const postsAppended = posts.rows;
      const objectsAppended = objects.rows;
      if (postsAppended === 0 && accounts.size === 0) {
        const why = rowsRejected > 0 ? ` (${firstReasons.join("; ")})` : " (no records found)";
        throw new IngestError(
          `${path}: no row could be read as ${adapter.id}${why}. ` +
            `Run 'chorus formats' to see the formats, and force one with --format NAME.`,
        );
      }

      const postsDuplicate = await dropDuplicatePosts(store, inputId, postsAppended, caseHadPosts);
      const objectsStored =
        postsDuplicate === 0 ? objectsAppended : await dropDuplicateObjects(store, inputId, objectsAppended);
      tr("dedup done");
      const accountsStored = await storeAccounts(store, loader, accounts, inputId);
      tr("accounts done");

      const summary: InputSummary = {
        id: inputId,
        path,
        sha256,
        format: adapter.id,
        bytes: bytesTotal,
        rowsRead,
        rowsRejected,
        postsStored: postsAppended - postsDuplicate,
        postsDuplicate,
        accountsStored,
        objectsStored,
        skipped: false,
      };
      const optionsJson = JSON.stringify({
        format: opts.format ?? null,
        map: opts.map ?? {},
        platform: opts.platform ?? null,
        objectKind: opts.objectKind ?? null,
      });
      await conn.run(
        `INSERT INTO inputs VALUES ($id, $path, $sha, $format, $bytes, $rr, $rj, $ps, $pd, $as, $os, $opt::JSON,
           now(), $ver)`,
        {
          id: inputId,
          path,
          sha: sha256,
          format: adapter.id,
          bytes: bytesTotal,
          rr: rowsRead,
          rj: rowsRejected,
          ps: summary.postsStored,
          pd: postsDuplicate,
          as: accountsStored,
          os: objectsStored,
          opt: optionsJson,
          ver: TOOL_VERSION,
        },
      );
      opts.onProgress?.({ bytesRead: bytesTotal, bytesTotal, rows: rowsRead });
      return summary;
    } finally {
      await loader.close();
    }
  });
}

/**
 * Remove this input's posts that the case already had, and repeats within the file (first row wins); returns how
 * many were removed. Most inputs have neither, so that is checked first with one aggregate over hashes of the keys
 * (a collision only sends the input down the exact path), and the cross-input check is skipped for a fresh case.
 */
async function dropDuplicatePosts(
  store: CaseStore,
  inputId: number,
  appended: number,
  caseHadPosts: boolean,
): Promise<number> {
  if (appended === 0) return 0;
  const repeated = await store.scalar<number>(
    `SELECT count(*)::INTEGER FROM (SELECT hash(platform, post_id) AS h FROM posts WHERE input_id = $id
                                     GROUP BY h HAVING count(*) > 1)`,
    { id: inputId },
  );
  const known =
    caseHadPosts &&
    (await store.scalar<number>(
      `SELECT count(*)::INTEGER FROM (
         SELECT 1 FROM posts p WHERE p.input_id = $id
            AND EXISTS (SELECT 1 FROM posts q WHERE q.platform = p.platform AND q.post_id = p.post_id
                                               AND q.input_id <> $id)
          LIMIT 1)`,
      { id: inputId },
    )) === 1;
  if (!repeated && !known) return 0;
  const crossCheck = known
    ? ` OR EXISTS (SELECT 1 FROM posts p WHERE p.platform = r.platform AND p.post_id = r.post_id
                                       AND p.input_id <> $id)`
    : "";
  await store.conn.run(
    `DELETE FROM posts WHERE rowid IN (
       WITH mine AS (SELECT rowid AS rid, platform, post_id, source_row FROM posts WHERE input_id = $id),
            ranked AS (SELECT rid, platform, post_id,
                              row_number() OVER (PARTITION BY platform, post_id ORDER BY source_row, rid) AS rn
                         FROM mine)
       SELECT rid FROM ranked r WHERE r.rn > 1${crossCheck})`,
    { id: inputId },
  );
  const left = await store.scalar<number>("SELECT count(*)::INTEGER FROM posts WHERE input_id = $id", {
    id: inputId,
  });
  return appended - (left ?? 0);
}

/** Keep this input's objects only for posts it stored, once per (post, kind, value). */
async function dropDuplicateObjects(store: CaseStore, inputId: number, appended: number): Promise<number> {
  if (appended === 0) return 0;
  await store.conn.run(
    `DELETE FROM objects WHERE rowid IN (
       WITH mine AS (SELECT rowid AS rid, platform, post_id, kind, value, source_row FROM objects
                      WHERE input_id = $id),
            ranked AS (SELECT rid, platform, post_id,
                              row_number() OVER (PARTITION BY platform, post_id, kind, value
                                                 ORDER BY source_row, rid) AS rn
                         FROM mine)
       SELECT rid FROM ranked r
        WHERE r.rn > 1 OR NOT EXISTS (SELECT 1 FROM posts p WHERE p.platform = r.platform
                                         AND p.post_id = r.post_id AND p.input_id = $id))`,
    { id: inputId },
  );
  return (await store.scalar<number>("SELECT count(*)::INTEGER FROM objects WHERE input_id = $id", {
    id: inputId,
  }))!;
}

/**
 * Store the accounts the input revealed: new accounts are inserted; known accounts only gain the fields they lacked.
 * Returns the number inserted. A case without accounts takes them directly, without the staging table.
 */
async function storeAccounts(
  store: CaseStore,
  loader: BulkLoader,
  accounts: AccountMerger,
  inputId: number,
): Promise<number> {
  if (accounts.size === 0) return 0;
  const caseHadAccounts =
    (await store.scalar<number>("SELECT count(*)::INTEGER FROM (FROM accounts LIMIT 1)")) === 1;
  const stg = `stg_accounts_${inputId}`;
  if (caseHadAccounts) await store.conn.run(`CREATE TEMP TABLE ${stg} AS SELECT * FROM accounts LIMIT 0`);
  const w = loader.table({
    table: caseHadAccounts ? stg : "accounts",
    columns: ACCOUNT_COLUMNS,
    constants: { input_id: inputId },
  });
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
  if (!caseHadAccounts) return accounts.size;
  const inserted = await mergeAccounts(store, stg);
  await store.conn.run(`DROP TABLE ${stg}`);
  return inserted;
}

/** New accounts are inserted; known accounts only gain the fields they lacked. Returns the number inserted. */
async function mergeAccounts(store: CaseStore, stg: string): Promise<number> {
  const inserted = await store.scalar<number>(
    `SELECT count(*)::INTEGER FROM ${stg} s
      WHERE NOT EXISTS (SELECT 1 FROM accounts a WHERE a.platform = s.platform AND a.account_id = s.account_id)`,
  );
  await store.conn.run(
    `UPDATE accounts AS a SET
        handle = coalesce(a.handle, s.handle), display_name = coalesce(a.display_name, s.display_name),
        bio = coalesce(a.bio, s.bio), created_at = coalesce(a.created_at, s.created_at),
        followers = coalesce(a.followers, s.followers), following = coalesce(a.following, s.following),
        avatar_url = coalesce(a.avatar_url, s.avatar_url), location = coalesce(a.location, s.location)
       FROM ${stg} s
      WHERE a.platform = s.platform AND a.account_id = s.account_id
        AND (a.handle IS NULL OR a.display_name IS NULL OR a.bio IS NULL OR a.created_at IS NULL
             OR a.followers IS NULL OR a.following IS NULL OR a.avatar_url IS NULL OR a.location IS NULL)`,
  );
  await store.conn.run(
    `INSERT INTO accounts SELECT s.* FROM ${stg} s
      WHERE NOT EXISTS (SELECT 1 FROM accounts a WHERE a.platform = s.platform AND a.account_id = s.account_id)`,
  );
  return inserted ?? 0;
}

export { ADAPTERS };

/**
 * Ingest one file into a case, as one transaction: sniff or force the format, stream the adapter's records,
 * normalise them, append posts, accounts, objects and rejects, then drop duplicates of posts already in the case.
 * A file that cannot be read leaves the case exactly as it was; re-ingesting the same bytes is a no-op.
 */
import { basename, resolve } from "node:path";
import { statSync } from "node:fs";
import { DuckDBTimestampTZValue, type DuckDBAppender } from "@duckdb/node-api";
import type { AccountInput, InputSummary, ObjectKind } from "../model/index.js";
import type { CaseStore } from "../store/case.js";
import { TOOL_VERSION } from "../version.js";
import { ADAPTERS, chooseAdapter } from "./registry.js";
import { openSource, readSample, sha256File } from "./source.js";
import { accountOfPost, invalidPost, toObjectRows, toPostRow } from "./records.js";
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

const ACCOUNT_FIELDS = [
  "handle",
  "displayName",
  "bio",
  "createdAtMs",
  "followers",
  "following",
  "avatarUrl",
  "location",
] as const;

interface AccountAcc extends AccountInput {
  row: number;
}

function tsValue(ms: number): DuckDBTimestampTZValue {
  return new DuckDBTimestampTZValue(BigInt(Math.round(ms)) * 1000n);
}

function appendStr(a: DuckDBAppender, v: string | null | undefined): void {
  if (v === null || v === undefined) a.appendNull();
  else a.appendVarchar(v);
}

function appendNum(a: DuckDBAppender, v: number | null | undefined): void {
  if (v === null || v === undefined || !Number.isFinite(v)) a.appendNull();
  else a.appendBigInt(BigInt(Math.trunc(v)));
}

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
    const stg = `stg_accounts_${inputId}`;
    await conn.run(`CREATE TEMP TABLE ${stg} AS SELECT * FROM accounts LIMIT 0`);
    const posts = await conn.createAppender("posts");
    const objects = await conn.createAppender("objects");
    const rejects = await conn.createAppender("rejects");

    const accounts = new Map<string, AccountAcc>();
    const noteAccount = (acc: AccountInput, row: number): void => {
      if (!acc.platform || !acc.accountId) return;
      const key = acc.platform + "\u0000" + acc.accountId;
      const cur = accounts.get(key);
      if (!cur) {
        accounts.set(key, { ...acc, row });
        return;
      }
      for (const f of ACCOUNT_FIELDS) {
        const v = acc[f];
        if ((cur[f] === null || cur[f] === undefined) && v !== null && v !== undefined) {
          (cur as unknown as Record<string, unknown>)[f] = v;
        }
      }
    };

    let rowsRead = 0;
    let rowsRejected = 0;
    let postsAppended = 0;
    let objectsAppended = 0;
    let lastRow = 0;
    const firstReasons: string[] = [];
    const reject = (row: number, reason: string, raw: string): void => {
      rowsRejected++;
      if (firstReasons.length < 3) firstReasons.push(`line ${row}: ${reason}`);
      rejects.appendInteger(inputId);
      rejects.appendBigInt(BigInt(row));
      rejects.appendVarchar(reason);
      rejects.appendVarchar(rawExcerpt(raw));
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
            noteAccount(item.account, item.row);
            continue;
          }
          const p = item.post;
          const bad = invalidPost(p);
          if (bad) {
            reject(item.row, bad, JSON.stringify(p));
            continue;
          }
          const r = toPostRow(p);
          posts.appendVarchar(r.platform);
          posts.appendVarchar(r.postId);
          posts.appendVarchar(r.accountId);
          posts.appendTimestampTZ(tsValue(r.tsMs));
          appendStr(posts, r.text);
          appendStr(posts, r.lang);
          posts.appendVarchar(r.kind);
          appendStr(posts, r.refPostId);
          appendStr(posts, r.refAccountId);
          appendStr(posts, r.client);
          posts.appendInteger(inputId);
          posts.appendBigInt(BigInt(item.row));
          posts.endRow();
          postsAppended++;
          for (const o of toObjectRows(p)) {
            objects.appendVarchar(r.platform);
            objects.appendVarchar(r.postId);
            objects.appendVarchar(o.kind);
            objects.appendVarchar(o.value);
            appendStr(objects, o.raw);
            objects.appendInteger(inputId);
            objects.appendBigInt(BigInt(item.row));
            objects.endRow();
            objectsAppended++;
          }
          noteAccount(accountOfPost(p), item.row);
        }
      }
    } catch (err) {
      if (err instanceof IngestError) throw err;
      const msg = (err as Error).message ?? String(err);
      if (/unexpected end of file|incorrect header check|invalid (block|distance|stored)/i.test(msg)) {
        throw new IngestError(`${path}: the gzip data is truncated or corrupt (${msg})`);
      }
      throw new IngestError(`${path}: reading stopped after row ${lastRow}: ${msg}`);
    } finally {
      posts.closeSync();
      objects.closeSync();
      rejects.closeSync();
    }
    if (postsAppended === 0 && accounts.size === 0) {
      const why = rowsRejected > 0 ? ` (${firstReasons.join("; ")})` : " (no records found)";
      throw new IngestError(
        `${path}: no row could be read as ${adapter.id}${why}. ` +
          `Run 'chorus formats' to see the formats, and force one with --format NAME.`,
      );
    }

    const accApp = await conn.createAppender(stg);
    try {
      for (const a of accounts.values()) {
        accApp.appendVarchar(a.platform);
        accApp.appendVarchar(a.accountId);
        appendStr(accApp, a.handle);
        appendStr(accApp, a.displayName);
        appendStr(accApp, a.bio);
        if (a.createdAtMs === null || a.createdAtMs === undefined || !Number.isFinite(a.createdAtMs)) {
          accApp.appendNull();
        } else accApp.appendTimestampTZ(tsValue(a.createdAtMs));
        appendNum(accApp, a.followers);
        appendNum(accApp, a.following);
        appendStr(accApp, a.avatarUrl);
        accApp.appendNull(); // avatar_hash: computed by the impersonation detector
        appendStr(accApp, a.location);
        accApp.appendInteger(inputId);
        accApp.appendBigInt(BigInt(a.row));
        accApp.endRow();
      }
    } finally {
      accApp.closeSync();
    }

    const postsDuplicate = await dropDuplicatePosts(store, inputId);
    const objectsStored = await dropDuplicateObjects(store, inputId, objectsAppended);
    const accountsStored = await mergeAccounts(store, stg);
    await conn.run(`DROP TABLE ${stg}`);

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
  });
}

/** Remove this input's posts that the case already had, and repeats within the file (first row wins). */
async function dropDuplicatePosts(store: CaseStore, inputId: number): Promise<number> {
  const n = await store.scalar<number>(
    `WITH mine AS (SELECT rowid AS rid, platform, post_id, source_row FROM posts WHERE input_id = $id),
          ranked AS (SELECT rid, platform, post_id,
                            row_number() OVER (PARTITION BY platform, post_id ORDER BY source_row, rid) AS rn
                       FROM mine)
     SELECT count(*)::INTEGER FROM ranked r
      WHERE r.rn > 1 OR EXISTS (SELECT 1 FROM posts p WHERE p.platform = r.platform AND p.post_id = r.post_id
                                   AND p.input_id <> $id)`,
    { id: inputId },
  );
  if (!n) return 0;
  await store.conn.run(
    `DELETE FROM posts WHERE rowid IN (
       WITH mine AS (SELECT rowid AS rid, platform, post_id, source_row FROM posts WHERE input_id = $id),
            ranked AS (SELECT rid, platform, post_id,
                              row_number() OVER (PARTITION BY platform, post_id ORDER BY source_row, rid) AS rn
                         FROM mine)
       SELECT rid FROM ranked r
        WHERE r.rn > 1 OR EXISTS (SELECT 1 FROM posts p WHERE p.platform = r.platform AND p.post_id = r.post_id
                                     AND p.input_id <> $id))`,
    { id: inputId },
  );
  return n;
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

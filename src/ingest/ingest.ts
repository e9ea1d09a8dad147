/**
 * Ingest one file into a case, as one transaction: sniff or force the format, stream the adapter's records,
 * normalise them, load posts, accounts, objects and rejects, then drop duplicates of posts already in the case.
 * A file that cannot be read leaves the case exactly as it was; re-ingesting the same bytes is a no-op.
 *
 * Message files (email: .eml, mbox, .msg) take a path of their own, `ingestMessages` (messages.ts), with the same
 * guarantees.
 *
 * Rows reach DuckDB through `BulkLoader` (delimited text read back by DuckDB's CSV reader, segment by segment,
 * overlapping with parsing) rather than the appender, whose per-value calls dominated ingest time.
 */
import { basename, resolve } from "node:path";
import { createHash } from "node:crypto";
import { statSync } from "node:fs";
import type { InputSummary, ObjectKind } from "../model/index.js";
import type { CaseStore } from "../store/case.js";
import { BulkLoader } from "../store/bulk.js";
import { SettingsLease } from "../store/bulk-settings.js";
import { TOOL_VERSION } from "../version.js";
import {
  countPostAccounts,
  dropDuplicateObjects,
  dropDuplicatePosts,
  hasRows,
  mergeAccounts,
} from "./dedup.js";
import { loadAccounts, streamInput } from "./load.js";
import { emailAdapter, MESSAGE_FILE_RE } from "./adapters/email.js";
import { ingestMessages, isMessageFile } from "./messages.js";
import { ADAPTERS, chooseAdapter } from "./registry.js";
import { hashFile, openSource, readSample } from "./source.js";
import { FAST_JSONL_MIN_BYTES, linesAreDuckDbSafe, loadStagedJsonl, stageJsonl } from "./fast-jsonl.js";
import { IngestError, type AdapterOptions } from "./types.js";
import { timeZone, type TimeZone } from "../normalize/time.js";

export interface IngestOptions {
  /** Force a format instead of sniffing. */
  format?: string;
  map?: Record<string, string>;
  platform?: string;
  objectKind?: ObjectKind;
  delimiter?: string;
  /** The zone of times written without one (UTC, +03:30, Asia/Tehran); without it such times are refused. */
  timeZone?: string;
  /** Longest record accepted, bytes (default 16 MiB). */
  maxRecordBytes?: number;
  onProgress?: (p: { bytesRead: number; bytesTotal: number; rows: number }) => void;
  /**
   * Whether native JSON Lines may be parsed by DuckDB (see fast-jsonl.ts): "auto" (the default) for files of 8 MiB
   * and more that allow it, "always" for every file that allows it, "never" to use the adapter alone. The stored
   * rows are the same either way.
   */
  sqlParse?: "auto" | "always" | "never";
  /** Bytes of a file whose lines DuckDB numbers at once (default `SLICE_BYTES`, 256 MiB; tests make it small). */
  sqlSliceBytes?: number;
}

export const DEFAULT_MAX_RECORD_BYTES = 16 * 1024 * 1024;

/**
 * While loading: one core stays with the JS thread that parses, and the blocks the loads write are not kept in
 * DuckDB's buffer pool (see `SettingsLease`).
 */
const LOAD_SETTINGS = { spareThreads: 1, memoryLimit: "512MiB" };

/**
 * While DuckDB parses native JSON Lines (fast-jsonl.ts), through the file's commit: 256 MiB per DuckDB thread, at
 * least 512 MiB (each thread reads and parses its own buffers of lines), never above two thirds of the case's limit.
 * The staged slices spill beyond the limit whatever it is, and a higher one only let DuckDB hold more: on two cores,
 * 10M posts, alternated, 83.1-90.3 s with a peak of 1,039-1,137 MiB at 512 MiB, against 83.8-106.3 s with
 * 2,558-2,900 MiB at two thirds of the case's limit (2 GiB here); 3M posts 29.4-30.1 s against 29.6-30.3 s
 * (936-983 MiB against 2,301-2,310), 1M posts 13.2-14.0 s against 13.4-14.0 s (897-910 MiB against 1,227-1,288).
 * A slice with a line over a MiB is read at the case's own limit (`StageOptions.wideLineMemoryLimit`).
 */
const STAGE_SETTINGS = {
  spareThreads: 0,
  memoryShare: 2 / 3,
  memoryLimit: "512MiB",
  memoryPerThread: "256MiB",
};

/**
 * Inputs of this many posts or more, none of them dropped as a duplicate, are checkpointed without the vacuum: its
 * merges of the partly filled row groups at the end of each part of the inserts were most of the checkpoint's time
 * (10M posts: 8.1-11.1 s; 2M posts: 1.5-1.6 s). A smaller input keeps them: the vacuum costs it little, and the
 * parts of its inserts are a larger share of its rows, which a case of many such inputs would keep in small row
 * groups.
 */
const CHECKPOINT_WITHOUT_VACUUM_POSTS = 1_000_000;

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
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT"
        ? "no such file"
        : code === "EACCES" || code === "EPERM"
          ? "permission denied"
          : (code ?? (err as Error).message);
    throw new IngestError(`${path}: cannot be read (${why})`);
  }
  // a file is one already ingested only if one of its size was: only then is it hashed before anything else.
  // Otherwise it is hashed while native JSON Lines are staged, in the same read (at 10M posts, 4.6 s of hashing)
  const sameSize =
    (await store.scalar<number>("SELECT count(*)::INTEGER FROM inputs WHERE bytes = $bytes", {
      bytes: bytesTotal,
    })) ?? 0;
  let hashed = sameSize > 0 ? await hashFile(absPath, linesAreDuckDbSafe) : null;
  const existing =
    hashed === null
      ? []
      : await store.all<{ id: number; format: string }>("SELECT id, format FROM inputs WHERE sha256 = $sha", {
          sha: hashed.sha256,
        });
  if (hashed !== null && existing.length > 0) {
    const sha256 = hashed.sha256;
    const prev = await store.all<Record<string, number> & { options: string | null }>(
      `SELECT id, rows_read::DOUBLE AS rows_read, rows_rejected::DOUBLE AS rows_rejected,
              posts_stored::DOUBLE AS posts_stored, posts_duplicate::DOUBLE AS posts_duplicate,
              accounts_stored::DOUBLE AS accounts_stored, objects_stored::DOUBLE AS objects_stored,
              options::VARCHAR AS options
         FROM inputs WHERE id = $id`,
      { id: existing[0]!.id },
    );
    const p = prev[0]!;
    const earlier = p.options === null ? null : optionsOf(JSON.parse(p.options) as Partial<StoredOptions>);
    const now = optionsOf(storedOptions(opts));
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
      ...(earlier !== null && earlier !== now ? { earlierOptions: earlier || "no options" } : {}),
    };
  }

  // message files (email) are read whole, by a path of their own: they may be binary (.msg) and are not rows
  const message = async (): Promise<Parameters<typeof ingestMessages>[2]> => {
    hashed ??= await hashFile(absPath, linesAreDuckDbSafe);
    return {
      path,
      absPath,
      sha256: hashed.sha256,
      bytes: bytesTotal,
      ...(opts.format ? { forced: opts.format } : {}),
    };
  };
  const forced = opts.format ? chooseAdapter({ name: "", head: "", lines: [] }, opts.format, path) : null;
  if (forced?.readMessages || (!forced && isMessageFile(absPath, MESSAGE_FILE_RE))) {
    return ingestMessages(store, forced ?? emailAdapter, await message());
  }

  let bytesRead = 0;
  const src = openSource(absPath, (n) => (bytesRead += n));
  const sample = await readSample(openSource(absPath), basename(absPath).replace(/\.gz$/i, ""));
  bytesRead = 0;
  const adapter = chooseAdapter(sample, opts.format, path);
  if (adapter.readMessages) return ingestMessages(store, adapter, await message());
  const adapterOpts: AdapterOptions = {
    map: opts.map ?? {},
    maxRecordBytes: opts.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES,
    ...(opts.platform ? { platform: opts.platform } : {}),
    ...(opts.objectKind ? { objectKind: opts.objectKind } : {}),
    ...(opts.delimiter ? { delimiter: opts.delimiter } : {}),
    ...(opts.timeZone ? { timeZone: zoneOf(opts.timeZone, path) } : {}),
  };

  // native JSON Lines: parsed by DuckDB where it reads the lines as the adapter does (outside the transaction: if
  // DuckDB refuses the file, nothing is to be rolled back and the adapter reads it)
  let stage: string | null = null;
  let stageLease: SettingsLease | null = null;
  const sqlParse = opts.sqlParse ?? "auto";
  if (
    adapter.id === "chorus-jsonl" &&
    !src.gzip &&
    (hashed?.lineSafe ?? true) &&
    (sqlParse === "always" || (sqlParse === "auto" && bytesTotal >= FAST_JSONL_MIN_BYTES))
  ) {
    stage = `stg_lines_${++stageSeq}`;
    const hash = hashed === null ? createHash("sha256") : undefined;
    stageLease = await SettingsLease.take(store.conn, STAGE_SETTINGS);
    let refused: string | null;
    try {
      refused = await stageJsonl(store, absPath, stage, adapterOpts.maxRecordBytes, {
        sliceBytes: opts.sqlSliceBytes,
        hash,
        onBytes: (bytesRead) => opts.onProgress?.({ bytesRead, bytesTotal, rows: 0 }),
        wideLineMemoryLimit: stageLease.memoryAtTake,
      });
    } catch (err) {
      await stageLease.release();
      throw err;
    }
    if (refused !== null) {
      stage = null;
      await stageLease.release();
      stageLease = null;
    } else if (hash !== undefined) hashed = { sha256: hash.digest("hex"), lineSafe: true };
  }
  hashed ??= await hashFile(absPath, linesAreDuckDbSafe);
  const sha256 = hashed.sha256;

  // the adapter's path leaves one core to JavaScript; DuckDB's parse uses them all
  const settings = stage === null ? await SettingsLease.take(store.conn, LOAD_SETTINGS) : null;
  try {
    const summary = await store.transaction(async () => {
      const inputId =
        ((await store.scalar<number>("SELECT coalesce(max(id), 0)::INTEGER FROM inputs")) ?? 0) + 1;
      const conn = store.conn;
      const caseHadPosts = await hasRows(store, "posts");
      const loader = new BulkLoader(conn, store.path);
      let read: Omit<Awaited<ReturnType<typeof streamInput>>, "accounts">;
      let accountsCount: number;
      let staging: string | null = null;
      // a case without accounts takes the input's directly; otherwise they are merged from a staging table
      const accountTable = async (): Promise<string> => {
        if (await hasRows(store, "accounts")) {
          staging = `stg_accounts_${inputId}`;
          await conn.run(`CREATE TEMP TABLE ${staging} AS SELECT * FROM accounts LIMIT 0`);
        }
        return staging ?? "accounts";
      };
      try {
        if (stage !== null) {
          const staged = await loadStagedJsonl(
            store,
            stage,
            path,
            inputId,
            await accountTable(),
            adapterOpts.maxRecordBytes,
            adapterOpts.timeZone,
          );
          stage = null;
          read = staged;
          accountsCount = staged.accountsCount;
        } else {
          const streamed = await streamInput(path, adapter, src, adapterOpts, loader, inputId, (rows) =>
            opts.onProgress?.({ bytesRead, bytesTotal, rows }),
          );
          read = streamed;
          accountsCount = streamed.accounts.size;
          if (streamed.accounts.size > 0) {
            await loadAccounts(loader, streamed.accounts, inputId, await accountTable());
          }
        }
        if (read.postsAppended === 0 && accountsCount === 0) {
          const why = read.rowsRejected > 0 ? ` (${read.firstReasons.join("; ")})` : " (no records found)";
          // rows read as the format but refused for a value (a time without a zone, an id a spreadsheet mangled) say
          // what to change; another format is the advice only when the rows did not read as this one
          const valueProblem = read.firstReasons.some((r) =>
            /has no time zone|floating-point number|is not a platform name|is a date without a time of day/.test(
              r,
            ),
          );
          throw new IngestError(
            `${path}: no row could be read as ${adapter.id}${why}.` +
              (valueProblem || Object.keys(opts.map ?? {}).length > 0
                ? ""
                : ` Run 'chorus formats' to see the formats, and force one with --format NAME.`),
          );
        }
      } finally {
        await loader.close();
      }
      await settings?.release(); // the set-based steps below use every core and the full memory limit

      let duplicatesOtherAccount = 0;
      const postsDuplicate = await dropDuplicatePosts(
        store,
        inputId,
        read.postsAppended,
        caseHadPosts,
        (n) => (duplicatesOtherAccount = n),
      );
      const objectsStored = await dropDuplicateObjects(store, inputId, read.objectsAppended, postsDuplicate);
      await countPostAccounts(store, inputId);
      let accountsStored = accountsCount;
      if (staging !== null) {
        accountsStored = await mergeAccounts(store, staging);
        await conn.run(`DROP TABLE ${staging}`);
      }

      const summary: InputSummary = {
        id: inputId,
        path,
        sha256,
        format: adapter.id,
        bytes: bytesTotal,
        rowsRead: read.rowsRead,
        rowsRejected: read.rowsRejected,
        postsStored: read.postsAppended - postsDuplicate,
        postsDuplicate,
        ...(duplicatesOtherAccount > 0 ? { duplicatesOtherAccount } : {}),
        accountsStored,
        objectsStored,
        skipped: false,
        ...(read.fieldsDropped > 0
          ? { fieldsDropped: read.fieldsDropped, fieldReasons: read.firstFieldReasons }
          : {}),
      };
      const optionsJson = JSON.stringify(storedOptions(opts));
      await conn.run(
        `INSERT INTO inputs VALUES ($id, $path, $sha, $format, $bytes, $rr, $rj, $ps, $pd, $as, $os, $opt::JSON,
           now(), $ver)`,
        {
          id: inputId,
          path,
          sha: sha256,
          format: adapter.id,
          bytes: bytesTotal,
          rr: summary.rowsRead,
          rj: summary.rowsRejected,
          ps: summary.postsStored,
          pd: postsDuplicate,
          as: accountsStored,
          os: objectsStored,
          opt: optionsJson,
          ver: TOOL_VERSION,
        },
      );
      opts.onProgress?.({ bytesRead: bytesTotal, bytesTotal, rows: summary.rowsRead });
      return summary;
    });
    // the rows DuckDB parsed are checkpointed now, within the parse's memory cap: left to the next checkpoint (the
    // case's closing, at the latest), it took as long and the process twice the memory (10M posts: 4.8 s at 946
    // MiB against 5.2 s at 2,059 MiB). Without the vacuum for a large input that deleted no row
    // (store.checkpointAppends)
    if (stageLease !== null) {
      if (summary.postsDuplicate === 0 && summary.postsStored >= CHECKPOINT_WITHOUT_VACUUM_POSTS) {
        await store.checkpointAppends();
      } else await store.conn.run("CHECKPOINT");
    }
    return summary;
  } finally {
    await settings?.release();
    if (stage !== null) await store.conn.run(`DROP TABLE IF EXISTS ${stage}`);
    await stageLease?.release();
  }
}

/** Names the staged files of this process apart (temporary tables belong to the connection). */
let stageSeq = 0;

export { ADAPTERS };

/** The options that decide how a file is read, as `inputs.options` keeps them. */
interface StoredOptions {
  format: string | null;
  map: Record<string, string>;
  platform: string | null;
  objectKind: string | null;
  /** Absent in the options of inputs read before the option existed. */
  timeZone?: string | null;
}

function storedOptions(opts: IngestOptions): StoredOptions {
  return {
    format: opts.format ?? null,
    map: opts.map ?? {},
    platform: opts.platform ?? null,
    objectKind: opts.objectKind ?? null,
    ...(opts.timeZone ? { timeZone: opts.timeZone } : {}),
  };
}

/** The zone `name` names; an IngestError naming the file when it names none. */
function zoneOf(name: string, path: string): TimeZone {
  const zone = timeZone(name);
  if (zone === null) {
    throw new IngestError(
      `${path}: --time-zone '${name}' is no time zone (UTC, an offset such as +03:30, or a name such as Asia/Tehran)`,
    );
  }
  return zone;
}

/** Stored options as the command line writes them, in a fixed order ("" for none), to compare and to show. */
function optionsOf(o: Partial<StoredOptions>): string {
  const parts: string[] = [];
  if (o.format) parts.push(`--format ${o.format}`);
  for (const [field, column] of Object.entries(o.map ?? {}).sort(([x], [y]) =>
    x < y ? -1 : x > y ? 1 : 0,
  )) {
    parts.push(`--map ${field}=${column}`);
  }
  if (o.platform) parts.push(`--platform ${o.platform}`);
  if (o.objectKind) parts.push(`--object-kind ${o.objectKind}`);
  if (o.timeZone) parts.push(`--time-zone ${o.timeZone}`);
  return parts.join(" ");
}

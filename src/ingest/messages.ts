/**
 * Ingest of message files (email), beside the row-shaped path of posts: the file is read whole (messages are
 * small and an mbox is split in memory), each message is triaged by the adapter, and the case gains, in one
 * transaction, its `messages`, `attachments`, the `indicators` they carry with `indicator_sources` saying where
 * each was seen, the senders as accounts of platform `email` (so the account graph and campaigns can name them),
 * and the rejects. A message already in the case (same sha256, from this file or another) is not stored again.
 */
import { gunzipSync } from "node:zlib";
import { closeSync, openSync, readFileSync, readSync } from "node:fs";
import { basename } from "node:path";
import type { DuckDBAppender } from "@duckdb/node-api";
import type { InputSummary } from "../model/index.js";
import { parseTimestamp, toIsoUtc } from "../normalize/time.js";
import type { CaseStore } from "../store/case.js";
import { TOOL_VERSION } from "../version.js";
import { IngestError, rawExcerpt, type IngestAdapter, type MessageItem } from "./types.js";

/** Larger message files are refused: split an mbox this big before ingesting it. */
export const MAX_MESSAGE_FILE_BYTES = 512 * 1024 * 1024;

/** The platform under which email senders are recorded as accounts. */
export const EMAIL_PLATFORM = "email";

/** The bytes of a message file, gzip undone, within the bound; an IngestError names the file otherwise. */
export function readMessageFile(path: string, absPath: string, size: number): Buffer {
  if (size > MAX_MESSAGE_FILE_BYTES) {
    throw new IngestError(
      `${path}: ${size} bytes, over the ${MAX_MESSAGE_FILE_BYTES}-byte bound for message files (split the mbox first)`,
    );
  }
  const raw = readFileSync(absPath);
  if (raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b) {
    try {
      return gunzipSync(raw, { maxOutputLength: MAX_MESSAGE_FILE_BYTES });
    } catch (err) {
      throw new IngestError(
        `${path}: the gzip data is truncated, corrupt or too large (${(err as Error).message})`,
      );
    }
  }
  return raw;
}

/**
 * Whether a file is a message file by its name (.eml, .mbox, .mbx, .msg, optionally .gz) or its first bytes (the
 * compound-file signature of a .msg, which the text sniffing of other formats refuses as binary).
 */
export function isMessageFile(absPath: string, namePattern: RegExp): boolean {
  if (namePattern.test(absPath)) return true;
  const head = Buffer.alloc(8);
  const fd = openSync(absPath, "r");
  try {
    if (readSync(fd, head, 0, 8, 0) < 8) return false;
  } finally {
    closeSync(fd);
  }
  return head.readUInt32LE(0) === 0xe011cfd0 && head.readUInt32LE(4) === 0xe11ab1a1;
}

const STAGING = {
  messages: `(input_id INTEGER, source_row BIGINT, message_id VARCHAR, sha256 VARCHAR, ts VARCHAR,
     from_address VARCHAR, from_domain VARCHAR, from_name VARCHAR, reply_to VARCHAR, return_path VARCHAR,
     subject VARCHAR, verdict VARCHAR, score DOUBLE, triage VARCHAR)`,
  attachments: `(source_row BIGINT, message_sha256 VARCHAR, path VARCHAR, filename VARCHAR, declared_type VARCHAR,
     detected_type VARCHAR, size BIGINT, sha256 VARCHAR, md5 VARCHAR)`,
  indicators: `(source_row BIGINT, message_sha256 VARCHAR, kind VARCHAR, value VARCHAR, role VARCHAR, ts VARCHAR)`,
};

function str(app: DuckDBAppender, v: string | null | undefined): void {
  if (v === null || v === undefined) app.appendNull();
  else app.appendVarchar(v);
}

function int(app: DuckDBAppender, v: number | null | undefined): void {
  if (v === null || v === undefined || !Number.isFinite(v)) app.appendNull();
  else app.appendBigInt(BigInt(Math.trunc(v)));
}

/**
 * A message time as the store takes it, or null when it is not an ISO time within the years Chorus accepts. The
 * triage gives no other dates; this keeps a bad one from failing the cast to TIMESTAMPTZ, and with it the file.
 */
function storableTs(ts: string | null): string | null {
  const ms = ts === null ? null : parseTimestamp(ts);
  return ms === null ? null : toIsoUtc(ms);
}

/** Append the adapter's items to staging tables (temporary, dropped at the end). */
async function stage(store: CaseStore, inputId: number, items: MessageItem[]): Promise<void> {
  for (const [name, cols] of Object.entries(STAGING)) {
    await store.conn.run(`CREATE OR REPLACE TEMP TABLE stg_${name} ${cols}`);
  }
  const m = await store.conn.createAppender("stg_messages");
  const a = await store.conn.createAppender("stg_attachments");
  const x = await store.conn.createAppender("stg_indicators");
  const r = await store.conn.createAppender("rejects");
  try {
    for (const item of items) {
      if (item.type === "reject") {
        r.appendInteger(inputId);
        int(r, item.row);
        r.appendVarchar(item.reason);
        r.appendVarchar(rawExcerpt(item.raw));
        r.endRow();
        continue;
      }
      const { message: msg, attachments, indicators, triage } = item.record;
      const ts = storableTs(msg.ts);
      m.appendInteger(inputId);
      int(m, item.row);
      str(m, msg.messageId);
      m.appendVarchar(msg.sha256);
      str(m, ts);
      str(m, msg.fromAddress);
      str(m, msg.fromDomain);
      str(m, msg.fromName);
      str(m, msg.replyTo);
      str(m, msg.returnPath);
      str(m, msg.subject);
      m.appendVarchar(msg.verdict);
      m.appendDouble(msg.score);
      m.appendVarchar(JSON.stringify(triage));
      m.endRow();
      for (const at of attachments) {
        int(a, item.row);
        a.appendVarchar(msg.sha256);
        a.appendVarchar(at.path);
        str(a, at.filename);
        str(a, at.declaredType);
        str(a, at.detectedType);
        int(a, at.size);
        str(a, at.sha256);
        str(a, at.md5);
        a.endRow();
      }
      for (const ind of indicators) {
        int(x, item.row);
        x.appendVarchar(msg.sha256);
        x.appendVarchar(ind.kind);
        x.appendVarchar(ind.value);
        x.appendVarchar(ind.role);
        str(x, ts);
        x.endRow();
      }
    }
  } finally {
    for (const app of [m, a, x, r]) app.closeSync();
  }
}

/**
 * Move the staged rows of input `inputId` into the case: messages not already there (first row wins), their
 * attachments and indicator sources, the indicators' first and last sightings, and the senders as accounts.
 * Returns how many messages and new accounts were stored.
 */
async function commitStaged(
  store: CaseStore,
  inputId: number,
): Promise<{ messages: number; accounts: number }> {
  const conn = store.conn;
  await conn.run(
    `INSERT INTO messages
     SELECT input_id, source_row, message_id, sha256, ts::TIMESTAMPTZ, from_address, from_domain, from_name, reply_to,
            return_path, subject, verdict, score, triage::JSON
       FROM stg_messages s
      WHERE NOT EXISTS (SELECT 1 FROM messages m WHERE m.sha256 = s.sha256)
    QUALIFY row_number() OVER (PARTITION BY sha256 ORDER BY source_row) = 1
      ORDER BY source_row`,
  );
  const kept = `(SELECT 1 FROM messages m WHERE m.input_id = $id AND m.source_row = s.source_row)`;
  await conn.run(
    `INSERT INTO attachments SELECT message_sha256, path, filename, declared_type, detected_type, size, sha256, md5
       FROM stg_attachments s WHERE EXISTS ${kept} ORDER BY source_row`,
    { id: inputId },
  );
  await conn.run(
    `INSERT INTO indicator_sources
     SELECT kind, value, role, $id, source_row, message_sha256, NULL, NULL, ts::TIMESTAMPTZ
       FROM stg_indicators s WHERE EXISTS ${kept} ORDER BY source_row, kind, value, role`,
    { id: inputId },
  );
  // every (kind, value) this input touched is recomputed over all its sources, posts' and messages'
  await conn.run(
    `CREATE OR REPLACE TEMP TABLE stg_touched AS
       SELECT DISTINCT kind, value FROM indicator_sources WHERE input_id = $id`,
    { id: inputId },
  );
  await conn.run(
    `DELETE FROM indicators i WHERE EXISTS (SELECT 1 FROM stg_touched t WHERE t.kind = i.kind AND t.value = i.value)`,
  );
  await conn.run(
    `INSERT INTO indicators
     SELECT s.kind, s.value, min(s.ts), max(s.ts),
            string_agg(DISTINCT CASE WHEN s.message_sha256 IS NULL THEN 'post' ELSE 'message' END, ',')
       FROM indicator_sources s JOIN stg_touched t ON t.kind = s.kind AND t.value = s.value
      GROUP BY s.kind, s.value ORDER BY s.kind, s.value`,
  );
  const messages = (await store.scalar<number>(
    "SELECT count(*)::INTEGER FROM messages WHERE input_id = $id",
    {
      id: inputId,
    },
  ))!;
  // senders become accounts of platform `email` (address as id and handle), first row per sender
  const before = (await store.scalar<number>("SELECT count(*)::INTEGER FROM accounts"))!;
  await conn.run(
    `INSERT INTO accounts
     SELECT '${EMAIL_PLATFORM}', from_address, from_address, from_name, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
            input_id, source_row
       FROM messages s
      WHERE input_id = $id AND from_address IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM accounts a WHERE a.platform = '${EMAIL_PLATFORM}'
                                                   AND a.account_id = s.from_address)
    QUALIFY row_number() OVER (PARTITION BY from_address ORDER BY source_row) = 1
      ORDER BY source_row`,
    { id: inputId },
  );
  await conn.run(
    `UPDATE accounts AS a SET display_name = s.from_name
       FROM (SELECT from_address, arg_min(from_name, source_row) AS from_name FROM messages
              WHERE input_id = $id AND from_name IS NOT NULL GROUP BY from_address) s
      WHERE a.platform = '${EMAIL_PLATFORM}' AND a.account_id = s.from_address AND a.display_name IS NULL`,
    { id: inputId },
  );
  const accounts = (await store.scalar<number>("SELECT count(*)::INTEGER FROM accounts"))! - before;
  for (const name of [...Object.keys(STAGING), "touched"]) await conn.run(`DROP TABLE stg_${name}`);
  return { messages, accounts };
}

export interface MessageInput {
  path: string;
  absPath: string;
  sha256: string;
  bytes: number;
  /** The format asked for with --format, recorded with the input. */
  forced?: string;
}

/**
 * Ingest one message file into the case, as one transaction. Throws `IngestError` (and leaves the case as it was)
 * when the file cannot be read or none of its messages can.
 */
export async function ingestMessages(
  store: CaseStore,
  adapter: IngestAdapter,
  input: MessageInput,
): Promise<InputSummary> {
  const bytes = readMessageFile(input.path, input.absPath, input.bytes);
  if (bytes.length === 0) throw new IngestError(`${input.path}: the file is empty`);
  const name = basename(input.absPath).replace(/\.gz$/i, "");
  const items = await adapter.readMessages!(bytes, name);
  const rejected = items.filter((i) => i.type === "reject");
  if (rejected.length === items.length) {
    const why = rejected
      .slice(0, 3)
      .map((r) => `message ${r.row}: ${r.reason}`)
      .join("; ");
    // a file of mail whose messages could not be read (a header of nothing but padding, say) is no other format:
    // another --format would not help, and a message built past a reader's bounds is a warning sign of its own
    const notMail = rejected.every((r) => /not an email|the file is empty/.test(r.reason));
    throw new IngestError(
      `${input.path}: no message could be read as ${adapter.id} (${why || "no message found"}). ` +
        (notMail || rejected.length === 0
          ? `Run 'chorus formats' to see the formats, and force one with --format NAME.`
          : `A message built so that readers give up is a warning sign in itself: 'chorus email ${input.path}' ` +
            `says what could be read of it.`),
    );
  }
  return store.transaction(async () => {
    const inputId =
      ((await store.scalar<number>("SELECT coalesce(max(id), 0)::INTEGER FROM inputs")) ?? 0) + 1;
    await stage(store, inputId, items);
    const stored = await commitStaged(store, inputId);
    const read = items.length - rejected.length;
    const summary: InputSummary = {
      id: inputId,
      path: input.path,
      sha256: input.sha256,
      format: adapter.id,
      bytes: input.bytes,
      rowsRead: items.length,
      rowsRejected: rejected.length,
      postsStored: 0,
      postsDuplicate: 0,
      accountsStored: stored.accounts,
      objectsStored: 0,
      skipped: false,
      messagesStored: stored.messages,
    };
    await store.conn.run(
      `INSERT INTO inputs VALUES ($id, $path, $sha, $format, $bytes, $rr, $rj, 0, 0, $as, 0, $opt::JSON, now(), $ver)`,
      {
        id: inputId,
        path: input.path,
        sha: input.sha256,
        format: adapter.id,
        bytes: input.bytes,
        rr: summary.rowsRead,
        rj: summary.rowsRejected,
        as: stored.accounts,
        opt: JSON.stringify({
          format: input.forced ?? null,
          messages_stored: stored.messages,
          messages_duplicate: read - stored.messages,
        }),
        ver: TOOL_VERSION,
      },
    );
    return summary;
  });
}

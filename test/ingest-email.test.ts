/**
 * Email in the case: `chorus ingest` reads .eml, mbox and .msg files (sniffed, or forced with --format email)
 * into `messages`, `attachments`, `indicators` and `indicator_sources`, with the guarantees every input has: one
 * transaction per file, the same bytes never read twice, unreadable messages rejected with their reason, every row
 * traceable to its input file and row. And a case written before email (schema version 4) migrates forward.
 */
import { copyFileSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DuckDBInstance } from "@duckdb/node-api";
import { emailAdapter } from "../src/ingest/adapters/email.js";
import { ingestFile } from "../src/ingest/ingest.js";
import { ingestMessages } from "../src/ingest/messages.js";
import { IngestError, type IngestAdapter } from "../src/ingest/types.js";
import { CaseStore } from "../src/store/case.js";
import { MIGRATIONS, SCHEMA_VERSION } from "../src/store/schema.js";
import { runCli } from "./helpers/cli.js";
import { tempDir } from "./helpers/tmp.js";

const CASE_DIR = fileURLToPath(new URL("./fixtures/email-case/", import.meta.url));
const EMAIL_DIR = fileURLToPath(new URL("./fixtures/email/", import.meta.url));

let tmp: ReturnType<typeof tempDir>;
const open: CaseStore[] = [];
beforeEach(() => (tmp = tempDir()));
afterEach(() => {
  for (const s of open.splice(0)) s.close();
  tmp.cleanup();
});

async function store(): Promise<CaseStore> {
  const s = await CaseStore.open(tmp.path("case.duckdb"));
  open.push(s);
  return s;
}

const count = async (s: CaseStore, table: string): Promise<number> =>
  (await s.scalar<number>(`SELECT count(*)::INTEGER FROM ${table}`))!;

/** The messages of an mbox file as the fixture holds them: a "From " line starts each. */
const mboxMessages = (path: string): number =>
  readFileSync(path, "latin1")
    .split(/\r?\n/)
    .filter((l) => l.startsWith("From ")).length;

/** A one-part message from a@sender.example with the given subject (also its Message-ID) and Date value. */
const shortMail = (subject: string, date: string): string =>
  [
    "From: Sender <a@sender.example>",
    "To: b@desk.example",
    `Subject: ${subject}`,
    `Date: ${date}`,
    `Message-ID: <${subject}@sender.example>`,
    "",
    "hello",
    "",
  ].join("\r\n");

describe("chorus ingest of email", () => {
  it("reads a directory of .eml and mbox files: one message per row, senders as accounts, rejects kept", async () => {
    const r = await runCli([
      "ingest",
      "--case",
      tmp.path("case.duckdb"),
      "--json",
      "--no-progress",
      CASE_DIR,
    ]);
    expect(r.code, r.err).toBe(0);
    const run = JSON.parse(r.out) as { inputs: Array<{ path: string; format: string; rowsRead: number }> };
    // generate.ts in the folder is not an input; the three message files are
    expect(run.inputs.map((i) => i.path.slice(CASE_DIR.length)).sort()).toEqual([
      "benign.mbox",
      "campaign.mbox",
      "lone.eml",
    ]);
    expect(run.inputs.every((i) => i.format === "email")).toBe(true);
    const s = await store();
    const rows = await s.all<{ path: string; n: number; last: number }>(
      `SELECT i.path, count(*)::INTEGER AS n, max(m.source_row)::INTEGER AS last
         FROM messages m JOIN inputs i ON i.id = m.input_id GROUP BY i.path ORDER BY i.path`,
    );
    const byName = new Map(rows.map((x) => [x.path.slice(CASE_DIR.length), x]));
    expect(byName.get("benign.mbox")?.n).toBe(mboxMessages(CASE_DIR + "benign.mbox"));
    expect(byName.get("lone.eml")).toMatchObject({ n: 1, last: 1 });
    // campaign.mbox's last entry is not an email: a reject with the triage's reason, at its row
    const total = mboxMessages(CASE_DIR + "campaign.mbox");
    expect(byName.get("campaign.mbox")?.n).toBe(total - 1);
    const rejects = await s.all<{ source_row: number; reason: string }>(
      "SELECT source_row::INTEGER AS source_row, reason FROM rejects",
    );
    expect(rejects).toEqual([{ source_row: total, reason: expect.stringMatching(/not an email/) as string }]);
    // every sender is an account of platform email, named by its first message
    const senders = await s.all<{ n: number }>(
      `SELECT count(*)::INTEGER AS n FROM accounts a
        WHERE a.platform = 'email'
          AND EXISTS (SELECT 1 FROM messages m WHERE m.from_address = a.account_id
                        AND m.input_id = a.input_id AND m.source_row = a.source_row)`,
    );
    const distinct = await s.scalar<number>("SELECT count(DISTINCT from_address)::INTEGER FROM messages");
    expect(senders[0]!.n).toBe(distinct);
  });

  it("keeps the triage with each message and traces every indicator to its message, file and row", async () => {
    const s = await store();
    for (const f of ["campaign.mbox", "lone.eml"]) await ingestFile(s, CASE_DIR + f);
    const m = await s.all<{ verdict: string; triage: string; reply_to: string | null; ts: string }>(
      "SELECT verdict, triage::VARCHAR AS triage, reply_to, strftime(ts, '%Y-%m-%dT%H:%M:%SZ') AS ts FROM messages",
    );
    for (const x of m) {
      const t = JSON.parse(x.triage) as { schema: string; verdict: string; date: string };
      expect(t.schema).toBe("chorus.email/v1");
      expect(t.verdict).toBe(x.verdict);
      expect(new Date(t.date).toISOString().slice(0, 19) + "Z").toBe(x.ts);
    }
    expect(m.filter((x) => x.reply_to === "civic.recovery.desk@gmail.com").length).toBeGreaterThan(1);
    // every indicator has sources, each naming a stored message by its input and row; first/last seen agree
    const orphans = await s.scalar<number>(
      `SELECT count(*)::INTEGER FROM indicators i
        WHERE NOT EXISTS (SELECT 1 FROM indicator_sources s JOIN messages m
                            ON m.sha256 = s.message_sha256 AND m.input_id = s.input_id AND m.source_row = s.source_row
                           WHERE s.kind = i.kind AND s.value = i.value)`,
    );
    expect(orphans).toBe(0);
    const span = await s.all<{ ok: boolean }>(
      `SELECT i.first_seen = min(m.ts) AND i.last_seen = max(m.ts) AS ok
         FROM indicators i JOIN indicator_sources s ON s.kind = i.kind AND s.value = i.value
         JOIN messages m ON m.sha256 = s.message_sha256
        GROUP BY i.kind, i.value, i.first_seen, i.last_seen`,
    );
    expect(span.length).toBeGreaterThan(0);
    expect(span.every((x) => x.ok)).toBe(true);
    const kinds = await s.all<{ kind: string }>("SELECT DISTINCT kind FROM indicators ORDER BY kind");
    expect(kinds.map((k) => k.kind)).toEqual(["domain", "email", "ipv4", "md5", "sha256", "url"]);
    // the attachment is listed with its hashes, under the message that carried it
    const att = await s.all<{ filename: string; sha256: string }>(
      `SELECT a.filename, a.sha256 FROM attachments a JOIN messages m ON m.sha256 = a.message_sha256`,
    );
    expect(att.length).toBeGreaterThan(0);
    expect(att.every((a) => a.filename === "statement.pdf" && /^[0-9a-f]{64}$/.test(a.sha256))).toBe(true);
  });

  it("does nothing for the same bytes again, and stores a message already in the case only once", async () => {
    const s = await store();
    const first = await ingestFile(s, CASE_DIR + "lone.eml");
    const before = await count(s, "indicator_sources");
    const again = await ingestFile(s, CASE_DIR + "lone.eml");
    expect(again).toMatchObject({ id: first.id, skipped: true });
    expect(await count(s, "messages")).toBe(1);
    expect(await count(s, "indicator_sources")).toBe(before);
    // the same message inside an mbox: other bytes as a file, but the message is the one the case has
    const mbox = tmp.path("forwarded.mbox");
    writeFileSync(
      mbox,
      Buffer.concat([
        Buffer.from("From someone Mon Nov  9 10:00:00 2026\r\n"),
        readFileSync(CASE_DIR + "lone.eml"),
      ]),
    );
    const third = await ingestFile(s, mbox);
    expect(third).toMatchObject({ skipped: false, rowsRead: 1, messagesStored: 0 });
    expect(await count(s, "messages")).toBe(1);
  });

  it("refuses a file none of whose messages can be read, naming it and the reason, and leaves the case as it was", async () => {
    const s = await store();
    await ingestFile(s, CASE_DIR + "lone.eml");
    const bomb = tmp.path("bomb.eml");
    // a header bomb: far past the header-block bound
    writeFileSync(
      bomb,
      "X-Filler: " +
        "a".repeat(200) +
        "\r\n".repeat(1) +
        ("X-Filler: " + "b".repeat(300) + "\r\n").repeat(3000) +
        "\r\nbody\r\n",
    );
    await expect(ingestFile(s, bomb)).rejects.toThrow(IngestError);
    await expect(ingestFile(s, bomb)).rejects.toThrow(
      new RegExp(`bomb\\.eml: no message could be read as email .*header`),
    );
    // mail no reader could read: no other --format helps, and the triage says what could be read of it
    await expect(ingestFile(s, bomb)).rejects.toThrow(/warning sign in itself: 'chorus email .*bomb\.eml'/);
    const notMail = tmp.path("notes.eml");
    writeFileSync(notMail, "shopping list\nmilk\n");
    await expect(ingestFile(s, notMail)).rejects.toThrow(/notes\.eml: no message could be read as email/);
    await expect(ingestFile(s, notMail)).rejects.toThrow(/force one with --format NAME/);
    expect(await count(s, "inputs")).toBe(1);
    expect(await count(s, "messages")).toBe(1);
    expect(await count(s, "rejects")).toBe(0);
  });

  it("reads a gzip-compressed message file, and an attached zip bomb is listed, not inflated", async () => {
    const s = await store();
    const gz = tmp.path("lone.eml.gz");
    writeFileSync(gz, gzipSync(readFileSync(CASE_DIR + "lone.eml")));
    expect(await ingestFile(s, gz)).toMatchObject({ format: "email", messagesStored: 1 });
    const bomb = await ingestFile(s, EMAIL_DIR + "zip-bomb.eml");
    expect(bomb).toMatchObject({ messagesStored: 1, rowsRejected: 0 });
    const entries = await s.all<{ path: string; sha256: string | null }>(
      "SELECT path, sha256 FROM attachments WHERE path LIKE '%/%' ORDER BY path",
    );
    expect(entries.length).toBeGreaterThan(0);
    expect(entries.every((e) => e.sha256 === null)).toBe(true);
  });

  it("recognises an email by its content under another name, and --format email forces it", async () => {
    const s = await store();
    const txt = tmp.path("reported.txt");
    copyFileSync(CASE_DIR + "lone.eml", txt);
    expect(await ingestFile(s, txt)).toMatchObject({ format: "email", messagesStored: 1 });
    const dat = tmp.path("reported.dat");
    copyFileSync(EMAIL_DIR + "credential-phish.eml", dat);
    expect(await ingestFile(s, dat, { format: "email" })).toMatchObject({
      format: "email",
      messagesStored: 1,
    });
    // a JSON-lines file is not taken for email
    const posts = tmp.path("posts.jsonl");
    writeFileSync(
      posts,
      JSON.stringify({
        platform: "x",
        post_id: "1",
        account_id: "a",
        ts: "2024-01-01T00:00:00Z",
        text: "From: me",
      }) + "\n",
    );
    expect((await ingestFile(s, posts)).format).not.toBe("email");
  });

  it("reads an Outlook .msg: the message, then the message embedded in it, as rows 1, 2, ...", async () => {
    const s = await store();
    const r = await ingestFile(s, EMAIL_DIR + "outlook-report.msg");
    expect(r.format).toBe("email");
    // the fixture is a report forwarded with the reported message attached
    expect(r.messagesStored).toBeGreaterThan(1);
    const rows = await s.all<{ source_row: number; subject: string }>(
      "SELECT source_row::INTEGER AS source_row, subject FROM messages ORDER BY source_row",
    );
    expect(rows.map((x) => x.source_row)).toEqual(rows.map((_x, i) => i + 1));
    expect(rows[0]!.subject).toContain(rows[1]!.subject);
  });
  it("stores a message whose Date header is unreadable or out of range without a date, and reads the files after it", async () => {
    const dir = tmp.path("reported");
    mkdirSync(dir);
    // the five-digit year sorts first: its date used to fail the whole run before the other files were read
    writeFileSync(join(dir, "a-year-99999.eml"), shortMail("far-future", "Mon, 1 Jan 99999 00:00:00 +0000"));
    writeFileSync(join(dir, "b-bad-date.eml"), shortMail("bad-date", "2024-13-45 99:99"));
    writeFileSync(join(dir, "c-plain.eml"), shortMail("plain", "Tue, 3 Nov 2026 08:13:59 +0000"));
    const r = await runCli(["ingest", "--case", tmp.path("case.duckdb"), "--no-progress", dir]);
    expect(r.code, r.err).toBe(0);
    const s = await store();
    const rows = await s.all<{ subject: string; ts: string | null; triage: string }>(
      `SELECT subject, strftime(ts, '%Y-%m-%dT%H:%M:%SZ') AS ts, triage::VARCHAR AS triage
         FROM messages ORDER BY subject`,
    );
    const seen = rows.map((x) => {
      const t = JSON.parse(x.triage) as { date?: string; reasons: Array<{ code: string }> };
      const notes = t.reasons.map((c) => c.code).filter((c) => c.startsWith("header.date"));
      return { subject: x.subject, ts: x.ts, date: t.date ?? null, notes };
    });
    // no date rather than the time of ingest, with a reason saying why; a readable date to the second
    expect(seen).toEqual([
      { subject: "bad-date", ts: null, date: null, notes: ["header.date-unreadable"] },
      { subject: "far-future", ts: null, date: null, notes: ["header.date-out-of-range"] },
      { subject: "plain", ts: "2026-11-03T08:13:59Z", date: "2026-11-03T08:13:59.000Z", notes: [] },
    ]);
    // the sender's first and last sightings come from the one dated message only
    const span = await s.all<{ first: string; last: string }>(
      `SELECT strftime(first_seen, '%Y-%m-%dT%H:%M:%SZ') AS first, strftime(last_seen, '%Y-%m-%dT%H:%M:%SZ') AS last
         FROM indicators WHERE kind = 'email' AND value = 'a@sender.example'`,
    );
    expect(span).toEqual([{ first: "2026-11-03T08:13:59Z", last: "2026-11-03T08:13:59Z" }]);
  });

  it("stores a message time the store cannot hold as no time instead of failing the file", async () => {
    const s = await store();
    const path = tmp.path("odd.eml");
    writeFileSync(path, shortMail("odd", "Tue, 3 Nov 2026 08:13:59 +0000"));
    // an adapter that hands over a time past what TIMESTAMPTZ takes, as toISOString writes year 99999
    const odd: IngestAdapter = {
      ...emailAdapter,
      async readMessages(bytes, name) {
        const items = await emailAdapter.readMessages!(bytes, name);
        for (const i of items) if (i.type === "message") i.record.message.ts = "+099999-01-01T00:00:00.000Z";
        return items;
      },
    };
    const r = await ingestMessages(s, odd, {
      path,
      absPath: path,
      sha256: "0".repeat(64),
      bytes: statSync(path).size,
    });
    expect(r.messagesStored).toBe(1);
    expect(await s.scalar<number>("SELECT count(*)::INTEGER FROM messages WHERE ts IS NULL")).toBe(1);
    expect(
      await s.scalar<number>("SELECT count(*)::INTEGER FROM indicator_sources WHERE ts IS NOT NULL"),
    ).toBe(0);
  });
});

describe("a case from before email", () => {
  it("migrates forward from schema version 4, keeping its rows", async () => {
    const path = tmp.path("v4.duckdb");
    const db = await DuckDBInstance.create(path);
    const conn = await db.connect();
    for (const m of MIGRATIONS.filter((x) => x.version <= 4))
      for (const sql of m.statements) await conn.run(sql);
    await conn.run("INSERT INTO meta VALUES ('schema_version', '4')");
    await conn.run("INSERT INTO notes VALUES ('n1', 'account', 'x:1', NULL, 'kept', now(), now())");
    conn.closeSync();
    db.closeSync();
    const s = await CaseStore.open(path);
    open.push(s);
    expect(await s.schemaVersion()).toBe(SCHEMA_VERSION);
    expect(SCHEMA_VERSION).toBeGreaterThanOrEqual(5);
    expect(await count(s, "notes")).toBe(1);
    for (const t of ["messages", "attachments", "indicator_sources"]) expect(await count(s, t)).toBe(0);
    await ingestFile(s, CASE_DIR + "lone.eml");
    expect(await count(s, "messages")).toBe(1);
  });
});

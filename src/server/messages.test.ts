/**
 * The serve API's reported email (`/api/messages`, and the count on `/api/case`) in-process over a case of the
 * email fixtures (a phishing operation in an mbox, ordinary mail, a lone .eml) and one more hostile message whose
 * subject is markup: the counts agree with the `messages` table, the list runs from the highest score down and
 * pages without gaps or repeats, the verdict filter keeps what it names, the subject comes back as the data it is,
 * and a bad query is refused as on every other list.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { ingestFile } from "../ingest/ingest.js";
import { CaseStore } from "../store/case.js";
import { tempDir } from "../../test/helpers/tmp.js";
import { createApp } from "./app.js";

const ORIGIN = "http://127.0.0.1:8123";
const CASE_DIR = fileURLToPath(new URL("../../test/fixtures/email-case/", import.meta.url));
/** A subject a page would run if it were ever set as markup. */
const MARKUP_SUBJECT = `<img src=x onerror="alert(1)"> Upgrade <b>now</b>`;

let tmp: ReturnType<typeof tempDir>;
let store: CaseStore;
let app: ReturnType<typeof createApp>;

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function call(path: string): Promise<{ status: number; body: Json }> {
  const res = await app.request(`${ORIGIN}${path}`);
  return { status: res.status, body: (await res.json()) as Json };
}

beforeAll(async () => {
  tmp = tempDir();
  // the lone phishing message again, under a subject of markup and an id of its own
  const markup = tmp.path("markup.eml");
  writeFileSync(
    markup,
    readFileSync(CASE_DIR + "lone.eml", "utf8")
      .replace("Subject: Upgrade your inbox", `Subject: ${MARKUP_SUBJECT}`)
      .replace("Message-ID: <c6@", "Message-ID: <c7@"),
  );
  store = await CaseStore.open(tmp.path("case.duckdb"));
  for (const f of [CASE_DIR + "campaign.mbox", CASE_DIR + "benign.mbox", CASE_DIR + "lone.eml", markup])
    await ingestFile(store, f);
  app = createApp(store, { host: "127.0.0.1", port: 8123, onInternalError: (e) => expect.fail(e.stack) });
}, 120_000);
afterAll(() => {
  store.close();
  tmp.cleanup();
});

describe("reported email", () => {
  it("counts the messages by verdict as the messages table does, on the list and on the overview", async () => {
    const rows = await store.all<{ verdict: string; n: number }>(
      "SELECT verdict, count(*)::INTEGER AS n FROM messages GROUP BY verdict",
    );
    const table = Object.fromEntries(rows.map((r) => [r.verdict, r.n]));
    const total = rows.reduce((s, r) => s + r.n, 0);
    const { status, body } = await call("/api/messages");
    expect(status).toBe(200);
    expect(body.total).toBe(total);
    expect(body.matched).toBe(total);
    expect(body.messages).toHaveLength(total);
    for (const v of ["malicious", "suspicious", "no-signs-found", "unknown"])
      expect(body.counts[v], v).toBe(table[v] ?? 0);
    const hostile = (table["malicious"] ?? 0) + (table["suspicious"] ?? 0);
    expect(hostile).toBeGreaterThan(0);
    expect((await call("/api/case")).body.messages).toEqual({ total, hostile });
  });

  it("lists the highest score first, each with its file, row and defanged reasons", async () => {
    const { body } = await call("/api/messages");
    const scores = (body.messages as Json[]).map((m) => m.score as number);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    const top = body.messages[0] as Json;
    expect(top.verdict).toMatch(/^(malicious|suspicious)$/);
    expect(top.input_path).toMatch(/\.(mbox|eml)$/);
    expect(Number.isInteger(top.source_row)).toBe(true);
    expect(top.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(top.reasons.length).toBeGreaterThan(0);
    expect(top.reasons.length).toBeLessThanOrEqual(3);
    // as the report shows them: no live link or dotted host of a hostile message
    for (const m of body.messages as Json[]) {
      for (const r of m.reasons as string[]) expect(r).not.toMatch(/https?:\/\//);
      if (m.from_address) expect(m.from_defanged).toContain("[.]");
    }
    const stored = await store.all<{ n: number }>(
      "SELECT count(*)::INTEGER AS n FROM messages WHERE sha256 = $s AND source_row = $r",
      { s: top.sha256, r: top.source_row },
    );
    expect(stored[0]!.n).toBe(1);
  });

  it("pages without gaps or repeats, in the same order as one long page", async () => {
    const all = (await call("/api/messages?limit=1000")).body.messages as Json[];
    const paged: Json[] = [];
    for (let offset = 0; offset < all.length; offset += 4) {
      const { body } = await call(`/api/messages?limit=4&offset=${offset}`);
      expect(body.offset).toBe(offset);
      paged.push(...(body.messages as Json[]));
    }
    expect(paged.map((m) => `${m.input_path}#${m.source_row}`)).toEqual(
      all.map((m) => `${m.input_path}#${m.source_row}`),
    );
    expect((await call(`/api/messages?offset=${all.length}`)).body.messages).toEqual([]);
  });

  it("keeps only the verdicts a filter names, and hostile is malicious and suspicious together", async () => {
    const all = (await call("/api/messages")).body;
    for (const v of ["malicious", "suspicious", "no-signs-found", "unknown"]) {
      const { body } = await call(`/api/messages?verdict=${v}`);
      expect(body.matched, v).toBe(all.counts[v]);
      expect(body.total).toBe(all.total);
      expect((body.messages as Json[]).every((m) => m.verdict === v)).toBe(true);
    }
    const hostile = (await call("/api/messages?verdict=hostile")).body;
    expect(hostile.matched).toBe(all.counts.malicious + all.counts.suspicious);
    expect(new Set((hostile.messages as Json[]).map((m) => m.verdict))).toEqual(
      new Set(["malicious", "suspicious"].filter((v) => all.counts[v] > 0)),
    );
  });

  it("returns a subject of markup as the data it is, among the hostile messages", async () => {
    const { body } = await call("/api/messages?verdict=hostile");
    const m = (body.messages as Json[]).find((x) => x.input_path.endsWith("markup.eml"));
    expect(m?.subject).toBe(MARKUP_SUBJECT);
  });

  it("refuses a bad limit, offset or verdict, and an unknown parameter, as the other lists do", async () => {
    for (const q of ["limit=0", "limit=abc", "offset=-1", "verdict=evil", "verdict=", "sort=ts"]) {
      const { status, body } = await call(`/api/messages?${q}`);
      expect(status, q).toBe(400);
      expect(body.error, q).toMatch(/^server: bad query/);
    }
  });
});

/**
 * The report's email section, present when the case holds reported messages: how many were hostile, the
 * operations that the email-infrastructure detector grouped (the shared indicators and every message, file and
 * row), and the hostile messages with their strongest reasons. Every indicator is defanged (hxxps://evil[.]example),
 * and so are the URLs, hosts and addresses inside subjects (indicators.ts), so that nothing in the report can be
 * clicked or resolved by accident.
 */
import { defang, defangIndicator, hostsOf, indicatorHost } from "../../email/defang.js";
import type { TriageResult } from "../../email/types.js";
import type { CaseStore } from "../../store/case.js";
import { fmtInt } from "./campaigns.js";
import { anchorId, html, sentence, text, userBlock, type SafeHtml } from "./escape.js";
import { defangText } from "./indicators.js";
import { isoSecondsSql } from "../../store/sql-time.js";

/** Hostile messages listed in full; the rest are counted. */
export const MAX_HOSTILE_ROWS = 300;
/** Messages and indicators listed per operation. */
const MAX_GROUP_ROWS = 100;
const REASONS_SHOWN = 3;

export interface EmailMessageRow {
  sha256: string;
  input: string;
  row: number;
  ts: string | null;
  from: string | null;
  subject: string | null;
  verdict: string;
  score: number;
  /** The strongest reasons, already defanged. */
  reasons: string[];
}

export interface EmailGroup {
  id: string;
  strength: string;
  score: number;
  size: number;
  hostile: number;
  first_seen: string | null;
  last_seen: string | null;
  senders: string[];
  summary: string;
  indicators: Array<{ kind: string; value: string; messages: number; weight: number }>;
  messages: Array<{
    input_id: number;
    source_row: number;
    path: string | null;
    ts: string | null;
    from: string | null;
    email_subject: string | null;
    verdict: string;
  }>;
}

export interface EmailData {
  total: number;
  byVerdict: Record<string, number>;
  /** Suspicious or malicious messages, highest score first (capped at MAX_HOSTILE_ROWS). */
  hostile: EmailMessageRow[];
  hostileTotal: number;
  groups: EmailGroup[];
  detectorStatus: { status: string; message: string } | null;
}

/** Triage verdicts, most dangerous first. */
export const VERDICT_ORDER = ["malicious", "suspicious", "no-signs-found", "unknown"] as const;

/** How many messages the case holds, in all and by verdict (every verdict of VERDICT_ORDER present). */
export async function verdictCounts(
  store: CaseStore,
): Promise<{ total: number; byVerdict: Record<string, number> }> {
  const counts = await store.all<{ verdict: string; n: number }>(
    `SELECT verdict, count(*)::INTEGER AS n FROM messages GROUP BY verdict ORDER BY verdict`,
  );
  const byVerdict: Record<string, number> = {};
  for (const v of VERDICT_ORDER) byVerdict[v] = 0;
  for (const r of counts) byVerdict[r.verdict] = r.n;
  return { total: counts.reduce((s, r) => s + r.n, 0), byVerdict };
}

/**
 * A message's strongest reasons from its stored triage result (`messages.triage`), defanged against the hosts it
 * names, as the report lists them; the serve API shows the same sentences.
 */
export function strongestReasons(triage: string, max = REASONS_SHOWN): string[] {
  try {
    const t = JSON.parse(triage) as TriageResult;
    const hosts = hostsOf(t);
    return t.reasons
      .filter((x) => x.weight > 0)
      .slice(0, max)
      .map((x) => defang(x.message, hosts));
  } catch {
    return ["(the stored triage result could not be read)"];
  }
}

/** A message as the report and the app list it: its verdict, score, strongest reasons (defanged), file and row. */
export interface MessageRow {
  sha256: string;
  ts: string | null;
  from_address: string | null;
  subject: string | null;
  verdict: string;
  score: number;
  reasons: string[];
  input_path: string;
  source_row: number;
}

/**
 * The case's messages of `verdicts` (all: null), the most dangerous first, `limit` from `offset`: the report's list
 * of hostile messages and the app's pages alike, so that the two list them in one order. Time, then file and row
 * break ties, so that a page boundary falls in the same place on every request.
 */
export async function messageRows(
  store: CaseStore,
  verdicts: readonly string[] | null,
  limit: number,
  offset: number,
): Promise<MessageRow[]> {
  const kept = Object.fromEntries((verdicts ?? []).map((v, i) => [`v${i}`, v]));
  const where = verdicts
    ? `WHERE m.verdict IN (${Object.keys(kept)
        .map((k) => "$" + k)
        .join(", ")})`
    : "";
  const rows = await store.all<Omit<MessageRow, "reasons"> & { triage: string }>(
    `SELECT m.sha256, ${isoSecondsSql("m.ts")} AS ts, m.from_address, m.subject, m.verdict, m.score,
            m.triage::VARCHAR AS triage, i.path AS input_path, m.source_row::DOUBLE AS source_row
       FROM messages m JOIN inputs i ON i.id = m.input_id
       ${where}
      ORDER BY m.score DESC, m.ts ASC NULLS LAST, i.path, m.source_row
      LIMIT $limit OFFSET $offset`,
    { ...kept, limit, offset },
  );
  return rows.map(({ triage, ...r }) => ({ ...r, reasons: strongestReasons(triage) }));
}

/** The case's messages as the report shows them; null when the case holds none. */
export async function loadEmailData(
  store: CaseStore,
  detectors: ReadonlyArray<{ id: string; status: string; message: string; details: Record<string, unknown> }>,
): Promise<EmailData | null> {
  const { total, byVerdict } = await verdictCounts(store);
  if (total === 0) return null;
  const hostileTotal = (byVerdict["malicious"] ?? 0) + (byVerdict["suspicious"] ?? 0);
  const hostile = (await messageRows(store, ["malicious", "suspicious"], MAX_HOSTILE_ROWS, 0)).map(
    (r): EmailMessageRow => ({
      sha256: r.sha256,
      input: r.input_path,
      row: r.source_row,
      ts: r.ts,
      from: r.from_address,
      subject: r.subject,
      verdict: r.verdict,
      score: r.score,
      reasons: r.reasons,
    }),
  );
  const det = detectors.find((d) => d.id === "email-infrastructure");
  const groups = Array.isArray(det?.details["groups"]) ? (det.details["groups"] as EmailGroup[]) : [];
  return {
    total,
    byVerdict,
    hostile,
    hostileTotal,
    groups,
    detectorStatus: det ? { status: det.status, message: det.message } : null,
  };
}

const ind = (kind: string, value: string): SafeHtml => text(defangIndicator(kind, value), 400);
/**
 * A subject is the attacker's text: any URL, host or address in it ("Verify at evil.example") defanged too; a cell of
 * its own, in its own direction (a Persian subject aligns right).
 */
const subjectCell = (s: string | null): SafeHtml => userBlock("td", s === null ? null : defangText(s), 300);

/**
 * A reason as the report shows it: an English sentence in which each quoted phrase is isolated with a direction of
 * its own (escape.ts `sentence`), so that several Persian or Arabic quotes keep their order and their quotation marks
 * (one isolate around the whole sentence had shown three quotes right to left, the marks misplaced). Left to right
 * as a whole, wherever it stands.
 */
export function reasonHtml(r: string): SafeHtml {
  return html`<span dir="ltr">${sentence(r, 600)}</span>`;
}

function verdictBadge(v: string): SafeHtml {
  return html`<span class="verdict ${v}">${v}</span>`;
}

function groupSection(g: EmailGroup, inputPaths: ReadonlyMap<number, string>): SafeHtml {
  const inds = g.indicators.slice(0, MAX_GROUP_ROWS);
  const msgs = g.messages.slice(0, MAX_GROUP_ROWS);
  return html`<article class="email-group" id="${anchorId("email", g.id)}">
    <h4>${g.id} <span class="strength ${g.strength}">${g.strength}</span>
      <span class="muted">score ${g.score.toFixed(2)}</span></h4>
    <p>${sentence(
      defang(
        g.summary,
        g.indicators.map((i) => indicatorHost(i.value)),
      ),
      1000,
    )}
      ${fmtInt(g.hostile)} of ${fmtInt(g.size)} messages were triaged suspicious or malicious;
      ${g.first_seen ? html`first ${g.first_seen}, last ${g.last_seen ?? g.first_seen}.` : "no dates."}</p>
    <table>
      <caption>Shared infrastructure (defanged)</caption>
      <thead><tr><th>kind</th><th>indicator</th><th class="num">messages</th><th class="num">weight</th></tr></thead>
      <tbody>
        ${inds.map(
          (i) => html`<tr><td>${i.kind}</td><td class="obj">${ind(i.kind, i.value)}</td>
            <td class="num">${fmtInt(i.messages)}</td><td class="num">${i.weight.toFixed(2)}</td></tr>`,
        )}
      </tbody>
    </table>
    ${g.indicators.length > inds.length ? html`<p class="muted">Showing ${inds.length} of ${fmtInt(g.indicators.length)} indicators.</p>` : ""}
    <table>
      <caption>Messages</caption>
      <thead><tr><th>date</th><th>sender</th><th>subject</th><th>verdict</th><th>source</th></tr></thead>
      <tbody>
        ${msgs.map(
          (m) => html`<tr><td class="mono">${m.ts ?? "–"}</td><td>${m.from ? ind("email", m.from) : "–"}</td>
            ${subjectCell(m.email_subject)}<td>${verdictBadge(m.verdict)}</td>
            <td class="muted">${text(m.path ?? inputPaths.get(m.input_id) ?? `input ${m.input_id}`, 300)}
              message ${m.source_row}</td></tr>`,
        )}
      </tbody>
    </table>
    ${g.messages.length > msgs.length ? html`<p class="muted">Showing ${msgs.length} of ${fmtInt(g.messages.length)} messages.</p>` : ""}
  </article>`;
}

/** The section; empty when the case holds no messages. */
export function emailSection(e: EmailData | null, inputPaths: ReadonlyMap<number, string>): SafeHtml {
  if (!e) return html``;
  const v = e.byVerdict;
  return html`<section id="email">
    <h2>Reported email</h2>
    <p>
      ${fmtInt(e.total)} message${e.total === 1 ? "" : "s"} in the case were triaged offline (headers, senders,
      links, attachments, language); the verdicts say how dangerous each looks, with reasons, not that it was
      sent by any particular actor. Indicators are defanged here; <code>chorus export --format stix|misp</code>
      writes them for sharing.
    </p>
    <div class="figures">
      ${VERDICT_ORDER.map((k) => html`<div class="figure"><b>${fmtInt(v[k] ?? 0)}</b>${k}</div>`)}
      <div class="figure"><b>${fmtInt(e.groups.length)}</b>operations (shared infrastructure)</div>
    </div>
    <h3>Operations</h3>
    ${
      e.groups.length === 0
        ? html`<p>
            ${
              e.detectorStatus
                ? sentence(
                    `No group of messages shares rare infrastructure (${e.detectorStatus.status}: ${e.detectorStatus.message}).`,
                    1000,
                  )
                : "The email-infrastructure detector did not run in this analysis."
            }
          </p>`
        : html`<p>
              Messages tied by rare shared infrastructure (a Reply-To mailbox, a landing site, a sending server,
              an attachment, lookalike domains registered together), weighted by rarity so that big providers
              never tie anything on their own.
            </p>
            ${e.groups.map((g) => groupSection(g, inputPaths))}`
    }
    <h3>Hostile messages (${fmtInt(e.hostileTotal)})</h3>
    ${
      e.hostile.length === 0
        ? html`<p>No message was triaged suspicious or malicious.</p>`
        : html`<table>
            <thead><tr><th>verdict</th><th class="num">score</th><th>date</th><th>sender</th><th>subject</th>
              <th>strongest reasons</th><th>source</th></tr></thead>
            <tbody>
              ${e.hostile.map(
                (m) => html`<tr><td>${verdictBadge(m.verdict)}</td><td class="num">${m.score.toFixed(2)}</td>
                  <td class="mono">${m.ts ?? "–"}</td><td>${m.from ? ind("email", m.from) : "–"}</td>
                  ${subjectCell(m.subject)}
                  <td><ol>${m.reasons.map((r) => html`<li>${reasonHtml(r)}</li>`)}</ol></td>
                  <td class="muted">${text(m.input, 300)} message ${m.row}<br /><span class="mono">sha256
                    ${m.sha256.slice(0, 16)}…</span></td></tr>`,
              )}
            </tbody>
          </table>
          ${e.hostileTotal > e.hostile.length ? html`<p class="muted">Showing the ${fmtInt(e.hostile.length)} highest-scoring of ${fmtInt(e.hostileTotal)} hostile messages; all are in the case file (table <code>messages</code>).</p>` : ""}`
    }
  </section>`;
}

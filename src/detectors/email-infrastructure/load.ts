/** Reading the case's messages and the indicators each carries (see src/ingest/messages.ts). */
import type { CaseStore } from "../../store/case.js";
import type { MessageIndicators } from "./features.js";
import { isoMsSql } from "../../store/sql-time.js";

export interface MessageRow {
  sha256: string;
  inputId: number;
  sourceRow: number;
  path: string;
  ts: string | null;
  fromAddress: string | null;
  subject: string | null;
  verdict: string;
  indicators: MessageIndicators;
}

/** Every message of the case in input and row order, with its indicators. */
export async function loadMessages(store: CaseStore): Promise<MessageRow[]> {
  const rows = await store.all<{
    sha256: string;
    input_id: number;
    source_row: number;
    path: string;
    ts: string | null;
    from_address: string | null;
    from_domain: string | null;
    reply_to: string | null;
    return_path: string | null;
    subject: string | null;
    verdict: string;
  }>(
    `SELECT m.sha256, m.input_id, m.source_row::INTEGER AS source_row, i.path,
            ${isoMsSql("m.ts")} AS ts, m.from_address, m.from_domain, m.reply_to,
            m.return_path, m.subject, m.verdict
       FROM messages m JOIN inputs i ON i.id = m.input_id
      ORDER BY m.input_id, m.source_row`,
  );
  const out: MessageRow[] = rows.map((r) => ({
    sha256: r.sha256,
    inputId: r.input_id,
    sourceRow: r.source_row,
    path: r.path,
    ts: r.ts,
    fromAddress: r.from_address,
    subject: r.subject,
    verdict: r.verdict,
    indicators: {
      fromDomain: r.from_domain,
      replyTo: r.reply_to,
      returnPathDomain: r.return_path ? r.return_path.slice(r.return_path.lastIndexOf("@") + 1) : null,
      urls: [],
      linkHosts: [],
      firstHopIp: null,
      attachments: [],
    },
  }));
  const bySha = new Map(out.map((m) => [m.sha256, m]));
  const sources = await store.all<{ sha: string; kind: string; value: string; role: string }>(
    `SELECT message_sha256 AS sha, kind, value, role FROM indicator_sources
      WHERE message_sha256 IS NOT NULL AND role IN ('link', 'first-hop', 'attachment')
      ORDER BY message_sha256, kind, value, role`,
  );
  for (const s of sources) {
    const m = bySha.get(s.sha)?.indicators;
    if (!m) continue;
    if (s.role === "link" && s.kind === "url") m.urls.push(s.value);
    else if (s.role === "link") m.linkHosts.push(s.value);
    else if (s.role === "first-hop") m.firstHopIp = s.value;
    else if (s.role === "attachment" && s.kind === "sha256") m.attachments.push(s.value);
  }
  return out;
}

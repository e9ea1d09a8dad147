/**
 * Reported email in `chorus serve`: the case's messages (ingested .eml, mbox, .msg) a page at a time, the most
 * dangerous first, each with its verdict, score and strongest reasons as the report words them (defanged), and
 * the file and row it came from. Subjects and senders are returned as the mail gave them: they are hostile text,
 * and the browser app shows them as text. Counting and the reasons come from the report's email section, so the
 * two never disagree.
 *
 * @example
 * const page = await messagePage(store, MessagesQuery.parse({ verdict: "hostile", limit: "50" }));
 * page.messages[0]; // { sha256, ts, from_address, subject, verdict, score, reasons, input_path, source_row, ... }
 */
import { z } from "zod";
import { defangIndicator } from "../email/defang.js";
import { messageRows, VERDICT_ORDER, verdictCounts } from "../report/html/email.js";
import type { CaseStore } from "../store/case.js";
import { intOr } from "./filters.js";

/** A verdict, or "hostile" for malicious and suspicious together (the overview's link asks for those). */
const VerdictParam = z.enum([...VERDICT_ORDER, "hostile"]);
export type VerdictFilter = z.infer<typeof VerdictParam>;

export const MessagesQuery = z
  .object({ limit: intOr(1, 1000, 100), offset: intOr(0, 1_000_000, 0), verdict: VerdictParam.optional() })
  .strict();

export interface MessageCounts {
  total: number;
  /** Malicious or suspicious. */
  hostile: number;
  byVerdict: Record<string, number>;
}

export async function messageCounts(store: CaseStore): Promise<MessageCounts> {
  const { total, byVerdict } = await verdictCounts(store);
  return { total, hostile: (byVerdict["malicious"] ?? 0) + (byVerdict["suspicious"] ?? 0), byVerdict };
}

/** The verdicts a filter stands for. */
const verdictsOf = (v: VerdictFilter): string[] => (v === "hostile" ? ["malicious", "suspicious"] : [v]);

/** One page of the case's messages under a verdict filter, the most dangerous first. */
export async function messagePage(store: CaseStore, q: z.infer<typeof MessagesQuery>) {
  const counts = await messageCounts(store);
  const verdicts = q.verdict ? verdictsOf(q.verdict) : null;
  const rows = await messageRows(store, verdicts, q.limit, q.offset);
  return {
    total: counts.total,
    matched: verdicts ? verdicts.reduce((n, v) => n + (counts.byVerdict[v] ?? 0), 0) : counts.total,
    shown: rows.length,
    offset: q.offset,
    verdict: q.verdict ?? null,
    counts: Object.fromEntries(VERDICT_ORDER.map((v) => [v, counts.byVerdict[v] ?? 0])),
    messages: rows.map((r) => ({
      ...r,
      // the sender as the report shows it, so that copying it from the screen does not give a live address
      from_defanged: r.from_address === null ? null : defangIndicator("email", r.from_address),
    })),
  };
}

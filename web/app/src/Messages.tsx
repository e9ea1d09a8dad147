/**
 * Reported email: the case's messages, the most dangerous first, each with its verdict, score, time, sender,
 * subject, strongest reasons and the file and row it came from. Everything in a message is hostile text (a
 * subject may be markup written to run in a careless viewer), so subjects, senders and the phrases that reasons
 * quote go through UserText; senders and reasons arrive defanged from the server, and the URLs, hosts and
 * addresses in a subject are defanged here, as the report shows them. The verdict filter is the route's id, so a
 * filtered page is a link like any other.
 */
import { defangText } from "../../../src/report/html/indicators.js";
import { api, VERDICTS, type MessageList, type VerdictFilter } from "./api.js";
import { Status, useApi, useCtx } from "./ctx.js";
import { MESSAGES_PAGE } from "./paging.js";
import { Pager } from "./Tie.js";
import { Sentence, UserBlock, UserText } from "./UserText.js";

const FILTERS: readonly VerdictFilter[] = ["hostile", ...VERDICTS];

/** The route's filter, when it names one (a hand-edited link may not). */
const verdictFilter = (id: string | null): VerdictFilter | null =>
  FILTERS.includes(id as VerdictFilter) ? (id as VerdictFilter) : null;

export function Messages() {
  const { route, t, num, go, term } = useCtx();
  const verdict = verdictFilter(route.id);
  const list = useApi(
    () => api.messages(verdict, route.page * MESSAGES_PAGE, MESSAGES_PAGE),
    [verdict, route.page],
  );
  return (
    <div className="screen messages-screen">
      <h1>{t("messages")}</h1>
      <p>{t("messagesIntro")}</p>
      <Status loaded={list}>
        {(r) => (
          // the filter the rows shown were read under (the route's may be ahead of them while the next page loads)
          <div data-verdict-shown={r.verdict ?? "all"}>
            <label className="view-options block">
              {t("verdict")}{" "}
              <select
                value={verdict ?? ""}
                onChange={(e) => go({ id: e.target.value || null, page: 0 })}
                name="verdict"
              >
                <option value="">
                  {t("verdictAll")} ({num(r.total)})
                </option>
                {FILTERS.map((v) => (
                  <option key={v} value={v}>
                    {term("verdict", v)} (
                    {num(v === "hostile" ? r.counts.malicious + r.counts.suspicious : r.counts[v])})
                  </option>
                ))}
              </select>
            </label>
            <p className="muted">
              {t("showing", { n: num(r.messages.length), m: num(r.matched), what: t("messagesWord") })}
            </p>
            {r.messages.length === 0 ? <p>{t("messagesNone")}</p> : <MessageTable rows={r.messages} />}
            <Pager
              page={route.page}
              pages={Math.ceil(r.matched / MESSAGES_PAGE)}
              onPage={(p) => go({ page: p })}
              label={t("messages")}
            />
          </div>
        )}
      </Status>
    </div>
  );
}

export function VerdictBadge({ verdict }: { verdict: string }) {
  const { term } = useCtx();
  const known = (VERDICTS as readonly string[]).includes(verdict);
  return (
    <span className={`badge verdict-${known ? verdict : "unknown"}`} data-verdict={verdict}>
      {known ? term("verdict", verdict) : <UserText value={verdict} max={40} />}
    </span>
  );
}

function MessageTable({ rows }: { rows: MessageList["messages"] }) {
  const { t, num, date } = useCtx();
  return (
    <table className="data messages">
      <thead>
        <tr>
          <th scope="col">{t("verdict")}</th>
          <th scope="col" className="num">
            {t("score")}
          </th>
          <th scope="col">{t("time")}</th>
          <th scope="col">{t("sender")}</th>
          <th scope="col">{t("subject")}</th>
          <th scope="col">{t("reasons")}</th>
          <th scope="col">{t("fileRow")}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((m) => (
          <tr key={`${m.input_path}#${m.source_row}`} data-verdict={m.verdict} data-sha256={m.sha256}>
            <td>
              <VerdictBadge verdict={m.verdict} />
            </td>
            <td className="num">{num(m.score, 2)}</td>
            <td>
              <time dateTime={m.ts ?? ""}>{date(m.ts, true)}</time>
            </td>
            <td className="sender">
              <UserText value={m.from_defanged} max={200} />
            </td>
            <th scope="row" className="subject">
              {/* a block in the subject's own direction: a Persian subject reads and aligns right to left */}
              <UserBlock as="div" value={m.subject && defangText(m.subject)} max={300} />
            </th>
            <td>
              {/* English sentences: the list is left to right as a whole, so that on a Persian page its numbers
                  stand in its own padding rather than over the next column */}
              <ol className="reasons" lang="en" dir="ltr">
                {/* as the report shows them: each phrase a reason quotes from the message in its own direction */}
                {m.reasons.map((r, i) => (
                  <Sentence key={i} as="li" value={r} max={600} />
                ))}
              </ol>
            </td>
            <td className="muted">
              <UserText value={m.input_path} max={300} /> {t("messageRow", { n: num(m.source_row) })}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

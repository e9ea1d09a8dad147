/** Every label and note in the case, newest decisions first, each linked to what it is about. */
import { api, type Label, type Note } from "./api.js";
import { LabelBadge, shownTarget, targetKind } from "./Annotations.js";
import { Status, useApi, useCtx } from "./ctx.js";
import type { Route } from "./route.js";
import { UserBlock, UserText } from "./UserText.js";

function targetLink(kind: string, id: string, campaign?: string | null): Partial<Route> | null {
  if (kind === "campaign") return campaign === null ? null : { screen: "campaign", id: campaign ?? id };
  if (kind === "account") return { screen: "account", id };
  const cut = id.indexOf("|");
  return cut > 0 ? { screen: "tie", id: id.slice(0, cut), b: id.slice(cut + 1) } : null;
}

export function Notes() {
  const { t, revision } = useCtx();
  const labels = useApi(() => api.labels(), [revision]);
  const notes = useApi(() => api.notes(), [revision]);
  return (
    <div className="screen notes-screen">
      <h1>{t("notesAll")}</h1>
      <h2>{t("labels")}</h2>
      <Status loaded={labels}>{(l) => <LabelList rows={l.labels} />}</Status>
      <h2>{t("notes")}</h2>
      <Status loaded={notes}>{(n) => <NoteList rows={n.notes} />}</Status>
    </div>
  );
}

function Target({ kind, id, campaign }: { kind: string; id: string; campaign?: string | null | undefined }) {
  const { link, t } = useCtx();
  const to = targetLink(kind, id, campaign);
  const text = (
    <>
      <span className="target-kind" data-kind={kind}>
        {targetKind(t, kind)}
      </span>{" "}
      <UserText value={shownTarget(kind, id, campaign)} max={300} />
    </>
  );
  return to ? <a href={link(to)}>{text}</a> : text;
}

function LabelList({ rows }: { rows: Label[] }) {
  const { t, date, num } = useCtx();
  if (rows.length === 0) return <p>{t("noData")}</p>;
  const sorted = [...rows].sort((a, b) => (a.updated_at < b.updated_at ? 1 : -1));
  return (
    <>
      <p className="muted">{t("showing", { n: num(rows.length), m: num(rows.length), what: t("labels") })}</p>
      <table className="data">
        <thead>
          <tr>
            <th scope="col">{t("target")}</th>
            <th scope="col">{t("label")}</th>
            <th scope="col">{t("written")}</th>
          </tr>
        </thead>
        <tbody>
          {sorted.map((l) => (
            <tr key={`${l.target_kind}:${l.target_id}`}>
              <th scope="row">
                <Target kind={l.target_kind} id={l.target_id} campaign={l.campaign} />
              </th>
              <td>
                <LabelBadge label={l} />
              </td>
              <td>{date(l.updated_at, true)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function NoteList({ rows }: { rows: Note[] }) {
  const { t, date, num } = useCtx();
  if (rows.length === 0) return <p>{t("noNotes")}</p>;
  return (
    <>
      <p className="muted">
        {t("showing", { n: num(rows.length), m: num(rows.length), what: t("notesWord") })}
      </p>
      <ul className="notes">
        {rows.map((n) => (
          <li key={n.id}>
            <p>
              <Target kind={n.target_kind} id={n.target_id} campaign={n.campaign} /> ·{" "}
              {date(n.created_at, true)}
            </p>
            <UserBlock className="note-text" value={n.text} max={20000} />
          </li>
        ))}
      </ul>
    </>
  );
}

/**
 * The analyst's decision on a campaign, account or tie: one label (confirmed / benign / unsure) and notes, both
 * stored in the case by the server, with undo of the latest change. After every write the screen reads the case
 * again, so what is shown is what is stored.
 */
import { useEffect, useState, type FormEvent } from "react";
import { api, LABEL_VALUES, labelOf, type Label, type Note, type Target } from "./api.js";
import { shownKey } from "../../../src/report/html/indicators.js";
import { useCtx, type Ctx } from "./ctx.js";
import type { Key } from "./i18n.js";
import { Sentence, UserBlock } from "./UserText.js";

/** What a label or note is about (campaign, account, tie) in the interface's words; another kind as the data names it. */
export function targetKind(t: Ctx["t"], kind: string): string {
  return kind === "campaign" || kind === "account" || kind === "tie" ? t(kind) : kind;
}

/**
 * What a label or note is about, by name: a campaign by number and key, an account or tie by its keys (a sender's
 * address defanged).
 */
export function shownTarget(kind: string, id: string, campaign: string | null | undefined): string {
  if (kind === "campaign") return campaign ? `${campaign} (${id})` : id;
  const cut = kind === "tie" ? id.indexOf("|") : -1;
  return cut > 0 ? `${shownKey(id.slice(0, cut))}|${shownKey(id.slice(cut + 1))}` : shownKey(id);
}

export function LabelBadge({ label }: { label: Label | string | null | undefined }) {
  const { t } = useCtx();
  const v = labelOf(label as Label | null);
  if (!v) return <span className="badge none">{t("label_none")}</span>;
  return (
    <span className={`badge label-${v}`} data-label={v}>
      <span aria-hidden="true">{v === "confirmed" ? "✔ " : v === "benign" ? "○ " : "? "}</span>
      {t(`label_${v}` as Key)}
    </span>
  );
}

export function AnnotationPanel({
  target,
  label,
  notes,
}: {
  target: Target;
  label: Label | null;
  notes: Note[];
}) {
  const { t, date, bump } = useCtx();
  const [text, setText] = useState("");
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // the choice shows at once; the stored label replaces it when the case has been read again
  const [chosen, setChosen] = useState<{ from: string | null; to: string | null } | null>(null);
  const stored = labelOf(label);
  const current = chosen && chosen.from === stored ? chosen.to : stored;
  // once the case has been read again the stored label is the truth: a choice kept past it came back after an undo
  // (the label back to what it was before the choice), showing a label the case no longer has
  useEffect(() => {
    if (chosen && chosen.from !== stored) setChosen(null);
  }, [chosen, stored]);
  const run = async (fn: () => Promise<unknown>, done?: string | ((result: unknown) => string)) => {
    setBusy(true);
    setMessage(null);
    try {
      const result = await fn();
      if (done) setMessage(typeof done === "string" ? done : done(result));
      bump();
    } catch (err) {
      setChosen(null);
      setMessage(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  const add = (e: FormEvent) => {
    e.preventDefault();
    const v = text.trim();
    if (!v) return;
    void run(async () => {
      await api.addNote(target, v);
      setText("");
    });
  };
  return (
    <section className="annotations" aria-labelledby="label-h">
      <h3 id="label-h">{t("label")}</h3>
      <fieldset className="label-choice" disabled={busy}>
        <legend className="visually-hidden">{t("label")}</legend>
        {LABEL_VALUES.map((v) => (
          <label key={v} className={`choice label-${v}`}>
            <input
              type="radio"
              name={`label-${target.kind}`}
              value={v}
              checked={current === v}
              onChange={() => {
                setChosen({ from: stored, to: v });
                void run(() => api.setLabel(target, v));
              }}
            />
            {t(`label_${v}` as Key)}
          </label>
        ))}
        {current && (
          <button
            type="button"
            className="small"
            onClick={() => {
              setChosen({ from: stored, to: null });
              void run(() => api.deleteLabel(target));
            }}
          >
            {t("removeLabel")}
          </button>
        )}
      </fieldset>
      <p className="current-label">
        <LabelBadge label={stored} />
        {label?.carried && (
          <Sentence as="span" className="muted small block" value={label.carried.caption} max={300} />
        )}
      </p>
      <h3>{t("notes")}</h3>
      {notes.length === 0 ? (
        <p className="muted">{t("noNotes")}</p>
      ) : (
        <ul className="notes">
          {notes.map((n) => (
            <li key={n.id}>
              <UserBlock className="note-text" value={n.text} max={20000} />
              <p className="muted small">
                <time dateTime={n.created_at}>{date(n.created_at, true)}</time>{" "}
                <button
                  type="button"
                  className="link"
                  disabled={busy}
                  onClick={() => void run(() => api.deleteNote(n.id))}
                >
                  {t("deleteNote")}
                </button>
              </p>
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={add} className="note-form">
        <label htmlFor={`note-${target.kind}`}>{t("addNote")}</label>
        <textarea
          id={`note-${target.kind}`}
          dir="auto"
          rows={3}
          maxLength={20000}
          value={text}
          placeholder={t("notePlaceholder")}
          onChange={(e) => setText(e.target.value)}
        />
        <button type="submit" disabled={busy || !text.trim()}>
          {t("addNote")}
        </button>
      </form>
      <p>
        <button
          type="button"
          disabled={busy}
          onClick={() => {
            setChosen(null);
            void run(
              async () => {
                try {
                  return await api.undo();
                } catch (err) {
                  if ((err as { status?: number }).status === 409)
                    throw new Error(t("nothingToUndo"), { cause: err });
                  throw err;
                }
              },
              // the undo is the case's latest change, which may be another screen's: say which it was
              (r) => {
                const u = (r as { undone?: { table?: string; target?: Target } }).undone;
                if (!u?.target) return t("undone");
                const what = u.table === "notes" ? t("undoneNote") : t("undoneLabel");
                const here = u.target.kind === target.kind && u.target.id === target.id;
                return here
                  ? t("undoneHere", { what })
                  : t("undoneElsewhere", {
                      what,
                      kind: targetKind(t, u.target.kind),
                      id: shownTarget(u.target.kind, u.target.id, null),
                    });
              },
            );
          }}
        >
          {t("undo")}
        </button>
      </p>
      <p role="status" className="muted">
        {message}
      </p>
    </section>
  );
}

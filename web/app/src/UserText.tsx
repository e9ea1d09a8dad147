/**
 * Text from the case, shown as text: isolated from the surrounding direction (`<bdi dir="auto">`, so a Persian
 * handle does not reorder an English sentence and a right-to-left override cannot leak out), hidden characters
 * as visible markers, long fields cut with the cut said. React sets it as text nodes: markup in a post stays
 * letters on the screen.
 */
import { shownHandle, shownKey } from "../../../src/report/html/indicators.js";
import { useCtx } from "./ctx.js";
import { fit, quotedParts, segments, MAX_FIELD_CHARS, type Piece } from "./text.js";

export function UserText({
  value,
  max = MAX_FIELD_CHARS,
}: {
  value: string | null | undefined;
  max?: number;
}) {
  const { t, num } = useCtx();
  if (isEmpty(value)) return <None />;
  const { pieces, cut } = segments(value, max);
  return (
    <>
      <bdi dir="auto">
        <Pieces pieces={pieces} />
      </bdi>
      {cut > 0 && <span className="cut"> {t("cut", { n: num(cut) })}</span>}
    </>
  );
}

/**
 * A block of text from the case (a post, a bio, a note) in its own direction: `dir="auto"` on the block itself, so
 * that a Persian post reads and aligns right to left on an English page, and a Latin one left to right on a Persian
 * page. UserText's inner `<bdi>` cannot do that for a block: a block's automatic direction skips isolated children
 * and falls back to left to right, so Persian posts were set flush left.
 */
export function UserBlock({
  value,
  max = MAX_FIELD_CHARS,
  as: Tag = "p",
  className,
}: {
  value: string | null | undefined;
  max?: number;
  as?: "p" | "dd" | "div" | "td";
  className?: string;
}) {
  const { t, num, prefs } = useCtx();
  if (isEmpty(value))
    return (
      <Tag className={className}>
        <None />
      </Tag>
    );
  const { pieces, cut } = segments(value, max);
  return (
    <Tag className={className} dir="auto">
      <Pieces pieces={pieces} />
      {cut > 0 && (
        // in the interface's words and direction (an element with its own dir is not read for the block's)
        <span className="cut" dir={prefs.lang === "fa" ? "rtl" : "ltr"}>
          {" "}
          {t("cut", { n: num(cut) })}
        </span>
      )}
    </Tag>
  );
}

/**
 * One of the case's English sentences (a campaign's summary, a finding's explanation, a reason of a reported message)
 * as a block left to right on any page, each phrase it quotes from the case in quotation marks and isolated with its
 * own direction: a Persian post quoted in it keeps its punctuation on its own side and does not reorder the
 * sentence, and several quotes keep their order. One isolate around the whole sentence took its direction from the
 * sentence's first, English, letters, and a quoted Persian "…!" showed its "!" on the wrong side.
 */
export function Sentence({
  value,
  max = MAX_FIELD_CHARS,
  as: Tag = "p",
  className,
}: {
  value: string | null | undefined;
  max?: number;
  as?: "p" | "li" | "span";
  className?: string;
}) {
  const { t, num, prefs } = useCtx();
  if (isEmpty(value))
    return (
      <Tag className={className}>
        <None />
      </Tag>
    );
  const { shown, cut } = fit(value, max);
  return (
    <Tag className={className} lang="en" dir="ltr">
      {quotedParts(shown).map((p, i) =>
        "quoted" in p ? (
          <span key={i}>
            "
            <bdi dir="auto">
              <Pieces pieces={segments(p.quoted, Infinity).pieces} />
            </bdi>
            "
          </span>
        ) : (
          <Pieces key={i} pieces={segments(p.plain, Infinity).pieces} />
        ),
      )}
      {cut > 0 && (
        <span className="cut" lang={prefs.lang} dir={prefs.lang === "fa" ? "rtl" : "ltr"}>
          {" "}
          {t("cut", { n: num(cut) })}
        </span>
      )}
    </Tag>
  );
}

/** A field the case leaves empty (absent, null or ""). */
function isEmpty(value: string | null | undefined): value is null | undefined | "" {
  return value === null || value === undefined || value === "";
}

/** What an empty field shows: the interface's word for none. */
function None() {
  const { t } = useCtx();
  return <span className="none">{t("none")}</span>;
}

/** Plain runs as text nodes, hidden characters as markers. */
function Pieces({ pieces }: { pieces: Piece[] }) {
  const { t } = useCtx();
  return (
    <>
      {pieces.map((p, i) =>
        "text" in p ? (
          p.text
        ) : (
          // a marker has a direction of its own, so that its Latin letters do not set the text's direction
          <mark
            key={i}
            className="hidden-char"
            dir="ltr"
            title={t("hiddenChar", { cp: p.hidden, name: p.name })}
          >
            [{p.hidden}]
          </mark>
        ),
      )}
    </>
  );
}

/**
 * An account by handle (with @), falling back to its key. A sender of reported email is named by its address,
 * defanged as the messages screen and the report show senders.
 */
export function Handle({ handle, account }: { handle?: string | null | undefined; account: string }) {
  if (handle) {
    return (
      // the @ and the handle in one left-to-right isolate: with the @ outside, a right-to-left page put it after a
      // Latin handle ("AhmedA@")
      <bdi className="handle" dir="ltr">
        @<UserText value={shownHandle(account, handle)} max={120} />
      </bdi>
    );
  }
  return (
    <span className="handle key">
      <UserText value={shownKey(account)} max={120} />
    </span>
  );
}

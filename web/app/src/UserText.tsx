/**
 * Text from the case, shown as text: isolated from the surrounding direction (`<bdi dir="auto">`, so a Persian
 * handle does not reorder an English sentence and a right-to-left override cannot leak out), hidden characters
 * as visible markers, long fields cut with the cut said. React sets it as text nodes: markup in a post stays
 * letters on the screen.
 */
import { useCtx } from "./ctx.js";
import { segments, MAX_FIELD_CHARS } from "./text.js";

export function UserText({
  value,
  max = MAX_FIELD_CHARS,
}: {
  value: string | null | undefined;
  max?: number;
}) {
  const { t, num } = useCtx();
  if (value === null || value === undefined || value === "") return <span className="none">{t("none")}</span>;
  const { pieces, cut } = segments(value, max);
  return (
    <>
      <bdi dir="auto">
        {pieces.map((p, i) =>
          "text" in p ? (
            p.text
          ) : (
            <mark key={i} className="hidden-char" title={t("hiddenChar", { cp: p.hidden, name: p.name })}>
              [{p.hidden}]
            </mark>
          ),
        )}
      </bdi>
      {cut > 0 && <span className="cut"> {t("cut", { n: num(cut) })}</span>}
    </>
  );
}

/** An account by handle (with @), falling back to its key. */
export function Handle({ handle, account }: { handle?: string | null | undefined; account: string }) {
  if (handle) {
    return (
      // the @ and the handle in one left-to-right isolate: with the @ outside, a right-to-left page put it after a
      // Latin handle ("AhmedA@")
      <bdi className="handle" dir="ltr">
        @<UserText value={handle} max={120} />
      </bdi>
    );
  }
  return (
    <span className="handle key">
      <UserText value={account} max={120} />
    </span>
  );
}

/**
 * Making hostile text inert in HTML. Posts, names and bios are written by whoever runs the campaign: they hold
 * markup, scripts, `javascript:` links, bidi overrides that reverse what a reader sees, and fields of megabytes.
 * Everything that comes from a case goes through `text()` (or the `html` template, which escapes every value it
 * is given); markup is only ever built from our own literals.
 */
import { hiddenCharacters } from "../../normalize/text.js";

/** Markup we wrote ourselves, safe to emit as is. Only `html` and `raw` make one. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
  "`": "&#96;",
};

/** Escape for element content and quoted attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"'`]/g, (c) => ESCAPES[c]!);
}

/** Our own markup, trusted. Never pass anything derived from input. */
export function raw(s: string): SafeHtml {
  return new SafeHtml(s);
}

type Value = SafeHtml | string | number | boolean | null | undefined | ReadonlyArray<Value>;

function render(v: Value): string {
  if (v === null || v === undefined || v === false) return "";
  if (v instanceof SafeHtml) return v.value;
  if (Array.isArray(v)) return v.map(render).join("");
  return escapeHtml(String(v as string | number | boolean));
}

/**
 * A template literal for markup: the literal parts are ours, every interpolated value is escaped unless it is
 * already SafeHtml (from another `html` call). Arrays are joined; null, undefined and false render as nothing.
 *
 * @example
 * html`<td>${post.text}</td>`; // "<td>&lt;script&gt;…</td>" for a hostile post
 */
export function html(strings: TemplateStringsArray, ...values: Value[]): SafeHtml {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + strings[i + 1]!;
  return new SafeHtml(out);
}

/** Longest piece of one field shown in a report; the rest is cut and the cut is said. */
export const MAX_FIELD_CHARS = 2000;

/** Zero-width joiners and non-joiners are ordinary in Persian and in emoji; every other hidden character is shown. */
const ORDINARY_INVISIBLE = new Set(["U+200C", "U+200D"]);

/** User text cut at `max` characters (a surrogate pair is never split), and how many characters were cut. */
function fit(s: string, max: number): { shown: string; cut: number } {
  if (s.length <= max) return { shown: s, cut: 0 };
  let end = max;
  const c = s.charCodeAt(end - 1);
  if (c >= 0xd800 && c <= 0xdbff) end--;
  return { shown: s.slice(0, end), cut: s.length - end };
}

/** The note after a cut field, in the report's words and direction (an element with a `dir` of its own is not read
 * for the direction of the block around it). */
function cutNote(cut: number): string {
  return cut > 0
    ? `<span class="cut" dir="ltr"> … (${cut.toLocaleString("en-US")} more characters)</span>`
    : "";
}

const NONE = '<span class="none">(none)</span>';

/**
 * User text as inert markup, isolated from the surrounding direction (`<bdi dir="auto">`, so a Persian name does
 * not reorder the English sentence around it), with hidden characters (bidi overrides, zero-width spaces, tag
 * characters) shown as visible markers, because they are evidence, and cut at `max` characters with the cut said.
 * For a value inline among other things (a handle, a name, a file); a field that fills an element of its own (a
 * post, an object, a bio) is a `userBlock`, whose direction also aligns it.
 */
export function text(s: string | null | undefined, max = MAX_FIELD_CHARS): SafeHtml {
  if (s === null || s === undefined || s === "") return raw(NONE);
  const { shown, cut } = fit(s, max);
  return raw(`<bdi dir="auto">${markHidden(shown)}</bdi>${cutNote(cut)}`);
}

/**
 * User text as the whole content of an element of its own (`tag`: a table cell, a block), with `dir="auto"` on that
 * element: a Persian post aligns to the right of its cell and ends in its own punctuation on the left, while the
 * report around it stays English and left to right. `text`'s inline `<bdi>` cannot do that for a cell: a cell's
 * direction is not taken from an isolated child, so the cell stayed left to right and flush left. Hidden characters
 * and the cut are marked as `text` marks them, each with a direction of its own, so that their Latin letters do
 * not decide the text's direction.
 *
 * @example
 * userBlock("td", "سلام دنیا!", 300, "obj"); // <td class="obj" dir="auto">سلام دنیا!</td>
 */
export function userBlock(
  tag: "td" | "div" | "dd" | "p",
  s: string | null | undefined,
  max = MAX_FIELD_CHARS,
  className?: string,
): SafeHtml {
  const cls = className ? ` class="${escapeHtml(className)}"` : "";
  if (s === null || s === undefined || s === "") return raw(`<${tag}${cls}>${NONE}</${tag}>`);
  const { shown, cut } = fit(s, max);
  return raw(`<${tag}${cls} dir="auto">${markHidden(shown)}${cutNote(cut)}</${tag}>`);
}

/** A phrase a sentence quotes from the case (a post, a subject, a client's name), quotation marks included. */
const QUOTED = /("[^"\n]{1,400}")/;

/**
 * One of our English sentences that quotes text from the case (a campaign's summary, a finding's explanation, a
 * detector's message): the sentence as written, left to right as the report is, and each phrase in quotation marks
 * isolated with a direction of its own. One isolate around the whole sentence took its direction from its first
 * letters, English, and a quoted Persian post's closing "!" stood on the quote's right, where a Persian reader
 * starts it; several quotes could not keep their order either.
 *
 * @example
 * sentence('The most shared object was the post "سلام دنیا!" (post 12).');
 * // 'The most shared object was the post "<bdi dir="auto">سلام دنیا!</bdi>" (post 12).'
 */
export function sentence(s: string | null | undefined, max = MAX_FIELD_CHARS): SafeHtml {
  if (s === null || s === undefined || s === "") return raw(NONE);
  const { shown, cut } = fit(s, max);
  const body = shown
    .split(QUOTED)
    .filter((p) => p !== "")
    .map((p) =>
      p.length >= 2 && p.startsWith('"') && p.endsWith('"')
        ? `"<bdi dir="auto">${markHidden(p.slice(1, -1))}</bdi>"`
        : markHidden(p),
    )
    .join("");
  return raw(body + cutNote(cut));
}

/**
 * `s` as inert markup with its hidden characters (bidi overrides, zero-width spaces, tag characters; not the
 * joiners of Persian and emoji) shown as visible markers, whole: for text that is not cut, such as the JSON of a
 * detector's parameters in a `<pre>`.
 */
export function markHidden(s: string): string {
  const hidden = hiddenCharacters(s, { controls: true }).filter((h) => !ORDINARY_INVISIBLE.has(h.codePoint));
  let body = "";
  let at = 0;
  for (const h of hidden) {
    body += plain(s.slice(at, h.index));
    // a direction of its own: a marker's Latin letters must not decide the direction of the text around it
    body += `<mark class="hidden-char" dir="ltr" title="${escapeHtml(h.name)}">[${escapeHtml(h.codePoint)}]</mark>`;
    const cp = s.codePointAt(h.index) ?? 0;
    at = h.index + (cp > 0xffff ? 2 : 1);
  }
  return body + plain(s.slice(at));
}

/** Combining marks kept on one letter; more are counted (pointed Hebrew, Myanmar and Vietnamese stack fewer, and a
 * stack of hundreds is drawn over the lines around it, hiding them). */
export const MAX_STACKED_MARKS = 8;
const MARK_STACK_RE = new RegExp(`(\\p{M}{${MAX_STACKED_MARKS}})(\\p{M}+)`, "gu");

/** Escaped text with each over-tall stack of combining marks cut and the cut marked. */
function plain(s: string): string {
  return escapeHtml(s).replace(
    MARK_STACK_RE,
    (_all, kept: string, more: string) =>
      `${kept}<mark class="hidden-char" dir="ltr" title="${[...more].length} more combining marks on one letter">` +
      `[+${[...more].length} marks]</mark>`,
  );
}

/**
 * `s` as plain text for a label drawn on a canvas (the graphs' handles): hidden characters shown as `[U+202E]`
 * markers as everywhere else in the report, and cut at `max` characters with an ellipsis, so that a handle of
 * thousands of characters does not run out of its graph.
 */
export function labelText(s: string, max = 60): string {
  const hidden = hiddenCharacters(s, { controls: true }).filter((h) => !ORDINARY_INVISIBLE.has(h.codePoint));
  let out = "";
  let at = 0;
  for (const h of hidden) {
    out += s.slice(at, h.index) + `[${h.codePoint}]`;
    const cp = s.codePointAt(h.index) ?? 0;
    at = h.index + (cp > 0xffff ? 2 : 1);
  }
  out += s.slice(at);
  out = out.replace(
    MARK_STACK_RE,
    (_all, kept: string, more: string) => `${kept}[+${[...more].length} marks]`,
  );
  const chars = [...out];
  return chars.length > max ? `${chars.slice(0, max - 1).join("")}…` : out;
}

/**
 * JSON for a `<script type="application/json">` block: `<`, `>`, `&` and the JS line separators are escaped so
 * that no string inside can close the block or open a comment.
 */
export function jsonForScript(v: unknown): string {
  return JSON.stringify(v)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/**
 * An id usable in `id=` and `#fragment`: our own ids (C1, account keys) mapped to a safe alphabet, each other
 * character as `.hex.` (closed, so that "a.0" and "a\u02e0" stay two ids: an open escape read both as a.2e0).
 * The report's script (web/report/main.ts) imports this one.
 */
export function anchorId(prefix: string, key: string): string {
  let out = "";
  for (const ch of key) {
    out += /[A-Za-z0-9_-]/.test(ch) ? ch : `.${ch.codePointAt(0)!.toString(16)}.`;
  }
  return `${prefix}-${out}`;
}

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

/**
 * User text as inert markup, isolated from the surrounding direction (`<bdi dir="auto">`, so a Persian name does
 * not reorder the English sentence around it), with hidden characters (bidi overrides, zero-width spaces, tag
 * characters) shown as visible markers, because they are evidence, and cut at `max` characters with the cut said.
 */
export function text(s: string | null | undefined, max = MAX_FIELD_CHARS): SafeHtml {
  if (s === null || s === undefined || s === "") return raw('<span class="none">(none)</span>');
  let shown = s;
  let cut = 0;
  if (shown.length > max) {
    // do not split a surrogate pair
    let end = max;
    const c = shown.charCodeAt(end - 1);
    if (c >= 0xd800 && c <= 0xdbff) end--;
    cut = shown.length - end;
    shown = shown.slice(0, end);
  }
  const body = markHidden(shown);
  const more = cut > 0 ? `<span class="cut"> … (${cut.toLocaleString("en-US")} more characters)</span>` : "";
  return raw(`<bdi dir="auto">${body}</bdi>${more}`);
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
    body += `<mark class="hidden-char" title="${escapeHtml(h.name)}">[${escapeHtml(h.codePoint)}]</mark>`;
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
      `${kept}<mark class="hidden-char" title="${[...more].length} more combining marks on one letter">` +
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

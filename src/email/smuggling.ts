/**
 * HTML and SVG attachments that build a file inside the browser (HTML smuggling) or collect passwords: a page
 * that decodes a long base64 run and hands it to the user as a download never sends the file over the network,
 * so filters that look at downloads never see it. Patterns, not execution: the page is read as text, bounded.
 */
import type { Reason } from "./types.js";

/** Only the first part of a page is read for patterns. */
export const MAX_HTML_SCAN_CHARS = 8 * 1024 * 1024;
/** A base64 run at least this long is a payload, not an icon. */
export const LONG_BASE64 = 2_000;
/** Largest payload decoded to tell what it is. */
export const MAX_PAYLOAD_BYTES = 20 * 1024 * 1024;

export function looksLikeHtml(buf: Buffer, ext: string): boolean {
  if (["htm", "html", "shtml", "xhtml", "svg", "hta", "mht", "mhtml", "xht"].includes(ext)) return true;
  const head = buf.subarray(0, 1024).toString("latin1").toLowerCase();
  return /<(!doctype html|html|svg|script|body)\b/.test(head);
}

export interface SmugglingFindings {
  reasons: Reason[];
  urls: string[];
  /** The decoded payload of the longest base64 run, when there is one. */
  payload?: Buffer;
}

const SIGNALS: Array<{ re: RegExp; what: string }> = [
  { re: /new\s+Blob\s*\(/i, what: "builds a file in the browser (new Blob)" },
  { re: /URL\.createObjectURL\s*\(/i, what: "turns it into a link (URL.createObjectURL)" },
  { re: /msSaveOrOpenBlob|msSaveBlob/i, what: "saves it to disk (msSaveOrOpenBlob)" },
  {
    re: /\.download\s*=|\bdownload\s*=\s*["'][^"']*["'][^>]{0,400}href\s*=\s*["']\s*(data|blob):|href\s*=\s*["']\s*(data|blob):[^>]{0,400}\bdownload\b/i,
    what: "offers it as a download",
  },
  { re: /\batob\s*\(/i, what: "decodes base64 (atob)" },
  {
    re: /<(embed|object|iframe)\b[^>]{0,400}\b(src|data)\s*=\s*["']\s*data:/i,
    what: "embeds a data: document",
  },
  {
    re: /\b(eval|Function)\s*\(\s*(atob|unescape|decodeURIComponent)\s*\(/i,
    what: "runs decoded code (eval of a decoded string)",
  },
  {
    re: /document\.write\s*\(\s*(unescape|atob|decodeURIComponent)\s*\(/i,
    what: "writes a decoded page (document.write)",
  },
];

/**
 * Inspect an HTML or SVG attachment.
 *
 * @example inspectHtml(readFileSync("scan.html"), "scan.html").reasons[0].code // "html.smuggling"
 */
export function inspectHtml(buf: Buffer, label: string): SmugglingFindings {
  const out: SmugglingFindings = { reasons: [], urls: [] };
  const text = buf.subarray(0, MAX_HTML_SCAN_CHARS).toString("utf8");
  const ev = (value?: string): Reason["evidence"] =>
    value === undefined ? { kind: "attachment", ref: label } : { kind: "attachment", ref: label, value };
  const found = SIGNALS.filter((s) => s.re.test(text)).map((s) => s.what);

  // the longest base64 run, found without a backtracking regex over megabytes (padding is left to the decoder)
  let best = { start: 0, len: 0 };
  let runStart = -1;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 0;
    const b64 = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 47;
    if (b64) {
      if (runStart < 0) runStart = i;
    } else if (runStart >= 0) {
      if (i - runStart > best.len) best = { start: runStart, len: i - runStart };
      runStart = -1;
    }
  }
  const building = found.some((f) => /Blob|msSave|download/.test(f));
  if (best.len >= LONG_BASE64) {
    const run = text.slice(
      best.start,
      best.start + Math.min(best.len, Math.ceil((MAX_PAYLOAD_BYTES * 4) / 3)),
    );
    out.payload = Buffer.from(run, "base64");
  }
  if (building && (out.payload || found.includes("decodes base64 (atob)"))) {
    out.reasons.push({
      code: "html.smuggling",
      severity: "high",
      weight: 0.7,
      message: `${label} ${found.join(", ")}${out.payload ? `, from a ${best.len}-character base64 run` : ""}: HTML smuggling, a file assembled in the browser so that mail filters never see it.`,
      evidence: ev(found.join("; ")),
    });
  } else if (found.length > 0) {
    out.reasons.push({
      code: "html.script-decoding",
      severity: "medium",
      weight: found.length >= 2 ? 0.35 : 0.2,
      message: `${label} ${found.join(", ")}${out.payload ? ` and carries a ${best.len}-character base64 run` : ""}.`,
      evidence: ev(found.join("; ")),
    });
  } else if (out.payload) {
    out.reasons.push({
      code: "html.embedded-payload",
      severity: "low",
      weight: 0.15,
      message: `${label} carries a ${best.len}-character base64 run (an embedded file or image).`,
      evidence: ev(),
    });
  }
  if (/<input\b[^>]{0,300}type\s*=\s*["']?password/i.test(text)) {
    const action = /<form\b[^>]{0,400}action\s*=\s*["']([^"']{1,2000})["']/i.exec(text)?.[1];
    out.reasons.push({
      code: "html.password-form",
      severity: "high",
      weight: 0.55,
      message: `${label} is a page with a password field${action ? ` that sends it to ${action.slice(0, 200)}` : ""}: a login form in an attachment is a phishing page, since real services never send one.`,
      evidence: ev(action?.slice(0, 300)),
    });
    if (action && /^https?:/i.test(action)) out.urls.push(action);
  }
  const refresh =
    /<meta\b[^>]{0,200}http-equiv\s*=\s*["']?refresh["']?[^>]{0,200}url\s*=\s*([^"'>\s]{1,2000})/i.exec(text);
  if (refresh) out.urls.push(refresh[1]!);
  for (const m of text.matchAll(
    /(?:location(?:\.href)?\s*=|location\.(?:replace|assign)\s*\(|fetch\s*\(|\.open\s*\(\s*["'](?:GET|POST)["']\s*,)\s*["'](https?:\/\/[^"'\s]{3,2000})["']/gi,
  )) {
    if (out.urls.length >= 50) break;
    out.urls.push(m[1]!);
  }
  out.urls = [...new Set(out.urls)];
  return out;
}

/**
 * PDF without a full parser: a bounded scan of the file's bytes, and of its Flate streams inflated under a cap,
 * for the names that make a PDF act (JavaScript, actions run on opening, launching programs, embedded files,
 * forms that submit elsewhere) and for the link targets it holds. Names written with `#xx` escapes
 * (`/J#61vaScript`) are decoded first, and such escapes on these names are themselves reported: ordinary PDF
 * writers never use them there.
 */
import { inflateSync } from "node:zlib";
import type { Reason } from "./types.js";

export const PDF_BOUNDS = {
  /** Streams inflated per file. */
  maxStreams: 500,
  /** Largest output of one stream. */
  maxStreamBytes: 8 * 1024 * 1024,
  /** Inflated bytes per file, all streams together. */
  maxInflatedBytes: 40 * 1024 * 1024,
  /** URIs kept per file. */
  maxUris: 200,
};

export function isPdf(buf: Buffer): boolean {
  return buf.subarray(0, 1024).toString("latin1").includes("%PDF-");
}

export interface PdfFindings {
  reasons: Reason[];
  notChecked: string[];
  urls: string[];
  /** Inflated streams that hold script or object dictionaries, for rule scanning. */
  extracted: Array<{ label: string; bytes: Buffer }>;
}

/** Names we look for, by what they do. */
const WATCHED = [
  "JavaScript",
  "JS",
  "OpenAction",
  "AA",
  "Launch",
  "EmbeddedFile",
  "EmbeddedFiles",
  "URI",
  "XFA",
  "AcroForm",
  "SubmitForm",
  "ImportData",
  "RichMedia",
  "GoToE",
  "GoToR",
  "Encrypt",
] as const;
type Watched = (typeof WATCHED)[number];

interface Scan {
  counts: Map<Watched, number>;
  /** Watched names that were written with #xx escapes, as written. */
  obfuscated: Set<string>;
  uris: Set<string>;
  submitTargets: Set<string>;
  launchTargets: Set<string>;
}

/** Script calls that show a stream holds JavaScript even without a /JS name inside it. */
const SCRIPT_RE =
  /\b(app\.(launchURL|alert|openDoc)|this\.(exportDataObject|submitForm)|eval\s*\(|unescape\s*\()/;
/** URLs passed to the script calls that open or send to them. */
const SCRIPT_URL_RE =
  /(?:launchURL|submitForm|getURL|openDoc)\s*\\?\(\s*\\?["']?\s*\\?["']?(https?:\/\/[^"'\\\s)]{3,2000})/g;

const NAME_RE = /\/((?:[A-Za-z0-9_.+-]|#[0-9A-Fa-f]{2}){1,64})/g;

/** Decode a PDF literal string's escapes (7.3.4.2); octal and the usual backslash escapes. */
function pdfString(s: string): string {
  return s.replace(/\\([nrtbf()\\]|[0-7]{1,3})/g, (_, e: string) => {
    const map: Record<string, string> = { n: "\n", r: "\r", t: "\t", b: "\b", f: "\f" };
    if (/^[0-7]/.test(e)) return String.fromCharCode(parseInt(e, 8) & 0xff);
    return map[e] ?? e;
  });
}

/** The string value after a name: `(literal)` or `<hex>`, undefined otherwise. */
function stringAfter(text: string, at: number): string | undefined {
  const rest = text.slice(at, at + 4096);
  const lit = /^\s*\(((?:\\.|[^\\)]){0,2048})\)/s.exec(rest);
  if (lit) return pdfString(lit[1]!);
  const hex = /^\s*<([0-9A-Fa-f\s]{2,4096})>/.exec(rest);
  if (hex) return Buffer.from(hex[1]!.replace(/\s+/g, ""), "hex").toString("latin1");
  return undefined;
}

function scanText(text: string, s: Scan): void {
  for (const m of text.matchAll(NAME_RE)) {
    const written = m[1]!;
    const name = written.includes("#")
      ? written.replace(/#([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)))
      : written;
    if (!(WATCHED as readonly string[]).includes(name)) continue;
    const w = name as Watched;
    s.counts.set(w, (s.counts.get(w) ?? 0) + 1);
    if (written !== name) s.obfuscated.add(`/${written}`);
    const end = m.index + m[0].length;
    if (w === "URI" && s.uris.size < PDF_BOUNDS.maxUris) {
      const v = stringAfter(text, end)?.trim();
      if (v && /^[a-z][a-z0-9+.-]{1,20}:/i.test(v)) s.uris.add(v.replace(/[\u0000-\u001f]/g, ""));
    } else if (w === "SubmitForm" || w === "Launch" || w === "GoToR" || w === "ImportData") {
      // the target is the /F entry of the same action dictionary, which follows within a few hundred bytes
      const near = text.slice(end, end + 600);
      const f = /\/F\s*/.exec(near);
      const v = f ? stringAfter(near, f.index + f[0].length) : undefined;
      if (v) (w === "SubmitForm" ? s.submitTargets : s.launchTargets).add(v.replace(/[\u0000-\u001f]/g, ""));
      const win = w === "Launch" ? /\/Win\s*<<[^>]{0,400}?\/F\s*/.exec(near) : null;
      const wf = win ? stringAfter(near, win.index + win[0].length) : undefined;
      if (wf) s.launchTargets.add(wf);
    }
  }
}

/**
 * Inspect a PDF's bytes.
 *
 * @example inspectPdf(readFileSync("statement.pdf"), "statement.pdf").reasons.map((r) => r.code) // ["pdf.javascript-on-open"]
 */
export function inspectPdf(buf: Buffer, label: string): PdfFindings {
  const out: PdfFindings = { reasons: [], notChecked: [], urls: [], extracted: [] };
  const s: Scan = {
    counts: new Map(),
    obfuscated: new Set(),
    uris: new Set(),
    submitTargets: new Set(),
    launchTargets: new Set(),
  };
  const text = buf.toString("latin1");
  scanText(text, s);

  // Flate streams: object streams and content may hide the same names (and JavaScript source)
  let streams = 0;
  let inflated = 0;
  let cut = "";
  const encrypted = (s.counts.get("Encrypt") ?? 0) > 0;
  const streamRe = /stream\r?\n/g;
  for (let m = streamRe.exec(text); m; m = streamRe.exec(text)) {
    if (m.index > 0 && /[a-z]/i.test(text[m.index - 1]!)) continue; // "endstream"
    const dict = text.slice(Math.max(0, m.index - 512), m.index);
    const dictStart = dict.lastIndexOf("<<");
    if (dictStart < 0 || !/\/(FlateDecode|Fl)\b/.test(dict.slice(dictStart))) continue;
    if (encrypted) break;
    const start = m.index + m[0].length;
    const end = text.indexOf("endstream", start);
    if (end < 0) break;
    streamRe.lastIndex = end;
    if (streams >= PDF_BOUNDS.maxStreams) {
      cut = `streams after the first ${PDF_BOUNDS.maxStreams}`;
      break;
    }
    if (inflated >= PDF_BOUNDS.maxInflatedBytes) {
      cut = `streams after the first ${PDF_BOUNDS.maxInflatedBytes} inflated bytes`;
      break;
    }
    streams++;
    let data: Buffer;
    try {
      data = inflateSync(buf.subarray(start, end), {
        maxOutputLength: Math.min(PDF_BOUNDS.maxStreamBytes, PDF_BOUNDS.maxInflatedBytes - inflated),
      });
    } catch (err) {
      if ((err as { code?: string }).code === "ERR_BUFFER_TOO_LARGE") {
        cut = `the rest of a stream that inflates past ${PDF_BOUNDS.maxStreamBytes} bytes (possible decompression bomb)`;
      }
      continue; // damaged or not really Flate: skipped, the raw scan already saw its bytes
    }
    inflated += data.length;
    const inner = data.toString("latin1");
    const before = s.counts.get("JS") ?? 0;
    scanText(inner, s);
    if ((s.counts.get("JS") ?? 0) > before || SCRIPT_RE.test(inner)) {
      out.extracted.push({ label: `${label} > stream ${streams}`, bytes: data });
    }
  }
  // rules see the document as a reader does: the file with its script-bearing streams inflated after it
  if (out.extracted.length > 0) {
    out.extracted = [
      {
        label: `${label} (streams inflated)`,
        bytes: Buffer.concat([buf, ...out.extracted.map((e) => e.bytes)]),
      },
    ];
  }
  if (cut) out.notChecked.push(`${label}: ${cut} (bounded scan)`);
  if (encrypted) out.notChecked.push(`${label}: the PDF is encrypted; its compressed streams were not read`);

  const has = (...names: Watched[]): boolean => names.some((n) => (s.counts.get(n) ?? 0) > 0);
  const ev = (value?: string): Reason["evidence"] =>
    value === undefined ? { kind: "attachment", ref: label } : { kind: "attachment", ref: label, value };
  const onOpen = has("OpenAction", "AA");
  if (has("JavaScript", "JS")) {
    out.reasons.push({
      code: onOpen ? "pdf.javascript-on-open" : "pdf.javascript",
      severity: "high",
      weight: onOpen ? 0.6 : 0.45,
      message: `${label} contains JavaScript${onOpen ? " and an action that runs when the document is opened (/OpenAction or /AA)" : ""}; ordinary documents have none.`,
      evidence: ev(onOpen ? "/JavaScript /OpenAction" : "/JavaScript"),
    });
  }
  if (has("Launch")) {
    const t = [...s.launchTargets].slice(0, 3).join(", ");
    out.reasons.push({
      code: "pdf.launch",
      severity: "high",
      weight: 0.65,
      message: `${label} has a /Launch action that starts a program or opens a file${t ? ` (${t})` : ""}.`,
      evidence: ev(t || "/Launch"),
    });
  }
  if (has("EmbeddedFile", "EmbeddedFiles")) {
    out.reasons.push({
      code: "pdf.embedded-file",
      severity: "medium",
      weight: 0.3,
      message: `${label} carries embedded files, which a reader can be asked to open or save.`,
      evidence: ev("/EmbeddedFile"),
    });
  }
  if (has("SubmitForm")) {
    const t = [...s.submitTargets].slice(0, 3).join(", ");
    out.reasons.push({
      code: "pdf.form-submit",
      severity: "medium",
      weight: 0.35,
      message: `${label} has a form that sends what is typed into it${t ? ` to ${t}` : " elsewhere"} (a way to collect passwords without a web page).`,
      evidence: ev(t || "/SubmitForm"),
    });
  }
  if (has("XFA")) {
    out.reasons.push({
      code: "pdf.xfa",
      severity: "low",
      weight: 0.15,
      message: `${label} has an XFA form, which can hold scripts of its own.`,
      evidence: ev("/XFA"),
    });
  }
  if (has("RichMedia", "ImportData", "GoToE")) {
    out.reasons.push({
      code: "pdf.risky-action",
      severity: "medium",
      weight: 0.25,
      message: `${label} uses ${(["RichMedia", "ImportData", "GoToE"] as const)
        .filter((n) => has(n))
        .map((n) => `/${n}`)
        .join(", ")}, features seen more in exploits than in documents.`,
      evidence: ev(),
    });
  }
  if (s.obfuscated.size > 0) {
    const names = [...s.obfuscated].slice(0, 5).join(", ");
    out.reasons.push({
      code: "pdf.obfuscated-names",
      severity: "high",
      weight: 0.45,
      message: `${label} writes ${names} with hex escapes to hide them from simple scanners.`,
      evidence: ev(names),
    });
  }
  if (has("OpenAction", "AA") && !has("JavaScript", "JS", "Launch")) {
    out.reasons.push({
      code: "pdf.open-action",
      severity: "info",
      weight: 0,
      message: `${label} has an action run on opening (often only to set the view).`,
      evidence: ev("/OpenAction"),
    });
  }
  for (const t of s.submitTargets) if (/^https?:/i.test(t)) out.urls.push(t);
  for (const u of s.uris) out.urls.push(u);
  // addresses a script would open (app.launchURL, submitForm) are in the script's text, raw or inflated
  for (const script of [text, ...out.extracted.map((e) => e.bytes.toString("latin1"))]) {
    for (const m of script.matchAll(SCRIPT_URL_RE))
      if (out.urls.length < PDF_BOUNDS.maxUris) out.urls.push(m[1]!);
  }
  out.urls = [...new Set(out.urls)];
  return out;
}

/**
 * What is inside a file: the format is told from its bytes (and, for web pages, its name), then the matching
 * inspector looks for what runs or fetches something when the file is opened. Used for every attachment and
 * every archive entry that could be read within the bounds; files inside disk images and notebooks, and
 * payloads smuggled in web pages, go through the same checks, to a bounded depth.
 */
import { containerKind, inspectContainer } from "./containers.js";
import { CONTAINER_EXTENSIONS, EXECUTABLE_EXTENSIONS, extOf } from "./filetypes.js";
import { isCompoundFile } from "./msg.js";
import { inspectOle, inspectOoxmlZip } from "./office.js";
import { inspectPdf, isPdf } from "./pdf.js";
import { inspectRtf, isRtf } from "./rtf.js";
import { inspectHtml, looksLikeHtml } from "./smuggling.js";
import { isZip, listZip } from "./zip.js";
import type { Reason } from "./types.js";

/** Files inside files followed this deep (an image in a notebook in an attachment...). */
export const MAX_CONTENT_DEPTH = 3;

export interface ContentFindings {
  reasons: Reason[];
  notChecked: string[];
  /** URLs the file would open or fetch, as link indicators. */
  urls: string[];
  /** Decoded or unpacked content (VBA source, PDF streams, files in images), for rule scanning. */
  extracted: Array<{ label: string; bytes: Buffer }>;
  /** Which inspector read the file, if any. */
  format?:
    | "ole"
    | "ooxml"
    | "pdf"
    | "rtf"
    | "html"
    | "iso"
    | "udf"
    | "vhd"
    | "vhdx"
    | "lnk"
    | "onenote"
    | "rar"
    | "7z";
}

export const noFindings = (): ContentFindings => ({ reasons: [], notChecked: [], urls: [], extracted: [] });

function merge(
  into: ContentFindings,
  from: Omit<ContentFindings, "format" | "extracted"> & { extracted?: ContentFindings["extracted"] },
): void {
  into.reasons.push(...from.reasons);
  into.notChecked.push(...from.notChecked);
  into.urls.push(...from.urls);
  into.extracted.push(...(from.extracted ?? []));
}

/** What a decoded payload is, from its first bytes, in words. */
function payloadKind(b: Buffer): string | undefined {
  if (b.length >= 2 && b[0] === 0x4d && b[1] === 0x5a) return "a Windows program";
  if (isZip(b)) return "a zip archive";
  if (isCompoundFile(b)) return "an Office document";
  if (isPdf(b)) return "a PDF";
  const kind = containerKind(b);
  const words: Record<string, string> = {
    lnk: "a Windows shortcut",
    onenote: "a OneNote notebook",
    rar: "a RAR archive",
    "7z": "a 7-Zip archive",
  };
  if (kind) return words[kind] ?? `an ${kind.toUpperCase()} disk image`;
  return undefined;
}

/** A file inside a container: its name may say it runs code; its bytes go through the checks again. */
function inspectInner(
  bytes: Buffer | undefined,
  path: string,
  container: string,
  depth: number,
  out: ContentFindings,
): void {
  const ext = extOf(path);
  if (
    EXECUTABLE_EXTENSIONS.has(ext) ||
    CONTAINER_EXTENSIONS.has(ext) ||
    (bytes && bytes[0] === 0x4d && bytes[1] === 0x5a)
  ) {
    out.reasons.push({
      code: "container.executable",
      severity: "high",
      weight: 0.75,
      message: `${container} contains ${path.slice(container.length + 3)}, a file that runs code when opened.`,
      evidence: { kind: "attachment", ref: path },
    });
  }
  if (!bytes) return;
  out.extracted.push({ label: path, bytes });
  const inner = inspectContent(bytes, path, ext, depth + 1);
  merge(out, inner);
}

/**
 * Inspect one file's bytes; `label` names it in reasons ("invoice.zip > invoice.docm"), `ext` is the extension
 * of its name (lower case, no dot).
 */
export function inspectContent(buf: Buffer, label: string, ext: string, depth = 0): ContentFindings {
  const out = noFindings();
  if (depth > MAX_CONTENT_DEPTH) {
    out.notChecked.push(`${label}: files nested deeper than ${MAX_CONTENT_DEPTH} levels are not inspected`);
    return out;
  }
  if (isCompoundFile(buf)) {
    if (ext === "msg") return out; // an attached Outlook message: read as a message, not as a document
    merge(out, inspectOle(buf, label));
    out.format = "ole";
    return out;
  }
  if (isZip(buf)) {
    const office = inspectOoxmlZip(buf, label);
    if (office) {
      merge(out, office);
      out.format = "ooxml";
    } else if (depth > 0) {
      // a zip found inside another file (a smuggled payload, a file in an image): listed, names checked;
      // attachments' own zips are walked by the attachment check, which also unpacks their entries
      const listing = listZip(buf);
      if (!listing.ok) out.notChecked.push(`the contents of ${label}: ${listing.problem}`);
      else
        for (const e of listing.entries) {
          if (e.encrypted) out.notChecked.push(`${label} > ${e.path}: encrypted`);
          inspectInner(undefined, `${label} > ${e.path}`, label, depth, out);
        }
    }
    return out;
  }
  if (isPdf(buf)) {
    merge(out, inspectPdf(buf, label));
    out.format = "pdf";
    return out;
  }
  if (isRtf(buf)) {
    const r = inspectRtf(buf, label);
    merge(out, r);
    out.format = "rtf";
    // an Office document inside an object goes through the Office checks
    for (const x of r.extracted)
      if (x.label.endsWith("> compound file")) merge(out, inspectContent(x.bytes, x.label, "", depth + 1));
    return out;
  }
  const kind = containerKind(buf);
  if (kind) {
    const c = inspectContainer(buf, kind, label);
    merge(out, c);
    out.format = kind;
    for (const f of c.files) inspectInner(f.bytes, `${label} > ${f.path}`, label, depth, out);
    return out;
  }
  if (looksLikeHtml(buf, ext)) {
    const h = inspectHtml(buf, label);
    merge(out, { reasons: h.reasons, notChecked: [], urls: h.urls });
    out.format = "html";
    if (h.payload) {
      const what = payloadKind(h.payload);
      const path = `${label} > base64 payload`;
      if (what) {
        const smuggled = out.reasons.find((r) => r.code === "html.smuggling");
        if (smuggled) smuggled.message += ` The payload is ${what}.`;
        else
          out.reasons.push({
            code: "html.embedded-payload-file",
            severity: "medium",
            weight: 0.35,
            message: `${label} carries ${what} encoded in base64.`,
            evidence: { kind: "attachment", ref: path },
          });
      }
      out.extracted.push({ label: path, bytes: h.payload });
      merge(out, inspectContent(h.payload, path, "", depth + 1));
    }
  }
  return out;
}

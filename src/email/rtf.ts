/**
 * RTF documents: the embedded OLE objects that make an RTF dangerous, read from the markup within bounds.
 *
 * What we look for (RTF 1.9.1 `\object` destinations; OLE1 native data as MS-OLEDS 2.2.4 describes it):
 * - objects whose class is the Equation Editor (`Equation.2`, `Equation.3`): the component Microsoft removed in
 *   2018 after CVE-2017-11882 and CVE-2018-0802, whose exploits arrive as RTF attachments to this day;
 * - links (`OLE2Link`, `\objautlink`, `\objlink`) that fetch a remote document when the file is opened
 *   (CVE-2017-0199), with their URLs as link indicators;
 * - packages (`Package`) that carry a file, with its name (a script or program is what matters);
 * - `\objupdate`, which refreshes an object on opening without a click;
 * - headers that are not `{\rtf1` (Word opens `{\rtxyz`), a common way past parsers that insist on the standard.
 * Object data is hex in the markup; it is decoded (whitespace and inserted control words skipped, as Word does)
 * up to RTF_BOUNDS, and an embedded compound file is handed on for the Office and YARA checks.
 */
import type { Reason } from "./types.js";

export const RTF_BOUNDS = {
  /** Markup read, from the start of the file. */
  maxScanBytes: 20 * 1024 * 1024,
  /** Objects examined per document. */
  maxObjects: 20,
  /** Decoded bytes kept per object. */
  maxObjectBytes: 8 * 1024 * 1024,
};

/** Whether the bytes are an RTF document (Word accepts any `{\rt` start). */
export function isRtf(buf: Buffer): boolean {
  return buf.length >= 4 && buf.toString("latin1", 0, 4) === "{\\rt";
}

export interface RtfObject {
  /** The class from `\objclass` or from the OLE1 header. */
  className: string;
  /** `\objemb`, `\objlink`, `\objautlink`, ... as written. */
  kind: string;
  autoUpdate: boolean;
  /** The decoded `\objdata`, within bounds. */
  data: Buffer;
  /** The file a Package object carries, when it names one (a name that runs code first). */
  packageName?: string;
  /** What the package's icon shows, when it differs from the file. */
  packageLabel?: string;
}

export interface RtfFindings {
  reasons: Reason[];
  notChecked: string[];
  urls: string[];
  /** Decoded object data and embedded files, for rule scanning and the Office checks. */
  extracted: Array<{ label: string; bytes: Buffer }>;
}

const RUNS_CODE = /\.(exe|scr|com|pif|bat|cmd|vbs|vbe|js|jse|wsf|wsh|hta|ps1|lnk|dll|cpl|msi|jar|sct)$/i;
const URL_RE = /\b(?:https?|ftp|file):\/\/[^\s"'<>\\\u0000]{3,400}/gi;
const EQUATION = /^equation\.(2|3)$|^equation native$|^msequation/i;

/** Hex digits of an `\objdata` group, skipping whitespace and control words inserted to confuse parsers. */
function decodeHex(text: string, from: number): { data: Buffer; end: number } {
  // raw \\bin bytes count one for one, hex digits two for one
  const out = Buffer.alloc(Math.max(0, Math.min(RTF_BOUNDS.maxObjectBytes, text.length - from)));
  let n = 0;
  let hi = -1;
  let depth = 0;
  let i = from;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x7b) depth++;
    else if (c === 0x7d) {
      if (depth === 0) break;
      depth--;
    } else if (c === 0x5c) {
      // a control word inside the data: skip its letters and numeric parameter; \binN carries N raw bytes
      const start = ++i;
      while (i < text.length && /[a-z]/i.test(text[i]!)) i++;
      const word = text.slice(start, i);
      const paramAt = i;
      while (i < text.length && /[-\d]/.test(text[i]!)) i++;
      if (word === "") {
        // a control symbol (\{ \} \\ \'hh): skip it, and the two hex digits of \'
        if (text[start] === "'") i = start + 2;
        else i = start;
        continue;
      }
      if (text[i] !== " ") i--;
      if (word === "bin") {
        const count = Math.max(0, Number(text.slice(paramAt, i + (text[i] === " " ? 0 : 1))) || 0);
        const raw = Buffer.from(text.slice(i + 1, i + 1 + count), "latin1");
        const room = Math.max(0, out.length - n);
        raw.copy(out, n, 0, Math.min(room, raw.length));
        n += Math.min(room, raw.length);
        i += count;
      }
    } else {
      const v =
        c >= 0x30 && c <= 0x39
          ? c - 0x30
          : c >= 0x61 && c <= 0x66
            ? c - 0x57
            : c >= 0x41 && c <= 0x46
              ? c - 0x37
              : -1;
      if (v < 0) continue;
      if (hi < 0) hi = v;
      else {
        if (n < out.length) out[n++] = (hi << 4) | v;
        hi = -1;
      }
    }
  }
  // a copy, so the object does not keep the whole bound's worth of memory alive
  return { data: Buffer.from(out.subarray(0, n)), end: i };
}

/** OLE1 native data: version, format, then the class name as a length-prefixed string. */
function ole1Class(data: Buffer): string | undefined {
  if (data.length < 12) return undefined;
  const format = data.readUInt32LE(4);
  if (format !== 1 && format !== 2) return undefined;
  const len = data.readUInt32LE(8);
  if (len < 2 || len > 256 || 12 + len > data.length) return undefined;
  return data.toString("latin1", 12, 12 + len).replace(/\0+$/, "");
}

/**
 * The names in a Package object's native data: its label (what the icon shows, chosen by the sender), then the
 * source path and the temporary path of the file it carries, each zero-terminated. All are returned, label first.
 */
function packageNames(data: Buffer): string[] {
  const at = data.indexOf("Package\0", 0, "latin1");
  const from = at >= 0 ? at + 8 : 0;
  const text = data.toString("latin1", from, Math.min(data.length, from + 4096));
  return [...text.matchAll(/[\x20-\x7e]{1,260}\.[a-z0-9]{1,8}(?=\0)/gi)].map((m) => m[0]).slice(0, 4);
}

/** The objects of an RTF document, in order, within the bounds. */
export function rtfObjects(buf: Buffer): { objects: RtfObject[]; truncated: boolean } {
  const text = buf.toString("latin1", 0, Math.min(buf.length, RTF_BOUNDS.maxScanBytes));
  const objects: RtfObject[] = [];
  let truncated = false;
  const re = /\\object\b/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    if (objects.length >= RTF_BOUNDS.maxObjects) {
      truncated = true;
      break;
    }
    // the object's own control words come before its \objdata
    const dataAt = text.indexOf("\\objdata", m.index);
    const nextObject = text.indexOf("\\object", m.index + 7);
    const headEnd = Math.min(
      dataAt < 0 ? text.length : dataAt,
      nextObject < 0 ? text.length : nextObject,
      m.index + 4096,
    );
    const head = text.slice(m.index, headEnd);
    const kind =
      /\\(objemb|objlink|objautlink|objsub|objpub|objicemb|objhtml|objocx)\b/.exec(head)?.[1] ?? "object";
    let className = /\\objclass\s+([^}\\]{1,100})/.exec(head)?.[1]?.trim() ?? "";
    let data: Buffer = Buffer.alloc(0);
    if (dataAt >= 0 && (nextObject < 0 || dataAt < nextObject)) {
      const d = decodeHex(text, dataAt + "\\objdata".length);
      data = d.data;
      re.lastIndex = Math.max(re.lastIndex, d.end);
    }
    // Word goes by the class in the object's own header; \objclass is only what the markup says
    const native = ole1Class(data);
    className = native ?? className;
    const obj: RtfObject = { className, kind, autoUpdate: /\\objupdate\b/.test(head), data };
    if (/^package$/i.test(className)) {
      const names = packageNames(data);
      const runs = names.find((n) => RUNS_CODE.test(n));
      if (names.length > 0) obj.packageName = runs ?? names[names.length - 1]!;
      if (names[0] && names[0] !== obj.packageName) obj.packageLabel = names[0];
    }
    objects.push(obj);
  }
  return { objects, truncated };
}

/** Inspect an RTF document; `label` names it in reasons. */
export function inspectRtf(buf: Buffer, label: string): RtfFindings {
  const out: RtfFindings = { reasons: [], notChecked: [], urls: [], extracted: [] };
  const ev = { kind: "attachment" as const, ref: label };
  if (!buf.toString("latin1", 0, 6).startsWith("{\\rtf1")) {
    out.reasons.push({
      code: "rtf.malformed-header",
      severity: "low",
      weight: 0.15,
      message: `${label} starts with "${buf.toString("latin1", 0, 6).replace(/[^\x20-\x7e]/g, "?")}" instead of {\\rtf1: Word opens it, stricter readers do not, a way past filters.`,
      evidence: ev,
    });
  }
  if (buf.length > RTF_BOUNDS.maxScanBytes)
    out.notChecked.push(`${label}: RTF markup after the first ${RTF_BOUNDS.maxScanBytes} bytes`);
  const { objects, truncated } = rtfObjects(buf);
  if (truncated) out.notChecked.push(`${label}: embedded objects after the first ${RTF_BOUNDS.maxObjects}`);
  for (const [i, o] of objects.entries()) {
    const where = `${label} > object ${i + 1}${o.className ? ` (${o.className})` : ""}`;
    const oev = { kind: "attachment" as const, ref: where, value: o.className || o.kind };
    if (o.data.length > 0) out.extracted.push({ label: where, bytes: o.data });
    // an Office compound file inside the object is inspected as a document of its own
    const cfb = o.data.indexOf(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]));
    if (cfb >= 0) out.extracted.push({ label: `${where} > compound file`, bytes: o.data.subarray(cfb) });
    const ascii = o.data.toString("latin1");
    // UTF-16 text may start at an odd offset of the object
    const wide = o.data.toString("utf16le") + "\n" + o.data.subarray(1).toString("utf16le");
    for (const u of new Set([...ascii.matchAll(URL_RE), ...wide.matchAll(URL_RE)].map((x) => x[0])))
      if (out.urls.length < 20) out.urls.push(u);
    if (EQUATION.test(o.className) || /Equation Native/.test(wide) || /Equation Native/.test(ascii)) {
      out.reasons.push({
        code: "rtf.equation-editor",
        severity: "high",
        weight: 0.8,
        message: `${where} is an Equation Editor object: the component removed from Office in 2018 after the exploits CVE-2017-11882 and CVE-2018-0802, which still arrive this way. Legitimate documents no longer carry it.`,
        evidence: oev,
      });
    }
    const linked = /^ole2link$/i.test(o.className) || o.kind === "objautlink" || o.kind === "objlink";
    if (linked) {
      out.reasons.push({
        code: "rtf.remote-object",
        severity: "high",
        weight: 0.7,
        message: `${where} is a linked object${out.urls.length ? ` (${out.urls[0]})` : ""}: opening the document fetches and runs what the link points to, as in CVE-2017-0199.`,
        evidence: oev,
      });
    }
    if (o.packageName) {
      const runs = RUNS_CODE.test(o.packageName);
      out.reasons.push({
        code: "rtf.package",
        severity: runs ? "high" : "medium",
        weight: runs ? 0.75 : 0.35,
        message: `${where} packages the file ${o.packageName}${o.packageLabel ? ` (its icon says ${o.packageLabel})` : ""}${runs ? ", which runs code when its icon is double-clicked" : ", which opens when its icon is double-clicked"}.`,
        evidence: { ...oev, value: o.packageName },
      });
    }
    if (o.autoUpdate) {
      out.reasons.push({
        code: "rtf.auto-update",
        severity: "medium",
        weight: 0.35,
        message: `${where} is marked \\objupdate: it is refreshed when the document opens, without a click.`,
        evidence: oev,
      });
    }
  }
  return out;
}

/**
 * Office documents: what in them runs or fetches something when the document is opened. OLE compound files
 * (.doc, .xls, .ppt, and the vbaProject.bin inside OOXML) are read with cfb; OOXML packages (.docx, .xlsm, ...)
 * with our bounded zip reader. Found: VBA projects and their auto-executing procedures (source decompressed per
 * MS-OVBA), Excel 4 macro sheets (BIFF8 BOUNDSHEET records, OOXML `xl/macrosheets/`), remote template and
 * external object relationships (template injection), DDE fields and links, and encryption (which hides all of
 * this: said, not guessed).
 */
import CFB from "cfb";
import { decompressVba, scanVbaSource, VBA_CALL_KINDS, vbaModules } from "./ovba.js";
import { listZip, readZipEntry, type ZipEntryRecord } from "./zip.js";
import type { Reason } from "./types.js";

export const OFFICE_BOUNDS = {
  /** Largest OOXML part inflated to be read (document.xml, rels, vbaProject.bin). */
  maxPartBytes: 20 * 1024 * 1024,
  /** VBA modules decompressed per project. */
  maxModules: 200,
  /** BIFF records walked in a Workbook stream. */
  maxBiffRecords: 200_000,
};

/** What inspecting a document found; `extracted` holds decoded content (VBA source) for rule scanning. */
export interface OfficeFindings {
  reasons: Reason[];
  notChecked: string[];
  /** URLs the document would fetch (remote templates, external objects), as link indicators. */
  urls: string[];
  extracted: Array<{ label: string; bytes: Buffer }>;
}

const empty = (): OfficeFindings => ({ reasons: [], notChecked: [], urls: [], extracted: [] });

const ev = (ref: string, value?: string): Reason["evidence"] =>
  value === undefined ? { kind: "attachment", ref } : { kind: "attachment", ref, value };

type Cfb = ReturnType<typeof CFB.read>;
type CfbEntry = Cfb["FileIndex"][number];

/** Entries of a compound file by full path without the root's name: "Macros/VBA/dir". */
function cfbEntries(doc: Cfb): Map<string, CfbEntry> {
  const map = new Map<string, CfbEntry>();
  doc.FullPaths.forEach((p, i) => {
    const e = doc.FileIndex[i];
    if (!e || !p.includes("/")) return;
    const rel = p.slice(p.indexOf("/") + 1).replace(/\/$/, "");
    if (rel) map.set(rel, e);
  });
  return map;
}

const bytesOf = (e: CfbEntry | undefined): Buffer | undefined =>
  e?.content ? Buffer.from(e.content as Uint8Array) : undefined;

/** Call kinds that alone make a macro dangerous (the others are common in benign automation too). */
const STRONG_CALLS: ReadonlySet<string> = new Set(VBA_CALL_KINDS.slice(0, 3).concat(VBA_CALL_KINDS[5]!));

/** Read the VBA project stored under `vbaDir` ("Macros/VBA", "_VBA_PROJECT_CUR/VBA", "VBA"). */
function inspectVba(
  entries: Map<string, CfbEntry>,
  vbaDir: string,
  label: string,
  out: OfficeFindings,
): void {
  const dirStream = bytesOf(entries.get(`${vbaDir}/dir`));
  const streams = [...entries.keys()].filter(
    (p) =>
      p.startsWith(`${vbaDir}/`) &&
      !/\/(dir|_VBA_PROJECT|__SRP_\d+)$/i.test(p) &&
      !/^_?VBA_PROJECT$/i.test(p),
  );
  const dir = dirStream ? decompressVba(dirStream) : undefined;
  const listed = dir ? vbaModules(dir, OFFICE_BOUNDS.maxModules).modules : [];
  const names =
    listed.length > 0 ? listed.map((m) => m.name) : streams.map((s) => s.slice(vbaDir.length + 1));
  out.reasons.push({
    code: "office.vba-macros",
    severity: "medium",
    weight: 0.35,
    message: `${label} contains a VBA macro project (${names.length} module${names.length === 1 ? "" : "s"}${names.length > 0 ? `: ${names.slice(0, 8).join(", ")}` : ""}); macros can run code on the computer once enabled.`,
    evidence: ev(`${label} > ${vbaDir}`),
  });
  if (!dir) out.notChecked.push(`the macro source in ${label}: its dir stream could not be read`);
  const autoExec = new Map<string, string>();
  const calls = new Map<string, string>();
  for (const m of listed) {
    const path = `${vbaDir}/${m.stream}`;
    const raw = bytesOf(entries.get(path));
    const source = raw && m.offset < raw.length ? decompressVba(raw.subarray(m.offset)) : undefined;
    if (!source) {
      out.notChecked.push(`the source of the macro module ${m.name} in ${label}`);
      continue;
    }
    const text = source.toString("latin1");
    out.extracted.push({ label: `${label} > ${path}`, bytes: source });
    const found = scanVbaSource(text);
    for (const a of found.autoExec) if (!autoExec.has(a)) autoExec.set(a, path);
    for (const c of found.calls) if (!calls.has(c)) calls.set(c, path);
  }
  // Without readable source, auto-exec names are still visible in the compressed stream's literals and in the
  // module stream names (ThisDocument, ThisWorkbook carry Document_Open and Workbook_Open).
  if (autoExec.size === 0 && listed.length === 0) {
    for (const s of streams) {
      const text = bytesOf(entries.get(s))?.toString("latin1") ?? "";
      for (const a of scanVbaSource(text.replace(/[^\x20-\x7e\r\n]+/g, "\n")).autoExec)
        if (!autoExec.has(a)) autoExec.set(a, s);
    }
  }
  for (const [name, path] of autoExec) {
    out.reasons.push({
      code: "office.vba-autoexec",
      severity: "high",
      weight: 0.6,
      message: `A macro in ${label} runs by itself when the document is opened or closed (${name}).`,
      evidence: ev(`${label} > ${path}`, name),
    });
  }
  if (calls.size > 0) {
    const kinds = [...calls.keys()];
    const strong = kinds.some((k) => STRONG_CALLS.has(k));
    out.reasons.push({
      code: "office.vba-suspicious-call",
      severity: strong ? "high" : "medium",
      weight: strong ? 0.45 : 0.2,
      message: `A macro in ${label} ${kinds.join("; ")}.`,
      evidence: ev(`${label} > ${calls.get(kinds[0]!)!}`, kinds.join("; ")),
    });
  }
}

/** BIFF8 sheet types in BOUNDSHEET (0x0085): 1 is an Excel 4 macro sheet. Visibility 1 hidden, 2 very hidden. */
function inspectWorkbookStream(wb: Buffer, label: string, out: OfficeFindings): void {
  let pos = 0;
  for (let n = 0; n < OFFICE_BOUNDS.maxBiffRecords && pos + 4 <= wb.length; n++) {
    const type = wb.readUInt16LE(pos);
    const len = wb.readUInt16LE(pos + 2);
    const body = wb.subarray(pos + 4, pos + 4 + len);
    pos += 4 + len;
    if (type === 0x002f) {
      out.reasons.push(encrypted(label));
      out.notChecked.push(`the contents of ${label}: the workbook is encrypted`);
      return;
    }
    if (type === 0x0085 && body.length >= 8) {
      const hidden = body[4]! & 0x3;
      const kind = body[5]!;
      const nameLen = body[6]!;
      const wide = (body[7]! & 1) === 1;
      const name = wide
        ? body.subarray(8, 8 + nameLen * 2).toString("utf16le")
        : body.subarray(8, 8 + nameLen).toString("latin1");
      if (kind === 0x01) {
        out.reasons.push({
          code: "office.excel4-macrosheet",
          severity: "high",
          weight: hidden === 2 ? 0.65 : 0.55,
          message: `${label} has an Excel 4 macro sheet "${name}"${hidden === 2 ? ", set to very hidden so it does not show in Excel" : hidden === 1 ? ", hidden" : ""}: old-style macros that run formulas such as EXEC and CALL.`,
          evidence: ev(`${label} > Workbook`, name),
        });
      }
    }
  }
}

function encrypted(label: string): Reason {
  return {
    code: "office.encrypted",
    severity: "medium",
    weight: 0.3,
    message: `${label} is encrypted with a password: its contents could not be inspected, a common way to slip macros past filters.`,
    evidence: ev(label),
  };
}

/**
 * Inspect an OLE compound file (.doc, .xls, .ppt, vbaProject.bin).
 *
 * @example inspectOle(readFileSync("invoice.doc"), "invoice.doc").reasons.map((r) => r.code) // ["office.vba-macros", "office.vba-autoexec"]
 */
export function inspectOle(buf: Buffer, label: string): OfficeFindings {
  const out = empty();
  let doc: Cfb;
  try {
    doc = CFB.read(buf, { type: "buffer" });
  } catch (err) {
    out.notChecked.push(`the contents of ${label}: the compound file is damaged (${(err as Error).message})`);
    return out;
  }
  const entries = cfbEntries(doc);
  if (entries.has("EncryptionInfo") || entries.has("EncryptedPackage")) {
    out.reasons.push(encrypted(label));
    out.notChecked.push(`the contents of ${label}: the document is encrypted`);
    return out;
  }
  const word = bytesOf(entries.get("WordDocument"));
  // FIB: fEncrypted is bit 8 of the flags at offset 0x0A
  if (word && word.length > 0x0b && (word.readUInt16LE(0x0a) & 0x0100) !== 0) {
    out.reasons.push(encrypted(label));
    out.notChecked.push(`the contents of ${label}: the document is encrypted`);
  }
  for (const vbaDir of ["Macros/VBA", "_VBA_PROJECT_CUR/VBA", "VBA"]) {
    if ([...entries.keys()].some((p) => p.startsWith(`${vbaDir}/`))) {
      inspectVba(entries, vbaDir, label, out);
      break;
    }
  }
  const wb = bytesOf(entries.get("Workbook")) ?? bytesOf(entries.get("Book"));
  if (wb) inspectWorkbookStream(wb, label, out);
  if ([...entries.keys()].some((p) => /(^|\/)(\u0001Ole10Native|ObjectPool)$/.test(p))) {
    out.reasons.push({
      code: "office.embedded-object",
      severity: "low",
      weight: 0.15,
      message: `${label} embeds OLE objects (packaged files can hide scripts or programs behind an icon).`,
      evidence: ev(label),
    });
  }
  return out;
}

export function isOoxml(listing: ZipEntryRecord[]): boolean {
  return listing.some((e) => e.path === "[Content_Types].xml");
}

/** Relationship targets that fetch from elsewhere: http(s), UNC paths (\\host\share), WebDAV. */
const REMOTE_TARGET = /^(https?:|\\\\|\/\/|file:\/\/[^/]|ftp:)/i;

function decodeXmlAttr(s: string): string {
  return s
    .replace(/&amp;/g, "&")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16) & 0x10ffff))
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d) & 0x10ffff));
}

/**
 * Inspect an OOXML package (.docx, .docm, .xlsx, .xlsm, .pptx ...), given its bytes and zip listing.
 */
export function inspectOoxml(buf: Buffer, listing: ZipEntryRecord[], label: string): OfficeFindings {
  const out = empty();
  const read = (e: ZipEntryRecord): Buffer | undefined => readZipEntry(buf, e, OFFICE_BOUNDS.maxPartBytes);
  for (const e of listing) {
    const part = `${label} > ${e.path}`;
    if (/(^|\/)vbaProject\.bin$/i.test(e.path)) {
      const bin = read(e);
      if (!bin) {
        out.reasons.push({
          code: "office.vba-macros",
          severity: "medium",
          weight: 0.35,
          message: `${label} contains a VBA macro project (${e.path}) that could not be unpacked.`,
          evidence: ev(part),
        });
        continue;
      }
      const inner = inspectOle(bin, part);
      out.reasons.push(...inner.reasons);
      out.notChecked.push(...inner.notChecked);
      out.extracted.push(...inner.extracted);
    } else if (/^xl\/macrosheets\//i.test(e.path)) {
      out.reasons.push({
        code: "office.excel4-macrosheet",
        severity: "high",
        weight: 0.55,
        message: `${label} has an Excel 4 macro sheet (${e.path}): old-style macros that run formulas such as EXEC and CALL.`,
        evidence: ev(part),
      });
    } else if (/\.rels$/i.test(e.path)) {
      const xml = read(e)?.toString("utf8") ?? "";
      for (const rel of xml.match(/<Relationship\b[^>]{0,4000}>/g) ?? []) {
        if (!/TargetMode\s*=\s*["']External["']/i.test(rel)) continue;
        const type = /\bType\s*=\s*["']([^"']*)["']/i.exec(rel)?.[1] ?? "";
        const target = decodeXmlAttr(/\bTarget\s*=\s*["']([^"']*)["']/i.exec(rel)?.[1] ?? "");
        const kind = type.slice(type.lastIndexOf("/") + 1);
        if (kind === "hyperlink") continue;
        const remote = REMOTE_TARGET.test(target);
        if (/^https?:/i.test(target)) out.urls.push(target);
        if (kind === "attachedTemplate") {
          out.reasons.push({
            code: remote ? "office.remote-template" : "office.external-template",
            severity: remote ? "high" : "info",
            weight: remote ? 0.7 : 0,
            message: remote
              ? `${label} loads its template from ${target} when opened (template injection: the remote template can carry macros the attachment does not).`
              : `${label} names a local template (${target}).`,
            evidence: ev(part, target),
          });
        } else if (remote || ["oleObject", "frame", "subDocument", "externalLinkPath"].includes(kind)) {
          out.reasons.push({
            code: "office.external-object",
            severity: remote ? "high" : "low",
            weight: remote ? 0.55 : 0.1,
            message: `${label} links an external ${kind || "object"} at ${target}${remote ? ", fetched when the document is opened" : ""}.`,
            evidence: ev(part, target),
          });
        }
      }
    } else if (/^(word\/(document|header\d*|footer\d*)\.xml)$/i.test(e.path)) {
      const xml = read(e)?.toString("utf8") ?? "";
      // field codes can be split across runs: join the instruction texts before matching
      const instr = [
        [...xml.matchAll(/<w:instrText\b[^>]*>([^<]*)<\/w:instrText>/g)].map((m) => m[1]!).join(""),
        ...[...xml.matchAll(/\bw:instr\s*=\s*"([^"]*)"/g)].map((m) => m[1]!),
      ].join(" ");
      const dde = /\b(DDEAUTO|DDE)\b\s*([^\s"]*|"[^"]*")?\s*("[^"]*")?/i.exec(decodeXmlAttr(instr));
      if (dde) {
        out.reasons.push({
          code: "office.dde",
          severity: "high",
          weight: 0.6,
          message: `${label} has a ${dde[1]!.toUpperCase()} field that asks to start another program (${dde[0].trim().slice(0, 120)}).`,
          evidence: ev(part, dde[0].trim().slice(0, 200)),
        });
      }
    } else if (/^xl\/externalLinks\/[^/]+\.xml$/i.test(e.path)) {
      const xml = read(e)?.toString("utf8") ?? "";
      const dde = /<ddeLink\b[^>]*\bddeService\s*=\s*"([^"]*)"[^>]*\bddeTopic\s*=\s*"([^"]*)"/i.exec(xml);
      if (dde || /<ddeLink\b/i.test(xml)) {
        const what = dde ? `${decodeXmlAttr(dde[1]!)}|${decodeXmlAttr(dde[2]!)}` : "a DDE link";
        out.reasons.push({
          code: "office.dde",
          severity: "high",
          weight: 0.6,
          message: `${label} has a DDE link (${what.slice(0, 120)}) that asks to start another program.`,
          evidence: ev(part, what.slice(0, 200)),
        });
      }
    } else if (/(^|\/)embeddings\/oleObject\d*\.bin$/i.test(e.path)) {
      out.reasons.push({
        code: "office.embedded-object",
        severity: "low",
        weight: 0.15,
        message: `${label} embeds an OLE object (${e.path}); packaged files can hide scripts or programs behind an icon.`,
        evidence: ev(part),
      });
    }
  }
  return out;
}

/** Inspect a zip that may be an OOXML package; undefined when it is not one. */
export function inspectOoxmlZip(buf: Buffer, label: string): OfficeFindings | undefined {
  const listing = listZip(buf);
  if (!listing.ok || !isOoxml(listing.entries)) return undefined;
  return inspectOoxml(buf, listing.entries, label);
}

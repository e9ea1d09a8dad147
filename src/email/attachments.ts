/**
 * Attachments: what each file really is (magic bytes through file-type) against its name and declared type,
 * double extensions, executables and scripts, archives listed (nested, bounded against zip bombs), and hashes
 * for lookups elsewhere.
 */
import { createHash } from "node:crypto";
import { fileTypeFromBuffer } from "file-type";
import { hiddenCharacters } from "../normalize/text.js";
import { RTL_ORDINARY } from "./senders.js";
import { inspectContent } from "./content.js";
import { CONTAINER_EXTENSIONS, EXECUTABLE_EXTENSIONS, extOf } from "./filetypes.js";

export { EXECUTABLE_EXTENSIONS } from "./filetypes.js";
import { isZip, listZip, readZipEntry, ZIP_BOUNDS } from "./zip.js";
import { listWith7z, SEVENZIP_BOUNDS } from "./sevenzip.js";
import type { ArchiveEntry, AttachmentReport, Reason } from "./types.js";

const ARCHIVE_EXTENSIONS: ReadonlySet<string> = new Set(
  "zip rar 7z gz tgz tar cab ace arj xz bz2".split(" "),
);
const DECOY_EXTENSIONS = "pdf doc docx xls xlsx ppt pptx rtf txt jpg jpeg png gif csv odt".split(" ");
/** Magic-byte types that are programs. */
const EXECUTABLE_MAGIC: ReadonlySet<string> = new Set(["exe", "elf", "macho", "dex", "class", "msi", "wasm"]);
/** Extensions that name the same content as another (jpeg vs jpg, Office formats over zip). */
const SAME_AS: Record<string, string[]> = {
  jpg: ["jpeg", "jpe"],
  zip: "docx docm dotx dotm xlsx xlsm xltx xltm xlam pptx pptm potx potm ppsx ppsm odt ods odp jar apk epub xpi".split(
    " ",
  ),
  // an encrypted OOXML document is a compound file whatever its extension
  cfb: "doc dot xls xlt xla ppt pot pps msg msi docx docm xlsx xlsm pptx pptm".split(" "),
  exe: ["dll", "scr", "com", "cpl", "sys", "ocx", "xll"],
  xml: ["svg", "html", "htm"],
  tif: ["tiff"],
  mp4: ["m4a", "m4v"],
};

/** Declared types of Office documents, which are compound files or zip packages underneath. */
const OFFICE_MIME =
  /^application\/(msword|vnd\.ms-|vnd\.openxmlformats-officedocument\.|vnd\.oasis\.opendocument\.)/i;

function compatible(nameExt: string, detected: string): boolean {
  // zip packages by design (.xlsb, .kmz, .vsdx, .msix, ...) are zip files honestly named
  if (detected === "zip" && ZIP_PACKAGES.has(nameExt)) return true;
  return nameExt === detected || (SAME_AS[detected] ?? []).includes(nameExt);
}

export interface AttachmentInput {
  filename?: string;
  contentType: string;
  content: Buffer;
}

export interface AttachmentFindings {
  report: AttachmentReport;
  reasons: Reason[];
  notChecked: string[];
  /** URLs found inside the attachment (remote templates, PDF links), with the attachment path they are in. */
  urls: Array<{ url: string; in: string }>;
  /** Every file looked at, for rule scanning: the attachment, archive entries read, decoded content. */
  scanned: Array<{ label: string; bytes: Buffer }>;
}

interface Walk {
  reasons: Reason[];
  notChecked: string[];
  listed: ArchiveEntry[];
  total: number;
  urls: Array<{ url: string; in: string }>;
  scanned: Array<{ label: string; bytes: Buffer }>;
  /** Bytes of archive entries read so far, against `ZIP_BOUNDS.maxInspectBytes`. */
  read: number;
  /** Archives past the depth bound, not opened. */
  tooDeep: string[];
}

/** Apply the content inspectors to one file and record what they found. */
function inspectInto(bytes: Buffer, label: string, ext: string, w: Walk): string | undefined {
  const found = inspectContent(bytes, label, ext);
  w.reasons.push(...found.reasons);
  w.notChecked.push(...found.notChecked);
  for (const url of found.urls) w.urls.push({ url, in: label });
  w.scanned.push(...found.extracted);
  return found.format;
}

/** List an archive (and archives inside it) within the bounds; reasons name "outer > inner" paths. */
function walkZip(buf: Buffer, label: string, depth: number, w: Walk, inspect = true): void {
  const listing = listZip(buf);
  if (!listing.ok) {
    w.notChecked.push(`the contents of ${label}: ${listing.problem}`);
    return;
  }
  if (listing.truncated) {
    w.reasons.push({
      code: "attachment.archive-too-many-entries",
      severity: "medium",
      weight: 0.3,
      message: `${label} has more than ${ZIP_BOUNDS.maxEntries} entries; only the first ${ZIP_BOUNDS.maxEntries} were listed (possible zip bomb).`,
      evidence: { kind: "attachment", ref: label },
    });
  }
  let encrypted = 0;
  for (const e of listing.entries) {
    const path = `${label} > ${e.path}`;
    if (e.encrypted) encrypted++;
    const ext = extOf(e.path);
    if (!noteEntry(e, label, depth, w)) continue;
    if (ext === "zip") {
      if (depth >= ZIP_BOUNDS.maxDepth) {
        w.tooDeep.push(path);
        continue;
      }
      const inner = readZipEntry(buf, e);
      // a program named .zip
      const program = inner && !isZip(inner) ? disguisedAs(inner, ext) : undefined;
      if (inner && isZip(inner)) {
        w.scanned.push({ label: path, bytes: inner });
        walkZip(inner, path, depth + 1, w);
      } else if (inner && program) {
        w.scanned.push({ label: path, bytes: inner });
        w.reasons.push(disguiseReason(label, e.path, ext, program));
      } else w.notChecked.push(`${path}: not unpacked (encrypted, too large or corrupt)`);
      continue;
    }
    if (e.encrypted || e.path.endsWith("/")) continue;
    // every other entry is read for the content checks and rules, within a budget for the whole attachment
    if (w.read + e.size > ZIP_BOUNDS.maxInspectBytes) {
      w.notChecked.push(
        `${path}: not unpacked (over the ${ZIP_BOUNDS.maxInspectBytes}-byte budget for reading entries)`,
      );
      continue;
    }
    const bytes = readZipEntry(buf, e);
    if (!bytes) {
      w.notChecked.push(`${path}: not unpacked (too large or corrupt)`);
      continue;
    }
    w.read += bytes.length;
    w.scanned.push({ label: path, bytes });
    // what the entry's bytes are, whatever its name: an archive or a program under another name is looked into
    // and named as top-level attachments are (a zip named "scan.pdf" inside a zip hid the program inside it)
    // (not the parts of an Office package, inspected as a document: an embedded drawing is a zip by right)
    const disguised = inspect ? disguisedAs(bytes, ext) : undefined;
    if (disguised) {
      w.reasons.push(disguiseReason(label, e.path, ext, disguised));
      if (disguised === "zip") {
        if (depth >= ZIP_BOUNDS.maxDepth) w.tooDeep.push(path);
        else walkZip(bytes, path, depth + 1, w);
        continue;
      }
    }
    if (inspect) inspectInto(bytes, path, ext, w);
  }
  if (encrypted > 0) noteEncrypted(label, encrypted, w);
  if (depth === 1 && w.tooDeep.length > 0) noteTooDeep(label, w);
}

/**
 * What an archive entry's bytes are when its name hides it: "zip" for a zip archive not named as one (nor as an
 * Office document, a Java archive or another zip package), "exe" or "elf" for a program not named as a program;
 * else undefined.
 */
function disguisedAs(bytes: Buffer, ext: string): "zip" | "exe" | "elf" | undefined {
  if (isZip(bytes)) return compatible(ext, "zip") || ZIP_PACKAGES.has(ext) ? undefined : "zip";
  if (EXECUTABLE_EXTENSIONS.has(ext) || CONTAINER_EXTENSIONS.has(ext) || NATIVE_CODE.has(ext))
    return undefined;
  if (isPe(bytes)) return "exe";
  if (bytes.length >= 4 && bytes.readUInt32BE(0) === 0x7f454c46) return "elf";
  return undefined;
}

/** Formats that are zip files by design, beyond the Office and Java ones `SAME_AS` knows. */
const ZIP_PACKAGES: ReadonlySet<string> = new Set(
  "xlsb vsdx vsdm vstx xps oxps odg odf odc odb otg ott ots otp oxt kmz 3mf cbz whl nupkg ipa appx appxbundle msix msixbundle pages numbers key aar war ear sketch idml usdz".split(
    " ",
  ),
);

/** Native code that is not run on its own: libraries, drivers, modules, object files. */
const NATIVE_CODE: ReadonlySet<string> = new Set("sys ocx drv mui efi pyd node so ko o a lib ax".split(" "));

/** A Windows program: "MZ", and at the offset the DOS header gives, the "PE\0\0" signature (not text starting "MZ"). */
function isPe(bytes: Buffer): boolean {
  if (bytes.length < 0x40 || bytes[0] !== 0x4d || bytes[1] !== 0x5a) return false;
  const at = bytes.readUInt32LE(0x3c);
  return at + 4 <= bytes.length && bytes.readUInt32BE(at) === 0x50450000;
}

/** The reason for an archive entry whose bytes are a zip or a program under another name. */
function disguiseReason(label: string, entry: string, ext: string, what: "zip" | "exe" | "elf"): Reason {
  const named = ext ? `named .${ext}` : "named without an extension";
  return {
    code: what === "zip" ? "attachment.archive-disguised" : "attachment.archive-executable",
    severity: "high",
    weight: what === "zip" ? 0.4 : 0.75,
    message:
      what === "zip"
        ? `The archive ${label} contains ${entry}, ${named} but its bytes are a ZIP archive.`
        : `The archive ${label} contains ${entry}, ${named} but its bytes are a program (${what.toUpperCase()}).`,
    evidence: { kind: "attachment", ref: `${label} > ${entry}`, value: what },
  };
}

/**
 * Archives nested past the depth bound, said once for the attachment: what they hold was not looked at, and
 * nesting that deep is how a payload is put out of a scanner's reach (and how nested zip bombs are built).
 */
function noteTooDeep(label: string, w: Walk): void {
  const [first] = w.tooDeep;
  w.reasons.push({
    code: "attachment.archive-too-deep",
    severity: "medium",
    weight: 0.3,
    message:
      `${label} nests archives more than ${ZIP_BOUNDS.maxDepth} levels deep (${w.tooDeep.length} not opened, ` +
      `the first ${first}): what they hold was not checked.`,
    evidence: { kind: "attachment", ref: first! },
  });
  w.notChecked.push(
    `${w.tooDeep.length === 1 ? first : `${w.tooDeep.length} archives in ${label}, the first ${first}`}: ` +
      `archives nested deeper than ${ZIP_BOUNDS.maxDepth} levels are not opened`,
  );
}

/**
 * The checks on one listed entry of an archive: listed (at the first level), counted towards the unpacked total,
 * flagged when it runs code or expands like a bomb. False when it must not be unpacked.
 */
function noteEntry(e: ArchiveEntry, label: string, depth: number, w: Walk): boolean {
  const path = `${label} > ${e.path}`;
  if (depth === 1)
    w.listed.push({ path: e.path, size: e.size, compressedSize: e.compressedSize, encrypted: e.encrypted });
  w.total += e.size;
  const ext = extOf(e.path);
  if (EXECUTABLE_EXTENSIONS.has(ext) || CONTAINER_EXTENSIONS.has(ext)) {
    w.reasons.push({
      code: "attachment.archive-executable",
      severity: "high",
      weight: 0.75,
      message: `The archive ${label} contains ${e.path}, a file that runs code when opened.`,
      evidence: { kind: "attachment", ref: path },
    });
  }
  const ratio = e.compressedSize > 0 ? e.size / e.compressedSize : 0;
  if (ratio > ZIP_BOUNDS.maxRatio && e.size > 1024 * 1024) {
    w.reasons.push({
      code: "attachment.zip-bomb",
      severity: "medium",
      weight: 0.4,
      message: `${path} expands ${Math.round(ratio)} times (${e.compressedSize} bytes to ${e.size}): a zip bomb; not unpacked.`,
      evidence: { kind: "attachment", ref: path },
    });
    return false;
  }
  return true;
}

/** An archive behind a password: `encrypted` entries, or 0 when even the names are encrypted. */
function noteEncrypted(label: string, encrypted: number, w: Walk): void {
  const what =
    encrypted === 0
      ? "even its file names are behind a password"
      : `${encrypted} entr${encrypted === 1 ? "y" : "ies"} behind a password`;
  w.reasons.push({
    code: "attachment.archive-encrypted",
    severity: "medium",
    weight: 0.3,
    message: `${label} is an encrypted archive (${what}): its contents could not be inspected, a common way to slip malware past filters.`,
    evidence: { kind: "attachment", ref: label },
  });
  w.notChecked.push(`the encrypted entries of ${label}`);
}

/** Formats our readers recognise but do not open, whose listing 7-Zip gives. */
const LISTED_BY_7Z: ReadonlySet<string> = new Set(["rar", "7z", "udf", "vhd", "vhdx"]);
const FORMAT_NAMES: Record<string, string> = {
  rar: "RAR archive",
  "7z": "7-Zip archive",
  udf: "UDF disk image",
  vhd: "VHD disk image",
  vhdx: "VHDX disk image",
};

/**
 * List a RAR or 7-Zip archive or a UDF/VHD/VHDX image with 7-Zip and check its entries as a zip's are; nothing in
 * it is unpacked. The "recognised, not opened" notes of the container check give way to the listing.
 */
async function listOther(buf: Buffer, label: string, format: string, w: Walk): Promise<void> {
  const listing = await listWith7z(buf).catch((err: Error) => ({ ok: false as const, problem: err.message }));
  const what = FORMAT_NAMES[format] ?? format;
  if (!listing.ok) {
    w.notChecked.push(`the contents of ${label} (a ${what}): ${listing.problem}`);
    if (/encrypted/.test(listing.problem)) noteEncrypted(label, 0, w);
    return;
  }
  if (listing.entries.length === 0) {
    w.notChecked.push(`the contents of ${label} (a ${what}): no entry could be listed (damaged or empty)`);
    return;
  }
  // the container check said it could not look inside; now it has
  for (let i = w.reasons.length - 1; i >= 0; i--) {
    const r = w.reasons[i]!;
    if (r.code === "attachment.archive-not-inspected" && r.evidence.ref === label) w.reasons.splice(i, 1);
  }
  for (let i = w.notChecked.length - 1; i >= 0; i--) {
    const n = w.notChecked[i]!;
    if (n.includes(label) && /recognised, not (opened|listed)/.test(n)) w.notChecked.splice(i, 1);
  }
  let encrypted = 0;
  for (const e of listing.entries) {
    if (e.encrypted) encrypted++;
    noteEntry(e, label, 1, w);
  }
  if (encrypted > 0) noteEncrypted(label, encrypted, w);
  if (listing.truncated)
    w.notChecked.push(`${label}: entries after the first ${SEVENZIP_BOUNDS.maxEntries} (not listed)`);
  if (listing.damaged) w.notChecked.push(`${label}: 7-Zip reported it damaged; the listing may be partial`);
  w.notChecked.push(`the files inside ${label} (a ${what}: listed by name and size, not unpacked)`);
}

export async function checkAttachment(a: AttachmentInput, index: number): Promise<AttachmentFindings> {
  const reasons: Reason[] = [];
  const notChecked: string[] = [];
  const filename = a.filename ?? `attachment-${index + 1}`;
  const ev = { kind: "attachment" as const, ref: filename };
  const report: AttachmentReport = {
    filename,
    declaredType: a.contentType,
    size: a.content.length,
    sha256: createHash("sha256").update(a.content).digest("hex"),
    md5: createHash("md5").update(a.content).digest("hex"),
  };
  const detected = await fileTypeFromBuffer(a.content).catch(() => undefined);
  if (detected) report.detectedType = { ext: detected.ext, mime: detected.mime };
  const ext = extOf(filename);

  const hidden = hiddenCharacters(filename).filter((h) => !RTL_ORDINARY.has(h.codePoint));
  if (hidden.length > 0) {
    reasons.push({
      code: "attachment.hidden-characters",
      severity: "high",
      weight: 0.5,
      message: `The file name hides characters (${[...new Set(hidden.map((h) => h.name))].join(", ")}) that can make ${filename} show a false extension.`,
      evidence: ev,
    });
  }
  const isExecutable = EXECUTABLE_EXTENSIONS.has(ext) || (detected && EXECUTABLE_MAGIC.has(detected.ext));
  if (isExecutable) {
    reasons.push({
      code: "attachment.executable",
      severity: "high",
      weight: 0.75,
      message: `${filename} is ${detected && EXECUTABLE_MAGIC.has(detected.ext) ? `a program (${detected.mime})` : "a file that runs code when opened"}.`,
      evidence: ev,
    });
  } else if (CONTAINER_EXTENSIONS.has(ext)) {
    reasons.push({
      code: "attachment.disk-image",
      severity: "medium",
      weight: 0.4,
      message: `${filename} is a disk image, a container used to slip programs past mail filters.`,
      evidence: ev,
    });
  } else if (["htm", "html", "shtml", "xhtml", "svg"].includes(ext)) {
    reasons.push({
      code: "attachment.html",
      severity: "medium",
      weight: 0.3,
      message: `${filename} is a web page that opens in a browser; attached pages often imitate login forms.`,
      evidence: ev,
    });
  }
  const double = /\.([A-Za-z0-9]{2,5})\s*\.([A-Za-z0-9]{1,8})$/.exec(filename);
  if (double && DECOY_EXTENSIONS.includes(double[1]!.toLowerCase()) && double[1]!.toLowerCase() !== ext) {
    reasons.push({
      code: "attachment.double-extension",
      severity: "medium",
      weight: 0.35,
      message: `${filename} pretends to be a .${double[1]!.toLowerCase()} file but is a .${ext}.`,
      evidence: ev,
    });
  }
  if (detected && ext && !compatible(ext, detected.ext)) {
    reasons.push({
      code: "attachment.type-mismatch",
      severity: EXECUTABLE_MAGIC.has(detected.ext) ? "high" : "medium",
      weight: EXECUTABLE_MAGIC.has(detected.ext) ? 0.6 : 0.3,
      message: `${filename} is named .${ext} but its bytes are ${detected.ext.toUpperCase()} (${detected.mime}).`,
      evidence: { ...ev, value: detected.mime },
    });
  } else if (
    detected &&
    a.contentType &&
    !["application/octet-stream", detected.mime].includes(a.contentType.toLowerCase()) &&
    !compatible(a.contentType.split("/")[1] ?? "", detected.ext) &&
    // application/vnd.rar, application/x-7z-compressed name the type inside the subtype
    !(a.contentType.split("/")[1] ?? "").toLowerCase().split(/[.+-]/).includes(detected.ext) &&
    // a zip package's own type names the package (application/vnd.google-earth.kmz for a .kmz)
    !(
      detected.ext === "zip" &&
      (a.contentType.split("/")[1] ?? "")
        .toLowerCase()
        .split(/[.+-]/)
        .some((p) => ZIP_PACKAGES.has(p))
    ) &&
    !(OFFICE_MIME.test(a.contentType) && ["cfb", "zip"].includes(detected.ext))
  ) {
    reasons.push({
      code: "attachment.mime-mismatch",
      severity: "low",
      weight: 0.1,
      message: `${filename} is declared as ${a.contentType} but its bytes are ${detected.mime}.`,
      evidence: { ...ev, value: a.contentType },
    });
  }
  const w: Walk = { reasons, notChecked, listed: [], total: 0, urls: [], scanned: [], read: 0, tooDeep: [] };
  w.scanned.push({ label: filename, bytes: a.content });
  const format = inspectInto(a.content, filename, ext, w);
  if (isZip(a.content)) {
    // an Office package's parts were inspected as a document; they are still listed and read for the rules
    walkZip(a.content, filename, 1, w, format !== "ooxml");
    report.entries = w.listed;
    if (w.total > ZIP_BOUNDS.maxTotalBytes) {
      reasons.push({
        code: "attachment.zip-bomb",
        severity: "medium",
        weight: 0.4,
        message: `${filename} declares ${w.total} bytes once unpacked, over the ${ZIP_BOUNDS.maxTotalBytes}-byte bound: a zip bomb; not unpacked.`,
        evidence: ev,
      });
    }
  } else if (format && LISTED_BY_7Z.has(format)) {
    await listOther(a.content, filename, format, w);
    report.entries = w.listed;
  } else if (!format && (ARCHIVE_EXTENSIONS.has(ext) || (detected && ARCHIVE_EXTENSIONS.has(detected.ext)))) {
    notChecked.push(
      `the contents of ${filename} (zip archives are opened; RAR and 7-Zip archives and disk images are listed)`,
    );
  }
  // a disk image recognised from its bytes is reported once, by the container check
  const recognised = reasons.some((r) => r.code === "container.disk-image" && r.evidence.ref === filename);
  const kept = recognised
    ? reasons.filter((r) => !(r.code === "attachment.disk-image" && r.evidence.ref === filename))
    : reasons;
  return { report, reasons: kept, notChecked, urls: w.urls, scanned: w.scanned };
}

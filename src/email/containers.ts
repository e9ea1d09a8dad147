/**
 * Containers used to carry programs past mail filters, told from their bytes: ISO 9660 images (listed from their
 * directory records, files read within bounds), UDF, VHD and VHDX disk images, Windows shortcuts (.lnk: the target
 * and arguments are read, since a shortcut that starts PowerShell is the usual next step inside such an image),
 * OneNote notebooks with embedded files, and rar/7z archives. UDF, VHD, VHDX, rar and 7z are only recognised here;
 * attachments.ts has 7-Zip list them.
 */
import type { Reason } from "./types.js";

export const CONTAINER_BOUNDS = {
  /** Directory entries listed in an image. */
  maxEntries: 2_000,
  /** Directory levels followed in an image. */
  maxDepth: 8,
  /** Largest file read out of an image or a notebook for the content checks. */
  maxFileBytes: 20 * 1024 * 1024,
  /** Embedded files read out of a OneNote notebook. */
  maxEmbedded: 50,
};

export interface ContainerFile {
  path: string;
  size: number;
  /** The bytes, when the file was within the bounds. */
  bytes?: Buffer;
}

export type ContainerKind = "iso" | "udf" | "vhd" | "vhdx" | "lnk" | "onenote" | "rar" | "7z";

/** What kind of container the bytes are, if any. */
export function containerKind(buf: Buffer): ContainerKind | undefined {
  const at = (off: number, s: string): boolean =>
    buf.length >= off + s.length && buf.subarray(off, off + s.length).toString("latin1") === s;
  if (buf.length >= 0x4c && buf.readUInt32LE(0) === 0x4c && buf.subarray(4, 20).equals(LNK_CLSID))
    return "lnk";
  if (buf.length >= 16 && buf.subarray(0, 16).equals(ONENOTE_GUID)) return "onenote";
  if (at(0, "Rar!\u001a\u0007")) return "rar";
  if (buf.length >= 6 && buf.subarray(0, 6).equals(Buffer.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c])))
    return "7z";
  if (at(0, "vhdxfile")) return "vhdx";
  if (at(0, "conectix") || (buf.length >= 512 && at(buf.length - 512, "conectix"))) return "vhd";
  for (const off of [0x8001, 0x8801, 0x9001]) {
    if (at(off, "CD001")) return "iso";
    if (at(off, "BEA01") || at(off, "NSR02") || at(off, "NSR03")) return "udf";
  }
  return undefined;
}

/** A directory record's fields (ECMA-119 9.1). */
function dirRecord(
  buf: Buffer,
  p: number,
): { len: number; lba: number; size: number; dir: boolean; name: string } {
  const len = buf[p]!;
  const nameLen = buf[p + 32] ?? 0;
  const raw = buf.subarray(p + 33, p + 33 + nameLen);
  const name =
    raw.length === 1 && raw[0]! <= 1 ? "" : raw.toString("latin1").replace(/;\d+$/, "").replace(/\.$/, "");
  return {
    len,
    lba: buf.readUInt32LE(p + 2),
    size: buf.readUInt32LE(p + 10),
    dir: (buf[p + 25]! & 0x02) !== 0,
    name,
  };
}

/**
 * The files in an ISO 9660 image, from the primary volume descriptor's root directory down, bounded in
 * entries and depth; each file's bytes are included when it fits `maxFileBytes`.
 */
export function listIso(buf: Buffer): { files: ContainerFile[]; truncated: boolean } {
  const files: ContainerFile[] = [];
  let truncated = false;
  const pvd = 0x8000;
  if (buf.length < pvd + 190) return { files, truncated };
  const block = buf.readUInt16LE(pvd + 128) || 2048;
  const root = dirRecord(buf, pvd + 156);
  const seen = new Set<number>();
  const walk = (lba: number, size: number, prefix: string, depth: number): void => {
    if (depth > CONTAINER_BOUNDS.maxDepth || seen.has(lba)) return;
    seen.add(lba);
    const start = lba * block;
    const end = Math.min(buf.length, start + size);
    let p = start;
    while (p < end) {
      if (files.length >= CONTAINER_BOUNDS.maxEntries) {
        truncated = true;
        return;
      }
      const len = buf[p] ?? 0;
      if (len === 0) {
        // records do not cross block boundaries: skip to the next block
        p = (Math.floor((p - start) / block) + 1) * block + start;
        continue;
      }
      if (p + 33 > end || len < 34) return;
      const r = dirRecord(buf, p);
      p += len;
      if (!r.name) continue; // "." and ".."
      const path = prefix ? `${prefix}/${r.name}` : r.name;
      if (r.dir) walk(r.lba, r.size, path, depth + 1);
      else {
        const off = r.lba * block;
        const f: ContainerFile = { path, size: r.size };
        if (r.size <= CONTAINER_BOUNDS.maxFileBytes && off + r.size <= buf.length) {
          f.bytes = buf.subarray(off, off + r.size);
        }
        files.push(f);
      }
    }
  };
  walk(root.lba, root.size, "", 0);
  return { files, truncated };
}

const LNK_CLSID = Buffer.from("0114020000000000c000000000000046", "hex");

export interface ShellLink {
  target?: string;
  arguments?: string;
  workingDir?: string;
  iconLocation?: string;
  name?: string;
}

/** Read a shell link's target and string data (MS-SHLLINK 2.1-2.4); undefined when it is not one. */
export function readShellLink(buf: Buffer): ShellLink | undefined {
  if (containerKind(buf) !== "lnk") return undefined;
  const flags = buf.readUInt32LE(0x14);
  const link: ShellLink = {};
  let p = 0x4c;
  try {
    if (flags & 0x1) p += 2 + buf.readUInt16LE(p); // LinkTargetIDList
    if (flags & 0x2) {
      const size = buf.readUInt32LE(p);
      const localOff = buf.readUInt32LE(p + 16);
      const suffixOff = buf.readUInt32LE(p + 24);
      const cstr = (off: number): string => {
        const s = p + off;
        const e = buf.indexOf(0, s);
        return buf.subarray(s, e < 0 || e > p + size ? p + size : e).toString("latin1");
      };
      if (localOff > 0 && localOff < size)
        link.target = cstr(localOff) + (suffixOff > 0 && suffixOff < size ? cstr(suffixOff) : "");
      p += size;
    }
    const unicode = (flags & 0x80) !== 0;
    const read = (): string => {
      const count = buf.readUInt16LE(p);
      const bytes = unicode ? count * 2 : count;
      const s = buf.subarray(p + 2, p + 2 + bytes).toString(unicode ? "utf16le" : "latin1");
      p += 2 + bytes;
      return s;
    };
    if (flags & 0x4) link.name = read();
    if (flags & 0x8) {
      const rel = read();
      link.target ??= rel;
    }
    if (flags & 0x10) link.workingDir = read();
    if (flags & 0x20) link.arguments = read();
    if (flags & 0x40) link.iconLocation = read();
  } catch {
    // a truncated link keeps what was read
  }
  return link;
}

/** Programs that run scripts or fetch and run code: what a shortcut in a phishing image usually starts. */
export const SCRIPT_HOSTS =
  /\b(powershell|pwsh|mshta|cmd|wscript|cscript|rundll32|regsvr32|certutil|bitsadmin|msiexec|forfiles|conhost|curl|wmic|schtasks|explorer)(\.exe)?\b/i;

/** Text that marks a file as a script: script tags of HTA pages, batch and PowerShell openings, WSH objects. */
const SCRIPT_MARKERS =
  /<script\b[^>]{0,100}|<hta:application|@echo\s+off|WScript\.(Shell|CreateObject)|CreateObject\s*\(|powershell(\.exe)?\s+-|Invoke-Expression|\bIEX\s*\(/i;

const ONENOTE_GUID = Buffer.from("e4525c7b8cd8a74daeb15378d02996d3", "hex");
const FILE_DATA_GUID = Buffer.from("e716e3bd65261145a4c48d4d0b7a9eac", "hex");

/** Embedded files of a OneNote section (FileDataStoreObject: GUID, u64 length, 12 reserved bytes, data). */
export function oneNoteFiles(buf: Buffer): { files: ContainerFile[]; truncated: boolean } {
  const files: ContainerFile[] = [];
  let p = buf.indexOf(FILE_DATA_GUID, 16);
  while (p >= 0) {
    if (files.length >= CONTAINER_BOUNDS.maxEmbedded) return { files, truncated: true };
    if (p + 36 > buf.length) break;
    const len = Number(buf.readBigUInt64LE(p + 16));
    const start = p + 36;
    const f: ContainerFile = { path: `embedded file ${files.length + 1}`, size: len };
    if (len <= CONTAINER_BOUNDS.maxFileBytes && start + len <= buf.length)
      f.bytes = buf.subarray(start, start + len);
    files.push(f);
    p = buf.indexOf(FILE_DATA_GUID, start + (f.bytes ? len : 0));
  }
  return { files, truncated: false };
}

export interface ContainerFindings {
  reasons: Reason[];
  notChecked: string[];
  urls: string[];
  /** Files inside the container, with their bytes when read, for the content checks and rules. */
  files: ContainerFile[];
}

const URL_RE = /\bhttps?:\/\/[^\s"'<>`]{3,2000}/gi;

/** Reasons for a shell link: what it starts, with which arguments. */
export function shellLinkReasons(link: ShellLink, label: string): { reasons: Reason[]; urls: string[] } {
  const command = [link.target, link.arguments].filter(Boolean).join(" ").trim();
  const reasons: Reason[] = [];
  const host = SCRIPT_HOSTS.exec(`${link.target ?? ""} ${link.arguments ?? ""}`)?.[1];
  if (host) {
    reasons.push({
      code: "lnk.script-host",
      severity: "high",
      weight: 0.75,
      message: `The shortcut ${label} starts ${host.toLowerCase()}${link.arguments ? " with arguments" : ""}: a shortcut used to run a script, not to open a document.`,
      evidence: { kind: "attachment", ref: label, value: command.slice(0, 300) },
    });
  } else if (command) {
    reasons.push({
      code: "lnk.target",
      severity: "info",
      weight: 0,
      message: `The shortcut ${label} opens ${command.slice(0, 200)}.`,
      evidence: { kind: "attachment", ref: label, value: command.slice(0, 300) },
    });
  }
  if ((link.arguments?.length ?? 0) > 1024) {
    reasons.push({
      code: "lnk.long-arguments",
      severity: "medium",
      weight: 0.3,
      message: `The shortcut ${label} passes ${link.arguments!.length} characters of arguments, padding that hides the command from the properties dialog.`,
      evidence: { kind: "attachment", ref: label },
    });
  }
  const urls = [...command.matchAll(URL_RE)].map((m) => m[0]).slice(0, 20);
  return { reasons, urls };
}

/** Inspect a container; the caller runs the content checks over `files` that have bytes. */
export function inspectContainer(buf: Buffer, kind: ContainerKind, label: string): ContainerFindings {
  const out: ContainerFindings = { reasons: [], notChecked: [], urls: [], files: [] };
  const ev = { kind: "attachment" as const, ref: label };
  switch (kind) {
    case "iso": {
      const listing = listIso(buf);
      out.files = listing.files;
      out.reasons.push({
        code: "container.disk-image",
        severity: "medium",
        weight: 0.4,
        message: `${label} is an ISO disk image (${listing.files.length} file${listing.files.length === 1 ? "" : "s"}); opening it mounts it as a drive, and files inside escape the "downloaded from the internet" warning.`,
        evidence: ev,
      });
      if (listing.truncated)
        out.notChecked.push(`${label}: entries after the first ${CONTAINER_BOUNDS.maxEntries}`);
      for (const f of listing.files) {
        if (!f.bytes)
          out.notChecked.push(
            `${label} > ${f.path}: over ${CONTAINER_BOUNDS.maxFileBytes} bytes or outside the image, not read`,
          );
      }
      break;
    }
    case "udf":
    case "vhd":
    case "vhdx":
      out.reasons.push({
        code: "container.disk-image",
        severity: "medium",
        weight: 0.4,
        message: `${label} is a ${kind.toUpperCase()} disk image; opening it mounts it as a drive, and files inside escape the "downloaded from the internet" warning.`,
        evidence: ev,
      });
      out.notChecked.push(
        `the files inside ${label} (${kind.toUpperCase()} images are recognised, not listed)`,
      );
      break;
    case "lnk": {
      const link = readShellLink(buf);
      if (link) {
        const r = shellLinkReasons(link, label);
        out.reasons.push(...r.reasons);
        out.urls.push(...r.urls);
      }
      break;
    }
    case "onenote": {
      const found = oneNoteFiles(buf);
      out.files = found.files;
      if (found.files.length > 0) {
        out.reasons.push({
          code: "onenote.embedded-file",
          severity: "medium",
          weight: 0.4,
          message: `${label} is a OneNote notebook with ${found.files.length} embedded file${found.files.length === 1 ? "" : "s"}, which run when double-clicked behind a fake "click to view" button.`,
          evidence: ev,
        });
      }
      for (const f of found.files) {
        const head = f.bytes?.subarray(0, 64 * 1024).toString("latin1") ?? "";
        const script = SCRIPT_MARKERS.exec(head)?.[0];
        if (script) {
          out.reasons.push({
            code: "onenote.embedded-script",
            severity: "high",
            weight: 0.7,
            message: `${label} embeds a script (${script.trim().slice(0, 60)}) that runs when its icon is double-clicked.`,
            evidence: { kind: "attachment", ref: `${label} > ${f.path}`, value: script.trim().slice(0, 100) },
          });
        }
      }
      if (found.truncated)
        out.notChecked.push(`${label}: embedded files after the first ${CONTAINER_BOUNDS.maxEmbedded}`);
      break;
    }
    case "rar":
    case "7z":
      out.reasons.push({
        code: "attachment.archive-not-inspected",
        severity: "low",
        weight: 0.1,
        message: `${label} is a ${kind === "rar" ? "RAR" : "7-Zip"} archive whose contents could not be listed (damaged, empty or unreadable).`,
        evidence: ev,
      });
      out.notChecked.push(`the contents of ${label} (${kind} archives are recognised, not opened)`);
      break;
  }
  return out;
}

/**
 * A bounded zip reader: lists entries from the central directory without inflating anything, and inflates one
 * entry only under an output cap (zlib's `maxOutputLength`), so a zip bomb costs what its listing costs. Zip64
 * and multi-disk archives are not listed (said so, not guessed).
 */
import { inflateRawSync } from "node:zlib";
import type { ArchiveEntry } from "./types.js";

export const ZIP_BOUNDS = {
  /** Entries listed per archive. */
  maxEntries: 2_000,
  /** Sum of declared uncompressed sizes accepted before an archive is called a bomb. */
  maxTotalBytes: 100 * 1024 * 1024,
  /** Compression ratio of a single entry above which it is called a bomb (real documents stay far below). */
  maxRatio: 200,
  /** Nested archives opened: an archive inside an attachment is depth 1. */
  maxDepth: 3,
  /** Largest nested archive inflated in order to list it. */
  maxInflateBytes: 20 * 1024 * 1024,
  /** Entries of one attachment unpacked, all together, for the content checks and rules. */
  maxInspectBytes: 50 * 1024 * 1024,
};

export interface ZipEntryRecord extends ArchiveEntry {
  method: number;
  localOffset: number;
}

export type ZipListing =
  { ok: true; entries: ZipEntryRecord[]; truncated: boolean } | { ok: false; problem: string };

export function isZip(buf: Buffer): boolean {
  return buf.length >= 4 && buf.readUInt32LE(0) === 0x04034b50;
}

/** List a zip's entries from its central directory (names, sizes, encryption), at most `maxEntries`. */
export function listZip(buf: Buffer, maxEntries = ZIP_BOUNDS.maxEntries): ZipListing {
  const min = Math.max(0, buf.length - 65_557);
  let eocd = -1;
  for (let i = buf.length - 22; i >= min; i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return { ok: false, problem: "no end-of-central-directory record (truncated or not a zip)" };
  const total = buf.readUInt16LE(eocd + 10);
  const cdOffset = buf.readUInt32LE(eocd + 16);
  if (total === 0xffff || cdOffset === 0xffffffff)
    return { ok: false, problem: "a zip64 archive (not listed yet)" };
  const entries: ZipEntryRecord[] = [];
  let p = cdOffset;
  for (let n = 0; n < total; n++) {
    if (entries.length >= maxEntries) return { ok: true, entries, truncated: true };
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== 0x02014b50) {
      return { ok: false, problem: `the central directory is broken at entry ${n + 1}` };
    }
    const flags = buf.readUInt16LE(p + 8);
    const nameLen = buf.readUInt16LE(p + 28);
    const utf8 = (flags & 0x800) !== 0;
    entries.push({
      path: buf.subarray(p + 46, p + 46 + nameLen).toString(utf8 ? "utf8" : "latin1"),
      method: buf.readUInt16LE(p + 10),
      compressedSize: buf.readUInt32LE(p + 20),
      size: buf.readUInt32LE(p + 24),
      encrypted: (flags & 1) !== 0,
      localOffset: buf.readUInt32LE(p + 42),
    });
    p += 46 + nameLen + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
  }
  return { ok: true, entries, truncated: false };
}

/** The bytes of one entry, or undefined when it is encrypted, uses another method, or inflates past `cap`. */
export function readZipEntry(
  buf: Buffer,
  e: ZipEntryRecord,
  cap = ZIP_BOUNDS.maxInflateBytes,
): Buffer | undefined {
  if (e.encrypted || e.size > cap) return undefined;
  const h = e.localOffset;
  if (h + 30 > buf.length || buf.readUInt32LE(h) !== 0x04034b50) return undefined;
  const start = h + 30 + buf.readUInt16LE(h + 26) + buf.readUInt16LE(h + 28);
  const data = buf.subarray(start, start + e.compressedSize);
  if (e.method === 0) return data.length <= cap ? Buffer.from(data) : undefined;
  if (e.method !== 8) return undefined;
  try {
    return inflateRawSync(data, { maxOutputLength: cap });
  } catch {
    return undefined; // corrupt, or larger than its header said: refused either way
  }
}

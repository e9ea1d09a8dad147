/**
 * Opening input files: transparent gzip, a content hash for idempotent ingest, and the sample that sniffing reads.
 */
import { createHash } from "node:crypto";
import { createReadStream, openSync, readSync, closeSync } from "node:fs";
import { isUtf8 } from "node:buffer";
import { Transform, type Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import { IngestError, type SniffSample, type SourceFile } from "./types.js";

export const SNIFF_BYTES = 64 * 1024;
/**
 * How far the sample reads on when the first line does not end within `SNIFF_BYTES`: a native post with a long text
 * or bio, or a page of API results on one line, must still show a whole line to the sniffers (the default longest
 * record).
 */
export const SNIFF_LINE_BYTES = 16 << 20;

function startsWithGzipMagic(path: string): boolean {
  const fd = openSync(path, "r");
  try {
    const b = Buffer.alloc(2);
    const n = readSync(fd, b, 0, 2, 0);
    return n === 2 && b[0] === 0x1f && b[1] === 0x8b;
  } finally {
    closeSync(fd);
  }
}

/** A SourceFile over `path`; `onRawBytes` sees the on-disk bytes as they are read (for progress). */
/** Whether `message` is zlib's word for gzip data that is damaged or cut short ("incorrect header check"). */
export function isGzipDamage(message: string): boolean {
  return /unexpected end of file|incorrect header check|invalid (block|distance|stored)/i.test(message);
}

export function openSource(path: string, onRawBytes?: (n: number) => void): SourceFile & { gzip: boolean } {
  const gzip = startsWithGzipMagic(path);
  return {
    path,
    gzip,
    open(): Readable {
      const raw = createReadStream(path, { highWaterMark: 1 << 20 });
      const counted = onRawBytes
        ? raw.pipe(
            new Transform({
              transform(chunk: Buffer, _enc, cb) {
                onRawBytes(chunk.length);
                cb(null, chunk);
              },
            }),
          )
        : raw;
      if (!gzip) return counted;
      const gunzip = createGunzip({ chunkSize: 1 << 20 });
      counted.on("error", (e: Error) => gunzip.destroy(e));
      const out = counted.pipe(gunzip);
      out.on("error", () => raw.destroy());
      return out;
    },
  };
}

/**
 * The file's sha256 and, in the same read, whether `check` held for every chunk of its bytes (true when no check
 * is given).
 */
export async function hashFile(
  path: string,
  check?: (chunk: Buffer) => boolean,
): Promise<{ sha256: string; lineSafe: boolean }> {
  const hash = createHash("sha256");
  let ok = true;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    if (ok && check) ok = check(chunk);
  }
  return { sha256: hash.digest("hex"), lineSafe: ok };
}

/**
 * Read the first bytes (decompressed) and refuse files that are not text: `SNIFF_BYTES`, or as far as the end of the
 * first line when it is longer (up to `SNIFF_LINE_BYTES`).
 */
export async function readSample(src: SourceFile, name: string): Promise<SniffSample> {
  const chunks: Buffer[] = [];
  let len = 0;
  let ended = true;
  let lineEnded = false;
  let gzipDamage: string | undefined;
  const stream = src.open();
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      lineEnded ||= chunk.includes(0x0a);
      len += chunk.length;
      if (len >= SNIFF_BYTES && (lineEnded || len >= SNIFF_LINE_BYTES)) {
        ended = false;
        break;
      }
    }
  } catch (err) {
    if (len === 0) {
      const msg = (err as Error).message;
      // zlib's own words ("incorrect header check") name no cause a reader knows: the gzip data is bad
      throw new IngestError(
        isGzipDamage(msg)
          ? `${src.path}: the gzip data is truncated or corrupt (${msg})`
          : `${src.path}: cannot be read (${msg})`,
      );
    }
    ended = false; // a truncated gzip is reported by the full read, with its position
    const msg = (err as Error).message;
    if (isGzipDamage(msg)) gzipDamage = msg;
  } finally {
    stream.destroy();
  }
  let buf = Buffer.concat(chunks);
  // the sample ends at SNIFF_BYTES, or after its first line when that ends further on (within SNIFF_LINE_BYTES)
  const firstLineEnd = buf.indexOf(0x0a);
  const sampleEnd =
    firstLineEnd >= SNIFF_BYTES && firstLineEnd < SNIFF_LINE_BYTES ? firstLineEnd + 1 : SNIFF_BYTES;
  const longFirstLine =
    (firstLineEnd === -1 || firstLineEnd >= SNIFF_LINE_BYTES) && buf.length >= SNIFF_LINE_BYTES;
  if (buf.length > sampleEnd) {
    buf = buf.subarray(0, sampleEnd);
    ended = false;
  }
  if (buf.length === 0) throw new IngestError(`${src.path}: the file is empty`);
  // UTF-16 (as Windows tools save "Unicode" text) or UTF-32: the byte-order mark says which; ASCII's other bytes are NUL
  const utf32 =
    buf.length >= 4 &&
    ((buf[0] === 0xff && buf[1] === 0xfe && buf[2] === 0 && buf[3] === 0) ||
      (buf[0] === 0 && buf[1] === 0 && buf[2] === 0xfe && buf[3] === 0xff));
  const utf16 =
    buf.length >= 2 && ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff));
  if (utf32 || utf16) {
    const enc = utf32 ? "UTF-32" : "UTF-16";
    throw new IngestError(
      `${src.path}: the file is ${enc} text (it starts with a ${enc} byte-order mark); Chorus reads UTF-8: ` +
        `convert it first, e.g. iconv -f ${enc} -t UTF-8 FILE > FILE.utf8`,
    );
  }
  if (buf.includes(0)) {
    // a spreadsheet (.xlsx, .ods) and a zip archive are zip files: what to do with one is the user's next question
    const zip = buf.length >= 4 && buf[0] === 0x50 && buf[1] === 0x4b && buf[2] === 0x03 && buf[3] === 0x04;
    throw new IngestError(
      zip
        ? `${src.path}: a zip archive (or a spreadsheet such as .xlsx, which is one), not a text format Chorus ` +
            `reads: unzip it and give the files inside, or save the sheet as "CSV UTF-8" and give that`
        : `${src.path}: binary data (NUL bytes), not a text format Chorus reads`,
    );
  }
  if (buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) buf = buf.subarray(3);
  // allow a multi-byte character cut at the sample's end
  let valid = false;
  for (let cut = 0; cut <= 3 && cut < buf.length && !valid; cut++) {
    valid = isUtf8(buf.subarray(0, buf.length - cut));
    if (ended) break;
  }
  if (!valid) {
    throw new IngestError(
      `${src.path}: not UTF-8 text${firstBadLine(buf)}: re-encode it as UTF-8 first, from the encoding it was saved ` +
        `in (files saved by Windows in Persian or Arabic are often Windows-1256: iconv -f WINDOWS-1256 -t UTF-8 ` +
        `FILE > FILE.utf8; Excel's "CSV UTF-8" saves UTF-8)`,
    );
  }
  const head = buf.toString("utf8");
  const lines = head.split(/\r?\n/);
  if (!ended) lines.pop();
  const sample: SniffSample = { name, head, lines: lines.filter((l) => l.trim() !== "") };
  if (longFirstLine) sample.longFirstLine = true;
  if (!head.includes("\n") && head.includes("\r")) sample.crLines = true;
  if (gzipDamage !== undefined) sample.gzipDamage = gzipDamage;
  return sample;
}

/**
 * Where the first line of `buf` that is not UTF-8 is, for the message (" (line 2, from byte 57, is the first that
 * is not)"), or "" when every whole line is (the sample ends inside a character).
 */
function firstBadLine(buf: Buffer): string {
  let start = 0;
  for (let line = 1; start < buf.length; line++) {
    const nl = buf.indexOf(0x0a, start);
    const end = nl === -1 ? buf.length : nl;
    if (nl !== -1 && !isUtf8(buf.subarray(start, end))) {
      return ` (line ${line}, from byte ${start}, is the first that is not)`;
    }
    start = end + 1;
  }
  return "";
}

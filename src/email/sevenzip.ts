/**
 * Listing the archives and disk images that our own readers do not open (RAR, 7-Zip, UDF, VHD, VHDX, and whatever
 * else 7-Zip recognises) with 7-Zip compiled to WebAssembly (7z-wasm). Only the listing is asked for: names,
 * sizes, whether an entry is encrypted. Nothing is unpacked, so a bomb costs nothing; the file is given to 7-Zip
 * in its in-memory file system and removed after.
 *
 * The WebAssembly instance is kept between listings and replaced after SEVENZIP_BOUNDS.renewAfter uses or after any listing that
 * failed (7-Zip's state after an error is not trusted); its process-wide handlers are removed (wasm.ts), so a
 * replaced instance is freed.
 */
import { createRequire } from "node:module";
import type { ArchiveEntry } from "./types.js";
import { withoutProcessHandlers } from "./wasm.js";

export const SEVENZIP_BOUNDS = {
  /** Archives larger than this are not given to 7-Zip. */
  maxArchiveBytes: 64 * 1024 * 1024,
  /** Entries kept from one listing. */
  maxEntries: 2_000,
  /** Listings per instance before a fresh one is made. */
  renewAfter: 50,
};

interface SevenZipModule {
  FS: {
    writeFile(path: string, data: Uint8Array): void;
    unlink(path: string): void;
  };
  callMain(args: string[]): number | undefined;
}
type Factory = (opts: {
  print: (s: string) => void;
  printErr: (s: string) => void;
  stdin: () => number | null;
}) => Promise<SevenZipModule>;

const require = createRequire(import.meta.url);

/** What one call to 7-Zip printed; reset before each call. */
let out: string[] = [];
let errors: string[] = [];
let instance: Promise<SevenZipModule> | undefined;
let uses = 0;

function sevenZip(): Promise<SevenZipModule> {
  if (instance && uses < SEVENZIP_BOUNDS.renewAfter) {
    uses++;
    return instance;
  }
  const factory = require("7z-wasm") as Factory;
  instance = withoutProcessHandlers(() =>
    factory({
      print: (s) => out.push(s),
      printErr: (s) => errors.push(s),
      // a password prompt reads end of input instead of waiting for a terminal
      stdin: () => null,
    }),
  );
  uses = 1;
  return instance;
}

export type SevenZipListing =
  | { ok: true; entries: ArchiveEntry[]; truncated: boolean; damaged?: boolean }
  | { ok: false; problem: string };

/**
 * List an archive or disk image. Encrypted names (a 7-Zip archive with `-mhe`) cannot be listed without the
 * password and come back as a problem that says so.
 *
 * @example
 * const l = await listWith7z(buf); // { ok: true, entries: [{ path: "invoice.exe", size: 12, ... }], truncated: false }
 */
export async function listWith7z(buf: Buffer): Promise<SevenZipListing> {
  if (buf.length > SEVENZIP_BOUNDS.maxArchiveBytes) {
    return { ok: false, problem: `over ${SEVENZIP_BOUNDS.maxArchiveBytes} bytes, not listed` };
  }
  const sz = await sevenZip();
  const path = "/listing-input";
  out = [];
  errors = [];
  let failed: string | undefined;
  // the build sets the process's exit code to 7-Zip's own: it is put back, and 7-Zip's code read from the call
  const exitCode = process.exitCode;
  try {
    sz.FS.writeFile(path, new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength));
    // -p with a wrong password: an archive with encrypted names fails at once instead of prompting
    const code = sz.callMain(["l", "-slt", "-ba", "-bsp0", "-pchorus-no-password", path]);
    if (typeof code === "number" && code !== 0) failed = `7-Zip stopped with code ${code}`;
  } catch {
    failed = "7-Zip could not read it";
  } finally {
    process.exitCode = exitCode;
    try {
      sz.FS.unlink(path);
    } catch {
      // already gone or never written
    }
  }
  const complaint = errors.map((e) => e.trim()).find((e) => /error|wrong password|cannot open/i.test(e));
  if (failed || complaint) {
    instance = undefined; // not trusted after an error
    // a damaged archive whose directory could still be read: what was listed is evidence, said to be partial
    const partial = parseListing(out);
    if (partial.ok && partial.entries.length > 0 && !sevenZipHeadersEncrypted(buf))
      return { ...partial, damaged: true };
    // this build lets the wrong-password error of encrypted 7z headers escape as a bare exception
    const why = sevenZipHeadersEncrypted(buf) ? "encrypted" : (complaint ?? failed!);
    if (/wrong password|encrypted/i.test(why))
      return { ok: false, problem: "its file names are encrypted (a password is needed to list them)" };
    if (/cannot open the file as archive/i.test(why)) return { ok: false, problem: "not a readable archive" };
    return { ok: false, problem: why.replace(/^ERROR:\s*/i, "").replace(path, "the file") };
  }
  return parseListing(out);
}

/** `7zz l -slt -ba` prints one block of `Key = value` lines per entry, blocks separated by blank lines. */
function parseListing(lines: string[]): SevenZipListing {
  const entries: ArchiveEntry[] = [];
  let truncated = false;
  let cur = new Map<string, string>();
  const flush = (): void => {
    const p = cur.get("Path");
    if (p !== undefined && cur.get("Folder") !== "+") {
      if (entries.length >= SEVENZIP_BOUNDS.maxEntries) truncated = true;
      else
        entries.push({
          path: p.replaceAll("\\", "/"),
          size: Number(cur.get("Size")) || 0,
          compressedSize: Number(cur.get("Packed Size")) || 0,
          encrypted: cur.get("Encrypted") === "+",
        });
    }
    cur = new Map();
  };
  for (const line of lines.join("\n").split("\n")) {
    if (line.trim() === "") {
      flush();
      continue;
    }
    const at = line.indexOf(" = ");
    if (at > 0) cur.set(line.slice(0, at), line.slice(at + 3));
  }
  flush();
  return { ok: true, entries, truncated };
}

/**
 * Whether a 7z archive's header is encrypted (`-mhe`): its next header is an encoded header (property 0x17) whose
 * coders include 7zAES (method id 06 F1 07 01). Read from the signature header's pointer, within bounds.
 */
export function sevenZipHeadersEncrypted(buf: Buffer): boolean {
  if (buf.length < 32 || buf.readUInt32BE(0) !== 0x377abcaf || buf.readUInt16BE(4) !== 0x271c) return false;
  const offset = Number(buf.readBigUInt64LE(12));
  const size = Number(buf.readBigUInt64LE(20));
  const at = 32 + offset;
  if (!Number.isSafeInteger(at) || size <= 0 || at >= buf.length) return false;
  const next = buf.subarray(at, Math.min(buf.length, at + Math.min(size, 4096)));
  return next[0] === 0x17 && next.indexOf(Buffer.from([0x06, 0xf1, 0x07, 0x01])) > 0;
}

/**
 * Profile photos compared by a 64-bit difference hash (dHash): the image is reduced to 9×8 grey pixels and each
 * bit says whether a pixel is brighter than its right neighbour. Resizing, recompression and small colour shifts
 * change few bits; a different photo changes about half of them. Hashes are 16 hex digits.
 */
import { createHash } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";

/** The dHash of an image (any format sharp reads), as 16 hex digits. */
export async function dHash(image: Buffer): Promise<string> {
  const { default: sharp } = await import("sharp");
  const px = await sharp(image).grayscale().resize(9, 8, { fit: "fill" }).raw().toBuffer();
  let hex = "";
  for (let row = 0; row < 8; row++) {
    let byte = 0;
    for (let col = 0; col < 8; col++) {
      byte = (byte << 1) | (px[row * 9 + col]! > px[row * 9 + col + 1]! ? 1 : 0);
    }
    hex += byte.toString(16).padStart(2, "0");
  }
  return hex;
}

const HEX16 = /^[0-9a-f]{16}$/;

/** A stored hash Chorus can compare (16 hex digits), lower-cased, or null. */
export function validHash(h: string | null | undefined): string | null {
  if (!h) return null;
  const x = h.trim().toLowerCase();
  return HEX16.test(x) ? x : null;
}

const POP = new Uint8Array(256).map((_, i) => {
  let c = 0;
  for (let v = i; v; v >>= 1) c += v & 1;
  return c;
});

/** Number of differing bits between two 16-hex-digit hashes. */
export function hamming(a: string, b: string): number {
  let d = 0;
  for (let i = 0; i < 16; i += 2)
    d += POP[parseInt(a.slice(i, i + 2), 16) ^ parseInt(b.slice(i, i + 2), 16)]!;
  return d;
}

export interface AvatarSource {
  /** Directory of cached images, one file per URL (named by the SHA-256 of the URL). */
  cacheDir?: string;
  /** Fetch images that are not cached (only when the user allowed network access). */
  fetch?: (url: string) => Promise<Buffer>;
}

/**
 * The hash of the image at `url`: from the cache when present, else fetched (when allowed) and cached. Local
 * paths and file: URLs are read directly. Returns null (never throws) when the image cannot be had.
 */
export async function avatarHashFor(url: string, src: AvatarSource): Promise<string | null> {
  try {
    if (url.startsWith("file:")) return await dHash(await readFile(new URL(url)));
    if (!/^https?:/i.test(url)) return await dHash(await readFile(url));
    const name = createHash("sha256").update(url).digest("hex");
    if (src.cacheDir) {
      try {
        return await dHash(await readFile(join(src.cacheDir, name)));
      } catch {
        // not cached
      }
    }
    if (!src.fetch) return null;
    const bytes = await src.fetch(url);
    if (src.cacheDir) {
      await mkdir(src.cacheDir, { recursive: true });
      await writeFile(join(src.cacheDir, name), bytes);
    }
    return await dHash(bytes);
  } catch {
    return null;
  }
}

/** fetch() with a size cap and a timeout, for avatar images. */
export async function fetchImage(
  url: string,
  maxBytes = 5 * 1024 * 1024,
  timeoutMs = 10_000,
): Promise<Buffer> {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: "follow" });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  const buf = Buffer.from(await res.arrayBuffer());
  if (buf.length > maxBytes) throw new Error("image too large");
  return buf;
}

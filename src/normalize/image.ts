/**
 * Images as comparable values. Chorus never fetches or decodes an image: it compares the identifiers that a source
 * or an earlier tool gives for them, exactly, so that two posts carrying the same image file (or, with a perceptual
 * hash computed elsewhere, the same picture) share one `image` object. What an identifier is depends on where it
 * came from:
 * - a content address that the platform itself computed from the file's bytes (a Bluesky blob's CID);
 * - a digest or a perceptual hash written as 8 or more hexadecimal digits ("sha256:9f86d0...",
 *   "phash:c3a1e0f0f8783c1e", or the digits alone), whose letters carry no meaning in their case: they are
 *   compared in lower case (an opaque id of another tool that happens to be all hexadecimal digits is too);
 * - anything else (an opaque id of another tool), compared as given, without the spaces around it.
 *
 * @example
 * imageId(" pHash:C3A1E0F0F8783C1E "); // "phash:c3a1e0f0f8783c1e"
 * imageId("bafkreibme22gw2h7y2h7tg2fhqotaqjucnbc24deqo72b6mkl2egezxhvy"); // unchanged
 * imageId("   "); // null
 */

/** Longest identifier taken: a digest is at most a few hundred characters; a longer value is not an identifier. */
export const MAX_IMAGE_ID_LENGTH = 512;

/** Hexadecimal digits, with an optional algorithm name before a colon ("sha256:", "phash:", "dhash:"). */
const HEX_ID_RE = /^(?:([A-Za-z][A-Za-z0-9_-]{0,31}):)?([0-9A-Fa-f]{8,})$/;

/** Control characters: no identifier holds one. */
const CONTROL_RE = /[\u0000-\u001f\u007f-\u009f]/;

/** An image's identifier as the value of its object, or null when it gives none (empty, too long, or with a control character). */
export function imageId(raw: string): string | null {
  const id = raw.trim();
  if (id.length === 0 || id.length > MAX_IMAGE_ID_LENGTH || CONTROL_RE.test(id)) return null;
  const hex = HEX_ID_RE.exec(id);
  if (hex === null) return id;
  return hex[1] === undefined ? hex[2]!.toLowerCase() : `${hex[1].toLowerCase()}:${hex[2]!.toLowerCase()}`;
}

/** BlurHash's base-83 digits, in their order (github.com/woltapp/blurhash, Algorithm.md). */
const BASE83 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz#$%*+,-.:;=?@[]^_{|}~";

/** An AC component quantised to zero in all three channels: 9 * 19 * 19 + 9 * 19 + 9 = 3429, written "fQ". */
const FLAT_AC = "fQ";

/**
 * A BlurHash as an image's value (`blurhash:` and the hash exactly as written: its digits have case), or null when
 * it is no BlurHash or it names no picture in particular.
 *
 * Mastodon computes a BlurHash of every image and video thumbnail it stores and federates it with the post, so one
 * picture uploaded by several accounts has the same hash on every instance: a compact perceptual summary (a few
 * cosine components of colour). A hash whose components are all zero is a plain colour (the black first frame of
 * a video, a white square): thousands of different pictures have it, so it identifies none.
 *
 * @example
 * blurhashImageId("LEHV6nWB2yk8pyo0adR*.7kCMdnj"); // "blurhash:LEHV6nWB2yk8pyo0adR*.7kCMdnj"
 * blurhashImageId("L00000fQfQfQfQfQfQfQfQfQfQfQ"); // null: plain black
 */
export function blurhashImageId(raw: unknown): string | null {
  if (typeof raw !== "string") return null;
  const hash = raw.trim();
  if (hash.length < 6 || hash.length > 4 + 2 * 81) return null;
  for (const ch of hash) if (!BASE83.includes(ch)) return null;
  const size = BASE83.indexOf(hash[0]!);
  const components = (Math.floor(size / 9) + 1) * ((size % 9) + 1);
  if (hash.length !== 4 + 2 * components) return null;
  let flat = true;
  for (let i = 6; i < hash.length; i += 2) if (hash.slice(i, i + 2) !== FLAT_AC) flat = false;
  return flat ? null : `blurhash:${hash}`;
}

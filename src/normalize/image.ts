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

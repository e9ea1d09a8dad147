/**
 * UTF-8 decoding for the CSV reader that keeps the bytes that are not UTF-8 recognisable, so that the record they
 * are in can be rejected. StringDecoder turns them into U+FFFD, which a valid file may contain too. Here each such
 * byte becomes a lone low surrogate U+DC80..U+DCFF instead (as Python's `surrogateescape` does): decoding valid
 * UTF-8 never yields a lone surrogate, so a record holds bad bytes exactly when its text is not well-formed.
 * Pieces that are valid UTF-8, nearly all of them, take the native decoder.
 */
import { isUtf8 } from "node:buffer";

/** A lone surrogate in U+DC80..U+DCFF (the `u` flag keeps a surrogate pair from matching). */
const INVALID_BYTE = /[\uDC80-\uDCFF]/u;
const INVALID_BYTES = /[\uDC80-\uDCFF]/gu;

/** Whether `text` holds bytes that `Utf8Pieces` found not to be UTF-8. */
export function hasInvalidBytes(text: string): boolean {
  return INVALID_BYTE.test(text);
}

/** `text` with each byte that was not UTF-8 shown as the Latin-1 character of that byte (for a reject's excerpt). */
export function showInvalidBytes(text: string): string {
  return text.replace(INVALID_BYTES, (c) => String.fromCharCode(c.charCodeAt(0) - 0xdc00));
}

/** Length of the valid UTF-8 sequence at `k` in `b[..end]`, 0 if the bytes there are not one. */
function sequenceAt(b: Uint8Array, k: number, end: number): number {
  const c = b[k]!;
  if (c < 0x80) return 1;
  const cont = (at: number, lo = 0x80, hi = 0xbf): boolean => at < end && b[at]! >= lo && b[at]! <= hi;
  if (c >= 0xc2 && c <= 0xdf) return cont(k + 1) ? 2 : 0;
  if (c >= 0xe0 && c <= 0xef) {
    const lo = c === 0xe0 ? 0xa0 : 0x80;
    const hi = c === 0xed ? 0x9f : 0xbf;
    return cont(k + 1, lo, hi) && cont(k + 2) ? 3 : 0;
  }
  if (c >= 0xf0 && c <= 0xf4) {
    const lo = c === 0xf0 ? 0x90 : 0x80;
    const hi = c === 0xf4 ? 0x8f : 0xbf;
    return cont(k + 1, lo, hi) && cont(k + 2) && cont(k + 3) ? 4 : 0;
  }
  return 0;
}

/** Decode `b[0..end]`, each byte that is not part of a valid sequence becoming U+DC80..U+DCFF. */
function decodeMarking(b: Buffer, end: number): string {
  let out = "";
  let run = 0;
  for (let k = 0; k < end;) {
    const len = sequenceAt(b, k, end);
    if (len > 0) {
      k += len;
      continue;
    }
    out += b.toString("utf8", run, k) + String.fromCharCode(0xdc00 + b[k]!);
    k++;
    run = k;
  }
  return out + b.toString("utf8", run, end);
}

/** Where a character cut by the end of `b` begins (`b.length` when none is). */
function cutAt(b: Buffer): number {
  for (let back = 1; back <= 3 && back <= b.length; back++) {
    const c = b[b.length - back]!;
    if (c >= 0x80 && c < 0xc0) continue; // a continuation byte: look further back for the lead
    const need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
    return need > back ? b.length - back : b.length;
  }
  return b.length;
}

/** Decodes a byte stream piece by piece; a character cut between pieces is completed by the next one. */
export class Utf8Pieces {
  private tail: Buffer | null = null;
  /** The last `write` or `end` met bytes that are not UTF-8. */
  invalid = false;

  write(piece: Buffer): string {
    const b = this.tail ? Buffer.concat([this.tail, piece]) : piece;
    const cut = cutAt(b);
    this.tail = cut < b.length ? Buffer.from(b.subarray(cut)) : null;
    this.invalid = !isUtf8(b.subarray(0, cut));
    return this.invalid ? decodeMarking(b, cut) : b.toString("utf8", 0, cut);
  }

  /** The bytes left over: an incomplete character at the end of the input is not UTF-8. */
  end(): string {
    const tail = this.tail;
    this.tail = null;
    this.invalid = tail !== null;
    return tail ? decodeMarking(tail, tail.length) : "";
  }
}

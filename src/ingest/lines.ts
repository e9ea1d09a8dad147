/**
 * Line splitting over a byte stream with bounded memory: a line longer than `maxBytes` is skipped while it streams
 * past (never buffered whole) and reported, and a line that is not valid UTF-8 is reported instead of being decoded
 * into replacement characters.
 */
import { isUtf8 } from "node:buffer";
import type { Readable } from "node:stream";

export type LineItem =
  { ok: true; row: number; line: string } | { ok: false; row: number; reason: string; raw: string };

const NL = 0x0a;
const CR = 0x0d;

export async function* readLines(stream: Readable, maxBytes: number): AsyncGenerator<LineItem> {
  let row = 0;
  let parts: Buffer[] = [];
  let partLen = 0;
  let overflow = 0; // bytes of the current line seen beyond the limit (0 = not overflowing)

  const finish = (tail: Buffer | null): LineItem | null => {
    row++;
    if (overflow > 0) {
      const total = partLen + overflow + (tail ? tail.length : 0);
      const head = Buffer.concat(parts).subarray(0, 200).toString("utf8");
      parts = [];
      partLen = 0;
      overflow = 0;
      return {
        ok: false,
        row,
        reason: `line is ${total} bytes, longer than the limit of ${maxBytes}`,
        raw: head,
      };
    }
    let buf: Buffer;
    if (parts.length === 0) buf = tail ?? Buffer.alloc(0);
    else {
      if (tail) parts.push(tail);
      buf = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
    }
    parts = [];
    partLen = 0;
    if (row === 1 && buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf)
      buf = buf.subarray(3);
    const body = buf.length > 0 && buf[buf.length - 1] === CR ? buf.subarray(0, buf.length - 1) : buf;
    if (!isUtf8(body)) {
      return {
        ok: false,
        row,
        reason: "line is not valid UTF-8",
        raw: body.subarray(0, 200).toString("latin1"),
      };
    }
    return { ok: true, row, line: body.toString("utf8") };
  };

  for await (const chunk of stream as AsyncIterable<Buffer>) {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(NL, start);
      if (nl === -1) {
        const rest = chunk.length - start;
        if (rest > 0) {
          if (overflow > 0 || partLen + rest > maxBytes) {
            if (overflow === 0) {
              // keep only what is already buffered (for the excerpt); count the rest
              overflow = rest;
            } else overflow += rest;
          } else {
            parts.push(chunk.subarray(start));
            partLen += rest;
          }
        }
        break;
      }
      const piece = chunk.subarray(start, nl);
      if (overflow === 0 && partLen + piece.length > maxBytes) overflow = piece.length;
      else if (overflow > 0) overflow += piece.length;
      const item = finish(overflow > 0 ? null : piece);
      if (item) yield item;
      start = nl + 1;
    }
  }
  if (partLen > 0 || overflow > 0) {
    const item = finish(null);
    if (item) yield item;
  }
}

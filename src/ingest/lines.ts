/**
 * Line splitting over a byte stream with bounded memory: a line longer than `maxBytes` is skipped while it streams
 * past (never buffered whole) and reported, and a line that is not valid UTF-8 is reported instead of being decoded
 * into replacement characters. Lines come in batches (one per input chunk): a yield per line costs more than the
 * work on a short line.
 */
import { clipText } from "../normalize/text.js";
import { isUtf8 } from "node:buffer";
import type { Readable } from "node:stream";

export type LineItem =
  { ok: true; row: number; line: string } | { ok: false; row: number; reason: string; raw: string };

const NL = 0x0a;
/** Bytes decoded into one string (two-byte strings of 128 KiB and more go to V8's slow large-object space). */
const PIECE_BYTES = 48 * 1024;
/** Lines per batch: enough to make the cost of a yield negligible, few enough to die young. */
const BATCH_LINES = 512;

function decodeLine(buf: Buffer, row: number): LineItem {
  let body = buf;
  if (row === 1 && body.length >= 3 && body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) {
    body = body.subarray(3);
  }
  if (body.length > 0 && body[body.length - 1] === 0x0d) body = body.subarray(0, body.length - 1);
  if (!isUtf8(body)) {
    return {
      ok: false,
      row,
      reason: "line is not valid UTF-8",
      raw: body.subarray(0, 200).toString("latin1"),
    };
  }
  return { ok: true, row, line: body.toString("utf8") };
}

/** Batches of lines; each line carries its 1-based number. */
export async function* readLineBatches(stream: Readable, maxBytes: number): AsyncGenerator<LineItem[]> {
  let row = 0;
  let carry: Buffer[] = []; // the start of a line that continues in the next chunk
  let carryLen = 0;
  let overflow = 0; // bytes of an over-long line seen so far (0 = not overflowing)
  let overflowHead = "";

  const overLong = (extra: number): LineItem => {
    row++;
    const total = overflow + extra;
    const item: LineItem = {
      ok: false,
      row,
      reason: `line is ${total} bytes, longer than the limit of ${maxBytes}`,
      raw: overflowHead,
    };
    overflow = 0;
    overflowHead = "";
    return item;
  };

  for await (const chunk of stream as AsyncIterable<Buffer>) {
    let batch: LineItem[] = [];
    let start = 0;
    const firstNl = chunk.indexOf(NL);
    // finish the line carried over from the previous chunk
    if (overflow > 0 || carryLen > 0) {
      if (firstNl === -1) {
        if (overflow > 0) overflow += chunk.length;
        else if (carryLen + chunk.length > maxBytes) {
          overflow = carryLen + chunk.length;
          overflowHead = Buffer.concat(carry).subarray(0, 200).toString("utf8");
          carry = [];
          carryLen = 0;
        } else {
          carry.push(chunk);
          carryLen += chunk.length;
        }
        continue;
      }
      if (overflow > 0) batch.push(overLong(firstNl));
      else if (carryLen + firstNl > maxBytes) {
        overflow = carryLen;
        overflowHead = Buffer.concat(carry).subarray(0, 200).toString("utf8");
        batch.push(overLong(firstNl));
      } else {
        carry.push(chunk.subarray(0, firstNl));
        row++;
        batch.push(decodeLine(Buffer.concat(carry), row));
      }
      carry = [];
      carryLen = 0;
      start = firstNl + 1;
    }
    const lastNl = chunk.lastIndexOf(NL);
    if (lastNl >= start) {
      const region = chunk.subarray(start, lastNl);
      if (isUtf8(region) && !(row === 0 && region[0] === 0xef)) {
        // fast path: decode the region in pieces of whole lines and cut them into lines, a small batch at a time.
        // Pieces stay below V8's large-object size: decoding 1 MiB of non-ASCII text into one string is several
        // times slower than decoding it 48 KiB at a time. Lines that wait in a large batch survive young-generation
        // collections, which then copy them.
        let s = start;
        while (s <= lastNl) {
          const e = s + PIECE_BYTES >= lastNl ? lastNl : chunk.indexOf(NL, s + PIECE_BYTES);
          const text = chunk.toString("utf8", s, e);
          let pos = 0;
          for (;;) {
            const nl = text.indexOf("\n", pos);
            const end = nl === -1 ? text.length : nl;
            row++;
            const line = text.slice(pos, end > pos && text.charCodeAt(end - 1) === 13 ? end - 1 : end);
            if (line.length > maxBytes && Buffer.byteLength(line) > maxBytes) {
              batch.push({
                ok: false,
                row,
                reason: `line is ${Buffer.byteLength(line)} bytes, longer than the limit of ${maxBytes}`,
                raw: clipText(line, 200),
              });
            } else batch.push({ ok: true, row, line });
            if (batch.length >= BATCH_LINES) {
              yield batch;
              batch = [];
            }
            if (nl === -1) break;
            pos = nl + 1;
          }
          s = e + 1;
        }
      } else {
        let s = start;
        while (s <= lastNl) {
          const nl = chunk.indexOf(NL, s);
          const piece = chunk.subarray(s, nl);
          row++;
          if (piece.length > maxBytes) {
            batch.push({
              ok: false,
              row,
              reason: `line is ${piece.length} bytes, longer than the limit of ${maxBytes}`,
              raw: piece.subarray(0, 200).toString("utf8"),
            });
          } else batch.push(decodeLine(piece, row));
          s = nl + 1;
        }
      }
      start = lastNl + 1;
    }
    if (start < chunk.length) {
      const rest = chunk.length - start;
      if (rest > maxBytes) {
        overflow = rest;
        overflowHead = chunk.subarray(start, start + 200).toString("utf8");
      } else {
        carry.push(chunk.subarray(start));
        carryLen = rest;
      }
    }
    if (batch.length > 0) yield batch;
  }
  if (overflow > 0) yield [overLong(0)];
  else if (carryLen > 0) {
    row++;
    yield [decodeLine(Buffer.concat(carry), row)];
  }
}

/** One line at a time (convenient for small inputs; batches are faster). */
export async function* readLines(stream: Readable, maxBytes: number): AsyncGenerator<LineItem> {
  for await (const batch of readLineBatches(stream, maxBytes)) yield* batch;
}

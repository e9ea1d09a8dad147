/**
 * Streaming reader for JSON inputs that can be far larger than memory (a 2 GB Telegram `result.json`, a dump of
 * API pages): the records of a document are the elements of arrays at known key paths (`messages`, `data`,
 * `includes.users`, or the top-level array itself), and each element is cut out of the byte stream and parsed
 * on its own. The same entry point reads JSON Lines, one record per line.
 *
 * Why a byte scanner and not stream-json: stream-json has neither a per-value size cap nor a per-value depth cap
 * (its filters throw for the whole stream past a depth), and its README says it is not meant for hostile input.
 * Finding element boundaries only needs to track strings, escapes and bracket depth, which is a tight loop over
 * bytes; each bounded element is then handed to `JSON.parse`, which also validates it. An element longer than
 * `maxRecordBytes` is counted while it streams past but never assembled, and one nested deeper than `maxDepth`
 * is rejected the same way, so neither can exhaust memory or the stack.
 *
 * Values outside the streamed arrays are skipped without being validated; structure around them (the keys and
 * brackets leading to the arrays) must be well formed, and a document that ends early is an error for the file.
 */
import { isUtf8 } from "node:buffer";
import type { Readable } from "node:stream";
import { readLines } from "./lines.js";
import { IngestError, REJECT_RAW_LIMIT, rawExcerpt, type SourceFile } from "./types.js";

/** Default nesting limit of a record: deeper values are rejected (real records nest under ~10 levels). */
export const DEFAULT_MAX_DEPTH = 64;

/** A problem with the JSON structure of the whole input (not with one record). */
export class JsonStreamError extends Error {
  override name = "JsonStreamError";
}

export interface JsonScanSpec {
  /** Key paths of arrays whose elements are streamed one at a time; `[]` is a top-level array. A non-array
   * object found at a non-empty path is streamed as a single element (e.g. `data` of a one-tweet lookup). */
  arrays: ReadonlyArray<readonly string[]>;
  /** Key paths of values delivered whole, e.g. Telegram's chat `id` before its `messages`. */
  values?: ReadonlyArray<readonly string[]>;
  /*
   * A `*` in a path stands for each element of an array, descended into as an object (Telegram's full account
   * export: `chats.list.*.messages`); an `enter` event marks each such element as it starts.
   */
}

export interface JsonLimits {
  /** Longest record accepted, in bytes; longer ones are rejected without being buffered. */
  maxRecordBytes: number;
  /** Deepest nesting accepted inside a record (default 64). */
  maxDepth?: number;
}

export type JsonScanEvent =
  /** `path` is the array's key path joined with "." ("" for the top level); `index` is 1-based within it. */
  /** `text`: the element as written, for a reject to show (a number past 2^53 reads back rounded from `value`). */
  | { type: "element"; path: string; index: number; value: unknown; text: string }
  | { type: "invalid"; path: string; index: number; reason: string; raw: string }
  | { type: "value"; path: string; value: unknown }
  /** A streamed array starts (so that an empty one is seen too). */
  | { type: "array"; path: string }
  /** A key of an object on the way to the streamed arrays (e.g. every top-level key), with its full path. */
  | { type: "key"; path: string }
  /** An element of an array a `*` path descends into starts (`path` ends in `*`); `index` is 1-based in it. */
  | { type: "enter"; path: string; index: number };

const enum Ch {
  TAB = 0x09,
  LF = 0x0a,
  CR = 0x0d,
  SPACE = 0x20,
  QUOTE = 0x22,
  COMMA = 0x2c,
  COLON = 0x3a,
  LBRACKET = 0x5b,
  BACKSLASH = 0x5c,
  RBRACKET = 0x5d,
  LBRACE = 0x7b,
  RBRACE = 0x7d,
}

const isWs = (c: number): boolean => c === Ch.SPACE || c === Ch.LF || c === Ch.CR || c === Ch.TAB;
/** Bytes that can continue a bare JSON scalar (true, false, null, numbers). */
const isScalarByte = (c: number): boolean =>
  (c >= 0x30 && c <= 0x39) ||
  (c >= 0x61 && c <= 0x7a) ||
  (c >= 0x41 && c <= 0x5a) ||
  c === 0x2b ||
  c === 0x2d ||
  c === 0x2e;

/** Frame states. Objects: key-or-end, key, in-key, colon, value, comma-or-end. Arrays use value states only. */
const enum St {
  KeyOrEnd,
  Key,
  InKey,
  Colon,
  ValueOrEnd,
  Value,
  CommaOrEnd,
}

interface Frame {
  isArray: boolean;
  /** An array whose elements are descended into (a `*` of the spec). */
  elements?: boolean;
  path: string[];
  state: St;
  key: string | null;
  /** Elements seen so far (arrays). */
  count: number;
}

/** What to do with the value that starts at a path. */
type Role = "element" | "single" | "value" | "descend" | "stream" | "elements" | "skip";

interface ValueScan {
  role: "element" | "single" | "value" | "skip";
  path: string;
  index: number;
  depth: number;
  inString: boolean;
  escape: boolean;
  scalar: boolean;
  bytes: number;
  parts: Buffer[] | null;
  tooDeep: boolean;
  oversize: boolean;
  /** First bytes of an oversized or too-deep value, for the reject excerpt. */
  head: Buffer | null;
}

const KEY_LIMIT = 4096;

function showByte(c: number): string {
  return c >= 0x20 && c < 0x7f ? `'${String.fromCharCode(c)}'` : `byte 0x${c.toString(16).padStart(2, "0")}`;
}

/**
 * Incremental scanner: `feed` chunks, then `end`; events accumulate in `events` and are drained by the caller.
 * Throws `JsonStreamError` when the structure around the records is broken.
 */
export class JsonScanner {
  readonly events: JsonScanEvent[] = [];
  private readonly arrays: Set<string>;
  private readonly values: Set<string>;
  private readonly prefixes: Set<string>;
  /** Paths of arrays whose elements are descended into (followed by `*` in a spec path). */
  private readonly starArrays: Set<string>;
  private readonly maxBytes: number;
  private readonly maxDepth: number;
  private frames: Frame[] = [];
  private started = false;
  private done = false;
  private offset = 0;
  private bom = 0;
  private keyParts: Buffer[] = [];
  private keyLen = 0;
  private keyEscape = false;
  private scan: ValueScan | null = null;

  constructor(spec: JsonScanSpec, limits: JsonLimits) {
    this.arrays = new Set(spec.arrays.map((p) => p.join("\u0000")));
    this.values = new Set((spec.values ?? []).map((p) => p.join("\u0000")));
    this.prefixes = new Set();
    this.starArrays = new Set();
    for (const p of [...spec.arrays, ...(spec.values ?? [])]) {
      for (let i = 0; i < p.length; i++) {
        this.prefixes.add(p.slice(0, i).join("\u0000"));
        if (p[i] === "*") this.starArrays.add(p.slice(0, i).join("\u0000"));
      }
    }
    this.maxBytes = limits.maxRecordBytes;
    this.maxDepth = limits.maxDepth ?? DEFAULT_MAX_DEPTH;
  }

  /** Bytes held for the record being assembled: never more than `maxRecordBytes`. */
  get bufferedBytes(): number {
    let n = this.scan?.head?.length ?? 0;
    for (const p of this.scan?.parts ?? []) n += p.length;
    return n;
  }

  private fail(message: string, at: number): never {
    throw new JsonStreamError(`${message} at byte ${this.offset + at}`);
  }

  feed(chunk: Buffer): void {
    let i = 0;
    const n = chunk.length;
    // A UTF-8 byte order mark may precede the document.
    while (this.bom < 3 && !this.started && i < n) {
      const want = [0xef, 0xbb, 0xbf][this.bom];
      if (chunk[i] === want) {
        this.bom++;
        i++;
      } else {
        if (this.bom > 0) this.fail("invalid byte order mark", i);
        this.bom = 3;
      }
    }
    while (i < n) {
      if (this.scan) {
        i = this.scanValue(chunk, i);
        continue;
      }
      const c = chunk[i]!;
      if (this.done) {
        if (!isWs(c)) this.fail(`unexpected ${showByte(c)} after the end of the JSON document`, i);
        i++;
        continue;
      }
      const top = this.frames[this.frames.length - 1];
      if (!top) {
        if (isWs(c)) {
          i++;
          continue;
        }
        this.started = true;
        i = this.startValue([], null, c, chunk, i);
        continue;
      }
      switch (top.state) {
        case St.InKey: {
          let j = i;
          for (; j < n; j++) {
            const b = chunk[j]!;
            if (this.keyEscape) this.keyEscape = false;
            else if (b === Ch.BACKSLASH) this.keyEscape = true;
            else if (b === Ch.QUOTE) break;
          }
          if (this.keyLen + (j - i) <= KEY_LIMIT) this.keyParts.push(chunk.subarray(i, j));
          this.keyLen += j - i;
          if (j < n) {
            top.key = this.keyLen <= KEY_LIMIT ? this.decodeKey(j) : null;
            if (top.key !== null) this.events.push({ type: "key", path: [...top.path, top.key].join(".") });
            this.keyParts = [];
            this.keyLen = 0;
            top.state = St.Colon;
            j++;
          }
          i = j;
          break;
        }
        case St.KeyOrEnd:
        case St.Key:
          if (isWs(c)) i++;
          else if (c === Ch.QUOTE) {
            top.state = St.InKey;
            i++;
          } else if (c === Ch.RBRACE && top.state === St.KeyOrEnd) i = this.close(i + 1);
          else this.fail(`expected a key, found ${showByte(c)}`, i);
          break;
        case St.Colon:
          if (isWs(c)) i++;
          else if (c === Ch.COLON) {
            top.state = St.Value;
            i++;
          } else this.fail(`expected ':', found ${showByte(c)}`, i);
          break;
        case St.ValueOrEnd:
        case St.Value:
          if (isWs(c)) i++;
          else if (top.isArray && c === Ch.RBRACKET && top.state === St.ValueOrEnd) i = this.close(i + 1);
          else {
            top.state = St.CommaOrEnd;
            i = this.startValue(
              top.isArray
                ? top.elements
                  ? [...top.path, "*"]
                  : top.path
                : [...top.path, top.key ?? "\u0001"],
              top,
              c,
              chunk,
              i,
            );
          }
          break;
        case St.CommaOrEnd:
          if (isWs(c)) i++;
          else if (c === Ch.COMMA) {
            top.state = top.isArray ? St.Value : St.Key;
            i++;
          } else if (c === (top.isArray ? Ch.RBRACKET : Ch.RBRACE)) i = this.close(i + 1);
          else this.fail(`expected ',' or '${top.isArray ? "]" : "}"}', found ${showByte(c)}`, i);
          break;
      }
    }
    this.offset += n;
  }

  end(): void {
    if (!this.started) throw new JsonStreamError("the input is empty");
    if (!this.done) {
      throw new JsonStreamError(
        `unexpected end of input after ${this.offset} bytes: the JSON document is truncated or unbalanced`,
      );
    }
  }

  private decodeKey(at: number): string {
    const raw = Buffer.concat(this.keyParts).toString("utf8");
    try {
      return JSON.parse(`"${raw}"`) as string;
    } catch {
      this.fail("invalid object key", at);
    }
  }

  private close(next: number): number {
    this.frames.pop();
    if (this.frames.length === 0) this.done = true;
    return next;
  }

  private roleOf(path: string[], parent: Frame | null, c: number): Role {
    if (parent?.elements) return c === Ch.LBRACE ? "descend" : "skip";
    if (parent?.isArray) return "element";
    const key = path.join("\u0000");
    if (c === Ch.LBRACKET && this.starArrays.has(key)) return "elements";
    if (this.arrays.has(key)) {
      if (c === Ch.LBRACKET) return "stream";
      if (c === Ch.LBRACE && path.length > 0) return "single";
    }
    if (this.values.has(key)) return "value";
    if (c === Ch.LBRACE && this.prefixes.has(key)) return "descend";
    return "skip";
  }

  private startValue(path: string[], parent: Frame | null, c: number, chunk: Buffer, i: number): number {
    const role = this.roleOf(path, parent, c);
    if (parent === null && (role === "skip" || role === "value")) {
      if (c === Ch.LBRACKET) this.fail("expected a JSON object at the top level, found an array", i);
      if (c === Ch.LBRACE) this.fail("expected a JSON array at the top level, found an object", i);
      this.fail(`not a JSON document: it starts with ${showByte(c)}`, i);
    }
    if (role === "stream" || role === "descend" || role === "elements") {
      if (role === "stream") this.events.push({ type: "array", path: path.join(".") });
      if (role === "descend" && parent?.elements) {
        this.events.push({ type: "enter", path: path.join("."), index: ++parent.count });
      }
      const isArray = role !== "descend";
      this.frames.push({
        isArray,
        ...(role === "elements" ? { elements: true } : {}),
        path,
        state: isArray ? St.ValueOrEnd : St.KeyOrEnd,
        key: null,
        count: 0,
      });
      return i + 1;
    }
    let index = 0;
    if (role === "element") index = ++parent!.count;
    else if (role === "single") index = 1;
    const buffered = role !== "skip";
    this.scan = {
      role,
      path: path.join("."),
      index,
      depth: 0,
      inString: false,
      escape: false,
      scalar: false,
      bytes: 0,
      parts: buffered ? [] : null,
      tooDeep: false,
      oversize: false,
      head: null,
    };
    if (c === Ch.LBRACE || c === Ch.LBRACKET || c === Ch.QUOTE) return this.scanValue(chunk, i);
    if (c === Ch.RBRACE || c === Ch.RBRACKET || c === Ch.COMMA || c === Ch.COLON) {
      this.fail(`expected a value, found ${showByte(c)}`, i);
    }
    this.scan.scalar = true;
    return this.scanValue(chunk, i);
  }

  /** Advance through the current value; returns the index of the first byte after it (or the chunk length). */
  private scanValue(chunk: Buffer, start: number): number {
    const s = this.scan!;
    const n = chunk.length;
    let i = start;
    let ended = false;
    if (s.scalar) {
      while (i < n && isScalarByte(chunk[i]!)) i++;
      ended = i < n;
    } else {
      let depth = s.depth;
      let inString = s.inString;
      let escape = s.escape;
      const maxDepth = this.maxDepth;
      // Strings are most of the bytes: jump between quotes with indexOf, and look for backslashes only when
      // the last known one has been passed.
      let nextBackslash = -2;
      while (i < n) {
        if (inString) {
          if (escape) {
            escape = false;
            i++;
            continue;
          }
          const q = chunk.indexOf(Ch.QUOTE, i);
          const end = q === -1 ? n : q;
          if (nextBackslash !== -1 && nextBackslash < i) nextBackslash = chunk.indexOf(Ch.BACKSLASH, i);
          if (nextBackslash !== -1 && nextBackslash < end) {
            escape = true;
            i = nextBackslash + 1;
            continue;
          }
          i = end;
          if (q === -1) break;
          inString = false;
          i++;
          if (depth === 0) {
            ended = true;
            break;
          }
          continue;
        }
        const c = chunk[i]!;
        i++;
        if (c === Ch.QUOTE) inString = true;
        else if (c === Ch.LBRACE || c === Ch.LBRACKET) {
          if (++depth > maxDepth) s.tooDeep = true;
        } else if (c === Ch.RBRACE || c === Ch.RBRACKET) {
          if (--depth === 0) {
            ended = true;
            break;
          }
        }
      }
      s.depth = depth;
      s.inString = inString;
      s.escape = escape;
    }
    this.take(s, chunk, start, i);
    if (ended) this.finishValue(s);
    return i;
  }

  private take(s: ValueScan, chunk: Buffer, start: number, end: number): void {
    s.bytes += end - start;
    if (!s.parts) return;
    if (s.tooDeep || s.bytes > this.maxBytes) {
      if (!s.head) {
        s.parts.push(chunk.subarray(start, Math.min(end, start + REJECT_RAW_LIMIT)));
        s.head = Buffer.concat(s.parts).subarray(0, REJECT_RAW_LIMIT);
      }
      s.parts = [];
      s.oversize = s.bytes > this.maxBytes;
      return;
    }
    // Chunks handed out by a stream are not reused, so a view is enough.
    if (end > start) s.parts.push(chunk.subarray(start, end));
  }

  private finishValue(s: ValueScan): void {
    this.scan = null;
    if (s.role === "skip") return;
    const invalid = (reason: string, raw: string): void => {
      if (s.role === "value") throw new JsonStreamError(`the value at '${s.path}' is unreadable: ${reason}`);
      this.events.push({ type: "invalid", path: s.path, index: s.index, reason, raw: rawExcerpt(raw) });
    };
    if (s.oversize || s.tooDeep) {
      const head = (s.head ?? Buffer.alloc(0)).toString("utf8");
      const reason = s.tooDeep
        ? `record is nested deeper than ${this.maxDepth} levels`
        : `record is ${s.bytes} bytes, longer than the limit of ${this.maxBytes}`;
      invalid(reason, head);
      return;
    }
    const buf = s.parts!.length === 1 ? s.parts![0]! : Buffer.concat(s.parts!);
    if (!isUtf8(buf)) {
      invalid("record is not valid UTF-8", buf.subarray(0, REJECT_RAW_LIMIT).toString("latin1"));
      return;
    }
    const text = buf.toString("utf8");
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      invalid(`invalid JSON (${(err as Error).message})`, text);
      return;
    }
    if (s.role === "value") this.events.push({ type: "value", path: s.path, value });
    else this.events.push({ type: "element", path: s.path, index: s.index, value, text });
  }
}

/** Stream the JSON scan events of a byte stream. */
export async function* scanJson(
  stream: Readable,
  spec: JsonScanSpec,
  limits: JsonLimits,
): AsyncGenerator<JsonScanEvent> {
  const scanner = new JsonScanner(spec, limits);
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      scanner.feed(chunk);
      if (scanner.events.length > 0) {
        const batch = scanner.events.splice(0);
        yield* batch;
      }
    }
    scanner.end();
  } finally {
    stream.destroy();
  }
}

/** Depth of the deepest nesting in a JSON text, stopping early past `limit`. */
export function jsonDepth(text: string, limit: number): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === Ch.BACKSLASH) i++;
      else if (c === Ch.QUOTE) inString = false;
    } else if (c === Ch.QUOTE) inString = true;
    else if (c === Ch.LBRACE || c === Ch.LBRACKET) {
      if (++depth > max) {
        max = depth;
        if (max > limit) return max;
      }
    } else if (c === Ch.RBRACE || c === Ch.RBRACKET) depth--;
  }
  return max;
}

/** Parse one JSON record (a JSONL line) with the same depth cap as the document scanner. */
export function parseJsonRecord(
  text: string,
  maxDepth = DEFAULT_MAX_DEPTH,
): { ok: true; value: unknown } | { ok: false; reason: string } {
  if (jsonDepth(text, maxDepth) > maxDepth)
    return { ok: false, reason: `record is nested deeper than ${maxDepth} levels` };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    return { ok: false, reason: `invalid JSON (${(err as Error).message})` };
  }
}

/** JSON Lines, a document whose top level is an array or an object, or an empty (or blank) file. */
export type JsonLayout = "jsonl" | "array" | "object" | "empty";

/**
 * JSON Lines or one JSON document? A file starting with `[` is an array document. One starting with `{` is JSON
 * Lines when its first value ends on the first line (a one-line document with a single page reads the same
 * either way), and an object document when the value goes on past a newline (pretty-printed). Anything else is
 * not JSON: `IngestError`.
 *
 * The first value is followed byte by byte only for `maxRecordBytes`; past that, the first newline is searched
 * with `indexOf` (raw newlines cannot occur inside JSON strings), and the file is JSON Lines when that line ends
 * with `}` and the next one starts with `{` (an oversized first line), else a document (say a minified dump).
 */
export async function detectJsonLayout(src: SourceFile, maxRecordBytes: number): Promise<JsonLayout> {
  const stream = src.open();
  let seen = 0;
  let started = false;
  let depth = 0;
  let inString = false;
  let escape = false;
  let phase: "value" | "seekNewline" | "afterNewline" = "value";
  let lastNonWs = -1;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const n = chunk.length;
      let i = 0;
      if (seen === 0 && n >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) i = 3;
      while (i < n) {
        if (phase === "seekNewline") {
          const nl = chunk.indexOf(Ch.LF, i);
          const end = nl === -1 ? n : nl;
          for (let j = end - 1; j >= i; j--) {
            if (!isWs(chunk[j]!)) {
              lastNonWs = chunk[j]!;
              break;
            }
          }
          if (nl === -1) break;
          phase = "afterNewline";
          i = nl + 1;
          continue;
        }
        const c = chunk[i]!;
        if (phase === "afterNewline") {
          if (!isWs(c)) return lastNonWs === Ch.RBRACE && c === Ch.LBRACE ? "jsonl" : "object";
          i++;
          continue;
        }
        i++;
        if (!started) {
          if (isWs(c)) continue;
          if (c === Ch.LBRACKET) return "array";
          if (c !== Ch.LBRACE) {
            throw new IngestError(`${src.path}: not JSON or JSON Lines: the file starts with ${showByte(c)}`);
          }
          started = true;
          depth = 1;
          continue;
        }
        if (inString) {
          if (escape) escape = false;
          else if (c === Ch.BACKSLASH) escape = true;
          else if (c === Ch.QUOTE) inString = false;
        } else if (c === Ch.QUOTE) inString = true;
        else if (c === Ch.LF) return "object";
        else if (c === Ch.LBRACE || c === Ch.LBRACKET) depth++;
        else if ((c === Ch.RBRACE || c === Ch.RBRACKET) && --depth === 0) return "jsonl";
        if (seen + i >= maxRecordBytes) phase = "seekNewline";
      }
      seen += n;
    }
  } finally {
    stream.destroy();
  }
  return started ? "object" : "empty";
}

/** Records per batch from JSON Lines (documents are batched per chunk read). */
const JSONL_BATCH = 256;

export type JsonRecord =
  /**
   * `row`: the line for JSON Lines; for documents the 1-based position among all streamed elements. `text`: the
   * record as written (the line, or the element), which a reject shows: re-serialised, `value` would show an id past
   * 2^53 rounded, not as the file has it.
   */
  | { type: "record"; row: number; layout: JsonLayout; path: string; value: unknown; text: string }
  | { type: "reject"; row: number; reason: string; raw: string }
  | { type: "value"; path: string; value: unknown }
  | { type: "array"; path: string }
  | { type: "key"; path: string }
  | { type: "enter"; path: string; index: number };

export interface ReadJsonOptions extends JsonLimits {
  /** The layout when the caller already detected it. */
  layout?: JsonLayout;
  /** Read a one-line object file as a document rather than as JSON Lines (formats that have no JSONL form). */
  documentOnly?: boolean;
}

/**
 * The records of a JSON input in batches (a whole batch is handled per await, which matters at millions of
 * records), whichever its layout: JSON Lines (each non-blank line a record, `path` ""), or a
 * document whose records are the elements of the arrays in `spec`. Unreadable records come out as rejects; a
 * file that cannot be read as JSON at all throws `IngestError` naming the file.
 *
 * @example
 * // Telegram's result.json: the chat id first, then every message, one at a time
 * const spec = { arrays: [["messages"]], values: [["id"]] };
 * for await (const batch of readJsonRecords(src, spec, { maxRecordBytes: 1 << 24, documentOnly: true })) {
 *   for (const rec of batch) if (rec.type === "record") handle(rec.row, rec.value);
 * }
 */
export async function* readJsonRecords(
  src: SourceFile,
  spec: JsonScanSpec,
  opts: ReadJsonOptions,
): AsyncGenerator<JsonRecord[]> {
  const limits = { maxRecordBytes: opts.maxRecordBytes, maxDepth: opts.maxDepth ?? DEFAULT_MAX_DEPTH };
  let layout = opts.layout ?? (await detectJsonLayout(src, limits.maxRecordBytes));
  if (layout === "empty") return;
  if (layout === "jsonl" && opts.documentOnly) layout = "object";
  if (layout === "jsonl") {
    let batch: JsonRecord[] = [];
    for await (const item of readLines(src.open(), limits.maxRecordBytes)) {
      if (!item.ok) {
        batch.push({ type: "reject", row: item.row, reason: item.reason, raw: rawExcerpt(item.raw) });
      } else {
        const line = item.line.trim();
        if (line === "") continue;
        const parsed = parseJsonRecord(line, limits.maxDepth);
        if (parsed.ok) {
          batch.push({ type: "record", row: item.row, layout, path: "", value: parsed.value, text: line });
        } else batch.push({ type: "reject", row: item.row, reason: parsed.reason, raw: rawExcerpt(line) });
      }
      if (batch.length >= JSONL_BATCH) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
    return;
  }
  let ordinal = 0;
  const scanner = new JsonScanner(spec, limits);
  const stream = src.open();
  const drain = (): JsonRecord[] => {
    const batch: JsonRecord[] = [];
    for (const ev of scanner.events) {
      if (ev.type === "element")
        batch.push({ type: "record", row: ++ordinal, layout, path: ev.path, value: ev.value, text: ev.text });
      else if (ev.type === "invalid")
        batch.push({ type: "reject", row: ++ordinal, reason: ev.reason, raw: ev.raw });
      else batch.push(ev);
    }
    scanner.events.length = 0;
    return batch;
  };
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      scanner.feed(chunk);
      if (scanner.events.length > 0) yield drain();
    }
    scanner.end();
  } catch (err) {
    if (err instanceof JsonStreamError) throw new IngestError(`${src.path}: ${err.message}`);
    throw err;
  } finally {
    stream.destroy();
  }
}

/** A plain JSON object (not an array or null), or null. */
export function asObject(v: unknown): Record<string, unknown> | null {
  return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

/** An array, or an empty one for anything else. */
export function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** A non-empty string, or a finite number as its decimal string, else null. */
export function asText(v: unknown): string | null {
  if (typeof v === "string") return v === "" ? null : v;
  if (typeof v === "number" && Number.isFinite(v)) return String(v);
  return null;
}

/**
 * Why the id `v` of `field` cannot be taken, or null when it can: a JSON number that is not a safe integer.
 * JSON.parse has already rounded a longer one to the nearest double (1745415259534917633 reads as
 * 1745415259534917600), and the rounded id would name another post or account: two posts would merge as one, a
 * repost would point at the wrong post, and a snowflake's time would be read from the wrong digits.
 */
export function unsafeIdReason(v: unknown, field: string): string | null {
  if (typeof v !== "number" || !Number.isFinite(v) || Number.isSafeInteger(v)) return null;
  return Number.isInteger(v)
    ? `${field} ${String(v)} is a number too large to hold exactly (its digits were lost): write ids as JSON strings`
    : `${field} ${String(v)} is a number with a fraction, not an id: write ids as JSON strings`;
}

/**
 * An id as `asText` reads it, but a number that is not a safe integer is refused with a `RecordError` naming
 * `field` (`unsafeIdReason`).
 *
 * @example
 * asId(42, "id"); // "42"
 * asId(1745415259534917633, "id"); // throws: id 1745415259534917600 is a number too large to hold exactly …
 */
export function asId(v: unknown, field: string): string | null {
  const unsafe = unsafeIdReason(v, field);
  if (unsafe !== null) throw new RecordError(unsafe);
  return asText(v);
}

/**
 * A non-negative count, or null: a fraction is not a count, and a number beyond 2^53 was rounded when the JSON was
 * parsed (the field is left empty, as the native format leaves a count it cannot read).
 */
export function asCount(v: unknown): number | null {
  return Number.isSafeInteger(v) && (v as number) >= 0 ? (v as number) : null;
}

/** A record that cannot be mapped; the message is the reject reason. Adapters catch it per record. */
export class RecordError extends Error {
  override name = "RecordError";
}

/** How a bad value is shown in a reject reason: quoted, and short. */
export function shown(v: unknown): string {
  const s = typeof v === "string" ? v : (JSON.stringify(v) ?? String(v));
  return `'${s.length > 64 ? s.slice(0, 64) + "…" : s}'`;
}

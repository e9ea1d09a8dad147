/**
 * The ingest adapter contract. An adapter maps one input format onto `PostInput` / `AccountInput` records,
 * streaming, with the 1-based row or line of each record so that every stored row keeps its provenance.
 * Adapters never write to the store and never throw for bad rows: they yield a `reject` item and go on.
 * They throw `IngestError` only when the file as a whole cannot be read as their format.
 */
import type { TimeZone } from "../normalize/time.js";
import type { Readable } from "node:stream";
import type {
  AccountInput,
  IndicatorKind,
  Message,
  MessageAttachment,
  ObjectKind,
  PostInput,
} from "../model/index.js";

export type IngestItem =
  | { type: "post"; row: number; post: PostInput }
  | { type: "account"; row: number; account: AccountInput }
  | { type: "reject"; row: number; reason: string; raw: string };

/** What sniffing sees of a file: its name and its first bytes, decompressed and decoded as UTF-8. */
export interface SniffSample {
  name: string;
  /** Up to 64 KiB of decompressed text, or up to 16 MiB to the end of a longer first line. */
  head: string;
  /** Complete lines of `head` (the last, possibly cut, line is dropped unless the file ended). */
  lines: string[];
  /** The first line does not end within the longest sample (`SNIFF_LINE_BYTES`), so `lines` is empty. */
  longFirstLine?: boolean;
  /** `head` holds carriage returns and no line feed: lines ended as classic Mac OS ended them, which no reader splits. */
  crLines?: boolean;
  /** The gzip data broke off within the sample (zlib's words): the bytes before it are `head`. */
  gzipDamage?: string;
}

export interface SourceFile {
  path: string;
  /** A fresh stream of the decompressed bytes (gzip is undone transparently). */
  open(): Readable;
}

export interface AdapterOptions {
  /** `--map field=column` for the generic csv adapter. */
  map: Record<string, string>;
  /** Platform name to record when the source does not say. */
  platform?: string;
  /** Object kind for CooRTweet's generic `object_id` column. */
  objectKind?: ObjectKind;
  /** Longest record (line or JSON value) accepted, in bytes; longer ones are rejected, not buffered. */
  maxRecordBytes: number;
  /** Field delimiter for csv; sniffed when absent. */
  delimiter?: string;
  /** The zone of times written without one (`--time-zone`); without it such times are refused. */
  timeZone?: TimeZone;
}

export interface IngestAdapter {
  id: string;
  summary: string;
  /** Typical file names, for `chorus formats`. */
  files: string;
  /** How likely the sample is this format, 0 (no) to 1 (certain). */
  sniff(sample: SniffSample): number;
  /** Records in file order, one at a time or in batches (batches are much cheaper for bulk formats). */
  read(src: SourceFile, opts: AdapterOptions): AsyncIterable<IngestItem | IngestItem[]>;
  /**
   * Message formats (email) are read whole, not as rows: the file's bytes become messages in file order, each
   * with its 1-based position as its row. An adapter with this method is ingested by `ingestMessages`.
   */
  readMessages?(bytes: Buffer, name: string): Promise<MessageItem[]>;
}

/** An indicator a message carries, and its role there (link, from, reply-to, first-hop, attachment, ...). */
export interface MessageIndicator {
  kind: IndicatorKind;
  value: string;
  role: string;
}

/** One message as a message adapter hands it over: the row, its attachments and indicators, and the triage. */
export interface MessageRecord {
  message: Message;
  attachments: MessageAttachment[];
  indicators: MessageIndicator[];
  /** The chorus.email/v1 triage result, stored as JSON. */
  triage: unknown;
}

export type MessageItem =
  | { type: "message"; row: number; record: MessageRecord }
  | { type: "reject"; row: number; reason: string; raw: string };

/** A file that cannot be read at all. The message names the file and the reason. */
export class IngestError extends Error {
  override name = "IngestError";
}

/** Longest raw excerpt kept with a reject. */
export const REJECT_RAW_LIMIT = 2048;

export function rawExcerpt(raw: string): string {
  return raw.length > REJECT_RAW_LIMIT ? raw.slice(0, REJECT_RAW_LIMIT) + `… [${raw.length} chars]` : raw;
}

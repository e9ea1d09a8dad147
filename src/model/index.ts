/**
 * The Chorus data model: types only. Every other layer depends on this module; it imports nothing.
 */

/** Kinds of things a post can share; the layers of the co-share graph. */
export type ObjectKind =
  "url" | "domain" | "hashtag" | "mention" | "repost" | "reply" | "quote" | "text" | "image";

export const OBJECT_KINDS: readonly ObjectKind[] = [
  "url",
  "domain",
  "hashtag",
  "mention",
  "repost",
  "reply",
  "quote",
  "text",
  "image",
];

export type PostKind = "post" | "repost" | "reply" | "quote";

/** Closed vocabulary for how strongly a finding supports its claim. */
export type Strength = "weak" | "moderate" | "strong";

/** Where a stored row came from: the input file (by id in `inputs`) and its 1-based row or line. */
export interface Provenance {
  inputId: number;
  sourceRow: number;
}

/**
 * One post as an ingest adapter hands it over, before normalisation. Field names follow the native
 * `chorus-jsonl` format; every adapter maps its source onto this shape.
 */
export interface PostInput {
  platform: string;
  postId: string;
  accountId: string;
  /** Epoch milliseconds, UTC. */
  tsMs: number;
  kind?: PostKind;
  handle?: string | null;
  displayName?: string | null;
  text?: string | null;
  lang?: string | null;
  urls?: string[];
  hashtags?: string[];
  mentions?: string[];
  repostOf?: string | null;
  replyTo?: string | null;
  quoteOf?: string | null;
  refAccountId?: string | null;
  client?: string | null;
  accountCreatedAtMs?: number | null;
  bio?: string | null;
  followers?: number | null;
  following?: number | null;
  avatarUrl?: string | null;
  location?: string | null;
  /** Objects the source already names as opaque ids (e.g. CooRTweet tables); stored as given. */
  objects?: Array<{ kind: ObjectKind; value: string }>;
}

/** An account profile seen without a post of its own (e.g. `includes.users`, reposted authors). */
export interface AccountInput {
  platform: string;
  accountId: string;
  handle?: string | null;
  displayName?: string | null;
  bio?: string | null;
  createdAtMs?: number | null;
  followers?: number | null;
  following?: number | null;
  avatarUrl?: string | null;
  location?: string | null;
}

export interface Account {
  platform: string;
  accountId: string;
  handle: string | null;
  displayName: string | null;
  bio: string | null;
  createdAt: string | null;
  followers: number | null;
  following: number | null;
  avatarUrl: string | null;
  avatarHash: string | null;
  location: string | null;
}

export interface Post {
  platform: string;
  postId: string;
  accountId: string;
  /** ISO 8601 UTC with milliseconds. */
  ts: string;
  text: string | null;
  lang: string | null;
  kind: PostKind;
  refPostId: string | null;
  refAccountId: string | null;
  client: string | null;
}

export interface SharedObject {
  platform: string;
  postId: string;
  kind: ObjectKind;
  /** Canonical value: what co-share compares. */
  value: string;
  /** The value as it appeared in the source, when it differs from the canonical form. */
  raw: string | null;
}

/** A row that could not be stored, and why. Nothing is dropped silently. */
export interface Reject {
  sourceRow: number;
  reason: string;
  raw: string;
}

export interface InputSummary {
  id: number;
  path: string;
  sha256: string;
  format: string;
  bytes: number;
  rowsRead: number;
  rowsRejected: number;
  postsStored: number;
  postsDuplicate: number;
  /**
   * Of the duplicates, those whose account is not the stored post's: ids of two sources meeting (two platforms'
   * posts under one platform name), not a post read twice. Absent when none were.
   */
  duplicatesOtherAccount?: number;
  accountsStored: number;
  objectsStored: number;
  /** True when the same bytes were ingested before and nothing was done. */
  skipped: boolean;
  /**
   * When skipped: the options the file was read with before (`--format`, `--map`, `--platform`, `--object-kind`,
   * as the command line writes them), when they differ from this call's, which were therefore not applied.
   */
  earlierOptions?: string;
  /** Email inputs: messages stored (a message already in the case, same sha256, is not stored again). */
  messagesStored?: number;
  /**
   * Optional profile fields left out for a bad value (a count written "1,234", a creation date that is not one), the
   * post kept; with the first few reasons and their lines. Absent when none were.
   */
  fieldsDropped?: number;
  fieldReasons?: string[];
}

export type DetectorStatus = "ok" | "skipped" | "error";

export interface Finding {
  detector: string;
  subject: string;
  strength: Strength;
  score: number;
  explanation: string;
  evidence: Record<string, unknown>;
}

export interface Edge {
  layer: ObjectKind | string;
  a: string;
  b: string;
  weight: number;
  nObjects: number;
  lift: number | null;
  pValue: number | null;
  evidence: Record<string, unknown>;
}

/**
 * Ties as columns, for a detector that finds millions of them: one element per tie, the same ties as its `edges`
 * would hold, without one object per tie. The campaign step reads these columns (graph, layers, flags) and asks
 * for `edge(i)` only for the few ties a campaign reports.
 */
export interface TieTable {
  /** Layer names; `layer[i]` indexes this list. */
  layers: readonly string[];
  /** Account key of each account number that `a` and `b` hold, one number per account (undefined for numbers no
   * tie uses). */
  keys: readonly (string | undefined)[];
  layer: Uint8Array;
  a: Int32Array;
  b: Int32Array;
  /** Whole numbers for most detectors (objects or episodes shared), so they may come as integers. */
  weight: Float64Array | Int32Array;
  /** NaN where the tie has no p-value. */
  pValue: Float64Array;
  /** 0 significant, 1 candidate, 2 chance (as the edge's evidence `significant` and `tier` say). */
  tier: Uint8Array;
  /** 1 when the tie is also significant at the narrower fast-core window (evidence `fast_core`). */
  fast: Uint8Array;
  /** Tie i as an edge: the same layer, keys, numbers and the evidence held in memory. */
  edge(i: number): Edge;
}

/** Verdicts of email triage (the chorus.email/v1 vocabulary). */
export type MessageVerdict = "malicious" | "suspicious" | "no-signs-found" | "unknown";

/** One email as the case stores it (`messages`): who sent it, when, and the triage verdict. */
export interface Message {
  /** sha256 of the message's own bytes (an mbox's n-th message, not the whole file). */
  sha256: string;
  messageId: string | null;
  /** ISO 8601 UTC from the Date header; null when absent or unreadable. */
  ts: string | null;
  fromAddress: string | null;
  fromDomain: string | null;
  fromName: string | null;
  replyTo: string | null;
  returnPath: string | null;
  subject: string | null;
  verdict: MessageVerdict;
  score: number;
}

/** A file attached to a message (`attachments`), or an entry listed inside an attached archive. */
export interface MessageAttachment {
  messageSha256: string;
  /** The file name, or archive/entry for an entry of an attached archive. */
  path: string;
  filename: string | null;
  declaredType: string | null;
  detectedType: string | null;
  size: number | null;
  sha256: string | null;
  md5: string | null;
}

/** Kinds of indicator the case records (`indicators`), named after the STIX cyber-observable they map to. */
export type IndicatorKind = "url" | "domain" | "ipv4" | "ipv6" | "email" | "sha256" | "md5" | "btc";

/** An indicator and the first and last time it was seen in the case. */
export interface Indicator {
  kind: IndicatorKind;
  value: string;
  firstSeen: string | null;
  lastSeen: string | null;
}

/** Where an indicator was seen: a message (by sha256) or a post, always with its input file and row. */
export interface IndicatorSource extends Provenance {
  kind: IndicatorKind;
  value: string;
  /** Its role there: link, link-domain, from, reply-to, return-path, first-hop, attachment. */
  role: string;
  messageSha256: string | null;
  platform: string | null;
  postId: string | null;
}

/** One post by which an account joined a campaign's burst (a fringe account's, in findings.json `joined`). */
export interface FringeJoin {
  post_id: string;
  ts: string;
  kind: string;
  value: string;
  /** Distinct members who shared the object within the window before or after the post. */
  members: number;
  input_id: number;
  source_row: number;
}

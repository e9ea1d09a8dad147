/**
 * The Chorus data model: types only. Every other layer depends on this module; it imports nothing.
 */

/** Kinds of things a post can share; the layers of the co-share graph. */
export type ObjectKind = "url" | "domain" | "hashtag" | "mention" | "repost" | "reply" | "text" | "image";

export const OBJECT_KINDS: readonly ObjectKind[] = [
  "url",
  "domain",
  "hashtag",
  "mention",
  "repost",
  "reply",
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
  accountsStored: number;
  objectsStored: number;
  /** True when the same bytes were ingested before and nothing was done. */
  skipped: boolean;
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

/**
 * The record the generator produces: one post of the native `chorus-jsonl` format, with its field names.
 */
import type { SynthLang } from "./config.js";

/** One post in the native `chorus-jsonl` format (field names as written). */
export interface SynthPost {
  platform: string;
  post_id: string;
  account_id: string;
  handle: string;
  display_name: string;
  /** ISO 8601 UTC with milliseconds. */
  ts: string;
  text: string;
  urls: string[];
  hashtags: string[];
  mentions: string[];
  repost_of: string | null;
  reply_to: string | null;
  account_created_at: string;
  bio: string | null;
  lang: SynthLang;
  client: string;
}

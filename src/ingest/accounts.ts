/**
 * The accounts an input reveals, merged as they stream past: one entry per (platform, account id), the first row
 * that names the account, and each profile field taken from the first row that has it. Posts are merged without
 * building an `AccountInput` per post: at millions of posts that object was a measurable share of ingest. The
 * strings kept are detached from the input they were cut from (see `detach`), so that hundreds of thousands of
 * accounts do not keep the whole input alive.
 */
import type { AccountInput, PostInput } from "../model/index.js";
import { detach } from "../normalize/memo.js";
import { cutNoted } from "./records.js";

/**
 * Longest profile fields kept, in characters (UTF-16 units); a longer one is cut, and the cut recorded in the field
 * itself, as a post's text is (records.ts). Real profiles are far shorter (handles of 15-30 characters, bios of 160-
 * 500); the caps keep a hostile profile from costing every step that reads accounts (lookalike comparison, reports).
 */
export const PROFILE_CAPS = {
  handle: 256,
  displayName: 1024,
  bio: 10_000,
  avatarUrl: 4096,
  location: 1024,
} as const;

/** A profile field within its cap (see `PROFILE_CAPS`), detached from the input it was cut from. */
export function capped(s: string | null | undefined, field: keyof typeof PROFILE_CAPS): string | null {
  if (s === null || s === undefined) return null;
  const max = PROFILE_CAPS[field];
  if (s.length <= max) return detach(s);
  return cutNoted(s, max);
}

export interface MergedAccount extends AccountInput {
  /** The first row that named the account. */
  row: number;
}

export class AccountMerger {
  /** platform → account id → account; nested so that no key string is built per row. */
  private readonly byPlatform = new Map<string, Map<string, MergedAccount>>();
  /** In the order first seen. */
  private readonly order: MergedAccount[] = [];
  /** The accounts of the platform looked up last (inputs rarely mix platforms). */
  private lastPlatform = "";
  private lastAccounts: Map<string, MergedAccount> | undefined;

  get size(): number {
    return this.order.length;
  }

  /** The author of a post, with the profile fields the post carries. */
  notePost(p: PostInput, row: number): void {
    if (!p.platform || !p.accountId) return;
    const cur = this.lookup(p.platform, p.accountId) ?? this.add(p.platform, p.accountId, row);
    fillMissing(cur, p, p.accountCreatedAtMs);
  }

  /** A profile seen on its own (includes.users, reposted authors). */
  noteAccount(acc: AccountInput, row: number): void {
    if (!acc.platform || !acc.accountId) return;
    const cur = this.lookup(acc.platform, acc.accountId) ?? this.add(acc.platform, acc.accountId, row);
    fillMissing(cur, acc, acc.createdAtMs);
  }

  /** Every account, in the order first seen. */
  values(): readonly MergedAccount[] {
    return this.order;
  }

  private lookup(platform: string, accountId: string): MergedAccount | undefined {
    if (platform !== this.lastPlatform || this.lastAccounts === undefined) {
      this.lastPlatform = platform;
      this.lastAccounts = this.byPlatform.get(platform);
      if (this.lastAccounts === undefined) return undefined;
    }
    return this.lastAccounts.get(accountId);
  }

  /** A new account with no profile yet, first named by `row`. */
  private add(platform: string, accountId: string, row: number): MergedAccount {
    const acc: MergedAccount = {
      platform: detach(platform),
      accountId: detach(accountId),
      handle: null,
      displayName: null,
      bio: null,
      createdAtMs: null,
      followers: null,
      following: null,
      avatarUrl: null,
      location: null,
      row,
    };
    let m = this.byPlatform.get(acc.platform);
    if (m === undefined) {
      m = new Map();
      this.byPlatform.set(acc.platform, m);
    }
    m.set(acc.accountId, acc);
    this.order.push(acc);
    this.lastAccounts = undefined;
    return acc;
  }
}

/** The profile fields a post and a profile both carry, by the same names. */
type ProfileFields = Pick<
  AccountInput,
  "handle" | "displayName" | "bio" | "followers" | "following" | "avatarUrl" | "location"
>;

/**
 * Fills the fields `cur` lacks from one source (its text within `PROFILE_CAPS`): the first value seen of each field
 * stays, whichever row or profile it came from.
 */
function fillMissing(cur: MergedAccount, src: ProfileFields, createdAtMs: number | null | undefined): void {
  if (cur.handle == null && src.handle != null) cur.handle = capped(src.handle, "handle");
  if (cur.displayName == null && src.displayName != null)
    cur.displayName = capped(src.displayName, "displayName");
  if (cur.bio == null && src.bio != null) cur.bio = capped(src.bio, "bio");
  if (cur.createdAtMs == null && createdAtMs != null) cur.createdAtMs = createdAtMs;
  if (cur.followers == null && src.followers != null) cur.followers = src.followers;
  if (cur.following == null && src.following != null) cur.following = src.following;
  if (cur.avatarUrl == null && src.avatarUrl != null) cur.avatarUrl = capped(src.avatarUrl, "avatarUrl");
  if (cur.location == null && src.location != null) cur.location = capped(src.location, "location");
}

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
    const cur = this.lookup(p.platform, p.accountId);
    if (cur === undefined) {
      this.add({
        platform: detach(p.platform),
        accountId: detach(p.accountId),
        handle: capped(p.handle, "handle"),
        displayName: capped(p.displayName, "displayName"),
        bio: capped(p.bio, "bio"),
        createdAtMs: p.accountCreatedAtMs ?? null,
        followers: p.followers ?? null,
        following: p.following ?? null,
        avatarUrl: capped(p.avatarUrl, "avatarUrl"),
        location: capped(p.location, "location"),
        row,
      });
      return;
    }
    if (cur.handle == null && p.handle != null) cur.handle = capped(p.handle, "handle");
    if (cur.displayName == null && p.displayName != null)
      cur.displayName = capped(p.displayName, "displayName");
    if (cur.bio == null && p.bio != null) cur.bio = capped(p.bio, "bio");
    if (cur.createdAtMs == null && p.accountCreatedAtMs != null) cur.createdAtMs = p.accountCreatedAtMs;
    if (cur.followers == null && p.followers != null) cur.followers = p.followers;
    if (cur.following == null && p.following != null) cur.following = p.following;
    if (cur.avatarUrl == null && p.avatarUrl != null) cur.avatarUrl = capped(p.avatarUrl, "avatarUrl");
    if (cur.location == null && p.location != null) cur.location = capped(p.location, "location");
  }

  /** A profile seen on its own (includes.users, reposted authors). */
  noteAccount(acc: AccountInput, row: number): void {
    if (!acc.platform || !acc.accountId) return;
    const cur = this.lookup(acc.platform, acc.accountId);
    if (cur === undefined) {
      this.add({
        ...acc,
        platform: detach(acc.platform),
        accountId: detach(acc.accountId),
        handle: capped(acc.handle, "handle"),
        displayName: capped(acc.displayName, "displayName"),
        bio: capped(acc.bio, "bio"),
        avatarUrl: capped(acc.avatarUrl, "avatarUrl"),
        location: capped(acc.location, "location"),
        row,
      });
      return;
    }
    if (cur.handle == null && acc.handle != null) cur.handle = capped(acc.handle, "handle");
    if (cur.displayName == null && acc.displayName != null)
      cur.displayName = capped(acc.displayName, "displayName");
    if (cur.bio == null && acc.bio != null) cur.bio = capped(acc.bio, "bio");
    if (cur.createdAtMs == null && acc.createdAtMs != null) cur.createdAtMs = acc.createdAtMs;
    if (cur.followers == null && acc.followers != null) cur.followers = acc.followers;
    if (cur.following == null && acc.following != null) cur.following = acc.following;
    if (cur.avatarUrl == null && acc.avatarUrl != null) cur.avatarUrl = capped(acc.avatarUrl, "avatarUrl");
    if (cur.location == null && acc.location != null) cur.location = capped(acc.location, "location");
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

  private add(acc: MergedAccount): void {
    let m = this.byPlatform.get(acc.platform);
    if (m === undefined) {
      m = new Map();
      this.byPlatform.set(acc.platform, m);
    }
    m.set(acc.accountId, acc);
    this.order.push(acc);
    this.lastAccounts = undefined;
  }
}

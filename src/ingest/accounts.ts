/**
 * The accounts an input reveals, merged as they stream past: one entry per (platform, account id), the first row
 * that names the account, and each profile field taken from the first row that has it. Posts are merged without
 * building an `AccountInput` per post: at millions of posts that object was a measurable share of ingest.
 */
import type { AccountInput, PostInput } from "../model/index.js";

export interface MergedAccount extends AccountInput {
  /** The first row that named the account. */
  row: number;
}

export class AccountMerger {
  /** platform → account id → account; nested so that no key string is built per row. */
  private readonly byPlatform = new Map<string, Map<string, MergedAccount>>();
  /** In the order first seen. */
  private readonly order: MergedAccount[] = [];

  get size(): number {
    return this.order.length;
  }

  /** The author of a post, with the profile fields the post carries. */
  notePost(p: PostInput, row: number): void {
    if (!p.platform || !p.accountId) return;
    const cur = this.lookup(p.platform, p.accountId);
    if (cur === undefined) {
      this.add({
        platform: p.platform,
        accountId: p.accountId,
        handle: p.handle ?? null,
        displayName: p.displayName ?? null,
        bio: p.bio ?? null,
        createdAtMs: p.accountCreatedAtMs ?? null,
        followers: p.followers ?? null,
        following: p.following ?? null,
        avatarUrl: p.avatarUrl ?? null,
        location: p.location ?? null,
        row,
      });
      return;
    }
    if (cur.handle == null && p.handle != null) cur.handle = p.handle;
    if (cur.displayName == null && p.displayName != null) cur.displayName = p.displayName;
    if (cur.bio == null && p.bio != null) cur.bio = p.bio;
    if (cur.createdAtMs == null && p.accountCreatedAtMs != null) cur.createdAtMs = p.accountCreatedAtMs;
    if (cur.followers == null && p.followers != null) cur.followers = p.followers;
    if (cur.following == null && p.following != null) cur.following = p.following;
    if (cur.avatarUrl == null && p.avatarUrl != null) cur.avatarUrl = p.avatarUrl;
    if (cur.location == null && p.location != null) cur.location = p.location;
  }

  /** A profile seen on its own (includes.users, reposted authors). */
  noteAccount(acc: AccountInput, row: number): void {
    if (!acc.platform || !acc.accountId) return;
    const cur = this.lookup(acc.platform, acc.accountId);
    if (cur === undefined) {
      this.add({ ...acc, row });
      return;
    }
    if (cur.handle == null && acc.handle != null) cur.handle = acc.handle;
    if (cur.displayName == null && acc.displayName != null) cur.displayName = acc.displayName;
    if (cur.bio == null && acc.bio != null) cur.bio = acc.bio;
    if (cur.createdAtMs == null && acc.createdAtMs != null) cur.createdAtMs = acc.createdAtMs;
    if (cur.followers == null && acc.followers != null) cur.followers = acc.followers;
    if (cur.following == null && acc.following != null) cur.following = acc.following;
    if (cur.avatarUrl == null && acc.avatarUrl != null) cur.avatarUrl = acc.avatarUrl;
    if (cur.location == null && acc.location != null) cur.location = acc.location;
  }

  /** Every account, in the order first seen. */
  values(): readonly MergedAccount[] {
    return this.order;
  }

  private lookup(platform: string, accountId: string): MergedAccount | undefined {
    return this.byPlatform.get(platform)?.get(accountId);
  }

  private add(acc: MergedAccount): void {
    let m = this.byPlatform.get(acc.platform);
    if (m === undefined) {
      m = new Map();
      this.byPlatform.set(acc.platform, m);
    }
    m.set(acc.accountId, acc);
    this.order.push(acc);
  }
}

/**
 * The accounts an input reveals, merged as they stream past: one entry per (platform, account id), the first row
 * that names the account, and each profile field taken from the first row that has it. Posts are merged without
 * building an `AccountInput` per post: at millions of posts that object was a measurable share of ingest. The
 * strings kept are detached from the input they were cut from (see `detach`), so that hundreds of thousands of
 * accounts do not keep the whole input alive.
 */
import type { AccountInput, PostInput } from "../model/index.js";
import { detach } from "../normalize/memo.js";

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
        handle: detach(p.handle ?? null),
        displayName: detach(p.displayName ?? null),
        bio: detach(p.bio ?? null),
        createdAtMs: p.accountCreatedAtMs ?? null,
        followers: p.followers ?? null,
        following: p.following ?? null,
        avatarUrl: detach(p.avatarUrl ?? null),
        location: detach(p.location ?? null),
        row,
      });
      return;
    }
    if (cur.handle == null && p.handle != null) cur.handle = detach(p.handle);
    if (cur.displayName == null && p.displayName != null) cur.displayName = detach(p.displayName);
    if (cur.bio == null && p.bio != null) cur.bio = detach(p.bio);
    if (cur.createdAtMs == null && p.accountCreatedAtMs != null) cur.createdAtMs = p.accountCreatedAtMs;
    if (cur.followers == null && p.followers != null) cur.followers = p.followers;
    if (cur.following == null && p.following != null) cur.following = p.following;
    if (cur.avatarUrl == null && p.avatarUrl != null) cur.avatarUrl = detach(p.avatarUrl);
    if (cur.location == null && p.location != null) cur.location = detach(p.location);
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
        handle: detach(acc.handle),
        displayName: detach(acc.displayName),
        bio: detach(acc.bio),
        avatarUrl: detach(acc.avatarUrl),
        location: detach(acc.location),
        row,
      });
      return;
    }
    if (cur.handle == null && acc.handle != null) cur.handle = detach(acc.handle);
    if (cur.displayName == null && acc.displayName != null) cur.displayName = detach(acc.displayName);
    if (cur.bio == null && acc.bio != null) cur.bio = detach(acc.bio);
    if (cur.createdAtMs == null && acc.createdAtMs != null) cur.createdAtMs = acc.createdAtMs;
    if (cur.followers == null && acc.followers != null) cur.followers = acc.followers;
    if (cur.following == null && acc.following != null) cur.following = acc.following;
    if (cur.avatarUrl == null && acc.avatarUrl != null) cur.avatarUrl = detach(acc.avatarUrl);
    if (cur.location == null && acc.location != null) cur.location = detach(acc.location);
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

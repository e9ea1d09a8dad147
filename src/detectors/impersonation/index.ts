/**
 * `impersonation`: accounts that pose as protected people and outlets, or as other (popular) accounts in the
 * data: confusable or near-identical handles, copied display names, reused profile photos, copied bios. See
 * README.md beside this file.
 */
import { z } from "zod";
import type { Finding } from "../../model/index.js";
import { describeDiff, CONFUSABLES_INFO } from "../../normalize/confusables.js";
import { accountKey, writeAccountKeys } from "../../store/account-keys.js";
import type { Detector, DetectorResult } from "../detector.js";
import { avatarHashFor, fetchImage, validHash } from "./avatar.js";
import {
  DEFAULT_MATCH_OPTIONS,
  rescore,
  keysOf,
  matchAmongAccounts,
  matchProtected,
  type AccountLite,
  type Match,
  type Signal,
  typedForm,
} from "./match.js";
import { protectedIdentity, type ProtectedIdentity } from "./protect.js";
import { isoMsSql } from "../../store/sql-time.js";

const d = DEFAULT_MATCH_OPTIONS;

export const impersonationParams = z
  .object({
    protected: z
      .array(protectedIdentity)
      .default([])
      .describe(
        "protected identities (handle, display_name, platform, avatar_hash, domain); --protect FILE fills this",
      ),
    protectFile: z
      .string()
      .optional()
      .describe("the protect list the identities were read from, for the record"),
    amongAccounts: z
      .boolean()
      .default(true)
      .describe("also look for accounts imitating one another or a popular account in the data"),
    minKeyLength: z
      .number()
      .int()
      .min(1)
      .default(d.minKeyLength)
      .describe("shortest handle key for the separator/number and edit-distance tiers"),
    minNameLength: z
      .number()
      .int()
      .min(1)
      .default(d.minNameLength)
      .describe("shortest display name that counts as copied"),
    maxBlock: z
      .number()
      .int()
      .min(2)
      .default(d.maxBlock)
      .describe("largest block compared pairwise (bigger blocks: only against their most-followed members)"),
    popularFollowers: z
      .number()
      .min(0)
      .default(d.popularFollowers)
      .describe("followers from which an account counts as popular"),
    popularRatio: z
      .number()
      .min(1)
      .default(d.popularRatio)
      .describe("how many times more followers a popular original has than its imitator"),
    bioMinLength: z
      .number()
      .int()
      .min(1)
      .default(d.bioMinLength)
      .describe("shortest bio (characters) compared"),
    bioSimilarity: z
      .number()
      .gt(0)
      .max(1)
      .default(d.bioSimilarity)
      .describe("Jaccard similarity of character 4-grams from which two bios count as copies"),
    avatarMaxHamming: z
      .number()
      .int()
      .min(0)
      .max(32)
      .default(d.avatarMaxHamming)
      .describe("largest dHash distance (bits of 64) between two avatars counted as the same photo"),
    defaultAvatarShare: z
      .number()
      .int()
      .min(2)
      .default(d.defaultAvatarShare)
      .describe("an avatar hash shared by more accounts is a default picture and ignored"),
    fetchAvatars: z
      .boolean()
      .default(false)
      .describe("fetch avatar_url images over the network (off: only cached or local images are used)"),
    avatarCacheDir: z
      .string()
      .optional()
      .describe("directory of cached avatar images (fetched images are stored there)"),
  })
  .strict();

export type ImpersonationParams = z.infer<typeof impersonationParams>;

interface AccountRow {
  platform: string;
  account_id: string;
  handle: string | null;
  display_name: string | null;
  bio: string | null;
  created_ms: number | null;
  followers: number | null;
  avatar_url: string | null;
  avatar_hash: string | null;
  input_id: number | null;
  source_row: number | null;
}

interface FirstPost {
  platform: string;
  account_id: string;
  post_id: string;
  input_id: number;
  source_row: number;
  ts: string;
}

const at = (h: string | null): string => (h ? `@${h.replace(/^@/, "")}` : "(no handle)");

function signalText(s: Signal, original: string): string {
  switch (s.kind) {
    case "handle":
      return s.tier === "confusable"
        ? `handle looks the same as ${original}'s` +
            (s.diff.length ? `, differing only by ${describeDiff(s.diff)}` : "")
        : s.tier === "loose"
          ? `handle is ${original}'s with separators, a number or accents changed (${describeDiff(s.diff)})`
          : `handle is one letter away from ${original}'s (${describeDiff(s.diff)})`;
    case "display_name":
      return s.tier === "same"
        ? "the same display name"
        : `a lookalike display name (${describeDiff(s.diff)})`;
    case "bio":
      return `a copied bio (similarity ${s.jaccard.toFixed(2)})`;
    case "avatar":
      return s.hamming === 0
        ? "the same profile photo"
        : `the same profile photo (${s.hamming} of 64 hash bits differ)`;
  }
}

export const impersonationDetector: Detector<ImpersonationParams> = {
  id: "impersonation",
  version: "1",
  summary:
    "accounts posing as protected people and outlets, or as other accounts: lookalike handles, copied names, photos and bios",
  params: impersonationParams,
  needs: ["accounts"],
  async run(ctx): Promise<DetectorResult> {
    const { store, params } = ctx;
    const rows = await store.all<AccountRow>(
      `SELECT platform, account_id, handle, display_name, bio, epoch_ms(created_at)::DOUBLE AS created_ms,
              followers::DOUBLE AS followers, avatar_url, avatar_hash, input_id::INTEGER AS input_id,
              source_row::INTEGER AS source_row
         FROM accounts ORDER BY platform, account_id`,
    );
    const info = {
      confusables: CONFUSABLES_INFO,
      protected_identities: params.protected.length,
      protect_file: params.protectFile ?? null,
    };
    if (rows.length === 0) {
      return {
        status: "ok",
        message: "no accounts in the case: nothing to compare",
        counts: { accounts: 0 },
        findings: [],
        edges: [],
        warnings: [],
        details: info,
      };
    }
    const warnings: string[] = [];
    let avatarsHashed = 0;
    const accounts: AccountLite[] = [];
    for (const r of rows) {
      let avatarHash = validHash(r.avatar_hash);
      if (!avatarHash && r.avatar_url && (params.fetchAvatars || params.avatarCacheDir)) {
        const src = {
          ...(params.avatarCacheDir ? { cacheDir: params.avatarCacheDir } : {}),
          ...(params.fetchAvatars ? { fetch: (u: string) => fetchImage(u) } : {}),
        };
        avatarHash = /^https?:/i.test(r.avatar_url) ? await avatarHashFor(r.avatar_url, src) : null;
        if (avatarHash) avatarsHashed++;
      }
      accounts.push({
        platform: r.platform,
        handle: r.handle,
        displayName: r.display_name,
        bio: r.bio,
        followers: r.followers,
        createdMs: r.created_ms,
        avatarHash,
      });
    }
    const opts = { ...DEFAULT_MATCH_OPTIONS, ...pickOptions(params) };
    const keys = keysOf(accounts);
    const matches: Match[] = [];
    if (params.protected.length > 0) matches.push(...matchProtected(accounts, params.protected, opts, keys));
    if (params.amongAccounts) {
      // an account already matched to a protected identity whose genuine account is in the data: the pair
      // finding adds its signals (bio, photo) to the protected one instead of repeating it
      const bySuspect = new Map<number, Match[]>();
      for (const m of matches) bySuspect.set(m.suspect, [...(bySuspect.get(m.suspect) ?? []), m]);
      for (const m of matchAmongAccounts(accounts, opts, keys)) {
        const target = "accountIndex" in m.target ? accounts[m.target.accountIndex]! : null;
        const prot = (bySuspect.get(m.suspect) ?? []).find(
          (p) =>
            "protectedIndex" in p.target &&
            target &&
            sameHandle(target.handle, params.protected[p.target.protectedIndex]!.handle),
        );
        if (!prot) {
          matches.push(m);
          continue;
        }
        for (const s of m.signals) if (!prot.signals.some((t) => t.kind === s.kind)) prot.signals.push(s);
        Object.assign(prot, rescore(prot.signals));
      }
    }
    dropCopiesOfCopies(matches);
    const keyOf = (i: number): string => accountKey(rows[i]!.platform, rows[i]!.account_id);
    const firstPosts = await firstPostsOf(store, [...new Set(matches.map((m) => keyOf(m.suspect)))]);
    const findings: Finding[] = matches.map((m) => toFinding(m, rows, params.protected, keyOf, firstPosts));
    findings.sort((a, b) =>
      a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : a.explanation < b.explanation ? -1 : 1,
    );
    const counts = {
      accounts: rows.length,
      protected_identities: params.protected.length,
      findings: findings.length,
      suspects: new Set(findings.map((f) => f.subject)).size,
      findings_protected: matches.filter((m) => "protectedIndex" in m.target).length,
      findings_among_accounts: matches.filter((m) => "accountIndex" in m.target).length,
      strong: findings.filter((f) => f.strength === "strong").length,
      avatars_with_hash: accounts.filter((a) => a.avatarHash).length,
      avatars_hashed_now: avatarsHashed,
    };
    const message =
      findings.length === 0
        ? `compared ${rows.length.toLocaleString("en-US")} accounts${params.protected.length ? ` against ${params.protected.length} protected identities` : ""}: no impersonation found`
        : `${counts.suspects} account${counts.suspects === 1 ? "" : "s"} imitating ${params.protected.length ? "protected identities or " : ""}other accounts (${findings.length} finding${findings.length === 1 ? "" : "s"}, ${counts.strong} strong)`;
    if (params.protected.length === 0)
      warnings.push(
        "no protect list given (--protect FILE): only accounts imitating one another in the data were looked for",
      );
    return {
      status: "ok",
      message,
      counts,
      findings,
      edges: [],
      warnings,
      details: { ...info, avatar_max_hamming: opts.avatarMaxHamming, bio_similarity: opts.bioSimilarity },
    };
  },
};

/**
 * Drop (in place) each match of one copy to another copy when both imitate a common original in the data: seven
 * copies of one account are seven findings against it, not also twenty-one of copies imitating copies.
 */
export function dropCopiesOfCopies(matches: Match[]): void {
  const originals = new Map<number, Set<number>>();
  for (const m of matches) {
    if (!("accountIndex" in m.target)) continue;
    const set = originals.get(m.suspect) ?? new Set<number>();
    set.add(m.target.accountIndex);
    originals.set(m.suspect, set);
  }
  let kept = 0;
  for (const m of matches) {
    const above = "accountIndex" in m.target ? originals.get(m.target.accountIndex) : undefined;
    const mine = originals.get(m.suspect);
    if (above && mine && [...above].some((o) => o !== m.suspect && mine.has(o))) continue;
    matches[kept++] = m;
  }
  matches.length = kept;
}

/** Whether an account's handle is a protected one: the same, or the same typed on the other keyboard. */
const sameHandle = (a: string | null, b: string): boolean => typedForm(a) === typedForm(b);

function pickOptions(p: ImpersonationParams): Partial<typeof DEFAULT_MATCH_OPTIONS> {
  return {
    minKeyLength: p.minKeyLength,
    minNameLength: p.minNameLength,
    maxBlock: p.maxBlock,
    popularFollowers: p.popularFollowers,
    popularRatio: p.popularRatio,
    bioMinLength: p.bioMinLength,
    bioSimilarity: p.bioSimilarity,
    avatarMaxHamming: p.avatarMaxHamming,
    defaultAvatarShare: p.defaultAvatarShare,
  };
}

async function firstPostsOf(
  store: Parameters<Detector["run"]>[0]["store"],
  keys: string[],
): Promise<Map<string, FirstPost>> {
  const out = new Map<string, FirstPost>();
  if (keys.length === 0) return out;
  await writeAccountKeys(store, "impersonation_keys", keys, false);
  const rows = await store.all<FirstPost>(
    `SELECT platform, account_id, post_id, input_id::INTEGER AS input_id, source_row::INTEGER AS source_row,
            ${isoMsSql("ts")} AS ts
       FROM (SELECT p.*, row_number() OVER (PARTITION BY p.platform, p.account_id ORDER BY p.ts, p.post_id) AS rn
               FROM posts p JOIN impersonation_keys k USING (platform, account_id))
      WHERE rn = 1`,
  );
  for (const r of rows) out.set(accountKey(r.platform, r.account_id), r);
  return out;
}

function toFinding(
  m: Match,
  rows: AccountRow[],
  ids: ProtectedIdentity[],
  keyOf: (i: number) => string,
  firstPosts: Map<string, FirstPost>,
): Finding {
  const r = rows[m.suspect]!;
  const subject = keyOf(m.suspect);
  let imitates: Record<string, unknown>;
  let originalLabel: string;
  if ("protectedIndex" in m.target) {
    const p = ids[m.target.protectedIndex]!;
    imitates = {
      kind: "protected",
      handle: p.handle,
      display_name: p.display_name ?? null,
      platform: p.platform ?? null,
      domain: p.domain ?? null,
    };
    originalLabel = `${at(p.handle)}${p.display_name ? ` (${p.display_name})` : ""}`;
  } else {
    const o = rows[m.target.accountIndex]!;
    imitates = {
      kind: "account",
      account: keyOf(m.target.accountIndex),
      handle: o.handle,
      display_name: o.display_name,
      followers: o.followers,
      told_apart_by: m.direction,
    };
    originalLabel = `${at(o.handle)}${o.followers != null ? ` (${o.followers.toLocaleString("en-US")} followers)` : ""}`;
  }
  const parts = m.signals.map((s) =>
    signalText(
      s,
      at(
        "protectedIndex" in m.target
          ? ids[m.target.protectedIndex]!.handle
          : rows[m.target.accountIndex]!.handle,
      ),
    ),
  );
  const who =
    "protectedIndex" in m.target
      ? "protected identity"
      : m.direction === "uncertain"
        ? "the lookalike account"
        : "the account";
  const keyboard = m.keyboardOnly
    ? " The two handles differ only by letters that Arabic and Persian keyboards type differently (ي or ی, ك or " +
      "ک): this may be the listed account itself, listed on another keyboard, or a copy that uses the other " +
      "keyboard's letters; check the account."
    : "";
  const explanation = `${at(r.handle)} imitates ${who} ${originalLabel}: ${parts.join("; ")}.${keyboard}`;
  const fp = firstPosts.get(subject);
  return {
    detector: "impersonation",
    subject,
    strength: m.strength,
    score: m.score,
    explanation,
    evidence: {
      imitates,
      signals: m.signals,
      ...(m.keyboardOnly ? { keyboard_variant: true } : {}),
      profile: {
        handle: r.handle,
        display_name: r.display_name,
        followers: r.followers,
        input_id: r.input_id,
        source_row: r.source_row,
      },
      ...(fp
        ? { first_post: { post_id: fp.post_id, input_id: fp.input_id, source_row: fp.source_row, ts: fp.ts } }
        : {}),
    },
  };
}

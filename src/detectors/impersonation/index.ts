/**
 * `impersonation`: accounts that pose as protected people and outlets, or as other (popular) accounts in the
 * data: confusable or near-identical handles, copied display names, reused profile photos, copied bios. See
 * README.md beside this file.
 */
import { z } from "zod";
import type { Finding } from "../../model/index.js";
import { CONFUSABLES_INFO } from "../../normalize/confusables.js";
import { accountKey, writeAccountKeys } from "../../store/account-keys.js";
import type { Detector, DetectorResult } from "../detector.js";
import { avatarHashFor, fetchImage, validHash } from "./avatar.js";
import { describeDifferences as describeDiff } from "./describe.js";
import {
  DEFAULT_MATCH_OPTIONS,
  isGenuine,
  rescore,
  keysOf,
  matchAmongAccounts,
  matchProtected,
  type AccountLite,
  type Match,
  type Signal,
} from "./match.js";
import type { OwnProfile } from "./namesake.js";
import { canonicalPlatform, protectedIdentity, type ProtectedIdentity } from "./protect.js";
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
    ageMarginDays: z
      .number()
      .min(0)
      .default(d.ageMarginDays)
      .describe(
        "days by which the older of two lookalike accounts must be older to be taken for the original",
      ),
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
    if (params.protected.length > 0)
      matches.push(
        ...onePerListedAccount(matchProtected(accounts, params.protected, opts, keys), params.protected),
      );
    // the protected identities whose genuine account each account is
    const genuineOf = new Map<number, number[]>();
    if (params.protected.length > 0) {
      const byHandle = new Map<string, number[]>();
      params.protected.forEach((p, i) => {
        const h = p.handle.normalize("NFC").toLowerCase();
        byHandle.set(h, [...(byHandle.get(h) ?? []), i]);
      });
      accounts.forEach((a, ai) => {
        const ids = (
          byHandle.get((a.handle ?? "").replace(/^@/, "").normalize("NFC").toLowerCase()) ?? []
        ).filter((i) => isGenuine(a, params.protected[i]!));
        if (ids.length) genuineOf.set(ai, ids);
      });
    }
    if (params.amongAccounts) {
      // an account already matched to a protected identity whose genuine account is in the data: the pair
      // finding adds its signals (bio, photo) to the protected one instead of repeating it. A keyboard variant
      // of the listed handle is weak because it may be the listed account itself; with that account in the data
      // and the variant found to be its copy (not an uncertain direction), it is not, and is graded as any copy
      const bySuspect = new Map<number, Match[]>();
      for (const m of matches) bySuspect.set(m.suspect, [...(bySuspect.get(m.suspect) ?? []), m]);
      for (const m of matchAmongAccounts(accounts, opts, keys)) {
        const genuineFor = "accountIndex" in m.target ? (genuineOf.get(m.target.accountIndex) ?? []) : [];
        const prot = (bySuspect.get(m.suspect) ?? []).find(
          (p) => "protectedIndex" in p.target && genuineFor.includes(p.target.protectedIndex),
        );
        if (!prot) {
          matches.push(m);
          continue;
        }
        for (const s of m.signals) if (!prot.signals.some((t) => t.kind === s.kind)) prot.signals.push(s);
        if (prot.keyboardOnly && m.direction !== "uncertain") delete prot.keyboardOnly;
        Object.assign(prot, rescore(prot));
      }
    }
    dropCopiesOfCopies(matches, genuineOf);
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
    if (params.protected.length === 0 && params.protectFile)
      warnings.push(
        `the protect list ${params.protectFile} is empty (a header and no rows): only accounts imitating one another in the data were looked for`,
      );
    else if (params.protected.length === 0)
      warnings.push(
        "no protect list given (--protect FILE): only accounts imitating one another in the data were looked for",
      );
    warnings.push(...unmatchedPlatforms(params.protected, rows));
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
 * Drop (in place) each match of one copy to another copy when both imitate a common original, an account in the
 * data or a protected identity: seven copies of one account are seven findings against it, not also twenty-one of
 * copies imitating copies. `genuineOf` gives, for an account that is a protected identity's genuine account, that
 * identity's index: a copy's match against the genuine account was merged into its protected finding, and the
 * genuine account and the identity are one original.
 */
export function dropCopiesOfCopies(matches: Match[], genuineOf: Map<number, number[]> = new Map()): void {
  const originals = new Map<number, Set<string>>();
  const add = (suspect: number, original: string): void => {
    const set = originals.get(suspect) ?? new Set<string>();
    set.add(original);
    originals.set(suspect, set);
  };
  for (const m of matches) {
    if ("protectedIndex" in m.target) {
      add(m.suspect, `p${m.target.protectedIndex}`);
      continue;
    }
    add(m.suspect, `a${m.target.accountIndex}`);
    for (const p of genuineOf.get(m.target.accountIndex) ?? []) add(m.suspect, `p${p}`);
  }
  let kept = 0;
  for (const m of matches) {
    const above = "accountIndex" in m.target ? originals.get(m.target.accountIndex) : undefined;
    const mine = originals.get(m.suspect);
    if (above && mine && [...above].some((o) => o !== `a${m.suspect}` && mine.has(o))) continue;
    matches[kept++] = m;
  }
  matches.length = kept;
}

/**
 * One match per suspect and listed account: a list that names one account twice (a repeated row, or a Latin and
 * a Persian display name) yields the best-scored of its matches, not two findings.
 */
function onePerListedAccount(matches: Match[], ids: ProtectedIdentity[]): Match[] {
  const best = new Map<string, Match>();
  for (const m of matches) {
    if (!("protectedIndex" in m.target)) continue;
    const p = ids[m.target.protectedIndex]!;
    const key = `${m.suspect}\u0000${p.handle.normalize("NFC").toLowerCase()}\u0000${p.platform ? canonicalPlatform(p.platform) : ""}`;
    const seen = best.get(key);
    if (!seen || m.score > seen.score) best.set(key, m);
  }
  return [...best.values()];
}

/** A warning for each platform the protect list names that no account of the case is on. */
function unmatchedPlatforms(ids: ProtectedIdentity[], rows: AccountRow[]): string[] {
  const present = new Set(rows.map((r) => canonicalPlatform(r.platform)));
  const listed = new Map<string, number>();
  for (const p of ids) if (p.platform) listed.set(p.platform, (listed.get(p.platform) ?? 0) + 1);
  const out: string[] = [];
  for (const [platform, n] of listed) {
    if (present.has(canonicalPlatform(platform))) continue;
    out.push(
      `protect list: platform '${platform}' (${n} identit${n === 1 ? "y" : "ies"}) matches no account in the case ` +
        `(platforms here: ${[...present].sort().join(", ")}); ${n === 1 ? "it was" : "they were"} not looked for`,
    );
  }
  return out;
}

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
    ageMarginDays: p.ageMarginDays,
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

const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** Why the original of a lookalike pair (`copy` named the suspect, the newer one) cannot be told. */
function uncertainWhy(copy: AccountRow, original: AccountRow): string {
  const fc = copy.followers;
  const fo = original.followers;
  if (copy.created_ms != null && original.created_ms != null && fc != null && fo != null && fc > fo) {
    return (
      `${at(original.handle)} is older, created ${day(original.created_ms)}, but ${at(copy.handle)}, created ` +
      `${day(copy.created_ms)}, has ${fc.toLocaleString("en-US")} followers to its ` +
      `${fo.toLocaleString("en-US")}; followers can be bought, so either may be the copy`
    );
  }
  return "neither is clearly older, more followed or more disguised than the other";
}

/**
 * Why a match that rests on a shared plain name and a handle variant (`Match.namesake`) may be a namesake's, and
 * stays weak: what the account has of its own, and when it joined beside the popular account.
 */
function namesakeWhy(suspect: AccountRow, original: AccountRow, own: OwnProfile): string {
  const o = at(original.handle);
  const joined =
    suspect.created_ms != null && original.created_ms != null && suspect.created_ms > original.created_ms
      ? ` It joined on ${day(suspect.created_ms)}, after ${o} (${day(original.created_ms)})` +
        (suspect.followers != null ? `, with ${suspect.followers.toLocaleString("en-US")} followers` : "") +
        ": so may a namesake."
      : "";
  const mine = [own.ownBio ? "a bio" : "", own.ownPhoto ? "a profile photo" : ""].filter(Boolean);
  return (
    " Nothing beyond the name was copied (no bio, no profile photo, no disguised character), and people who " +
    `share a name choose handles like this: on that alone it is not called a copy.${joined}` +
    (mine.length ? ` It has ${mine.join(" and ")} of its own.` : "") +
    ` Compare its posts with ${o}'s (against a protect list naming ${o}, such accounts are reported at full weight).`
  );
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
  const keyboard = m.keyboardOnly
    ? " The two handles differ only by letters that Arabic and Persian keyboards or spellings write differently " +
      "(ي or ی, ك or ک, أ or ا): this may be the listed account itself, listed on another keyboard, or a copy that " +
      "uses the other keyboard's letters; check the account."
    : "";
  const namesake =
    m.namesake && "accountIndex" in m.target ? namesakeWhy(r, rows[m.target.accountIndex]!, m.namesake) : "";
  const explanation =
    "accountIndex" in m.target && m.direction === "uncertain"
      ? `${at(r.handle)} and ${originalLabel} look alike, and which imitates which is uncertain ` +
        `(${uncertainWhy(r, rows[m.target.accountIndex]!)}): ${parts.join("; ")}.${namesake}`
      : m.namesake
        ? `${at(r.handle)} may imitate the account ${originalLabel}, or be a namesake: ${parts.join("; ")}.${namesake}`
        : `${at(r.handle)} imitates ${"protectedIndex" in m.target ? "protected identity" : "the account"} ` +
          `${originalLabel}: ${parts.join("; ")}.${keyboard}`;
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
      ...(m.namesake
        ? { possible_namesake: { own_bio: m.namesake.ownBio, own_photo: m.namesake.ownPhoto } }
        : {}),
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

/**
 * Protected identities: the people and outlets an organisation watches over, given as a CSV with columns
 * `handle, display_name` and optionally `platform, avatar, domain`. The CLI reads and validates the file (errors
 * name the file and line) and hashes local avatar images; the detector receives the parsed list as a parameter.
 *
 * Lists are kept by hand, in spreadsheets: a handle is often pasted as the profile's address, a platform written
 * as people say it ("x"), a header as a spreadsheet shows it ("Display Name"), a row repeated. Those are read as
 * meant; what cannot be (a file saved as UTF-16, an address that names no account) is an error naming the line.
 */
import { readFile } from "node:fs/promises";
import { dirname, isAbsolute, resolve } from "node:path";
import { parse } from "csv-parse/sync";
import { z } from "zod";
import { avatarHashFor, validHash } from "./avatar.js";

export const protectedIdentity = z
  .object({
    handle: z.string().min(1).describe("the genuine handle"),
    display_name: z.string().optional().describe("the genuine display name"),
    platform: z.string().optional().describe("platform of the genuine account (any when absent)"),
    avatar: z.string().optional().describe("avatar image path (relative to the CSV) or URL"),
    avatar_hash: z.string().optional().describe("dHash of the avatar, 16 hex digits"),
    domain: z.string().optional().describe("the identity's web domain"),
  })
  .strict();

export type ProtectedIdentity = z.infer<typeof protectedIdentity>;

export class ProtectListError extends Error {
  override name = "ProtectListError";
}

const COLUMNS = ["handle", "display_name", "platform", "avatar", "domain"];

/**
 * Other names of a platform, as lists and data files write it, and its name in Chorus's data (the adapters'
 * platform names).
 */
const PLATFORM_ALIASES: Readonly<Record<string, string>> = {
  x: "twitter",
  "x.com": "twitter",
  "twitter.com": "twitter",
  bsky: "bluesky",
  "bsky.app": "bluesky",
  "t.me": "telegram",
  tg: "telegram",
  ig: "instagram",
  "instagram.com": "instagram",
  fb: "facebook",
  "facebook.com": "facebook",
};

/** A platform's name as Chorus's data writes it: lower case, aliases ("x", "bsky") resolved. */
export function canonicalPlatform(name: string): string {
  const n = name.trim().toLowerCase();
  return PLATFORM_ALIASES[n] ?? n;
}

/** Whether a listed platform and an account's are the same platform, whatever names they go by. */
export function samePlatform(a: string, b: string): boolean {
  return canonicalPlatform(a) === canonicalPlatform(b);
}

/** Hosts whose profile address is `host/NAME` (or `host/@NAME`), and their platform. */
const PROFILE_HOSTS: Readonly<Record<string, string>> = {
  "twitter.com": "twitter",
  "x.com": "twitter",
  "instagram.com": "instagram",
  "t.me": "telegram",
  "telegram.me": "telegram",
  "facebook.com": "facebook",
  "threads.net": "threads",
  "tiktok.com": "tiktok",
  "youtube.com": "youtube",
};

/** First path segments of those hosts that are pages of the site, not accounts. */
const SITE_PAGES = new Set([
  "i",
  "home",
  "intent",
  "share",
  "search",
  "hashtag",
  "explore",
  "s",
  "p",
  "joinchat",
]);

/**
 * The handle (and platform, where the address says it) of a profile address written in a list's handle column:
 * `https://twitter.com/bbcpersian`, `x.com/IlhanMN`, `https://instagram.com/name/`, `t.me/name`,
 * `https://bsky.app/profile/name.bsky.social`, and a Mastodon address `https://host/@user` as `user@host` (the
 * form Mastodon data gives handles in). Null for a value that is not an address; an error message for an address
 * that names no account.
 */
export function profileFromUrl(value: string): { handle: string; platform?: string } | string | null {
  if (!/^(https?:\/\/|www\.)|^[a-z0-9.-]+\.[a-z]{2,}\/./i.test(value)) return null;
  let url: URL;
  try {
    url = new URL(/^https?:\/\//i.test(value) ? value : `https://${value}`);
  } catch {
    return `'${value}' is not a readable address`;
  }
  const host = url.hostname.toLowerCase().replace(/^(www|mobile|m)\./, "");
  const parts = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
  const first = parts[0] ?? "";
  if (host === "bsky.app") {
    return parts[0] === "profile" && parts[1]
      ? { handle: parts[1], platform: "bluesky" }
      : `'${value}' is not a Bluesky profile address (https://bsky.app/profile/HANDLE)`;
  }
  const platform = PROFILE_HOSTS[host];
  if (platform) {
    const handle = first.replace(/^@/, "");
    if (!handle || SITE_PAGES.has(handle.toLowerCase()))
      return `'${value}' is not a profile address (https://${host}/HANDLE)`;
    return { handle, platform };
  }
  // another host with a path of /@user is a Mastodon (or other fediverse) profile
  if (/^@[^@/]+$/.test(first)) return { handle: `${first.slice(1)}@${host}`, platform: "mastodon" };
  return `'${value}' is an address, but not one of a profile Chorus knows how to read (twitter.com, x.com, instagram.com, t.me, bsky.app/profile, a Mastodon https://host/@user); write the handle`;
}

/** A header cell as a column name: any case, spaces or hyphens for the underscore ("Display Name"). */
const columnName = (h: string): string => {
  const c = h
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, "_");
  return c === "displayname" ? "display_name" : c;
};

/** The key under which two rows of a list name one identity: handle (composed, any case) and platform. */
const identityKey = (id: ProtectedIdentity): string =>
  `${id.handle.normalize("NFC").toLowerCase()}\u0000${id.platform ?? ""}`;

/**
 * Message for text that was UTF-16 read as UTF-8 (NUL bytes between the letters of a Latin header), as Excel's
 * "Unicode text" saves it; null otherwise.
 */
function utf16Message(text: string, file: string): string | null {
  return text.includes("\u0000")
    ? `${file}: the file is UTF-16 text (as Excel's "Unicode Text" saves it); save it as "CSV UTF-8" and try again`
    : null;
}

/** Parse a protect list; `file` names it in errors, `baseDir` resolves relative avatar paths. */
export function parseProtectCsv(text: string, file: string, baseDir: string): ProtectedIdentity[] {
  const utf16 = utf16Message(text, file);
  if (utf16) throw new ProtectListError(utf16);
  let rows: string[][];
  try {
    rows = parse(text, {
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
      trim: true,
    }) as string[][];
  } catch (err) {
    throw new ProtectListError(`${file}: not readable as CSV: ${(err as Error).message}`);
  }
  if (rows.length === 0)
    throw new ProtectListError(`${file}: empty (expected a header: handle, display_name)`);
  const header = rows[0]!.map(columnName);
  for (const h of header) {
    if (!COLUMNS.includes(h))
      throw new ProtectListError(`${file}: line 1: unknown column '${h}' (columns: ${COLUMNS.join(", ")})`);
  }
  if (!header.includes("handle")) throw new ProtectListError(`${file}: line 1: no 'handle' column`);
  const out: ProtectedIdentity[] = [];
  const seen = new Map<string, ProtectedIdentity>();
  rows.slice(1).forEach((row, i) => {
    const line = i + 2;
    if (row.length > header.length)
      throw new ProtectListError(
        `${file}: line ${line}: ${row.length} fields, the header has ${header.length}`,
      );
    const rec: Record<string, string> = {};
    header.forEach((h, j) => {
      const v = row[j];
      if (v) rec[h] = v;
    });
    let handle = (rec["handle"] ?? "").replace(/^@/, "");
    if (!handle) throw new ProtectListError(`${file}: line ${line}: empty handle`);
    const listed = rec["platform"] ? canonicalPlatform(rec["platform"]) : undefined;
    const profile = profileFromUrl(handle);
    if (typeof profile === "string") throw new ProtectListError(`${file}: line ${line}: ${profile}`);
    if (profile) {
      if (listed && profile.platform && profile.platform !== listed)
        throw new ProtectListError(
          `${file}: line ${line}: the address is a ${profile.platform} profile, the platform column says ${rec["platform"]}`,
        );
      handle = profile.handle;
    }
    const id: ProtectedIdentity = { handle };
    if (rec["display_name"]) id.display_name = rec["display_name"];
    const platform = listed ?? profile?.platform;
    if (platform) id.platform = platform;
    if (rec["domain"]) id.domain = rec["domain"].toLowerCase();
    if (rec["avatar"]) {
      const a = rec["avatar"];
      id.avatar = /^[a-z]+:/i.test(a) || isAbsolute(a) ? a : resolve(baseDir, a);
    }
    // a row repeated (or the same account listed twice, its columns filled in) is one identity; the same handle
    // with another display name (a Latin and a Persian one) stays a row of its own, and the detector reports an
    // account once per listed account all the same
    const key = identityKey(id);
    const first = seen.get(key);
    // (the handle is the key's, in any case: the first row's spelling of it is kept)
    const fields = (Object.entries(id) as Array<[keyof ProtectedIdentity, string]>).filter(
      ([k]) => k !== "handle",
    );
    if (first && fields.every(([k, v]) => first[k] === undefined || first[k] === v)) {
      for (const [k, v] of fields) first[k] ??= v;
      return;
    }
    if (!first) seen.set(key, id);
    out.push(id);
  });
  return out;
}

/**
 * Read a protect list and hash its avatars. Local avatar files are always read; avatar URLs only with
 * `fetchAvatars` (and are cached in `cacheDir`). An avatar that cannot be read is reported, not fatal.
 */
export async function loadProtectList(
  path: string,
  opts: { fetch?: (url: string) => Promise<Buffer>; cacheDir?: string; warn?: (m: string) => void } = {},
): Promise<ProtectedIdentity[]> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (err) {
    throw new ProtectListError(`${path}: cannot read: ${(err as Error).message}`);
  }
  // a UTF-16 byte order mark: the text may have no NUL bytes to tell it by (all its letters Persian, say)
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))
    throw new ProtectListError(utf16Message("\u0000", path)!);
  const text = bytes.toString("utf8");
  const list = parseProtectCsv(text, path, dirname(resolve(path)));
  for (const id of list) {
    if (!id.avatar) continue;
    const h = validHash(id.avatar) ?? (await avatarHashFor(id.avatar, opts));
    if (h) id.avatar_hash = h;
    else opts.warn?.(`${path}: avatar of @${id.handle} could not be read (${id.avatar})`);
  }
  return list;
}

/**
 * Protected identities: the people and outlets an organisation watches over, given as a CSV with columns
 * `handle, display_name` and optionally `platform, avatar, domain`. The CLI reads and validates the file (errors
 * name the file and line) and hashes local avatar images; the detector receives the parsed list as a parameter.
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

/** Parse a protect list; `file` names it in errors, `baseDir` resolves relative avatar paths. */
export function parseProtectCsv(text: string, file: string, baseDir: string): ProtectedIdentity[] {
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
  const header = rows[0]!.map((h) => h.toLowerCase());
  for (const h of header) {
    if (!COLUMNS.includes(h))
      throw new ProtectListError(`${file}: line 1: unknown column '${h}' (columns: ${COLUMNS.join(", ")})`);
  }
  if (!header.includes("handle")) throw new ProtectListError(`${file}: line 1: no 'handle' column`);
  const out: ProtectedIdentity[] = [];
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
    const handle = (rec["handle"] ?? "").replace(/^@/, "");
    if (!handle) throw new ProtectListError(`${file}: line ${line}: empty handle`);
    const id: ProtectedIdentity = { handle };
    if (rec["display_name"]) id.display_name = rec["display_name"];
    if (rec["platform"]) id.platform = rec["platform"].toLowerCase();
    if (rec["domain"]) id.domain = rec["domain"].toLowerCase();
    if (rec["avatar"]) {
      const a = rec["avatar"];
      id.avatar = /^[a-z]+:/i.test(a) || isAbsolute(a) ? a : resolve(baseDir, a);
    }
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
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    throw new ProtectListError(`${path}: cannot read: ${(err as Error).message}`);
  }
  const list = parseProtectCsv(text, path, dirname(resolve(path)));
  for (const id of list) {
    if (!id.avatar) continue;
    const h = validHash(id.avatar) ?? (await avatarHashFor(id.avatar, opts));
    if (h) id.avatar_hash = h;
    else opts.warn?.(`${path}: avatar of @${id.handle} could not be read (${id.avatar})`);
  }
  return list;
}

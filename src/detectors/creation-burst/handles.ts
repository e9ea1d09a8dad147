/**
 * What an account factory leaves in profiles: handles cut from one template (a word and a run of digits, the same
 * shape, the same leading word) and profiles left at their defaults (no bio, no avatar, no display name or the
 * handle repeated as one). Each alone is common among real people (birth years in handles, empty bios); inside a
 * creation burst, a shape shared far beyond its share among all accounts is the factory's signature.
 */

/**
 * The shape of a handle: letter runs become `L`, digit runs `D` with their length, other characters stay.
 * `ali_reza84721` → `L_LD5`, `daniel1974` → `LD4`, `Mina.K` → `L.L`.
 */
export function handleShape(handle: string): string {
  let out = "";
  let i = 0;
  while (i < handle.length) {
    const c = handle[i]!;
    if (/\p{L}/u.test(c)) {
      while (i < handle.length && /\p{L}/u.test(handle[i]!)) i++;
      out += "L";
    } else if (/\p{Nd}/u.test(c)) {
      let n = 0;
      while (i < handle.length && /\p{Nd}/u.test(handle[i]!)) {
        i++;
        n++;
      }
      out += `D${n}`;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** The leading word of a handle (letters only, lower-cased), when it has at least three letters. */
export function leadingWord(handle: string): string | null {
  const m = /^\p{L}{3,}/u.exec(handle);
  return m ? m[0].toLowerCase() : null;
}

/**
 * A word (possibly two, joined by `_` or `.`) followed by four or more digits and nothing else. Two words joined by
 * nothing are one run of letters: spelling that as a second optional run (`\p{L}+(?:[_.]?\p{L}+)?`) made the
 * pattern try every split of a long run of letters, and a handle of 80,000 letters took 76 s.
 */
export function wordAndDigits(handle: string): boolean {
  return /^\p{L}+(?:[_.]\p{L}+)?[_.]?\d{4,}$/u.test(handle);
}

export interface ProfileFields {
  handle: string | null;
  displayName: string | null;
  bio: string | null;
  avatar: string | null;
}

/** Which fields a case carries at all: a field no account has is missing data, not a default profile. */
export interface FieldCoverage {
  displayName: boolean;
  bio: boolean;
  avatar: boolean;
}

const blank = (s: string | null): boolean => s === null || s.trim() === "";

/** Platform placeholders for "no picture uploaded". */
const DEFAULT_AVATAR =
  /default_profile|default-avatar|\/avatar\/default|missing\.png|avatars\/original\/missing/i;

/** The profile fields left at their defaults, among those the case carries. */
export function defaultFields(p: ProfileFields, coverage: FieldCoverage): string[] {
  const out: string[] = [];
  if (coverage.bio && blank(p.bio)) out.push("no bio");
  if (coverage.avatar && (blank(p.avatar) || DEFAULT_AVATAR.test(p.avatar!))) out.push("no avatar");
  if (coverage.displayName) {
    if (blank(p.displayName)) out.push("no display name");
    else if (p.handle && p.displayName!.trim() === p.handle) {
      out.push("display name is the handle");
    }
  }
  return out;
}

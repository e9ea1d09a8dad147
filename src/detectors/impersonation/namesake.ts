/**
 * What tells a popular account's copy from its namesake. People who share a name choose handles that spell it
 * (`ali_karimi`, `alikarimi1990` beside the footballer's `alikarimi`), join after the famous one and have few
 * followers: so do plain copies. Namesakes write their own bio and put up their own photo; copies take the
 * original's bio, photo or display name to the character, or disguise the handle. A shared plain name and a
 * handle variant are therefore no evidence of copying on their own (see `matchAmongAccounts`), and a finding
 * that rests on them alone says what it has of its own.
 */
import { isInvisible } from "../../normalize/confusables.js";
import { foldText } from "../../normalize/text.js";
import { hamming, validHash } from "./avatar.js";

/** What people write inside a name: spaces, the separators of compound names, joiners. */
const NAME_PUNCTUATION = /^[\s.\-'’_·]$/u;
/** A number at the end of a display name: a year or a count, dropped by the name key as by handles'. */
const TRAILING_NUMBER = /[\s._-]*\p{Nd}+\s*$/u;
/** Scripts a name is written in; Japanese mixes its three, which count as one. */
const SCRIPTS: ReadonlyArray<[string, RegExp]> = [
  ["Latin", /\p{Script=Latin}/u],
  ["Arabic", /\p{Script=Arabic}/u],
  ["Cyrillic", /\p{Script=Cyrillic}/u],
  ["Greek", /\p{Script=Greek}/u],
  ["Hebrew", /\p{Script=Hebrew}/u],
  ["Armenian", /\p{Script=Armenian}/u],
  ["Georgian", /\p{Script=Georgian}/u],
  ["Devanagari", /\p{Script=Devanagari}/u],
  ["Thai", /\p{Script=Thai}/u],
  ["Hangul", /\p{Script=Hangul}/u],
  ["CJK", /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u],
];

const scriptOf = (ch: string): string => SCRIPTS.find(([, re]) => re.test(ch))?.[0] ?? "other";

/**
 * Whether a display name carries more than a person's name: an emoji or symbol, punctuation other than a name's
 * own separators (`Ali Karimi | علی کریمی`, `Ali Karimi (official)`), a digit inside it, or letters of two
 * scripts (`BBC News فارسی`). Two accounts that share such a name took it from one another; a plain name
 * (`Ali Karimi`, `علی کریمی`, `Jean-Luc Picard`) is written the same by everyone who has it.
 *
 * @example decoratedName("Ali Karimi ⚽") // true
 * @example decoratedName("Ali Karimi 1990") // false: a trailing number, as in handles
 */
export function decoratedName(name: string): boolean {
  const scripts = new Set<string>();
  for (const ch of name.normalize("NFC").replace(TRAILING_NUMBER, "")) {
    if (isInvisible(ch) || NAME_PUNCTUATION.test(ch) || /^\p{M}$/u.test(ch)) continue;
    if (!/^\p{L}$/u.test(ch)) return true;
    scripts.add(scriptOf(ch));
  }
  return scripts.size > 1;
}

/** The parts of a profile that tell its owner apart. */
export interface ProfileParts {
  bio: string | null;
  avatarHash: string | null;
}

/** What an account that may be a namesake has of its own, against the account it was matched to. */
export interface OwnProfile {
  /** A bio that is not the original's. */
  ownBio: boolean;
  /** A profile photo that is not the original's (more than `avatarMaxHamming` bits apart). */
  ownPhoto: boolean;
}

/** What `suspect` has of its own beside `original`: a bio and a photo that are not the original's. */
export function ownProfile(
  suspect: ProfileParts,
  original: ProfileParts,
  avatarMaxHamming: number,
): OwnProfile {
  const bio = suspect.bio ? foldText(suspect.bio).trim() : "";
  const theirs = original.bio ? foldText(original.bio).trim() : "";
  const photo = validHash(suspect.avatarHash);
  const theirPhoto = validHash(original.avatarHash);
  return {
    ownBio: bio !== "" && bio !== theirs,
    ownPhoto: photo !== null && (theirPhoto === null || hamming(photo, theirPhoto) > avatarMaxHamming),
  };
}

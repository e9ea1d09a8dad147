/**
 * Spellings of one name that are not disguises. Persian and Arabic writers spell a name in several correct ways:
 * the two keyboards type yeh and kaf differently (ي/ی, ك/ک), alef is written with or without its hamza or madda
 * (أحمد, احمد), teh marbuta and heh alternate (فاطمة, فاطمه), and a compound name is written with a zero-width
 * non-joiner, a space or nothing between its parts (محمد‌رضا, محمد رضا, محمدرضا). Two accounts whose names differ
 * only so have the same name; calling that a lookalike would weigh an ordinary namesake above an exact copy.
 *
 * The letter rewrites are `foldText`'s, applied to the characters of the Arabic block alone: the invisible
 * characters, compatibility forms (fullwidth letters, Arabic presentation forms) and homoglyphs of other scripts
 * that `foldText` also erases stay as they are, since in a name or handle they are what a copy hides behind.
 */
import { isInvisible } from "../../normalize/confusables.js";
import { foldText } from "../../normalize/text.js";

const ZWNJ = "\u200c";

/**
 * A character of the Arabic block that `foldText` may rewrite: not an invisible one (U+061C ARABIC LETTER MARK),
 * which `foldText` erases like any format character but which in a name is a disguise, not a spelling.
 */
const inArabicBlock = (ch: string): boolean => ch >= "\u0600" && ch <= "\u06ff" && !isInvisible(ch);

/** Each character of the Arabic block as `foldText` writes it (others unchanged); memoised, the block is small. */
const folded = new Map<string, string>();
function foldArabic(ch: string): string {
  let f = folded.get(ch);
  if (f === undefined) {
    f = foldText(ch);
    folded.set(ch, f);
  }
  return f;
}

/** A handle as written, to tell the same handle apart: without its @, composed (NFC), lower case. */
export const lowerHandle = (s: string | null | undefined): string =>
  (s ?? "").replace(/^@/, "").normalize("NFC").toLowerCase();

/**
 * A handle as its writer typed it, whatever the keyboard or spelling: `lowerHandle`, then each Arabic letter and
 * digit as `foldText` writes it (ي ى ئ as ی, ك as ک, أ إ آ ٱ as ا, ة ۀ as ه, Arabic-Indic and Persian digits as
 * ASCII). Harakat, tatweel and joiners are kept: a handle has no use for them, and in one they disguise. Two
 * handles of one typed form are the same handle written on two keyboards (علي and علی), not a disguise.
 */
export function typedForm(s: string | null | undefined): string {
  let out = "";
  for (const ch of lowerHandle(s)) {
    const f = inArabicBlock(ch) ? foldArabic(ch) : ch;
    out += f === "" ? ch : f;
  }
  return out;
}

/** Spaces and non-joiners between two Arabic-script letters: the joints of a compound name. */
const ARABIC_JOINT_RE = /(?<=\p{Script=Arabic})[\s\u200c]+(?=\p{Script=Arabic})/gu;

/**
 * A display name with the innocent differences of Persian and Arabic spelling erased: `typedForm`'s letters,
 * harakat, tatweel and the non-joiner removed, and the joints of a compound name (a space, a non-joiner or
 * nothing) made nothing. Anything else, a homoglyph, a zero-width space, an Arabic letter mark, a fullwidth
 * letter, is kept.
 */
export function spellingForm(s: string): string {
  // letters and digits first, so that a Persian digit (of the Arabic script) and an ASCII one sit alike
  let out = "";
  for (const ch of s.normalize("NFC").toLowerCase()) out += inArabicBlock(ch) ? foldArabic(ch) : ch;
  return out.replace(ARABIC_JOINT_RE, "").replaceAll(ZWNJ, "").replace(/\s+/g, " ").trim();
}

/** Whether `s` holds the letters of at most one of the Arabic and Persian keyboards (not both ي and ی, say). */
export function oneKeyboard(s: string): boolean {
  return !(/[\u064a\u0649\u0643]/.test(s) && /[\u06cc\u06a9]/.test(s));
}

/**
 * Whether two display names are one name, spelt as Persian and Arabic writers spell it (see `spellingForm`). A
 * name that mixes both keyboards' yeh or kaf was typed on neither, and is not taken for the same name.
 */
export function sameSpelling(a: string, b: string): boolean {
  return spellingForm(a) === spellingForm(b) && oneKeyboard(a) && oneKeyboard(b);
}

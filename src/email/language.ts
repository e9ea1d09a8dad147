/**
 * Hostile language in the subject and body: credential theft, extortion, threats, and pressure to act at once,
 * in English, Persian and Arabic. A first, small lexicon of phrases (not single words), matched after folding
 * (case, Arabic/Persian letter forms, ZWNJ), so that "verify your account" or "رمز عبور خود را" is found however
 * it was typed. Phrases are evidence for a reviewer, never proof on their own: a real bank also says "password".
 */
import { foldText } from "../normalize/text.js";
import type { Reason } from "./types.js";

/** Text beyond this many characters is not scanned. */
export const MAX_LANGUAGE_CHARS = 200_000;

export type Tone = "credential" | "extortion" | "threat" | "urgency";

export const LEXICON: Record<Tone, Record<"en" | "fa" | "ar", string[]>> = {
  credential: {
    en: [
      "verify your account",
      "confirm your identity",
      "confirm your password",
      "update your password",
      "your password will expire",
      "your account has been suspended",
      "your account will be suspended",
      "your account will be closed",
      "unusual sign-in activity",
      "unusual login attempt",
      "log in to restore",
      "sign in to view the document",
      "validate your mailbox",
      "mailbox is full",
      "enter your credentials",
      "security verification required",
    ],
    fa: [
      "رمز عبور خود را",
      "گذرواژه خود را",
      "حساب شما مسدود",
      "حساب کاربری شما مسدود",
      "تایید هویت",
      "هویت خود را تایید",
      "وارد حساب خود شوید",
      "ورود مشکوک",
      "فعالیت مشکوک در حساب",
      "کد تایید را",
      "حساب شما غیرفعال",
    ],
    ar: [
      "كلمة المرور الخاصة بك",
      "تأكيد هويتك",
      "تحقق من حسابك",
      "سيتم تعليق حسابك",
      "تم تعليق حسابك",
      "سيتم إغلاق حسابك",
      "تسجيل الدخول لتأكيد",
      "نشاط غير معتاد",
      "أدخل بيانات الدخول",
      "رمز التحقق",
    ],
  },
  extortion: {
    en: [
      "pay in bitcoin",
      "bitcoin address",
      "btc wallet",
      "we have recorded you",
      "i recorded you",
      "i have access to your device",
      "i hacked your",
      "send the video to all your contacts",
      "publish your photos",
      "your private photos",
      "unless you pay",
      "if you do not pay",
    ],
    fa: [
      "بیت کوین",
      "عکس های خصوصی",
      "فیلم های خصوصی",
      "منتشر خواهیم کرد",
      "منتشر میکنیم",
      "آبروی تو",
      "آبرویت را",
      "اگر پول را",
      "مبلغ را واریز",
    ],
    ar: ["بيتكوين", "صورك الخاصة", "سننشر", "سوف ننشر", "فضيحتك", "ما لم تدفع", "إذا لم تدفع", "حول المبلغ"],
  },
  threat: {
    en: [
      "we know where you live",
      "we know where your family",
      "you will regret",
      "you will pay for",
      "we are watching you",
      "your family will",
      "you will be killed",
      "we will kill",
      "last warning",
      "this is your final warning",
      "stop your activities",
      "you will be arrested",
    ],
    fa: [
      "میدانیم کجا زندگی",
      "میدانیم کجا هستی",
      "خانواده ات در امان",
      "سراغ خانواده ات",
      "پشیمان خواهی شد",
      "پشیمان میشوی",
      "آخرین هشدار",
      "تو را میکشیم",
      "کشته خواهی شد",
      "بازداشت خواهی شد",
      "دست از فعالیت",
      "مراقب خودت باش",
      "تحت نظر هستی",
    ],
    ar: [
      "نعرف أين تسكن",
      "نعرف مكان",
      "عائلتك لن تكون بأمان",
      "سنصل إلى عائلتك",
      "ستندم",
      "سوف تندم",
      "التحذير الأخير",
      "تحذير أخير",
      "سنقتلك",
      "سيتم اعتقالك",
      "أوقف نشاطك",
      "نحن نراقبك",
    ],
  },
  urgency: {
    en: [
      "within 24 hours",
      "within 48 hours",
      "immediately",
      "act now",
      "urgent action required",
      "final notice",
    ],
    fa: ["ظرف ۲۴ ساعت", "ظرف ۴۸ ساعت", "فورا", "هرچه سریعتر", "اقدام فوری"],
    ar: ["خلال 24 ساعة", "خلال ٤٨ ساعة", "فورا", "على الفور", "إجراء عاجل"],
  },
};

/** Fold, and join the Persian continuous prefix to its verb whichever way it was written. */
function fold(s: string): string {
  return foldText(s).replace(/(^|\s)(ن?می) /g, "$1$2");
}

let folded: Array<{ tone: Tone; lang: string; phrase: string; key: string }> | null = null;
function lexicon(): NonNullable<typeof folded> {
  folded ??= Object.entries(LEXICON).flatMap(([tone, langs]) =>
    Object.entries(langs).flatMap(([lang, phrases]) =>
      phrases.map((phrase) => ({ tone: tone as Tone, lang, phrase, key: fold(phrase) })),
    ),
  );
  return folded;
}

const WEIGHTS: Record<Tone, [number, number]> = {
  credential: [0.2, 0.35],
  extortion: [0.35, 0.5],
  threat: [0.4, 0.55],
  urgency: [0.05, 0.1],
};

const LABELS: Record<Tone, string> = {
  credential: "asks for passwords or account verification",
  extortion: "demands payment under threat of exposure",
  threat: "threatens the reader or their family",
  urgency: "pushes the reader to act at once",
};

/** Phrases found, by tone, and one reason per tone. */
export function checkLanguage(subject: string, body: string): { reasons: Reason[]; languages: string[] } {
  const text = fold(`${subject}\n${body}`.slice(0, MAX_LANGUAGE_CHARS));
  const hits = new Map<Tone, Array<{ phrase: string; lang: string }>>();
  for (const e of lexicon()) {
    if (!text.includes(e.key)) continue;
    const list = hits.get(e.tone) ?? [];
    list.push({ phrase: e.phrase, lang: e.lang });
    hits.set(e.tone, list);
  }
  const reasons: Reason[] = [];
  for (const [tone, list] of hits) {
    const [one, many] = WEIGHTS[tone];
    const weight = list.length >= 2 ? many : one;
    reasons.push({
      code: `language.${tone}`,
      severity: tone === "urgency" ? "low" : weight >= 0.4 ? "high" : "medium",
      weight,
      message: `The text ${LABELS[tone]}: ${list
        .slice(0, 4)
        .map((h) => `"${h.phrase}"`)
        .join(", ")}.`,
      evidence: { kind: "body", ref: "subject and body", value: list.map((h) => h.phrase).join(" | ") },
    });
  }
  const languages = [...new Set([...hits.values()].flat().map((h) => h.lang))];
  return { reasons, languages };
}

/**
 * Words of the sign-in topic (not phrases of a lure): a message that talks about passwords or signing in. Alone they
 * mean nothing (every password reset has them); with a link to a place anyone can publish they are the shape of
 * credential phishing.
 */
export const CREDENTIAL_TERMS: Record<"en" | "fa" | "ar", string[]> = {
  en: [
    "password",
    "passcode",
    "sign in",
    "sign-in",
    "log in",
    "login",
    "credentials",
    "mailbox",
    "verify your",
  ],
  fa: ["رمز عبور", "گذرواژه", "کلمه عبور", "ورود به حساب", "نام کاربری", "صندوق پستی"],
  ar: ["كلمة المرور", "كلمة السر", "تسجيل الدخول", "اسم المستخدم", "صندوق البريد"],
};

let foldedTerms: string[] | null = null;

/** The first sign-in term the subject or body uses, if any. */
export function credentialTerm(subject: string, body: string): string | undefined {
  foldedTerms ??= Object.values(CREDENTIAL_TERMS).flat();
  const text = fold(`${subject}\n${body}`.slice(0, MAX_LANGUAGE_CHARS));
  return foldedTerms.find((t) => text.includes(fold(t)));
}

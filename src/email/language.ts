/**
 * Hostile language in the subject and body: credential theft, extortion, threats, and pressure to act at once,
 * in English, Persian and Arabic. A first, small lexicon of phrases (not single words), matched after folding
 * (case, Arabic/Persian letter forms, ZWNJ), so that "verify your account" or "رمز عبور خود را" is found however
 * it was typed. Phrases are evidence for a reviewer, never proof on their own: a real bank also says "password".
 */
import { foldText } from "../normalize/text.js";
import { asWritten, markSentenceEnds, protectionMatchers } from "./protection-threats.js";
import type { Reason } from "./types.js";

/** Text beyond this many characters is not scanned. */
export const MAX_LANGUAGE_CHARS = 200_000;

export type Tone = "credential" | "extortion" | "threat" | "urgency";

/**
 * Phrases by tone and language. A phrase may say the same thing several ways: `{a|b}` is either wording (one
 * finding whichever is used); in a Latin-script phrase, `...` stands for up to three words of the same sentence, and
 * a final "." asks for the sentence to end there.
 */
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
      "{usd in bitcoin|eur in bitcoin|dollars in bitcoin|euros in bitcoin|in bitcoin to}",
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
      "منتشر می‌کنیم",
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
      "we know your {daily route|routine|movements}",
      "{you will|you'll} regret this",
      // "or you will regret it" is a threat; "you will regret it if you miss the concert" is not
      "{or|or else} {you will|you'll|you are going to|you're going to} regret {it|this|that}",
      "you will pay for this",
      "we are watching you",
      "we are following you",
      "you will be killed",
      "we will kill",
      "your {last|final} warning",
      "stop your activities",
      "you will be arrested",
      // threats against the reader's protection ("nobody in London can protect you.", "your lawyers can't
      // protect you.") are matched by their shape: protection-threats.ts
    ],
    fa: [
      "می‌دانیم کجا زندگی",
      "می‌دانیم کجا هستی",
      "خانواده ات در امان",
      "سراغ خانواده ات",
      // the familiar and the formal (plural) second person alike
      "پشیمان {خواهی شد|خواهید شد|می‌شوی|می‌شوید}",
      "آخرین هشدار",
      "{تو را|شما را} می‌کشیم",
      "کشته {خواهی شد|خواهید شد}",
      "بازداشت {خواهی شد|خواهید شد}",
      "دست از فعالیت",
      "تحت نظر {هستی|هستید}",
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

/**
 * Phrases that count only beside another phrase of their tone, since ordinary mail says them too: the setting of
 * extortion rather than the act (a photo service backs up "your private photos"), and words of a threat that a
 * social network's notice ("we are following you too") or an event's reminder ("your last warning before
 * registration closes") use.
 */
const ONLY_WITH_OTHERS: ReadonlySet<string> = new Set([
  "your private photos",
  "we are following you",
  "your last warning",
  "your final warning",
]);

/** Phrases that are no threat when the next word is definite: "we know the meeting place" (نعرف مكان الاجتماع). */
const NOT_BEFORE_DEFINITE = ["نعرف مكان"];
let notBeforeDefinite: ReadonlySet<string> | null = null;

/** Letters that Arabic writes before a word, joined to it: and, so, with, for, as; and the article (بالبيتكوين). */
const PROCLITICS = /^(?:[وف]?(?:[بلک]?ال|[بلک]|لل)?|ال)$/u;

const WORD_CHAR = /^[\p{L}\p{N}\p{M}]$/u;
const ARABIC_SCRIPT = /\p{Script=Arabic}/u;

/**
 * Whether `key` occurs in `text` as words. A Latin phrase stands alone: no letter or digit just before or after
 * it ("you will pay for" is not in "you will pay for one item"... unless it ends there). An Arabic-script phrase may
 * carry the proclitics Arabic joins to a word's start (و ف ب ل ک and the article: "بالبيتكوين", "وستندم") and
 * any suffix after it, but no other letter before it ("ستندم" is not in "مستندم", "my documentary").
 */
function hasWords(text: string, key: string): boolean {
  const arabic = ARABIC_SCRIPT.test(key);
  for (let at = text.indexOf(key); at >= 0; at = text.indexOf(key, at + 1)) {
    let start = at;
    while (start > 0 && WORD_CHAR.test(text[start - 1]!)) start--;
    const prefix = text.slice(start, at);
    const after = text[at + key.length] ?? "";
    const leftOk = prefix === "" || (arabic && PROCLITICS.test(prefix));
    const rightOk = arabic || !WORD_CHAR.test(after);
    if (!leftOk || !rightOk) continue;
    notBeforeDefinite ??= new Set(NOT_BEFORE_DEFINITE.map(fold));
    if (notBeforeDefinite.has(key) && /^\s*ال/u.test(text.slice(at + key.length))) continue;
    return true;
  }
  return false;
}

/** Fold, and join the Persian continuous prefix to its verb whichever way it was written. */
function fold(s: string): string {
  return (
    foldText(s)
      // a curly apostrophe is the straight one of the lexicon ("won’t")
      .replace(/[\u2018\u2019]/g, "'")
      .replace(/(^|\s)(ن?می) /g, "$1$2")
      // "خانواده ات" and "خانواده‌ات" (ZWNJ, removed by foldText) are one word
      .replace(/ه (ات|ام|اش|ای|ها|های|هایت|تان|مان|شان)(?=[\s.,،!?؟:;]|$)/g, "ه$1")
  );
}

/** Every wording of a phrase written with `{a|b}` alternatives. */
export function wordings(phrase: string): string[] {
  const m = /\{([^{}]*)\}/.exec(phrase);
  if (!m) return [phrase];
  return m[1]!
    .split("|")
    .flatMap((alt) => wordings(phrase.slice(0, m.index) + alt + phrase.slice(m.index + m[0].length)))
    .map((w) => w.replace(/ {2,}/g, " ").trim());
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** One wording as the text is searched for it: a plain folded key, or a pattern for a gap or a sentence end. */
type Matcher = { wording: string; key: string } | { wording: string; re: RegExp };

function matcher(wording: string): Matcher {
  const ends = wording.endsWith(".");
  const body = ends ? wording.slice(0, -1) : wording;
  if (!ends && !body.includes(" ... ")) return { wording, key: fold(wording) };
  const parts = body.split(" ... ").map((p) => escapeRe(fold(p)));
  return {
    wording: body,
    re: new RegExp(
      `(?<![\\p{L}\\p{N}\\p{M}])${parts.join("(?: [^ .!?;]+){0,3} ")}` +
        (ends ? "(?= ?(?:[.!?;]|$))" : "(?![\\p{L}\\p{N}\\p{M}])"),
      "u",
    ),
  };
}

let folded: Array<{ tone: Tone; lang: string; phrase: string; matchers: Matcher[] }> | null = null;
function lexicon(): NonNullable<typeof folded> {
  folded ??= Object.entries(LEXICON).flatMap(([tone, langs]) =>
    Object.entries(langs).flatMap(([lang, phrases]) =>
      phrases.map((phrase) => ({
        tone: tone as Tone,
        lang,
        phrase,
        matchers: wordings(phrase).map(matcher),
      })),
    ),
  );
  return folded;
}

/** The wording of a lexicon entry the text uses, if any. */
function found(text: string, matchers: Matcher[]): string | undefined {
  return matchers.find((m) => ("re" in m ? m.re.test(text) : hasWords(text, m.key)))?.wording;
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

/** The first phrases found, quoted, for a reason's message. */
const quote = (list: Array<{ phrase: string }>): string =>
  list
    .slice(0, 4)
    .map((h) => `"${h.phrase}"`)
    .join(", ");

let protection: ReturnType<typeof protectionMatchers> | null = null;

/** Tones that authenticated bulk mail quotes in its stories (a news digest reporting a threat) without making one. */
const REPORTED_IN_NEWS: ReadonlySet<Tone> = new Set(["threat", "extortion"]);

/**
 * Phrases found, by tone, and one reason per tone. `bulk` is for authenticated bulk mail (see `checkPressure`): its
 * threats and extortion are those of the stories it reports, addressed to someone else, and are only noted.
 */
export function checkLanguage(
  subject: string,
  body: string,
  opts: { bulk?: boolean } = {},
): { reasons: Reason[]; languages: string[] } {
  const text = fold(`${subject}\n${body}`.slice(0, MAX_LANGUAGE_CHARS));
  const hits = new Map<Tone, Array<{ phrase: string; lang: string }>>();
  for (const e of lexicon()) {
    const wording = found(text, e.matchers);
    if (wording === undefined) continue;
    const list = hits.get(e.tone) ?? [];
    list.push({ phrase: wording, lang: e.lang });
    hits.set(e.tone, list);
  }
  // one sentence denying the reader any protector is a threat on its own (not one of ONLY_WITH_OTHERS)
  const raw = markSentenceEnds(`${subject}\n${body}`.slice(0, MAX_LANGUAGE_CHARS));
  const sentences = fold(raw);
  for (const { lang, re } of (protection ??= protectionMatchers(fold))) {
    const m = re.exec(sentences);
    if (!m) continue;
    const at = sentences.slice(0, m.index).split(" ").length - 1;
    const list = hits.get("threat") ?? [];
    list.push({ phrase: asWritten(raw, m[0], at, fold), lang });
    hits.set("threat", list);
  }
  const reasons: Reason[] = [];
  for (const [tone, list] of hits) {
    if (list.every((h) => ONLY_WITH_OTHERS.has(h.phrase))) continue;
    const [one, many] = WEIGHTS[tone];
    const weight = list.length >= 2 ? many : one;
    const quoted = quote(list);
    if (opts.bulk && REPORTED_IN_NEWS.has(tone)) {
      reasons.push({
        code: `language.${tone}`,
        severity: "info",
        weight: 0,
        message: `The text has words that ${LABELS[tone].replace(/s /, " ")} (${quoted}), in authenticated bulk mail (a newsletter), where they are usually quoted from a news story: only noted.`,
        evidence: { kind: "body", ref: "subject and body", value: list.map((h) => h.phrase).join(" | ") },
      });
      continue;
    }
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

/**
 * Pressure through the family and the reach of the state, the usual shape of transnational repression against
 * people abroad (relatives summoned or questioned, "being abroad will not protect you"), which rarely uses a stock
 * phrase. Two findings, each from two kinds of words anywhere in the message: the reader's own relatives (second
 * person: خانواده‌ات, عائلتك, your family) with words of coercion (summoned, interrogation, arrest, pay the price,
 * last warning, stop writing); and the reader being abroad with a promise to reach them.
 */
export const PRESSURE_TERMS = {
  family: {
    en: [
      "your family",
      "your mother",
      "your father",
      "your brother",
      "your sister",
      "your parents",
      "your wife",
      "your husband",
      "your children",
      "your relatives",
    ],
    fa: [
      "خانواده‌ات",
      "خانواده‌تان",
      "برادرت",
      "خواهرت",
      "مادرت",
      "پدرت",
      "همسرت",
      "فرزندانت",
      "بچه‌هایت",
      "پدر و مادرت",
      "بستگانت",
      // the formal address, to a stranger or an elder: "مادر شما" and "مادرتان" (your mother)
      "خانواده شما",
      "مادر شما",
      "مادرتان",
      "پدر شما",
      "پدرتان",
      "برادر شما",
      "برادرتان",
      "خواهر شما",
      "خواهرتان",
      "همسر شما",
      "همسرتان",
      "فرزندان شما",
      "فرزندانتان",
      "پدر و مادر شما",
      "بستگان شما",
      "بستگانتان",
    ],
    ar: [
      "عائلتك",
      "أهلك",
      "والدتك",
      "والدك",
      "أخوك",
      "أخاك",
      "أختك",
      "أمك",
      "أبوك",
      "زوجتك",
      "أولادك",
      "أقاربك",
      // the plural, also used to address one person formally
      "عائلتكم",
      "أهلكم",
      "والدتكم",
      "والدكم",
      "أقاربكم",
    ],
  },
  coercion: {
    en: [
      "summoned",
      "interrogat",
      "arrested",
      "arrest ",
      "pay the price",
      "last warning",
      "stop writing",
      "close your page",
      "shut down your",
    ],
    fa: [
      "احضار",
      "بازجویی",
      "بازداشت",
      "دستگیر",
      "زندان",
      "تاوان",
      "آخرین هشدار",
      "نوبت خودت",
      "صفحه‌ات را ببند",
      "مصاحبه نکن",
      "ساکت شو",
      "سکوت کن",
      "پشیمان",
    ],
    ar: [
      "استدعي",
      "التحقيق",
      "اعتقال",
      "السجن",
      "ستدفع الثمن",
      "آخر تحذير",
      "تحذير أخير",
      "سيحاسب",
      "اسكت",
      "أغلق صفحتك",
      "ستندم",
    ],
  },
  abroad: {
    en: ["abroad", "outside the country", "in exile"],
    fa: ["خارج از ایران", "خارج از کشور", "در خارج"],
    ar: ["في الخارج", "خارج البلاد", "وجودك في الخارج"],
  },
  reach: {
    en: ["we can reach you", "we will reach you", "will not protect you", "won't protect you"],
    fa: ["دست ما به تو", "به تو می‌رسیم", "تو را پیدا", "در امان نیستی", "نمی‌توانی پنهان"],
    ar: ["سنصل إليك", "لا يحميك", "لن يحميك", "لن تستطيع الاختباء", "سنجدك"],
  },
} as const;

type PressureKind = keyof typeof PRESSURE_TERMS;
/** Characters between the two kinds of words, at most. */
export const PRESSURE_SPAN = 120;
let foldedPressure: Record<PressureKind, string[]> | null = null;

const LETTER = /\p{L}/u;
/** Arabic and Persian words take a one-letter conjunction or preposition in front (وعائلتك, بخانواده‌ات). */
const PROCLITIC = new Set(["و", "ف", "ب", "ل"]);

/**
 * Whether text[i, i+len) starts a word (no letter glued in front, but for a proclitic) and, when `whole`, ends
 * one. Words of coercion are stems that take endings (تاوانش, استدعيت, interrogation); relatives are not.
 */
function wordAt(text: string, i: number, len: number, whole: boolean): boolean {
  const after = text[i + len];
  if (whole && after !== undefined && LETTER.test(after)) return false;
  const before = text[i - 1];
  if (before === undefined || !LETTER.test(before)) return true;
  return PROCLITIC.has(before) && !LETTER.test(text[i - 2] ?? " ");
}

/**
 * Reasons for family pressure and for reach abroad, each naming the words that made it. Bulk mail (with a
 * List-Unsubscribe header: newsletters, shops, news digests) is not read for them: its stories about other
 * people's families and trips abroad are not addressed to the reader.
 */
export function checkPressure(subject: string, body: string, opts: { bulk?: boolean } = {}): Reason[] {
  if (opts.bulk) return [];
  foldedPressure ??= Object.fromEntries(
    Object.entries(PRESSURE_TERMS).map(([k, langs]) => [k, Object.values(langs).flat()]),
  ) as Record<PressureKind, string[]>;
  const text = ` ${fold(`${subject}\n${body}`.slice(0, MAX_LANGUAGE_CHARS))} `;
  const at = (k: PressureKind): Array<{ term: string; i: number }> =>
    foldedPressure![k].flatMap((term) => {
      const key = fold(term);
      const out: Array<{ term: string; i: number }> = [];
      for (let i = text.indexOf(key); i >= 0 && out.length < 50; i = text.indexOf(key, i + 1))
        if (wordAt(text, i, key.length, k === "family" || k === "abroad")) out.push({ term, i });
      return out;
    });
  // the two kinds of words must stand close together (one or two sentences), not anywhere in a long newsletter
  const near = (a: PressureKind, b: PressureKind): [string, string] | undefined => {
    const bs = at(b);
    for (const x of at(a)) {
      const y = bs.find((z) => Math.abs(z.i - x.i) <= PRESSURE_SPAN);
      if (y) return [x.term, y.term];
    }
    return undefined;
  };
  const reasons: Reason[] = [];
  const [family, coercion] = near("family", "coercion") ?? [];
  if (family && coercion) {
    reasons.push({
      code: "language.family-pressure",
      severity: "high",
      weight: 0.45,
      message: `The text names the reader's relatives ("${family}") together with words of coercion ("${coercion}"), the way pressure through family members is applied.`,
      evidence: { kind: "body", ref: "subject and body", value: `${family} | ${coercion}` },
    });
  }
  const [abroad, reach] = near("abroad", "reach") ?? [];
  if (abroad && reach) {
    reasons.push({
      code: "language.reach-abroad",
      severity: "high",
      weight: 0.4,
      message: `The text tells the reader that being abroad ("${abroad}") will not keep them out of reach ("${reach}").`,
      evidence: { kind: "body", ref: "subject and body", value: `${abroad} | ${reach}` },
    });
  }
  return reasons;
}

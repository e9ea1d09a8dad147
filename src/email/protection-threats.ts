/**
 * Threats against the reader's protection: "your lawyers can't protect you", "no one can protect you", «وکیلت هم
 * نمی‌تونه نجاتت بده», «هیچ‌کس نمی‌تواند از تو محافظت کند», «لا أحد يستطيع حمايتك». Said to a journalist or an
 * activist, such a sentence is direct intimidation: it tells them that the people and institutions they rely on
 * (lawyers, friends, an embassy, a passport) will not stand between them and the sender. One such sentence is a
 * threat on its own.
 *
 * Ordinary mail says "protect you" too: a law firm's "our lawyers can protect you from liability", a security tip's
 * "antivirus cannot protect you", a parent's "no one can protect you from every risk". What sets the threat apart
 * is its shape, not its words: the protector is someone the reader relies on (theirs, or nobody at all), the
 * protection is denied (can't, won't, never), and the sentence ends on "you" (no "from liability" after it, in
 * English; in Persian and Arabic, whose verb comes last, the object sits right before the verb, and no "except" or
 * "if" follows). A sentence of that shape is matched; its words are evidence, quoted in the finding.
 *
 * The text is searched after `fold` (case, Arabic and Persian letter forms, ZWNJ), with sentence ends marked where
 * a paragraph ends or a line starts with a capital (see `markSentenceEnds`): plain-text mail wraps lines inside
 * sentences, and "can't protect you" must not end where a line does.
 */

/** Who the reader relies on for protection, by language (the possessive is part of the pattern, not the list). */
export const PROTECTORS = {
  en: [
    "lawyer",
    "lawyers",
    "attorney",
    "attorneys",
    "solicitor",
    "solicitors",
    "friend",
    "friends",
    "embassy",
    "embassies",
    "consulate",
    "government",
    "police",
    "colleagues",
    "employer",
    "editor",
    "editors",
    "newspaper",
    "organisation",
    "organization",
    "ngo",
    "supporters",
    "allies",
    "masters",
    "bosses",
    "handlers",
    "passport",
    "citizenship",
    "asylum",
    "bodyguard",
    "bodyguards",
  ],
  // the second person is in the subject's suffix (وکیلت "your lawyer") or, for institutions, in the object
  fa: [
    "وکیلت",
    "وکیلتان",
    "وکیلتون",
    "وکیل‌هایت",
    "وکیلات",
    "وکلایت",
    "وکلایتان",
    "دوستانت",
    "دوستات",
    "دوستانتان",
    "دوستاتون",
    "سفارتت",
    // an institution without the second person only with "even" (the police can't protect you, call us: an advert)
    "سفارت هم",
    "سفارتخانه هم",
    "پلیس هم",
    "دولتت",
    "همکارانت",
    "سازمانت",
    "روزنامه‌ات",
    "رسانه‌ات",
    "اربابانت",
    "اربابات",
    "حامیانت",
    "پاسپورتت",
    "گذرنامه‌ات",
    "تابعیتت",
  ],
  ar: [
    "محاموك",
    "محاميك",
    "محامیک",
    "سفارتك",
    "أصدقاؤك",
    "أصدقاءك",
    "حكومتك",
    "دولتك",
    "جوازك",
    "حتى الشرطة",
    "حتى السفارة",
  ],
} as const;

/** Subjects that deny the reader any protector: nobody, no country. */
const NOBODY = {
  en: [
    "nobody",
    "no one",
    "no-one",
    "no country",
    "no lawyer",
    "no embassy",
    "no government",
    "no court",
    "no organisation",
    "no organization",
  ],
  fa: [
    "هیچ‌کس",
    "هیچ کس",
    "هیچ‌کی",
    "هیچ کی",
    "هیچ وکیلی",
    "هیچ سفارتی",
    "هیچ دولتی",
    "هیچ کشوری",
    "هیچ قدرتی",
    "هیچ سازمانی",
  ],
  ar: ["لا أحد", "لا احد", "ولا أحد"],
};

const EN = {
  denied: [
    "can't",
    "cannot",
    "can not",
    "won't",
    "will not",
    "couldn't",
    "could not",
    "wouldn't",
    "would not",
    "will never",
    "can never",
    "won't be able to",
    "will not be able to",
    "aren't able to",
    "are not able to",
    "isn't able to",
    "is not able to",
    "are unable to",
    "is unable to",
  ],
  able: ["can", "could", "will", "is going to", "are going to", "will be able to"],
  verbs: ["protect", "save", "shield", "rescue"],
  // "nobody will save you" is also what self-help says ("... save yourself"): with nobody, only protection
  nobodyVerbs: ["protect", "shield"],
  // what may follow "you" before the sentence ends and keep it a threat; "from liability", "if you lie" do not
  after: [
    "now",
    "anymore",
    "any more",
    "any longer",
    "forever",
    "here",
    "there",
    "this time",
    "either",
    "everywhere",
    "from us",
    "from me",
    "from this",
    "from what is coming",
    "from what's coming",
  ],
};

const FA = {
  modal: ["نمی‌تواند", "نمی‌توانند", "نمی‌تونه", "نمی‌تونن", "نمی‌تونند", "نخواهد توانست", "نخواهند توانست"],
  // after the modal: the object and the verb, side by side ("from you protect", "save-you give")
  protect: [
    "از تو محافظت",
    "از شما محافظت",
    "ازت محافظت",
    "ازتون محافظت",
    "از تو حفاظت",
    "تو را نجات",
    "ترا نجات",
    "تورو نجات",
    "شما را نجات",
    "نجاتت",
    "نجاتتان",
    "نجاتتون",
    "تو را حفظ",
    "حفظت",
  ],
  // the subjunctive after the modal: kon- (do) for protect, dah- (give) for save
  subjunctive: [
    "کند",
    "کنه",
    "کنند",
    "کنن",
    "بکند",
    "بکنه",
    "دهد",
    "دهند",
    "بدهد",
    "بدهند",
    "بده",
    "بدن",
    "بدند",
  ],
  // without a modal: the verb itself denied, "will not protect you", "does not save you"
  denied: [
    "نمی‌کند",
    "نمی‌کنه",
    "نمی‌کنند",
    "نمی‌کنن",
    "نخواهد کرد",
    "نخواهند کرد",
    "نمی‌دهد",
    "نمی‌ده",
    "نمی‌دهند",
    "نمی‌دن",
    "نخواهد داد",
    "نخواهند داد",
  ],
  // an exception or a condition after the verb makes it advice: "no one but you can", "if you don't"
  notBefore: ["جز", "بجز", "به جز", "غیر از", "مگر", "اگر", "وقتی", "در برابر", "در مقابل"],
};

const AR = {
  able: [
    "يستطيع",
    "يستطيعون",
    "يستطيعوا",
    "تستطيع",
    "يمكنه",
    "يمكنهم",
    "يمكنها",
    "بإمكانه",
    "يقدر",
    "يقدرون",
  ],
  // the object pronoun is the reader: protecting you, saving you
  protect: ["حمايتك", "إنقاذك", "أن يحميك", "أن ينقذك", "أن تحميك"],
  denied: ["لن", "لا"],
  verbs: ["يحميك", "يحموك", "تحميك", "ينقذك", "ينقذوك", "تنقذك"],
  // "from" and "against" name what an advert protects from ("... حمايتك من الفيروسات")
  notBefore: ["إلا", "الا", "إذا", "اذا", "من دون", "بدون", "من", "ضد"],
};

/**
 * Sentence ends that plain text writes with a line: a blank line, or a line break before a capital letter. Other
 * line breaks are wraps inside a sentence.
 */
export function markSentenceEnds(text: string): string {
  return text.replace(/\r/g, "").replace(/\n[ \t]*\n|\n(?=[ \t]*\p{Lu})/gu, ".\n");
}

/** A regular expression per language over folded text, each match a threat against the reader's protection. */
export function protectionMatchers(
  fold: (s: string) => string,
): Array<{ lang: "en" | "fa" | "ar"; re: RegExp }> {
  const alt = (xs: readonly string[]): string =>
    [...new Set(xs.map((x) => fold(x)))]
      .sort((a, b) => b.length - a.length)
      .map((x) => x.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
      .join("|");
  const word = "[^ .!?;،؟]+";
  const gap = (n: number): string => `(?: ${word}){0,${n}}`;
  const start = "(?<![\\p{L}\\p{N}\\p{M}])";
  // a question ("Worried your lawyer can't protect you?") is an advert's or a reader's worry, not a threat
  const end = "(?= ?(?:[.!;]|$))";
  // English: "your (fancy) lawyers (in London) can't protect you (now).", "not even your embassy will save you.",
  // "nobody (in London) can protect you."
  const yours = `(?:even )?your${gap(2)} (?:${alt(PROTECTORS.en)})${gap(3)}`;
  const en = new RegExp(
    `${start}(?:(?:${yours} (?:${alt(EN.denied)})|not even your${gap(2)} (?:${alt(PROTECTORS.en)}),?${gap(2)} ` +
      `(?:${alt(EN.able)})) (?:${alt(EN.verbs)})|(?:${alt(NOBODY.en)})${gap(3)} (?:${alt(EN.able)}) ` +
      `(?:${alt(EN.nobodyVerbs)})) you(?: (?:${alt(EN.after)}))?${end}`,
    "u",
  );
  // Persian: subject (up to two words: "هم", "دیگر") modal (up to two words) object+verb subjunctive, or subject
  // object+verb denied
  const faSubject = `(?:${alt([...PROTECTORS.fa, ...NOBODY.fa])})${gap(2)}`;
  const faNot = `(?! (?:${alt(FA.notBefore)})(?![\\p{L}\\p{M}]))`;
  const fa = new RegExp(
    `${start}${faSubject} (?:(?:${alt(FA.modal)})${gap(2)} (?:${alt(FA.protect)}) (?:${alt(FA.subjunctive)})|(?:${alt(FA.protect)}) (?:${alt(FA.denied)}))(?![\\p{L}\\p{M}])${faNot}`,
    "u",
  );
  // Arabic: "لا أحد يستطيع حمايتك", "محاموك لن يحموك", "لن يحميك أحد"
  const arSubject = `(?:${alt([...PROTECTORS.ar, ...NOBODY.ar])})${gap(2)}`;
  const arNot = `(?! (?:${alt(AR.notBefore)})(?![\\p{L}\\p{M}]))`;
  const ar = new RegExp(
    `${start}(?:${arSubject} (?:(?:${alt(AR.able)}) (?:${alt(AR.protect)})|(?:${alt(AR.denied)})(?: (?:${alt(AR.able)}))? (?:${alt([...AR.verbs, ...AR.protect])}))|(?:${alt(AR.denied)}) (?:${alt(AR.verbs)}) (?:${alt(["أحد", "احد"])}))(?![\\p{L}\\p{M}])${arNot}`,
    "u",
  );
  return [
    { lang: "en", re: en },
    { lang: "fa", re: fa },
    { lang: "ar", re: ar },
  ];
}

/**
 * The words of `raw` that fold to `match`, found at word `at` of the folded text or a few words after it (folding
 * joins some words: the Persian "می " prefix to its verb), for quoting the message as it was written (the folded
 * form writes Arabic with Persian letters). The folded match itself when they cannot be found.
 */
export function asWritten(raw: string, match: string, at: number, fold: (s: string) => string): string {
  const words = raw.split(/\s+/).filter((w) => w !== "");
  const span = match.split(" ").length;
  const holds = (i: number, j: number): boolean => fold(words.slice(i, j + 1).join(" ")).includes(match);
  for (let i = at; i <= at + 5 && i < words.length; i++) {
    for (let j = i + span - 1; j < Math.min(words.length, i + span + 5); j++) {
      if (!holds(i, j)) continue;
      // a window that starts early (words joined before the match) holds it too: start at its last word that does
      let from = i;
      while (from < j && holds(from + 1, j)) from++;
      return words
        .slice(from, j + 1)
        .join(" ")
        .replace(/^["'«“(]+|[.,;:!?؟،»”)]+$/gu, "");
    }
  }
  return match;
}

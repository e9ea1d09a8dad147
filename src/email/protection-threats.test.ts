/**
 * Threats against the reader's protection (QA: "Your lawyers can't protect you." alone was no longer a threat).
 */
import { describe, expect, it } from "vitest";
import { triage } from "./index.js";
import { checkLanguage } from "./language.js";

const threatOf = (body: string) => checkLanguage("", body).reasons.find((r) => r.code === "language.threat");
/** The weight of a threat of one phrase, and of several, from the lexicon's own phrases. */
const ONE = threatOf("We know where you live.")!.weight;
const SEVERAL = threatOf("We know where you live. You will be arrested.")!.weight;

const THREATS = {
  en: [
    "Your lawyers can't protect you.",
    "Your lawyers cannot protect you now.",
    "No one can protect you.",
    "Nobody in London can protect you.",
    "Your friends won't protect you.",
    "Your embassy will not protect you.",
    "Your precious Western friends can't save you.",
    "Not even your embassy will save you.",
    "Your British passport won't protect you from us.",
  ],
  fa: [
    "وکیلت هم نمی‌تونه نجاتت بده",
    "هیچ‌کس نمی‌تواند از تو محافظت کند.",
    "هیچ کس نمیتونه ازت محافظت کنه",
    "دوستانت دیگر نمی‌توانند از تو محافظت کنند.",
    "سفارت هم تو را نجات نخواهد داد.",
    "وکیلتان هم نمی‌تواند شما را نجات دهد.",
    "پلیس هم نمی‌تواند از تو محافظت کند.",
  ],
  ar: [
    "لا أحد يستطيع حمايتك.",
    "محاموك لن يحموك.",
    "لن يحميك أحد.",
    "سفارتك لا تستطيع حمايتك.",
    "حتى الشرطة لا تستطيع حمايتك.",
  ],
};

const ORDINARY = {
  en: [
    "Our lawyers can protect you from liability.",
    "Why your lawyers can protect you from liability claims, and when they cannot.",
    "Your lawyer can't protect you from every risk, but a well-drafted contract helps.",
    "If you hide facts, your lawyers can't protect you in court.",
    "No one can protect you from taxes, but we can make them simpler.",
    "Antivirus cannot protect you.",
    "Your password alone can't protect you.",
    "Nobody will save you. Save yourself: start your pension today.",
    "Our attorneys protect you and your family in every dispute.",
    // the review's: a question is an advert's or a reader's worry
    "Worried your lawyer can't protect you? Call Smith & Co.",
  ],
  fa: [
    "وکیل شما می‌تواند از شما محافظت کند.",
    "وکلای ما از شما در برابر دعاوی محافظت می‌کنند.",
    "هیچ‌کس نمی‌تواند از تو محافظت کند جز خودت.",
    "بیمه نمی‌تواند از شما در برابر همه خطرها محافظت کند.",
    "هیچ‌کس نمی‌تواند در برابر بیماری از تو محافظت کند، پس واکسن بزن.",
    // the review's: an institution without "your" or "even" is an insurer's advert
    "پلیس نمی‌تواند از شما محافظت کند؛ با ما تماس بگیرید تا بیمه شوید.",
  ],
  ar: [
    "محامونا يستطيعون حمايتك من المسؤولية.",
    "لا أحد يستطيع حمايتك إلا نفسك.",
    "الكمامة لا تحميك وحدها.",
    // the review's: protection from something is an advert's
    "لا أحد يستطيع حمايتك من الفيروسات.",
  ],
};

describe("threats against the reader's protection", () => {
  it.each(Object.entries(THREATS).flatMap(([lang, xs]) => xs.map((x) => [lang, x] as const)))(
    "reads one such sentence as a threat (%s): %s",
    (_lang, sentence) => {
      const t = threatOf(sentence);
      expect(t, sentence).toBeDefined();
      expect(t!.weight).toBe(ONE);
      expect(t!.severity).toBe("high");
      // quoted as written, not in the folded form the text is searched in
      expect(sentence).toContain(t!.evidence.value!);
    },
  );

  it.each(Object.entries(ORDINARY).flatMap(([lang, xs]) => xs.map((x) => [lang, x] as const)))(
    "leaves ordinary uses of the same words alone (%s): %s",
    (_lang, sentence) => {
      expect(threatOf(sentence), sentence).toBeUndefined();
    },
  );

  it("counts a protection threat beside another threat as two phrases, and one sentence once", () => {
    expect(threatOf("Stop writing. Your lawyers can't protect you. We know where you live.")?.weight).toBe(
      SEVERAL,
    );
    expect(threatOf("وکیلت هم نمی‌تونه نجاتت بده. می‌دانیم کجا زندگی می‌کنی.")?.weight).toBe(SEVERAL);
    expect(threatOf("No one can protect you.")?.weight).toBe(ONE);
  });

  it("does not end a sentence where a plain-text line wraps, only at a paragraph or a capital", () => {
    expect(
      threatOf("Your lawyers can't protect you\nfrom liability claims unless you tell them everything."),
    ).toBe(undefined);
    expect(threatOf("Your lawyers can't protect\nyou.")).toBeDefined();
    expect(threatOf("Your lawyers can't protect you\n\nThink about it")).toBeDefined();
    expect(threatOf("Your lawyers can't protect you\nThink about it")).toBeDefined();
  });

  it("flags a message that says only that, and not a law firm's newsletter", async () => {
    const message = (from: string, body: string, extra: string[] = []): Buffer =>
      Buffer.from(
        [
          ...extra,
          `From: ${from}`,
          "To: reporter@desk.example",
          "Subject: -",
          "Date: Mon, 3 Jun 2024 10:00:00 +0000",
          "Message-ID: <t1@sender.example>",
          "Content-Type: text/plain; charset=utf-8",
          "",
          body,
        ].join("\r\n"),
      );
    for (const body of ["Your lawyers can't protect you.", "وکیلت هم نمی‌تونه نجاتت بده"]) {
      const r = await triage(message("x <anon.k91@gmail.com>", body));
      expect(["suspicious", "malicious"], body).toContain(r.verdict);
      expect(r.reasons.map((x) => x.code)).toContain("language.threat");
    }
    // a law firm writing to a client, one to one (not bulk): its "protect you" sentences are no threat
    for (const body of [
      "Dear client, our lawyers can protect you from liability. Your lawyer can't protect you from every risk, " +
        "so read the attached guidance.",
      "موکل گرامی، وکلای ما از شما در برابر دعاوی محافظت می‌کنند. وکیل شما می‌تواند از شما محافظت کند.",
    ]) {
      const r = await triage(message("Legal Team <team@lawfirm.example>", body));
      expect(
        r.reasons.map((x) => x.code),
        body,
      ).not.toContain("language.threat");
      expect(r.verdict, body).toBe("no-signs-found");
    }
  });
});

import { describe, expect, it } from "vitest";
import { checkLanguage, checkPressure } from "./language.js";

const codes = (body: string, subject = ""): string[] =>
  checkLanguage(subject, body).reasons.map((r) => r.code);

describe("checkLanguage", () => {
  it("finds credential phrases in English whatever the case", () => {
    expect(codes("Please VERIFY YOUR ACCOUNT today.")).toEqual(["language.credential"]);
  });

  it("finds Persian threats however ZWNJ and the continuous prefix are typed", () => {
    for (const t of [
      "ما می‌دانیم کجا زندگی می‌کنی",
      "ما میدانیم کجا زندگی میکنی",
      "ما می دانیم کجا زندگی می کنی",
    ]) {
      expect(codes(t)).toEqual(["language.threat"]);
    }
    // a lexicon phrase written with a space before the suffix matches the text written with ZWNJ, and back
    expect(codes("به سراغ خانواده‌ات می‌آییم")).toEqual(["language.threat"]);
    expect(codes("به سراغ خانواده ات می آییم")).toEqual(["language.threat"]);
    const r = checkLanguage("", "این آخرین هشدار است. پشیمان خواهی شد.");
    expect(r.reasons[0]).toMatchObject({ code: "language.threat", severity: "high", weight: 0.55 });
    expect(r.languages).toEqual(["fa"]);
    // the phrases are named as Persian writes them, with the non-joiner (a reader compares them with the message)
    const said = checkLanguage("", "ما میدانیم کجا زندگی میکنی. تو را میکشیم").reasons[0]!.message;
    expect(said).toContain('"می\u200cدانیم کجا زندگی"');
    expect(said).toContain('"تو را می\u200cکشیم"');
  });

  it("finds Arabic extortion with Arabic letter forms folded", () => {
    expect(codes("أرسل بيتكوين الآن وإلا سننشر صورك الخاصة")).toEqual(["language.extortion"]);
    expect(codes("يرجى إدخال كلمة المرور الخاصة بك")).toEqual(["language.credential"]);
  });

  it("stays quiet on ordinary mail in the three languages", () => {
    expect(codes("Are you free for dinner on Saturday? Say hi to your family.")).toEqual([]);
    expect(codes("سلام، جلسه فردا ساعت ده است. به خانواده ات سلام برسان.")).toEqual([]);
    expect(codes("مرحبا، الاجتماع غدا في الساعة العاشرة. تحياتي لعائلتك.")).toEqual([]);
  });
});

describe("checkLanguage on everyday sentences", () => {
  const tones = (body: string): string[] => checkLanguage("", body).reasons.map((r) => r.code);

  it("matches phrases as words: not inside a longer word, nor a shorter phrase inside an ordinary sentence", () => {
    for (const benign of [
      "مستندم دیروز منتشر شد", // "my documentary was published": ستندم is in it, not as a word
      "Your family will love our new summer menu",
      "With this offer you will pay for one item only",
      "You will regret it if you miss the concert",
      "مراقب خودت باش، عزیزم", // "take care of yourself": a mother's farewell
      "نعرف مكان الاجتماع غدا", // "we know the meeting place"
      "Google Photos backs up your private photos",
    ]) {
      expect(tones(benign), benign).not.toContain("language.threat");
      expect(tones(benign), benign).not.toContain("language.extortion");
    }
  });

  it("still finds the threats, with Arabic's joined proclitics and suffixes, and a curly apostrophe", () => {
    expect(tones("نعرف مكان سكنك")).toContain("language.threat");
    expect(tones("وستندم على ما فعلت")).toContain("language.threat"); // "and you will regret"
    expect(tones("أرسل المبلغ بالبيتكوين")).toContain("language.extortion"); // "in bitcoin", with the article
    expect(tones("You will regret this. We know where you live.")).toContain("language.threat");
    expect(
      tones("I hacked your phone and I recorded you. Your private photos go out unless you pay."),
    ).toContain("language.extortion");
  });
});

describe("checkPressure", () => {
  const pressure = (body: string): string[] => checkPressure("", body).map((r) => r.code);

  it("finds relatives named with coercion, in Persian (ZWNJ or space), Arabic and English", () => {
    expect(pressure("برادرت دیروز احضار شد. دفعه بعد نوبت خودت است.")).toEqual(["language.family-pressure"]);
    expect(pressure("هر مطلبی بنویسی خانواده ات تاوانش را می‌دهند")).toEqual(["language.family-pressure"]);
    expect(pressure("هر مطلبی بنویسی خانواده‌ات تاوانش را می‌دهند")).toEqual(["language.family-pressure"]);
    expect(pressure("والدتك استُدعيت للتحقيق بسببك")).toEqual(["language.family-pressure"]);
    expect(pressure("ووالدتك استُدعيت للتحقيق بسببك")).toEqual(["language.family-pressure"]);
    // bulk mail (a newsletter's story) is not read for pressure
    expect(checkPressure("", "Your brother was summoned again.", { bulk: true })).toEqual([]);
    expect(pressure("Your brother was summoned again. Stop writing.")).toEqual(["language.family-pressure"]);
    const [r] = checkPressure("", "والدتك استدعيت للتحقيق");
    expect(r).toMatchObject({ severity: "high", weight: 0.45 });
    expect(r!.evidence.value).toBe("والدتك | استدعي");
  });

  it("finds the promise to reach someone abroad", () => {
    expect(pressure("فکر نکن چون خارج از ایران هستی دست ما به تو نمی‌رسد.")).toEqual([
      "language.reach-abroad",
    ]);
    expect(pressure("لا تظن أن وجودك في الخارج يحميك، سنصل إليك")).toEqual(["language.reach-abroad"]);
  });

  it("leaves alone family news, greetings and reports about other people's relatives", () => {
    for (const t of [
      "سلام به خانواده‌ات برسان، مراقب خودت باش.",
      "أرجو أن تكون عائلتك بخير. انتبه لنفسك في السفر.",
      "Give my love to your family and be careful on the road.",
      "Families of detained journalists were summoned for questioning, our report says.",
      "We are abroad this week; we will call you when we are back.",
      "Final warning: the Mother's Day sale ends tonight. Treat your mother to something special.",
      "Planning to study abroad? Emergencies can't hide from good insurance.",
      "Join your brotherhood of journalists, summoned by courage.", // 'your brother' only inside another word
    ])
      expect(pressure(t), t).toEqual([]);
  });
});

describe("threats said several ways (regression: QA c/32, c/33, c/36, c/37)", () => {
  // the phrases of a threat that counts (a weight above 0)
  const threat = (body: string): string[] =>
    checkLanguage("", body)
      .reasons.filter((r) => r.code === "language.threat" && r.weight > 0)
      .flatMap((r) => r.evidence.value!.split(" | "));

  it("finds an English threat written without the lexicon's exact words", () => {
    const found = threat(
      "Stop writing about the prisoners or you will regret it. This is your last warning. " +
        "We are following you and we know your daily route. Nobody in London can protect you.",
    );
    expect(found).toEqual(
      expect.arrayContaining([
        "or you will regret it",
        "your last warning",
        "we are following you",
        // a threat against the reader's protection is quoted as written (protection-threats.ts)
        "Nobody in London can protect you",
      ]),
    );
    for (const t of [
      "Delete the article, or you'll regret this!",
      "Consider this your final warning. We know where you live.",
      "No country can protect you.",
    ])
      expect(threat(t), t).not.toEqual([]);
  });

  it("rates an English threat as a Persian or Arabic one of the same words", () => {
    const weight = (body: string): number | undefined =>
      checkLanguage("", body).reasons.find((r) => r.code === "language.threat")?.weight;
    const en = weight("We know where you live. This is your last warning.");
    expect(en).toBe(weight("می‌دانیم کجا زندگی می‌کنی. این آخرین هشدار است."));
    expect(en).toBe(weight("نعرف أين تسكن. هذا تحذير أخير."));
  });

  it("leaves alone ordinary sentences with the same words", () => {
    for (const t of [
      "You will regret it if you miss the concert.",
      "Antivirus software cannot protect you from phishing on its own.",
      "No one at the office can protect you from the boss's jokes, ha",
      "Nobody can protect your data better than a strong password and two-factor login",
    ])
      expect(threat(t), t).toEqual([]);
  });

  // regression (review 2): each of these alone was a high threat (0.4, suspicious), in a security tip, a social
  // network's notice and an event's reminder from the organisation's own authenticated domain
  it("counts the words ordinary mail uses too only beside another threat", () => {
    for (const t of [
      "A strong password alone cannot protect you.",
      "Remember: antivirus cannot protect you.",
      "Security tip of the week: a strong password alone can't protect you.",
      "We are following you too.",
      "Hi Sara, this is your last warning before registration closes on Friday.",
      "Consider this your final warning.",
    ])
      expect(checkLanguage("", t).reasons, t).toEqual([]);
    // beside another threat they count, and make it two phrases
    expect(threat("We are following you. You will be arrested.")).toEqual([
      "we are following you",
      "you will be arrested",
    ]);
    // QA c/36, the minimal English threat, stays a threat with all its phrases
    const c36 = checkLanguage(
      "",
      "Stop writing about the prisoners or you will regret it. This is your last warning... " +
        "Nobody in London can protect you.",
    ).reasons.find((r) => r.code === "language.threat");
    expect(c36).toMatchObject({ severity: "high", weight: 0.55 });
  });

  it("reads relatives named in the formal Persian address", () => {
    const pressure = (body: string): string[] => checkPressure("", body).map((r) => r.code);
    for (const t of [
      "آقای رضایی، مادر شما دیروز به دادسرای اوین احضار شد.",
      "مادرتان دیروز احضار شد.",
      "خانواده‌تان بازجویی شدند.",
      "خانواده شما تاوان آن را می‌دهند.",
      "برادرتان بازداشت شد.",
    ])
      expect(pressure(t), t).toEqual(["language.family-pressure"]);
    expect(pressure("سلام به مادر شما برسانید، مراقب خودتان باشید.")).toEqual([]);
  });
});

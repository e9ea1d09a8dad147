import { describe, expect, it } from "vitest";
import { checkLanguage } from "./language.js";

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
    const r = checkLanguage("", "این آخرین هشدار است. پشیمان خواهی شد.");
    expect(r.reasons[0]).toMatchObject({ code: "language.threat", severity: "high", weight: 0.55 });
    expect(r.languages).toEqual(["fa"]);
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

import { describe, expect, it } from "vitest";
import { sameSpelling, typedForm } from "./spelling.js";

describe("sameSpelling", () => {
  it.each([
    ["a non-joiner in a compound name", "محمد\u200cرضا شجریان", "محمدرضا شجریان"],
    ["a space in a compound name", "محمد رضا شجریان", "محمد\u200cرضا شجریان"],
    ["alef with hamza above", "أحمد الشقيري", "احمد الشقيري"],
    ["alef with hamza below", "إبراهيم", "ابراهيم"],
    ["alef with madda", "آزاده", "ازاده"],
    ["alef wasla", "ٱحمد", "احمد"],
    ["teh marbuta", "فاطمة", "فاطمه"],
    ["alef maksura", "مصطفى", "مصطفی"],
    ["tatweel", "علــی", "علی"],
    ["harakat", "مُحَمَّد", "محمد"],
    ["Persian digits", "رادیو ۲۴", "رادیو 24"],
  ])("takes %s for the same name", (_what, a, b) => {
    expect(sameSpelling(a, b)).toBe(true);
  });

  it.each([
    ["a Cyrillic letter", "Masіh Alinejad", "Masih Alinejad"],
    ["a zero-width space", "BBC\u200b Persian", "BBC Persian"],
    ["an Arabic letter mark", "راد\u061cیو فردا", "رادیو فردا"],
    ["a digit for a letter", "Ilhan 0mar", "Ilhan Omar"],
    ["fullwidth letters", "ＢＢＣ Persian", "BBC Persian"],
    ["Arabic presentation forms", "\ufedb\ufeae\ufef4\ufee4\ufef2", "کریمی"],
    ["both keyboards' yeh in one name", "علی کريمی", "علی کریمی"],
  ])("keeps %s a lookalike", (_what, a, b) => {
    expect(sameSpelling(a, b)).toBe(false);
  });
});

describe("typedForm", () => {
  it("writes a handle's Arabic letters one way, and keeps what disguises a handle", () => {
    expect(typedForm("أحمد_الشقيري")).toBe(typedForm("احمد_الشقیری"));
    expect(typedForm("علي_كريمي")).toBe(typedForm("علی_کریمی"));
    // joiners and tatweel have no place in a handle: there they disguise it
    expect(typedForm("علی\u200c_کریمی")).not.toBe(typedForm("علی_کریمی"));
    expect(typedForm("علــی_کریمی")).not.toBe(typedForm("علی_کریمی"));
  });
});

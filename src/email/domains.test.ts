import { describe, expect, it } from "vitest";
import { domainForms, isWithin, lookalikeOf } from "./domains.js";

describe("domainForms", () => {
  it("gives both IDN forms whichever was written", () => {
    expect(domainForms("сivicrights.org")).toEqual({
      ascii: "xn--ivicrights-bwi.org",
      unicode: "сivicrights.org",
      registrable: "xn--ivicrights-bwi.org",
    });
    expect(domainForms("XN--IVICRIGHTS-BWI.ORG.").unicode).toBe("сivicrights.org");
    expect(domainForms("mail.news.example.co.uk").registrable).toBe("example.co.uk");
  });
});

describe("lookalikeOf", () => {
  const refs = ["civicrights.org", "paypal.com", "microsoft.com"];
  it("finds homoglyphs in either IDN form", () => {
    expect(lookalikeOf("сivicrights.org", refs)).toEqual({ target: "civicrights.org", how: "homoglyph" });
    expect(lookalikeOf("xn--ivicrights-bwi.org", refs)).toEqual({
      target: "civicrights.org",
      how: "homoglyph",
    });
    expect(lookalikeOf("rnicrosoft.com", refs)?.target).toBe("microsoft.com");
  });
  it("finds typos, other suffixes and embedded names", () => {
    expect(lookalikeOf("paypa1.com", refs)?.target).toBe("paypal.com");
    expect(lookalikeOf("civicrigts.org", refs)).toEqual({ target: "civicrights.org", how: "typo" });
    expect(lookalikeOf("civicrights.net", refs)).toEqual({ target: "civicrights.org", how: "tld" });
    expect(lookalikeOf("paypal-secure.example", refs)).toEqual({ target: "paypal.com", how: "embedded" });
    expect(lookalikeOf("paypal.com.login.example", refs)).toEqual({ target: "paypal.com", how: "embedded" });
    // the genuine domain joined to another name by a hyphen, where its registrable domain is that other name's
    for (const [host, target] of [
      ["paypal.com-verify.net", "paypal.com"],
      ["civicrights.org-login.com", "civicrights.org"],
      ["secure.civicrights.org-login.com", "civicrights.org"],
      ["login.paypal.com.account-check.example", "paypal.com"],
    ]) {
      expect(lookalikeOf(host!, refs), host).toEqual({ target, how: "embedded" });
    }
    // a name that only begins like the domain is not it: "civicrights.organic.example" holds no "civicrights.org"
    // followed by a dot or a hyphen, and "mypaypal.com-x.net" does not start a label with it
    expect(lookalikeOf("civicrights.organic.example", ["civicrights.org"])).toBeUndefined();
    expect(lookalikeOf("mypaypal.com-x.net", ["paypal.com"])).toBeUndefined();
  });

  it("finds two neighbouring letters swapped, and the whole domain run together as one name", () => {
    expect(lookalikeOf("civicrigths.org", refs)).toEqual({ target: "civicrights.org", how: "typo" });
    expect(lookalikeOf("googel.com", ["google.com"])).toEqual({ target: "google.com", how: "typo" });
    expect(lookalikeOf("civicrightsorg.com", refs)).toEqual({ target: "civicrights.org", how: "embedded" });
    expect(lookalikeOf("paypalcom.net", refs)).toEqual({ target: "paypal.com", how: "embedded" });
    // other names made of the same letters are not swaps of neighbours
    expect(lookalikeOf("rightscivic.org", ["civicrights.org"])).toBeUndefined();
    // a short or common brand name stays out of the looser checks
    expect(lookalikeOf("appel.com", ["apple.com"])).toBeUndefined();
  });
  it("leaves the genuine domains, their subdomains and unrelated names alone", () => {
    expect(lookalikeOf("mail.civicrights.org", refs)).toBeUndefined();
    expect(lookalikeOf("paypal.com", refs)).toBeUndefined();
    expect(lookalikeOf("officedepot.example", ["office.com"])).toBeUndefined();
    expect(lookalikeOf("gmail.com", refs)).toBeUndefined();
    expect(isWithin("a.b.paypal.com", "paypal.com")).toBe(true);
  });
  it("never takes a free-mail provider for a lookalike of another, nor a five-letter brand for a typo", () => {
    const brands = ["gmail.com", "google.com", "yahoo.com", "outlook.com"];
    for (const host of ["mail.ru", "ymail.com", "mail.com", "email.com", "gmx.com", "live.com"]) {
      expect(lookalikeOf(host, brands), host).toBeUndefined();
    }
    // "gmail" has five letters (its skeleton, with "m" as "rn", six): a one-letter change is no signal on its own
    expect(lookalikeOf("gmaii.example", brands)).toBeUndefined();
    // a homoglyph of it still is
    expect(lookalikeOf("grnail.com", brands)).toEqual({ target: "gmail.com", how: "homoglyph" });
    // and a six-letter brand's typo too
    expect(lookalikeOf("paypai.com", ["paypal.com"])).toEqual({ target: "paypal.com", how: "typo" });
  });
  it("lets brands use their name under other suffixes, and common words stay words", () => {
    const brands = ["google.com", "amazon.com", "signal.org", "apple.com", "live.com", "office.com"];
    for (const host of [
      "google.de",
      "amazon.co.uk",
      "signals.example",
      "apply.example",
      "live-news.example",
    ]) {
      expect(lookalikeOf(host, brands), host).toBeUndefined();
    }
    expect(lookalikeOf("gooogle.com", brands)).toEqual({ target: "google.com", how: "typo" });
    expect(lookalikeOf("xn--ggle-55da.com", brands)).toEqual({ target: "google.com", how: "homoglyph" });
  });
});

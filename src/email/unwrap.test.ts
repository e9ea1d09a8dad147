import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { unwrapLink } from "./unwrap.js";

/** The size of the hostile links below (the old pattern took seconds on each). */
const HOSTILE_CHARS = 8 * 1024;

describe("unwrapLink", () => {
  it("takes the address out of a Microsoft Safe Links link, whatever its region", () => {
    const inner = "https://login.microsoftonIine.com/common/oauth2/authorize?client_id=1";
    for (const region of ["nam12", "eur03", "gcc02"]) {
      const wrapped =
        `https://${region}.safelinks.protection.outlook.com/?url=${encodeURIComponent(inner)}` +
        "&data=05%7C02%7Creza%40civicrights.org%7Cabc&sdata=Xyz%3D&reserved=0";
      expect(unwrapLink(wrapped)).toEqual({ url: inner, wrappers: ["Microsoft Safe Links"] });
    }
  });

  it("decodes Proofpoint URL Defense v2 (-XX escapes, _ for /) and v1", () => {
    const v2 =
      "https://urldefense.proofpoint.com/v2/url?u=https-3A__evil.example_login-3Fnext-3D-252Fhome-26a-3Db-5Fc" +
      "&d=DwMFaQ&c=abc&r=def&m=ghi&s=jkl&e=";
    expect(unwrapLink(v2)).toEqual({
      url: "https://evil.example/login?next=%2Fhome&a=b_c",
      wrappers: ["Proofpoint URL Defense"],
    });
    const v1 = "https://urldefense.proofpoint.com/v1/url?u=https%3A%2F%2Fevil.example%2Fx&k=abc";
    expect(unwrapLink(v1).url).toBe("https://evil.example/x");
  });

  it("decodes Proofpoint URL Defense v3, putting back each replaced character and runs of them", () => {
    // v3 writes "?" and "&" (one each) and "==" (a run of two, "**A") as stars; the characters follow the ";"
    const replaced = Buffer.from("?&==").toString("base64url");
    const v3 = `https://urldefense.com/v3/__https://evil.example/a*b=1*c**A__;${replaced}!!ABC123!xyz$`;
    expect(unwrapLink(v3)).toEqual({
      url: "https://evil.example/a?b=1&c==",
      wrappers: ["Proofpoint URL Defense"],
    });
    expect(
      unwrapLink("https://urldefense.com/v3/__https://accounts.xn--ggle-55da.com/signin__;!!A!b$").url,
    ).toBe("https://accounts.xn--ggle-55da.com/signin");
    // a star with no character to put back is a damaged link: kept as written
    const damaged = "https://urldefense.com/v3/__https://evil.example/a*b__;!!A!b$";
    expect(unwrapLink(damaged)).toEqual({ url: damaged, wrappers: [] });
  });

  it("follows Google's redirect (q= or url=) and wrappers inside wrappers", () => {
    expect(unwrapLink("https://www.google.com/url?q=https://civicrights-org.com/login&sa=D").url).toBe(
      "https://civicrights-org.com/login",
    );
    expect(unwrapLink("https://www.google.co.uk/url?url=https%3A%2F%2Fevil.example%2F").url).toBe(
      "https://evil.example/",
    );
    const google = "https://www.google.com/url?q=https://evil.example/x";
    const both = `https://eur03.safelinks.protection.outlook.com/?url=${encodeURIComponent(google)}&data=x`;
    expect(unwrapLink(both)).toEqual({
      url: "https://evil.example/x",
      wrappers: ["Microsoft Safe Links", "Google redirect"],
    });
  });

  it("leaves ordinary links and look-alike wrappers alone", () => {
    for (const url of [
      "https://www.google.com/search?q=https://evil.example",
      "https://safelinks.protection.outlook.com.evil.example/?url=https://x.example",
      "https://nam12.safelinks.protection.outlook.com/?url=javascript:alert(1)",
      "https://evil.example/?url=https://paypal.com",
    ]) {
      expect(unwrapLink(url), url).toEqual({ url, wrappers: [] });
    }
  });

  // regression (review 2, ReDoS): the v3 pattern /\/v3\/__(.+?)__;([^!]*)!/ took 15 s on 14 KB of "/v3/__;"
  it("reads Proofpoint v3 without a backtracking pattern, so a hostile link costs one pass", () => {
    const source = readFileSync(new URL("./unwrap.ts", import.meta.url), "utf8");
    expect(source).not.toContain("(.+?)__;");
    // just under the length bound: the old pattern took seconds on each of these
    for (const hostile of [
      "https://urldefense.com" + "/v3/__;".repeat(Math.floor((HOSTILE_CHARS - 30) / 7)),
      "https://urldefense.com/v3/__" + "__;".repeat(Math.floor((HOSTILE_CHARS - 40) / 3)) + "x",
    ]) {
      expect(hostile.length).toBeLessThanOrEqual(HOSTILE_CHARS);
      expect(unwrapLink(hostile)).toEqual({ url: hostile, wrappers: [] });
    }
    // the first "__;" after the start ends the link inside, as the pattern's lazy group did
    const replaced = Buffer.from("?").toString("base64url");
    expect(
      unwrapLink(`https://urldefense.com/v3/__https://evil.example/a*b__;${replaced}!!x!__;y!$`).url,
    ).toBe("https://evil.example/a?b");
  });

  it("unwraps a long link too, so padding does not hide the address inside (and a 20 KB hostile one is one pass)", () => {
    const hostile = "https://urldefense.com" + "/v3/__;".repeat(3000);
    expect(hostile.length).toBeGreaterThan(20_000);
    expect(unwrapLink(hostile)).toEqual({ url: hostile, wrappers: [] });
    const inside = `https://paypa1-secure.example/login?t=${"a".repeat(2 * HOSTILE_CHARS)}`;
    const long = `https://urldefense.com/v3/__${inside}__;!!A!b$`;
    expect(unwrapLink(long)).toEqual({ url: inside, wrappers: [expect.stringMatching(/URL Defense/)] });
  });
});

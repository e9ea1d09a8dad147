import { describe, expect, it } from "vitest";
import {
  defangText,
  hostsInText,
  shownDetails,
  shownDetectorText,
  shownExplanation,
  shownHandle,
  shownKey,
  shownName,
} from "./indicators.js";

describe("a finding's sentence as the report and the app show it", () => {
  // as the email-infrastructure detector words a sender's finding (src/detectors/email-infrastructure)
  const infra =
    "it-desk@civicrlghts.example sent 1 of the 6 messages of group E1; the messages share rare infrastructure: " +
    "Reply-To address civic.recovery.desk@gmail.com (5 of 6 messages); first external hop (IP) 203.0.113.7 " +
    "(4 of 6 messages); link domain civicrights-login.example (6 of 6 messages); link on a big provider " +
    "https://docs.google.com/document/d/abc/edit (6 of 6 messages). Its messages: /cases/in/phish.eml message 1.";

  it("defangs every host, IP, address domain and URL it names, and leaves file names and local parts as written", () => {
    const shown = defangText(infra);
    for (const live of [
      "civicrlghts.example",
      "gmail.com",
      "203.0.113.7",
      "civicrights-login.example",
      "https://",
      "docs.google.com",
    ])
      expect(shown, live).not.toContain(live);
    expect(shown).toContain("civicrights-login[.]example");
    expect(shown).toContain("203[.]0[.]113[.]7");
    expect(shown).toContain("hxxps://docs[.]google[.]com/document/d/abc/edit");
    // an address keeps its local part; the input's file is a file, not a host
    expect(shown).toContain("civic.recovery.desk@gmail[.]com");
    expect(shown).toContain("/cases/in/phish.eml message 1.");
    expect(hostsInText(infra)).not.toContain("phish.eml");
  });

  it("defangs the lookalike domain an impersonation finding names, and breaks a script link", () => {
    const imitation =
      "@it-desk@civicrlghts.example imitates protected identity @it-desk@civicrights.example (Civic Rights IT " +
      "Desk): handle is one letter away (U+006C LATIN SMALL LETTER L in place of U+0069 LATIN SMALL LETTER I).";
    const shown = defangText(imitation);
    expect(shown).toContain("@it-desk@civicrlghts[.]example imitates");
    expect(shown).not.toMatch(/civicrlghts\.example|civicrights\.example/);
    expect(defangText("see javascript:alert(1)")).toBe("see javascript[:]alert(1)");
  });

  it("leaves a sentence without indicators as written (numbers, abbreviations, Persian)", () => {
    const plain =
      "@ali_kazemi posted 12 texts of 80 or more letters (e.g. the same slogan), score 0.61; «دروغ بس است».";
    expect(defangText(plain)).toBe(plain);
  });
});

describe("a finding's explanation", () => {
  it("keeps the handles it names as written, those that are domains too, and defangs the hosts it names besides", () => {
    // as co-share and sync word a social account's finding, on Bluesky, where a handle is a domain
    const handles = ["@news.example.org", "@daily.example.net", "@ring2.bsky.social", "@ali_kazemi"];
    const said =
      `${handles[0]}: shared 8 links with ${handles[1]} where 0.2 were expected; took part in 8 bursts with ` +
      `${handles[2]}, ${handles[3]}. Most shared: planted-news.example, https://planted-news.example/story/1.`;
    const shown = shownExplanation(said);
    for (const h of handles) expect(shown, h).toContain(h);
    expect(shown).not.toContain("[.]org");
    expect(shown).toContain("planted-news[.]example, hxxps://planted-news[.]example/story/1.");
    // the handle's own site named as a host, outside the handle, is a host
    expect(shownExplanation(`${handles[0]} links to news.example.org`)).toBe(
      `${handles[0]} links to news[.]example[.]org`,
    );
  });

  it("defangs a sender named by its address, which is no handle, as defangText does", () => {
    const imitation =
      "@it-desk@civicrlghts.example imitates protected identity @it-desk@civicrights.example (Civic Rights IT " +
      "Desk); replies go to civic.recovery.desk@gmail.com; https://evil.example/@fake.example";
    expect(shownExplanation(imitation)).toBe(defangText(imitation));
    expect(shownExplanation(imitation)).not.toMatch(
      /civicrlghts\.example|civicrights\.example|fake\.example/,
    );
  });
});

describe("a sender of reported email as an account", () => {
  const key = "email:it-desk@civicrlghts.example";

  it("is named by its address defanged, in its key, handle and From name", () => {
    expect(shownKey(key)).toBe("email:it-desk@civicrlghts[.]example");
    expect(shownHandle(key, "it-desk@civicrlghts.example")).toBe("it-desk@civicrlghts[.]example");
    expect(shownName(key, "IT Desk (civicrights.example)")).toBe("IT Desk (civicrights[.]example)");
  });

  it("leaves the accounts of social platforms as they are named, dots and all", () => {
    const bsky = "bluesky:did:plc:abc";
    expect(shownKey(bsky)).toBe(bsky);
    expect(shownHandle(bsky, "alice.bsky.social")).toBe("alice.bsky.social");
    expect(shownName("twitter:1", "news.example fan")).toBe("news.example fan");
  });
});

describe("a detector's own words", () => {
  const details = {
    groups: [
      { senders: ["it-desk@civicrlghts.example"], indicators: [{ kind: "link-domain", value: "a.example" }] },
    ],
    alpha: 0.01,
  };

  it("are defanged, details and all, for the detector that names hostile mail's indicators", () => {
    expect(JSON.stringify(shownDetails("email-infrastructure", details))).not.toMatch(
      /civicrlghts\.|a\.example/,
    );
    expect(shownDetails("email-infrastructure", details)).toMatchObject({ alpha: 0.01 });
    expect(shownDetectorText("email-infrastructure", "tied by evil.example")).toBe("tied by evil[.]example");
  });

  it("stay as written for the others, whose details list the links a campaign shared", () => {
    const coShare = { top_urls: ["https://news.example/a"] };
    expect(shownDetails("co-share", coShare)).toBe(coShare);
    expect(shownDetectorText("co-share", "within news.example")).toBe("within news.example");
  });
});

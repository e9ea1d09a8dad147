import { describe, expect, it } from "vitest";
import { defang, defangIndicator, hostNamesIn, hostsOf } from "./defang.js";

describe("defang", () => {
  it("makes links of any scheme that runs or carries content unclickable, and leaves sentences alone", () => {
    expect(defangIndicator("url", "javascript:alert(document.domain)")).toBe(
      "javascript[:]alert(document[.]domain)",
    );
    expect(defangIndicator("url", "DATA:text/html;base64,PHNjcmlwdD4=")).toBe(
      "DATA[:]text/html;base64,PHNjcmlwdD4=",
    );
    expect(defangIndicator("url", "https://evil.example/x")).toBe("hxxps://evil[.]example/x");
    expect(defang("a link to vbscript:msgbox and the data: it holds", [])).toBe(
      "a link to vbscript[:]msgbox and the data: it holds",
    );
    expect(defang("see https://login.evil.example/x", ["login.evil.example"])).toBe(
      "see hxxps://login[.]evil[.]example/x",
    );
  });
});

describe("hostsOf (regression: QA c/72)", () => {
  it("takes the domain of an address, never a dotted local part, for a host to defang", async () => {
    const { triage } = await import("./index.js");
    const r = await triage(
      Buffer.from(
        [
          "From: =?UTF-8?B?2LTbjNix24zZhiDYudio2KfYr9uM?= <shirin.ebadi.1947@gmail.com>",
          "Reply-To: shirin.ebadi.help@proton.me",
          "To: reza@civicrights.org",
          "Subject: hello",
          "",
          "hi",
        ].join("\r\n"),
      ),
      { yara: false },
    );
    const hosts = hostsOf(r);
    expect(hosts).not.toContain("shirin.ebadi");
    const line = defang(r.reasons.map((x) => x.message).join(" "), hosts);
    expect(line).toContain("shirin.ebadi.help@proton[.]me");
  });
});

describe("hostNamesIn", () => {
  it("reads each host name of a sentence once, leaving local parts of addresses and file names", () => {
    expect(
      hostNamesIn(
        "Mail from shirin.ebadi.1947@mail.evil.example (see https://login.evil.example/x and evil.example.) " +
          "with statement.pdf, a..b.example, version 1.2.3 and cdn_assets.example_x",
      ),
    ).toEqual(["mail.evil.example", "login.evil.example", "evil.example", "b.example"]);
  });

  it("finds a host at the end of a long run of dotted labels, and none in a run that has none", () => {
    const run = "a1.".repeat(20_000);
    expect(hostNamesIn(run)).toEqual([]);
    expect(hostNamesIn(`${run}evil.example`)).toEqual([`${run}evil.example`]);
  });
});

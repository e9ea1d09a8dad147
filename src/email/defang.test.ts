import { describe, expect, it } from "vitest";
import { defang, defangIndicator } from "./defang.js";

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

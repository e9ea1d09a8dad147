import { describe, expect, it } from "vitest";
import { terminalSafe } from "./terminal.js";

describe("terminalSafe", () => {
  it("writes escape sequences, C1 controls and bidi overrides as \\u escapes", () => {
    const hostile = "@h_\u001b[2J\u001b]0;PWNED\u0007\u009b31m\u202egnp.exe";
    const safe = terminalSafe(hostile);
    expect(safe).toBe("@h_\\u001b[2J\\u001b]0;PWNED\\u0007\\u009b31m\\u202egnp.exe");
    // nothing a terminal acts on is left
    expect(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/.test(safe)).toBe(false);
  });

  it("writes the line and paragraph separators, which editors break lines at, as escapes", () => {
    expect(terminalSafe("@a\u2028C2  confidence 0.99\u2029x")).toBe("@a\\u2028C2  confidence 0.99\\u2029x");
  });

  it("leaves text alone: tabs, newlines, Persian with ZWNJ, directional marks", () => {
    const text = "C1\tconfidence 0.91\nمی‌خواهم \u200f@علی #معا_للحق";
    expect(terminalSafe(text)).toBe(text);
  });

  it("keeps a JSON line's values: the escape reads as the same character", () => {
    const line = JSON.stringify({ handle: "a\u202eb\u0085c" });
    expect(JSON.parse(terminalSafe(line))).toEqual({ handle: "a\u202eb\u0085c" });
  });
});

import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { csvRows, csvTable } from "./csv.js";

describe("csvTable", () => {
  it("quotes a cell with a semicolon or a tab, so that no locale's separator lets a formula start a cell", () => {
    const hostile = ["x;=cmd|' /C calc'!A0;", "y\t=1+1", "=SUM(A1)", "plain"];
    const text = csvTable(
      ["handle"],
      hostile.map((h) => [h]),
    );
    // opened where `;` or tab separates fields, every field of every line is still one quoted cell or plain text
    for (const sep of [";", "\t"]) {
      const cells = (parse(text, { delimiter: sep, relax_quotes: true }) as string[][]).flat();
      expect(cells.filter((c) => /^[=+\-@]/.test(c))).toEqual([]);
    }
    // read as CSV, the values come back whole (the leading formula guarded by an apostrophe)
    expect((parse(text, { columns: true }) as Array<{ handle: string }>).map((r) => r.handle)).toEqual([
      "x;=cmd|' /C calc'!A0;",
      "y\t=1+1",
      "'=SUM(A1)",
      "plain",
    ]);
    expect(csvRows([["a;b", 1]])).toBe('"a;b",1\n');
  });
});

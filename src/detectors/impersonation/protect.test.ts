import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, describe, expect, it } from "vitest";
import { FIXTURES } from "../../../test/helpers/tmp.js";
import { loadProtectList, parseProtectCsv, ProtectListError } from "./protect.js";

const tmp = mkdtempSync(join(tmpdir(), "chorus-protect-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("protect list", () => {
  it("reads the fixture, with Persian names and optional columns", async () => {
    const list = await loadProtectList(join(FIXTURES, "impersonation/protect.csv"));
    expect(list).toEqual([
      { handle: "bbcpersian", display_name: "BBC Persian", platform: "twitter", domain: "bbc.com" },
      { handle: "IranIntl", display_name: "ایران اینترنشنال", platform: "twitter", domain: "iranintl.com" },
      { handle: "masih_alinejad", display_name: "Masih Alinejad" },
    ]);
  });

  it("resolves avatar paths relative to the CSV and hashes them", async () => {
    writeFileSync(
      join(tmp, "face.png"),
      await sharp({ create: { width: 32, height: 32, channels: 3, background: "#a0522d" } })
        .png()
        .toBuffer(),
    );
    writeFileSync(join(tmp, "p.csv"), "handle,avatar\n@someone,face.png\nother,missing.png\n");
    const warnings: string[] = [];
    const list = await loadProtectList(join(tmp, "p.csv"), { warn: (m) => warnings.push(m) });
    expect(list[0]).toMatchObject({ handle: "someone", avatar: join(tmp, "face.png") });
    expect(list[0]!.avatar_hash).toMatch(/^[0-9a-f]{16}$/);
    expect(list[1]!.avatar_hash).toBeUndefined();
    expect(warnings).toEqual([expect.stringMatching(/avatar of @other could not be read/)]);
  });

  it.each([
    ["handle,name\nx,y\n", /line 1: unknown column 'name'/],
    ["display_name\nX\n", /line 1: no 'handle' column/],
    ["handle,display_name\nok,OK\n,Empty\n", /line 3: empty handle/],
    ["handle\na,b\n", /line 2: 2 fields, the header has 1/],
    ["", /empty/],
  ])("rejects bad files with the file and line: %j", (text, re) => {
    expect(() => parseProtectCsv(text, "list.csv", tmp)).toThrow(ProtectListError);
    expect(() => parseProtectCsv(text, "list.csv", tmp)).toThrow(new RegExp(`^list.csv: .*${re.source}`));
  });
});

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, describe, expect, it } from "vitest";
import { FIXTURES } from "../../../test/helpers/tmp.js";
import { loadProtectList, parseProtectCsv, ProtectListError, samePlatform } from "./protect.js";

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

  it("reads profile addresses in the handle column as handles, with their platform", () => {
    const csv = [
      "handle,display_name",
      "https://twitter.com/bbcpersian,BBC News فارسی",
      "https://x.com/IlhanMN/,Ilhan Omar",
      "www.instagram.com/masih.alinejad,Masih Alinejad",
      "t.me/radiofarda,Radio Farda",
      "https://bsky.app/profile/iranwire.bsky.social,IranWire",
      "https://mastodon.social/@Gargron,Eugen",
      "@plain_handle,Plain",
    ].join("\n");
    expect(parseProtectCsv(csv, "list.csv", tmp).map((p) => [p.handle, p.platform])).toEqual([
      ["bbcpersian", "twitter"],
      ["IlhanMN", "twitter"],
      ["masih.alinejad", "instagram"],
      ["radiofarda", "telegram"],
      ["iranwire.bsky.social", "bluesky"],
      ["Gargron@mastodon.social", "mastodon"],
      ["plain_handle", undefined],
    ]);
  });

  it.each([
    ["handle\nhttps://twitter.com/home\n", /line 2: .*not a profile address/],
    ["handle\nhttps://example.com/about\n", /line 2: .*write the handle/],
    ["handle,platform\nhttps://x.com/bbcpersian,instagram\n", /line 2: the address is a twitter profile/],
  ])("rejects an address that names no account, or another platform's: %j", (text, re) => {
    expect(() => parseProtectCsv(text, "list.csv", tmp)).toThrow(re);
  });

  it("knows a platform by its other names", () => {
    const [x] = parseProtectCsv("handle,platform\nbbcpersian,X\n", "list.csv", tmp);
    expect(samePlatform(x!.platform!, "twitter")).toBe(true);
    expect(samePlatform("x", "X.com")).toBe(true);
    expect(samePlatform("bsky", "bluesky")).toBe(true);
    expect(samePlatform("x", "telegram")).toBe(false);
  });

  it("accepts a header as a spreadsheet writes it", () => {
    const list = parseProtectCsv(
      "Handle, Display Name ,PLATFORM\nbbcpersian,BBC Persian,twitter\n",
      "l.csv",
      tmp,
    );
    expect(list).toEqual([{ handle: "bbcpersian", display_name: "BBC Persian", platform: "twitter" }]);
  });

  it("reads a header without rows as an empty list", () => {
    expect(parseProtectCsv("handle,display_name\n", "list.csv", tmp)).toEqual([]);
  });

  it("keeps one identity for a repeated row, and both names of one account", () => {
    const csv = [
      "handle,display_name,platform",
      "bbcpersian,BBC News فارسی,twitter",
      "bbcpersian,BBC News فارسی,twitter",
      "BBCPersian,,twitter", // the same account, less filled in
      "bbcpersian,BBC Persian,twitter", // another name of it
    ].join("\n");
    expect(parseProtectCsv(csv, "list.csv", tmp)).toEqual([
      { handle: "bbcpersian", display_name: "BBC News فارسی", platform: "twitter" },
      { handle: "bbcpersian", display_name: "BBC Persian", platform: "twitter" },
    ]);
  });

  it("says a UTF-16 file is UTF-16, instead of reading a garbled header", async () => {
    const text = "handle,display_name\nbbcpersian,BBC News فارسی\n";
    const path = join(tmp, "utf16.csv");
    writeFileSync(path, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]));
    await expect(loadProtectList(path)).rejects.toThrow(/UTF-16.*save it as "CSV UTF-8"/);
    // read as UTF-8 by another caller, the same text is known by its NUL bytes
    expect(() => parseProtectCsv(Buffer.from(text, "utf16le").toString("utf8"), "l.csv", tmp)).toThrow(
      /UTF-16/,
    );
  });
});

import { describe, expect, it } from "vitest";
import { DEFAULT_MATCH_OPTIONS, matchAmongAccounts, matchProtected, type AccountLite } from "./match.js";
import type { ProtectedIdentity } from "./protect.js";

const acc = (handle: string, extra: Partial<AccountLite> = {}): AccountLite => ({
  platform: "twitter",
  handle,
  displayName: null,
  bio: null,
  followers: null,
  createdMs: null,
  avatarHash: null,
  ...extra,
});

const PROTECTED: ProtectedIdentity[] = [
  { handle: "bbcpersian", display_name: "BBC Persian" },
  { handle: "IlhanMN", display_name: "Ilhan Omar" },
  { handle: "protonmail", display_name: "Proton Mail" },
  { handle: "radiofarda", display_name: "رادیو فردا" },
  { handle: "علی_کریمی", display_name: "علی کریمی" },
  { handle: "aljazeera", display_name: "الجزيرة" },
];

// real-world style lookalikes, one per trick, each must be attributed to the right protected identity
const LOOKALIKES: Array<[string, string, string, string]> = [
  ["Cyrillic і", "bbcpersіan", "bbcpersian", "U+0456"],
  ["Latin l for capital I", "llhanMN", "IlhanMN", "U+006C"],
  ["Greek omicron", "protοnmail", "protonmail", "U+03BF"],
  ["digit zero for o", "pr0tonmail", "protonmail", "U+0030"],
  ["extra underscore", "bbc_persian", "bbcpersian", "U+005F"],
  ["dropped letter", "bbcpersan", "bbcpersian", "U+0069"],
  ["doubled letter", "raddiofarda", "radiofarda", "U+0064"],
  ["appended number", "radiofarda2", "radiofarda", "U+0032"],
  ["Arabic yeh and kaf for Persian", "علي_كريمي", "علی_کریمی", "U+064A"],
  ["Cyrillic а twice", "аljаzeera", "aljazeera", "U+0430"],
  ["rn for m", "protonrnail", "protonmail", "U+0072"],
];

describe("matchProtected", () => {
  it.each(LOOKALIKES)("%s: %s imitates %s", (_trick, suspect, original, cp) => {
    const accounts = [acc(original), acc(suspect)];
    const ms = matchProtected(accounts, PROTECTED);
    const hit = ms.find((m) => m.suspect === 1);
    expect(hit, suspect).toBeDefined();
    expect(PROTECTED[(hit!.target as { protectedIndex: number }).protectedIndex]!.handle).toBe(original);
    const h = hit!.signals.find((s) => s.kind === "handle")!;
    expect(h).toBeDefined();
    const cps =
      h.kind === "handle" ? h.diff.flatMap((x) => [x.suspect?.codePoint, x.original?.codePoint]) : [];
    expect(cps).toContain(cp);
    // the genuine account is never its own impersonator
    expect(ms.some((m) => m.suspect === 0)).toBe(false);
  });

  it("never flags the genuine account, whatever its case or platform filter", () => {
    const accounts = [acc("BBCPersian"), acc("ilhanmn"), acc("bbcpersian", { platform: "mastodon" })];
    const ms = matchProtected(accounts, [
      { handle: "bbcpersian", platform: "twitter" },
      { handle: "IlhanMN" },
    ]);
    expect(ms).toEqual([]);
  });

  it("does not flag different people who share a common name", () => {
    const ids: ProtectedIdentity[] = [{ handle: "ali_karimi_journalist", display_name: "Ali Karimi" }];
    const accounts = [
      acc("alikarimi_photo", { displayName: "Ali Karimi" }),
      acc("karimi.ali", { displayName: "ali karimi" }),
      acc("maryam_k", { displayName: "Maryam Karimi" }),
    ];
    expect(matchProtected(accounts, ids)).toEqual([]);
  });

  it("flags a lookalike display name even with an unrelated handle, and a reused photo", () => {
    const ids: ProtectedIdentity[] = [
      { handle: "masih_alinejad", display_name: "Masih Alinejad", avatar_hash: "f0e1d2c3b4a59687" },
    ];
    const accounts = [
      acc("news_247", { displayName: "Masіh Alinejad" }), // Cyrillic і
      acc("someone_else", { avatarHash: "f0e1d2c3b4a59686" }), // one bit away
      acc("unrelated", { avatarHash: "0f1e2d3c4b5a6978" }),
    ];
    const ms = matchProtected(accounts, ids);
    expect(ms.map((m) => [m.suspect, m.signals.map((s) => s.kind)])).toEqual([
      [0, ["display_name"]],
      [1, ["avatar"]],
    ]);
  });

  it("grades strength by the number and kind of signals", () => {
    const ids: ProtectedIdentity[] = [{ handle: "bbcpersian", display_name: "BBC Persian" }];
    const [one] = matchProtected([acc("bbc_persian")], ids);
    const [two] = matchProtected([acc("bbcpersіan", { displayName: "BBC Persian" })], ids);
    expect(one!.strength).not.toBe("strong");
    expect(two!.strength).toBe("strong");
    expect(two!.score).toBeGreaterThan(one!.score);
  });
});

describe("matchAmongAccounts", () => {
  it("finds copies of a popular account and names the original", () => {
    const accounts = [
      acc("bbcpersian", { displayName: "BBC Persian", followers: 4_000_000 }),
      acc("bbcpersіan", { displayName: "BBC Persian", followers: 3 }),
      acc("bbc_persian", { followers: 10 }),
      acc("someone", { followers: 50 }),
    ];
    const ms = matchAmongAccounts(accounts);
    expect(
      ms.map((m) => [m.suspect, (m.target as { accountIndex: number }).accountIndex, m.direction]),
    ).toEqual([
      [1, 0, "followers"],
      [2, 0, "followers"],
    ]);
  });

  it("tells the homoglyph copy from the original without any metadata", () => {
    const ms = matchAmongAccounts([acc("pаypal"), acc("paypal")]);
    expect(ms).toHaveLength(1);
    expect(ms[0]).toMatchObject({ suspect: 0, target: { accountIndex: 1 }, direction: "homoglyphs" });
  });

  it("leaves numbered series, ordinary near-names and small unrelated accounts alone", () => {
    const accounts = [
      ...Array.from({ length: 12 }, (_, i) => acc(`h_organic${i + 1}`)),
      acc("maryam"),
      acc("mariam"),
      acc("sara_ahmadi", { displayName: "Sara Ahmadi", followers: 120 }),
      acc("saraahmadi", { displayName: "Sara Ahmadi", followers: 90 }),
    ];
    // the two Sara Ahmadis share a name and a near handle, but neither is popular and nothing was copied
    expect(matchAmongAccounts(accounts)).toEqual([]);
    // the same pair with a copied photo is reported
    const copied = accounts.map((a) =>
      a.handle?.startsWith("sara") ? { ...a, avatarHash: "1234123412341234" } : a,
    );
    expect(matchAmongAccounts(copied).map((m) => m.signals.map((s) => s.kind))).toEqual([
      ["handle", "display_name", "avatar"],
    ]);
  });

  it("pairs copied bios and photos through blocking", () => {
    const bio = "Journalist covering human rights in Iran. Views my own. DMs open for tips.";
    const accounts = [
      acc("realreporter", { bio, followers: 50_000, avatarHash: "00ff00ff00ff00ff" }),
      acc("reporter_real", { bio: bio + " 🇮🇷", followers: 5, avatarHash: "00ff00ff00ff00fe" }),
    ];
    const ms = matchAmongAccounts(accounts, { ...DEFAULT_MATCH_OPTIONS });
    expect(ms).toHaveLength(1);
    expect(ms[0]!.signals.map((s) => s.kind).sort()).toEqual(["avatar", "bio"]);
  });

  it("finds photos up to 6 bits apart even when only two bytes of the hashes agree, and no further", () => {
    // one bit flipped in each of the first 6 bytes: bytes 6 and 7 are the only ones left equal
    const base = "00ff00ff00ff00ff";
    const six = "01fe01fe01fe00ff";
    const seven = "03fd02fd02fd00ff";
    const photo = (h: string, followers: number): Partial<AccountLite> => ({
      avatarHash: h,
      bio: "Journalist covering human rights in Iran. Views my own. DMs open for tips.",
      followers,
    });
    const accounts = [
      acc("original_desk", photo(base, 40_000)),
      acc("copy_one", photo(six, 3)),
      acc("copy_two", photo(seven, 4)),
      ...Array.from({ length: 200 }, (_, i) => acc(`someone${i}`, { avatarHash: `${i}`.padStart(16, "7") })),
    ];
    const avatarPairs = (maxHamming: number): Array<[number, number, number]> =>
      matchAmongAccounts(accounts, { ...DEFAULT_MATCH_OPTIONS, avatarMaxHamming: maxHamming }).flatMap((m) =>
        m.signals
          .filter((s) => s.kind === "avatar")
          .map((s): [number, number, number] => [
            m.suspect,
            (m.target as { accountIndex: number }).accountIndex,
            s.hamming,
          ]),
      );
    expect(avatarPairs(6)).toEqual([[1, 0, 6]]);
    // beyond 6 bits the byte-pair index is scanned: the 7-bit copy still shares bytes 6 and 7 with the original
    expect(avatarPairs(7)).toEqual([
      [1, 0, 6],
      [2, 0, 7],
    ]);
  });

  it("finds one-edit copies of a popular account among many unrelated handles", () => {
    const accounts = [
      ...Array.from({ length: 500 }, (_, i) => acc(`user${i}_${(i * 7919) % 1000}`, { followers: i % 50 })),
      acc("radiofarda", { displayName: "Radio Farda", followers: 900_000 }),
      acc("raddiofarda", { displayName: "Radio Farda", followers: 12 }),
      acc("radiofrda", { followers: 7 }),
      acc("radiofarda_fan", { followers: 30 }),
    ];
    const ms = matchAmongAccounts(accounts);
    expect(
      ms.map((m) => [
        accounts[m.suspect]!.handle,
        accounts[(m.target as { accountIndex: number }).accountIndex]!.handle,
        m.signals.map((s) => (s.kind === "handle" ? `handle:${s.tier}` : s.kind)),
      ]),
    ).toEqual([
      ["raddiofarda", "radiofarda", ["handle:edit", "display_name"]],
      ["radiofrda", "radiofarda", ["handle:edit"]],
    ]);
  });

  it("keeps a huge block of one common handle key from exploding into all pairs", () => {
    const accounts = Array.from({ length: 300 }, (_, i) =>
      acc(`ali${String.fromCharCode(97 + (i % 26))}`, { followers: i }),
    );
    // blocks larger than maxBlock are only compared with their most followed members
    expect(() => matchAmongAccounts(accounts, { ...DEFAULT_MATCH_OPTIONS, maxBlock: 8 })).not.toThrow();
  });
});

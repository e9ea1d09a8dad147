/**
 * The impersonation detector run end to end (ingested case, protect list as the CLI passes it) on the QA pass's
 * cases: what the matching kernel's tests cannot see, the merging of findings among accounts into findings
 * against the protect list, the dropping of copies of copies, and the run's warnings and explanations.
 */
import { describe, expect, it } from "vitest";
import { parseProtectCsv, type ProtectedIdentity } from "../src/detectors/impersonation/protect.js";
import { runDetectors } from "../src/detectors/run.js";
import type { Finding } from "../src/model/index.js";
import { T0, type JsonlPost, suiteCases } from "./helpers/posts.js";

interface Profile {
  id: string;
  handle: string;
  name: string;
  followers: number;
  created?: string;
  bio?: string;
}

const postsOf = (profiles: Profile[]): JsonlPost[] =>
  profiles.map(
    (p, i) =>
      ({
        platform: "twitter",
        post_id: `${p.id}-1`,
        account_id: p.id,
        handle: p.handle,
        display_name: p.name,
        followers: p.followers,
        ...(p.created ? { account_created_at: p.created } : {}),
        ...(p.bio ? { bio: p.bio } : {}),
        ts: new Date(T0 + i * 60_000).toISOString(),
        text: `an ordinary post by ${p.id}`,
        urls: [],
        hashtags: [],
        mentions: [],
      }) as JsonlPost,
  );

const cases = suiteCases("chorus-imp-qa-");

async function run(
  name: string,
  profiles: Profile[],
  params: { protected?: ProtectedIdentity[]; protectFile?: string } = {},
): Promise<{ findings: Finding[]; warnings: string[]; message: string }> {
  const { store } = await cases.open(postsOf(profiles), name);
  const { runs } = await runDetectors(store, {
    only: ["impersonation"],
    params: { impersonation: params },
    seed: 1,
    now: new Date("2024-06-01T00:00:00Z"),
  });
  const r = runs[0]!;
  return { findings: r.result.findings, warnings: r.result.warnings, message: r.message };
}

const list = (csv: string): ProtectedIdentity[] => parseProtectCsv(csv, "list.csv", cases.tmp().dir);
const subjects = (fs: Finding[]): string[] => fs.map((f) => f.subject).sort();

const BBC: Profile[] = [
  {
    id: "genuine",
    handle: "bbcpersian",
    name: "BBC News فارسی",
    followers: 4_000_000,
    created: "2009-01-01",
  },
  { id: "copy_us", handle: "bbcpersian_", name: "BBC News فارسی", followers: 30, created: "2024-02-01" },
  { id: "copy_zw", handle: "bbcpersian\u200b", name: "BBC News فارسی", followers: 5, created: "2024-02-05" },
];

describe("impersonation, end to end", () => {
  it("grades a keyboard variant as a copy once the listed account itself is in the data (QA defect 3)", async () => {
    const bio = "Former captain of the national team. Official account. Tehran, Hamburg, Munich.";
    const profiles: Profile[] = [
      {
        id: "genuine",
        handle: "علی_کریمی",
        name: "علی کریمی",
        followers: 500_000,
        created: "2012-01-01",
        bio,
      },
      { id: "arabic_kb", handle: "علي_كريمي", name: "علي كريمي", followers: 40, created: "2024-01-01", bio },
    ];
    const listed = list("handle,display_name\nعلی_کریمی,علی کریمی\n");
    const { findings } = await run("kb", profiles, { protected: listed });
    // it cannot be the listed account, which is in the data: no caveat, and the copied bio counts
    expect(subjects(findings)).toEqual(["twitter:arabic_kb"]);
    const [f] = findings;
    expect(f!.evidence["keyboard_variant"]).toBeUndefined();
    expect(f!.explanation).not.toMatch(/may be the listed account itself/);
    expect((f!.evidence["signals"] as Array<{ kind: string }>).map((s) => s.kind)).toContain("bio");
    // strength and explanation agree: the same account without the list is reported as strongly
    const without = await run("kb-unlisted", profiles);
    expect(f!.strength).toBe(without.findings[0]!.strength);
    // without the listed account in the data, the variant may be it: weak, and said so
    const absent = await run("kb-alone", profiles.slice(1), { protected: listed });
    expect(absent.findings.map((x) => [x.strength, x.evidence["keyboard_variant"]])).toEqual([
      ["weak", true],
    ]);
  });

  it("does not take another keyboard's spelling of a listed handle for the genuine account (QA defect 3)", async () => {
    // the listed account is not in the data: the Arabic-keyboard account is a copy like the mixed one, and the
    // mixed one is reported against the list, not as a copy of the Arabic-keyboard account
    const { findings } = await run(
      "kb-absent",
      [
        { id: "a1", handle: "علي_كريمي", name: "علي كريمي", followers: 40 },
        { id: "a2", handle: "علی_کريمی", name: "علی کريمی", followers: 40 },
        { id: "a3", handle: "علی_کریمی۲", name: "علی کریمی", followers: 40 },
      ],
      { protected: list("handle,display_name\nعلی_کریمی,علی کریمی\n") },
    );
    expect(subjects(findings)).toEqual(["twitter:a1", "twitter:a2", "twitter:a3"]);
    for (const f of findings) expect(f.evidence["imitates"]).toMatchObject({ kind: "protected" });
    for (const f of findings.filter((x) => x.evidence["keyboard_variant"])) expect(f.strength).toBe("weak");
  });

  it("reports copies of a listed account against it, not against one another (QA defect 5)", async () => {
    const { findings } = await run("copies", BBC, {
      protected: list("handle,display_name\nbbcpersian,BBC News فارسی\n"),
    });
    expect(subjects(findings)).toEqual(["twitter:copy_us", "twitter:copy_zw"]);
    for (const f of findings)
      expect(f.evidence["imitates"]).toMatchObject({ kind: "protected", handle: "bbcpersian" });
  });

  it("names both accounts when bought followers make the copy look like the original (QA defect 1)", async () => {
    const bio = "Human rights lawyer in Tehran. Defending prisoners of conscience since 1995.";
    const { findings } = await run("bought", [
      {
        id: "real",
        handle: "nasrin_sotoudeh",
        name: "Nasrin Sotoudeh",
        followers: 50_000,
        created: "2012-01-01",
        bio,
      },
      {
        id: "fake",
        handle: "nasrin_sotoudeh_",
        name: "Nasrin Sotoudeh",
        followers: 200_000,
        created: "2023-06-01",
        bio,
      },
    ]);
    expect(findings.map((f) => f.subject)).toEqual(["twitter:fake"]);
    const [f] = findings;
    expect(f!.evidence["imitates"]).toMatchObject({ handle: "nasrin_sotoudeh", told_apart_by: "uncertain" });
    expect(f!.explanation).toMatch(/^@nasrin_sotoudeh_ and @nasrin_sotoudeh .*uncertain.*older.*followers/);
    expect(f!.strength).not.toBe("strong");
  });

  it("finds every copy of a popular account, however many, and no namesake of a popular one (review)", async () => {
    // the namesake rule counted the original and its copies as holders of its name: two copies hid each other
    const bio = "Human rights lawyer. Defending prisoners of conscience since 1995.";
    const original: Profile = {
      id: "real",
      handle: "nasrinsotoudeh",
      name: "Nasrin Sotoudeh",
      followers: 500_000,
      created: "2012-01-01",
      bio,
    };
    const copies = ["nasrin_sotoudeh", "nasrinsotoudeh1", "nasrin.sotoudeh"].map((handle, i): Profile => ({
      id: `copy${i}`,
      handle,
      name: "Nasrin Sotoudeh",
      followers: 10,
      created: "2024-01-01",
      bio,
    }));
    const copied = await run("copies-of-popular", [original, ...copies]);
    expect(subjects(copied.findings)).toEqual(["twitter:copy0", "twitter:copy1", "twitter:copy2"]);
    for (const f of copied.findings) {
      expect(f.evidence["imitates"]).toMatchObject({ handle: "nasrinsotoudeh", told_apart_by: "created_at" });
      // the name, a variant of the handle and the bio copied word for word
      expect(f.strength).toBe("strong");
    }
    // the same accounts without the copied bio have nothing of the original's but its plain name and a variant of
    // its handle, as namesakes do: still each found, weak, and said to be possibly a namesake
    const plain = await run("plain-copies-of-popular", [
      { ...original, bio: undefined },
      ...copies.map((c) => ({ ...c, bio: undefined })),
    ]);
    expect(subjects(plain.findings)).toEqual(["twitter:copy0", "twitter:copy1", "twitter:copy2"]);
    for (const f of plain.findings) {
      expect(f.strength).toBe("weak");
      expect(f.evidence["possible_namesake"]).toBeDefined();
    }
    // seven people called Ali Rezaei beside a popular one, created over years, older and newer (the QA case)
    const namesakes = [
      "ali_rezaei88",
      "alirezaei",
      "ali.rezaei1990",
      "ali_rezaei_",
      "alirezaei7",
      "ali_rezaie",
      "rezaei_ali",
    ].map((handle, i): Profile => ({
      id: `namesake${i}`,
      handle,
      name: "Ali Rezaei",
      followers: 100 + 37 * i,
      created: `${2010 + i}-05-01`,
    }));
    const famous: Profile = {
      id: "famous",
      handle: "ali_rezaei",
      name: "Ali Rezaei",
      followers: 80_000,
      created: "2012-01-01",
    };
    const shared = await run("namesakes", [famous, ...namesakes]);
    expect(shared.findings).toEqual([]);
  });

  it("reads a listed platform by its other names, and warns of one no account is on (QA defect 7)", async () => {
    const x = await run("platform-x", BBC, {
      protected: list("handle,display_name,platform\nbbcpersian,BBC News فارسی,x\n"),
    });
    expect(subjects(x.findings)).toEqual(["twitter:copy_us", "twitter:copy_zw"]);
    for (const f of x.findings) expect(f.evidence["imitates"]).toMatchObject({ kind: "protected" });
    expect(x.warnings.filter((w) => /platform/.test(w))).toEqual([]);
    const ig = await run("platform-ig", BBC, {
      protected: list("handle,display_name,platform\nbbcpersian,BBC News فارسی,instagram\n"),
    });
    expect(ig.warnings).toEqual([expect.stringMatching(/platform 'instagram' .*matches no account/)]);
  });

  it("says an empty protect list is empty, and reports a listed account once per suspect (QA defect 7)", async () => {
    const empty = await run("header-only", BBC, {
      protected: list("handle,display_name\n"),
      protectFile: "watch.csv",
    });
    expect(empty.warnings).toEqual([expect.stringMatching(/protect list watch\.csv is empty/)]);
    // the same account listed under two names (as an API caller may pass it), and a repeated row
    const twice = await run("dup", BBC, {
      protected: [
        { handle: "bbcpersian", display_name: "BBC News فارسی" },
        { handle: "bbcpersian", display_name: "BBC Persian" },
        ...list("handle,display_name\nbbcpersian,BBC News فارسی\nbbcpersian,BBC News فارسی\n"),
      ],
    });
    expect(subjects(twice.findings)).toEqual(["twitter:copy_us", "twitter:copy_zw"]);
  });
});

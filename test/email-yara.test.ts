/** YARA over attachments: the bundled rules, the user's own with --yara, bytes passed intact, clear errors. */
import { describe, expect, it } from "vitest";
import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { tempDir } from "./helpers/tmp.js";
import { runCli } from "./helpers/cli.js";
import { messageWithAttachments } from "./helpers/mail.js";
import type { TriageResult } from "../src/email/index.js";

const DIR = fileURLToPath(new URL("./fixtures/email/", import.meta.url));

/** A message with the given attachments, as the YARA tests have always used it. */
const message = (attachments: Array<{ name: string; data: Buffer }>): string =>
  messageWithAttachments(attachments, { messageId: "<files@sender.example>" });

const yaraHits = (r: TriageResult): Array<[string, string]> =>
  r.reasons.filter((x) => x.code === "yara.match").map((x) => [x.evidence.value!, x.evidence.ref]);

const ENGINES = ["yara-x", "wasm"] as const;

describe.each(ENGINES)("chorus email --yara (engine %s)", (engine) => {
  const cli = (args: string[]) => runCli([...args, "--yara-engine", engine]);

  it("names the engine that ran in the JSON document", async () => {
    const r = await cli(["email", "--json", DIR + "personal.eml"]);
    const doc = JSON.parse(r.out) as { yara: { engine: string; rules: number } };
    expect(doc.yara.engine).toBe(engine === "wasm" ? "libyara-wasm" : "yara-x");
    expect(doc.yara.rules).toBeGreaterThanOrEqual(13);
  });

  it("passes bytes intact: a rule on non-ASCII bytes and on UTF-8 Persian text matches only where they are", async () => {
    const tmp = tempDir();
    try {
      mkdirSync(tmp.path("rules"));
      writeFileSync(
        tmp.path("rules/ours.yar"),
        [
          "rule Test_High_Bytes",
          "{",
          '    meta: description = "bytes above 0x7f and a NUL" severity = "low"',
          "    strings: $a = { E9 FF 00 80 C3 28 }",
          "    condition: $a",
          "}",
          'rule Test_Persian { strings: $p = "رمز عبور" condition: $p }',
        ].join("\n"),
      );
      const binary = Buffer.from([0x10, 0xe9, 0xff, 0x00, 0x80, 0xc3, 0x28, 0x11]);
      writeFileSync(
        tmp.path("m.eml"),
        message([
          { name: "blob.bin", data: binary },
          // the same bytes as text decoded and re-encoded as UTF-8 would not match
          { name: "mangled.bin", data: Buffer.from(binary.toString("latin1"), "utf8") },
          { name: "note.txt", data: Buffer.from("لطفا رمز عبور خود را وارد کنید", "utf8") },
        ]),
      );
      const r = await cli(["email", "--json", tmp.path("m.eml"), "--yara", tmp.path("rules")]);
      expect(r.code).toBe(0);
      const [msg] = (JSON.parse(r.out) as { messages: TriageResult[] }).messages;
      expect(yaraHits(msg!).sort()).toEqual([
        ["Test_High_Bytes", "blob.bin"],
        ["Test_Persian", "note.txt"],
      ]);
      const hit = msg!.reasons.find((x) => x.evidence.value === "Test_High_Bytes")!;
      expect(hit).toMatchObject({ severity: "low", weight: 0.15 });
      expect(hit.message).toBe("The YARA rule Test_High_Bytes matched blob.bin: bytes above 0x7f and a NUL.");
    } finally {
      tmp.cleanup();
    }
  });

  it("does not let strings from two files make one match", async () => {
    const tmp = tempDir();
    try {
      writeFileSync(
        tmp.path("pair.yar"),
        'rule Test_Pair { strings: $a = "alpha-marker" $b = "beta-marker" condition: $a and $b }\n',
      );
      writeFileSync(
        tmp.path("m.eml"),
        message([
          { name: "one.txt", data: Buffer.from("alpha-marker only") },
          { name: "two.txt", data: Buffer.from("beta-marker only") },
          { name: "both.txt", data: Buffer.from("alpha-marker and beta-marker") },
        ]),
      );
      const r = await cli(["email", "--json", tmp.path("m.eml"), "--yara", tmp.path("pair.yar")]);
      const [msg] = (JSON.parse(r.out) as { messages: TriageResult[] }).messages;
      expect(yaraHits(msg!)).toEqual([["Test_Pair", "both.txt"]]);
    } finally {
      tmp.cleanup();
    }
  });

  it("does not credit a file with bytes that lie between files (the WebAssembly engine joins them with zeros)", async () => {
    const tmp = tempDir();
    try {
      writeFileSync(
        tmp.path("zeros.yar"),
        [
          "rule Test_Zero_Run { strings: $z = { 00 00 00 00 00 00 00 00 } condition: $z }",
          "rule Test_End_Then_Zeros { strings: $t = { 45 4E 44 00 00 00 } condition: $t }",
          'rule Test_Real_Zeros { strings: $r = { 00 00 00 00 00 00 00 00 } $m = "MARK" condition: $r and $m }',
        ].join("\n"),
      );
      writeFileSync(
        tmp.path("m.eml"),
        message([
          { name: "letter.txt", data: Buffer.from("a letter that ends with END") },
          { name: "notes.txt", data: Buffer.from("MARK and no zero bytes") },
          { name: "padded.bin", data: Buffer.concat([Buffer.from("MARK"), Buffer.alloc(16)]) },
        ]),
      );
      const r = await cli(["email", "--json", tmp.path("m.eml"), "--yara", tmp.path("zeros.yar")]);
      const [msg] = (JSON.parse(r.out) as { messages: TriageResult[] }).messages;
      expect(yaraHits(msg!).sort()).toEqual([
        ["Test_Real_Zeros", "padded.bin"],
        ["Test_Zero_Run", "padded.bin"],
      ]);
    } finally {
      tmp.cleanup();
    }
  });

  it("stops with the file, the line and YARA's message when a rule does not compile", async () => {
    const tmp = tempDir();
    try {
      writeFileSync(
        tmp.path("broken.yar"),
        'rule Fine { condition: true }\n\nrule Broken { strings: $a = "x" condition: $b }\n',
      );
      const r = await cli(["email", DIR + "personal.eml", "--yara", tmp.path("broken.yar")]);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(
        /^chorus: email: .*broken\.yar line 3: .*(undefined string|unknown pattern).*\$b/,
      );
      writeFileSync(tmp.path("dup.yar"), "rule Chorus_Office_DDE { condition: false }\n");
      const dup = await cli(["email", DIR + "personal.eml", "--yara", tmp.path("dup.yar")]);
      expect(dup.code).toBe(2);
      expect(dup.err).toMatch(/dup\.yar line 1: .*duplicate.*unique across all rule files/);
      const empty = await cli(["email", DIR + "personal.eml", "--yara", tmp.dir + "/nothing-here"]);
      expect(empty.code).toBe(2);
      expect(empty.err).toMatch(/cannot read the YARA rules at .*nothing-here/);
    } finally {
      tmp.cleanup();
    }
  });

  it("runs the bundled rules over decoded content and files inside containers", async () => {
    const r = await cli(["email", "--json", DIR + "containers.eml", DIR + "office-attachments.eml"]);
    const [containers, office] = (JSON.parse(r.out) as { messages: TriageResult[] }).messages;
    expect(yaraHits(containers!)).toContainEqual([
      "Chorus_LNK_Script_Host",
      "delivery.iso > DELIVERY.PDF.LNK",
    ]);
    expect(yaraHits(containers!)).toContainEqual(["Chorus_HTA_Or_WSH_Script", "notes.one > embedded file 1"]);
    // the macro source is compressed in the file: the rule matches the decompressed module
    expect(yaraHits(office!)).toContainEqual([
      "Chorus_VBA_AutoExec_Shell",
      "invoice.zip > invoice.docm > word/vbaProject.bin > VBA/NewMacros",
    ]);
    // a message without attachments is not scanned, and benign mail matches nothing
    const benign = await cli(["email", "--json", DIR + "newsletter.eml", DIR + "malware-attachment.eml"]);
    for (const m of (JSON.parse(benign.out) as { messages: TriageResult[] }).messages)
      expect(yaraHits(m)).toEqual([]);
  });
});

describe("YARA over a long run", () => {
  it("still matches after 200 scans in one process (the WebAssembly instance is renewed before it fills)", async () => {
    const { loadYaraRules, scanWithYara } = await import("../src/email/yara.js");
    const t = tempDir();
    try {
      mkdirSync(t.path("rules"), { recursive: true });
      writeFileSync(
        t.path("rules/probe.yar"),
        'rule probe_marker { meta: description = "probe" strings: $a = "chorus-probe-marker" condition: $a }\n',
      );
      const rules = await loadYaraRules([t.path("rules")], { bundled: false, engine: "libyara-wasm" });
      const hit = { label: "probe.bin", bytes: Buffer.from("xx chorus-probe-marker xx") };
      const miss = { label: "other.bin", bytes: Buffer.alloc(64 * 1024, 7) };
      const handlers =
        process.listenerCount("uncaughtException") + process.listenerCount("unhandledRejection");
      let last = 0;
      for (let i = 0; i < 200; i++) {
        const r = await scanWithYara(rules, i % 2 === 0 ? [miss] : [hit]);
        if (i % 2 === 1) last = r.reasons.filter((x) => x.message.includes("probe")).length;
        if (i % 2 === 1) expect(last, `scan ${i}`).toBe(1);
      }
      // each instance's process-wide handlers held it (and its heap) after it was replaced: none may remain
      expect(process.listenerCount("uncaughtException") + process.listenerCount("unhandledRejection")).toBe(
        handlers,
      );
    } finally {
      t.cleanup();
    }
  }, 120_000);
});

describe("YARA-X, file by file", () => {
  it("evaluates conditions about the whole file per file: offsets, filesize and modules", async () => {
    const tmp = tempDir();
    try {
      writeFileSync(
        tmp.path("whole.yar"),
        [
          'import "math"',
          'rule Test_Small_MZ { strings: $s = "stub" condition: uint16(0) == 0x5A4D and filesize < 64 and $s }',
          "rule Test_Random { condition: filesize > 4096 and math.entropy(0, filesize) > 7.5 }",
        ].join("\n"),
      );
      // high-entropy bytes from a seeded generator, so the test is the same on every run
      let x = 0x2545f491;
      const noise = Buffer.alloc(8192);
      for (let i = 0; i < noise.length; i++) {
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        noise[i] = x & 0xff;
      }
      writeFileSync(
        tmp.path("m.eml"),
        message([
          { name: "padding.txt", data: Buffer.from("a plain note that comes first ".repeat(4)) },
          { name: "tiny.exe", data: Buffer.from("MZ stub of a program") },
          { name: "big.exe", data: Buffer.concat([Buffer.from("MZ stub"), Buffer.alloc(100, 0x41)]) },
          { name: "noise.bin", data: noise },
        ]),
      );
      const r = await runCli([
        "email",
        "--json",
        tmp.path("m.eml"),
        "--yara",
        tmp.path("whole.yar"),
        "--yara-engine",
        "yara-x",
      ]);
      expect(r.code).toBe(0);
      // the WebAssembly engine warns that such conditions see the joined files; YARA-X does not need to
      expect(r.err).not.toMatch(/whole file/);
      const [msg] = (JSON.parse(r.out) as { messages: TriageResult[] }).messages;
      expect(yaraHits(msg!).sort()).toEqual([
        ["Test_Random", "noise.bin"],
        ["Test_Small_MZ", "tiny.exe"],
      ]);
    } finally {
      tmp.cleanup();
    }
  });

  it("keeps matching over thousands of scans in one process", async () => {
    const { loadYaraRules, scanWithYara } = await import("../src/email/yara.js");
    const t = tempDir();
    try {
      writeFileSync(
        t.path("probe.yar"),
        'rule probe_marker { meta: description = "probe" strings: $a = "chorus-probe-marker" condition: $a }\n',
      );
      const rules = await loadYaraRules([t.path("probe.yar")], { bundled: false, engine: "yara-x" });
      expect(rules.engine).toBe("yara-x");
      const hit = { label: "probe.bin", bytes: Buffer.from("xx chorus-probe-marker xx") };
      const miss = { label: "other.bin", bytes: Buffer.alloc(64 * 1024, 7) };
      let matched = 0;
      for (let i = 0; i < 3000; i++) {
        const r = await scanWithYara(rules, [miss, hit]);
        matched += r.reasons.filter((x) => x.evidence.ref === "probe.bin").length;
        expect(r.reasons.filter((x) => x.evidence.ref === "other.bin")).toEqual([]);
      }
      expect(matched).toBe(3000);
    } finally {
      t.cleanup();
    }
  });
});

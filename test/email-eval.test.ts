// The email evaluation's generators keep their promises: every message is valid MIME with the structure its kind
// says (an archive with a script entry, a macro project inside the Office file, a PDF with a link, a reply in a
// thread...), DKIM body hashes check out, and a seed gives the same bytes. No rates or timings are asserted here.
import CFB from "cfb";
import JSZip from "jszip";
import { simpleParser, type ParsedMail } from "mailparser";
import { dkimVerify } from "mailauth/lib/dkim/verify.js";
import { describe, expect, it } from "vitest";
import { generateBenign } from "../eval/email/benign.js";
import { generatePhish, PHISH_KINDS, type SyntheticMessage } from "../eval/email/phish.js";

const SCRIPT_EXTENSIONS = /\.(lnk|js|vbs|hta|wsf|cmd|bat|ps1)$/i;
const LINK_RE = /\bhttps?:\/\//i;

/** MS-OVBA 2.4.1 decompression (copy tokens included), written from the specification. */
function ovbaDecompress(buf: Buffer): Buffer {
  expect(buf[0]).toBe(0x01);
  const out: number[] = [];
  let p = 1;
  while (p < buf.length) {
    const header = buf.readUInt16LE(p);
    const size = (header & 0x0fff) + 3;
    const end = p + size;
    const chunkStart = out.length;
    p += 2;
    if ((header & 0x8000) === 0) {
      for (let i = 0; i < 4096; i++) out.push(buf[p + i]!);
      p = end;
      continue;
    }
    while (p < end) {
      const flags = buf[p++]!;
      for (let bit = 0; bit < 8 && p < end; bit++) {
        if ((flags & (1 << bit)) === 0) {
          out.push(buf[p++]!);
          continue;
        }
        const token = buf.readUInt16LE(p);
        p += 2;
        const d = out.length - chunkStart;
        const bitCount = Math.max(Math.ceil(Math.log2(d)), 4);
        const lengthMask = 0xffff >> bitCount;
        const offset = (token >> (16 - bitCount)) + 1;
        const length = (token & lengthMask) + 3;
        for (let i = 0; i < length; i++) out.push(out[out.length - offset]!);
      }
    }
  }
  return Buffer.from(out);
}

/** The source of every module named in the VBA project's dir stream (MODULESTREAMNAME + MODULEOFFSET records). */
function vbaSources(bin: Buffer, prefix: string): string[] {
  const cfb = CFB.read(bin, { type: "buffer" });
  const dir = CFB.find(cfb, `/${prefix}VBA/dir`);
  expect(dir, "VBA/dir stream").toBeTruthy();
  const records = ovbaDecompress(Buffer.from(dir!.content as Uint8Array));
  const streams: Array<{ name: string; offset: number }> = [];
  let p = 0;
  while (p + 6 <= records.length) {
    const id = records.readUInt16LE(p);
    // PROJECTVERSION's size field is a reserved constant followed by 6 bytes
    const size = id === 0x0009 ? 6 : records.readUInt32LE(p + 2);
    const data = records.subarray(p + 6, p + 6 + size);
    if (id === 0x001a) streams.push({ name: data.toString("latin1"), offset: 0 });
    if (id === 0x0031) streams[streams.length - 1]!.offset = data.readUInt32LE(0);
    if (id === 0x0010) break;
    p += 6 + size;
  }
  expect(streams.length).toBeGreaterThan(0);
  return streams.map((s) => {
    const stream = CFB.find(cfb, `/${prefix}VBA/${s.name}`);
    expect(stream, `module stream ${s.name}`).toBeTruthy();
    return ovbaDecompress(Buffer.from(stream!.content as Uint8Array).subarray(s.offset)).toString("latin1");
  });
}

async function zipEntries(buf: Buffer, depth = 0): Promise<string[]> {
  const zip = await JSZip.loadAsync(buf);
  const names: string[] = [];
  for (const f of Object.values(zip.files)) {
    names.push(f.name);
    if (/\.zip$/i.test(f.name) && depth < 3)
      names.push(...(await zipEntries(await f.async("nodebuffer"), depth + 1)));
  }
  return names;
}

async function checkStructure(m: SyntheticMessage, mail: ParsedMail): Promise<void> {
  const body = `${mail.text ?? ""}\n${typeof mail.html === "string" ? mail.html : ""}`;
  if (m.expect.links === "some") expect(body, m.id).toMatch(LINK_RE);
  if (m.expect.links === "none") expect(body, m.id).not.toMatch(LINK_RE);
  if (m.expect.reply) {
    expect(mail.inReplyTo, m.id).toBeTruthy();
    expect(mail.references, m.id).toBeTruthy();
    expect(mail.subject, m.id).toMatch(/^re: /i);
  }
  if (m.lang !== "en")
    expect(
      `${mail.subject}\n${mail.text ?? ""}${typeof mail.html === "string" ? mail.html : ""}`,
      m.id,
    ).toMatch(/[\u0600-\u06ff]/);
  const atts = mail.attachments.filter((a) => a.contentDisposition === "attachment" || a.contentId);
  switch (m.expect.attachment) {
    case undefined:
      return;
    case "html-login": {
      const a = atts.find((x) => /\.(html?|shtml)$/i.test(x.filename ?? ""));
      expect(a, m.id).toBeTruthy();
      let page = a!.content.toString("utf8");
      const b64 = /atob\("([A-Za-z0-9+/=]+)"\)/.exec(page);
      if (b64) page = Buffer.from(b64[1]!, "base64").toString("utf8");
      const esc = /unescape\('([%0-9a-f]+)'\)/i.exec(page);
      if (esc) page = decodeURIComponent(esc[1]!);
      expect(page, m.id).toMatch(/<input type="password"/);
      return;
    }
    case "archive-script": {
      const a = atts.find((x) => x.content.subarray(0, 4).equals(Buffer.from("PK\x03\x04", "latin1")));
      expect(a, m.id).toBeTruthy();
      expect(
        (await zipEntries(a!.content)).some((n) => SCRIPT_EXTENSIONS.test(n)),
        m.id,
      ).toBe(true);
      return;
    }
    case "office-macro": {
      const a = atts.find((x) => /\.(docm|xlsm|doc)$/i.test(x.filename ?? ""))!;
      expect(a, m.id).toBeTruthy();
      let sources: string[];
      if (/\.doc$/i.test(a.filename!)) sources = vbaSources(a.content, "Macros/");
      else {
        const zip = await JSZip.loadAsync(a.content);
        const bin = zip.file(/vbaProject\.bin$/)[0];
        expect(bin, m.id).toBeTruthy();
        sources = vbaSources(await bin!.async("nodebuffer"), "");
      }
      expect(sources.join("\n"), m.id).toMatch(/Sub (AutoOpen|Document_Open|Workbook_Open)\(\)/);
      return;
    }
    case "office-remote-template": {
      const a = atts.find((x) => /\.docx$/i.test(x.filename ?? ""))!;
      const rels = await (
        await JSZip.loadAsync(a.content)
      )
        .file("word/_rels/settings.xml.rels")!
        .async("string");
      expect(rels, m.id).toMatch(/attachedTemplate" Target="https:\/\/[^"]+" TargetMode="External"/);
      return;
    }
    case "image": {
      const a = atts.find((x) => /^image\//.test(x.contentType));
      expect(a, m.id).toBeTruthy();
      const png = a!.content
        .subarray(0, 8)
        .equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
      const jpeg = a!.content[0] === 0xff && a!.content[1] === 0xd8;
      expect(png || jpeg, m.id).toBe(true);
      return;
    }
    case "pdf":
    case "pdf-link": {
      const a = atts.find((x) => x.content.subarray(0, 5).toString("latin1") === "%PDF-");
      expect(a, m.id).toBeTruthy();
      const text = a!.content.toString("latin1");
      expect(text, m.id).toMatch(/startxref\n\d+\n%%EOF/);
      if (m.expect.attachment === "pdf-link") expect(text, m.id).toMatch(/\/S \/URI \/URI \(https:\/\//);
      return;
    }
  }
}

async function checkMessage(m: SyntheticMessage): Promise<void> {
  const text = m.raw.toString("latin1");
  // RFC 5322: CRLF line ends only, header lines within 998 characters
  expect(/[^\r]\n/.test(text), `${m.id}: bare LF`).toBe(false);
  const head = text.slice(0, text.indexOf("\r\n\r\n"));
  for (const line of head.split("\r\n")) expect(line.length, m.id).toBeLessThanOrEqual(998);
  const mail = await simpleParser(m.raw);
  for (const h of ["from", "to", "subject", "date", "message-id"])
    expect(mail.headers.has(h), `${m.id}: ${h}`).toBe(true);
  expect(mail.from?.value[0]?.address, m.id).toMatch(/@/);
  expect(mail.date?.getTime(), m.id).not.toBeNaN();
  expect(mail.date!.getUTCFullYear(), m.id).toBeGreaterThanOrEqual(2022);
  await checkStructure(m, mail);
  if (/^DKIM-Signature:/im.test(head)) {
    const dkim = await dkimVerify(m.raw, { resolver: async () => Promise.reject(new Error("offline")) });
    for (const r of dkim.results) expect(r.bodyHash, `${m.id}: DKIM body hash`).toBe(r.bodyHashExpecting);
  }
}

describe("the synthetic phishing generator", () => {
  it("builds valid MIME with the structure each kind promises", { timeout: 60_000 }, async () => {
    const msgs = await generatePhish({ seed: 7, perKind: 4 });
    expect(new Set(msgs.map((m) => m.kind))).toEqual(new Set(PHISH_KINDS.map((k) => k.kind)));
    for (const m of msgs) await checkMessage(m);
    // the hard subset is what it says: no links, or one link without the usual lure hosting
    for (const m of msgs.filter((x) => x.hard)) expect(m.expect.attachment, m.id).toBeUndefined();
  });

  it("gives the same bytes for the same seed, and other bytes for another", async () => {
    const a = await generatePhish({ seed: 3, perKind: 2, kinds: ["archive-script", "threat-fa"] });
    const b = await generatePhish({ seed: 3, perKind: 2, kinds: ["archive-script", "threat-fa"] });
    const c = await generatePhish({ seed: 4, perKind: 2, kinds: ["archive-script", "threat-fa"] });
    expect(a.map((m) => m.raw.toString("base64"))).toEqual(b.map((m) => m.raw.toString("base64")));
    expect(a.map((m) => m.raw.toString("base64"))).not.toEqual(c.map((m) => m.raw.toString("base64")));
  });
});

describe("the synthetic benign generator", () => {
  it("builds valid MIME with the structure each kind promises", { timeout: 60_000 }, async () => {
    const msgs = await generateBenign({ seed: 7, perKind: 3 });
    expect(msgs.every((m) => m.label === "benign")).toBe(true);
    for (const m of msgs) await checkMessage(m);
  });
});

/** RTF documents: Equation Editor objects, remote links, packages, auto-update, obfuscated markup; benign RTF left alone. */
import { describe, expect, it } from "vitest";
import { inspectRtf, rtfObjects, RTF_BOUNDS } from "../src/email/rtf.js";
import { triageFile } from "../src/email/index.js";
import { messageWithAttachments } from "./helpers/mail.js";

const hex = (b: Buffer): string => b.toString("hex");
const u32 = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
};
/** OLE1 native data (MS-OLEDS 2.2.4): version, format (2: embedded, 1: linked), class name, then `rest`. */
const ole1 = (className: string, format: number, rest: Buffer): Buffer => {
  const name = Buffer.from(className + "\0", "latin1");
  return Buffer.concat([u32(0x0501), u32(format), u32(name.length), name, rest]);
};
const codes = (r: { reasons: Array<{ code: string }> }): string[] => r.reasons.map((x) => x.code).sort();

describe("RTF objects", () => {
  it("finds an Equation Editor object set to update on opening", () => {
    const data = ole1("Equation.3", 2, Buffer.concat([u32(0), u32(0), u32(16), Buffer.alloc(16, 0x41)]));
    const rtf = `{\\rtf1\\ansi{\\object\\objemb\\objupdate{\\*\\objclass Equation.3}\\objw380\\objh260{\\*\\objdata ${hex(data)}}}}`;
    const r = inspectRtf(Buffer.from(rtf, "latin1"), "invoice.rtf");
    expect(codes(r)).toEqual(["rtf.auto-update", "rtf.equation-editor"]);
    expect(r.reasons.find((x) => x.code === "rtf.equation-editor")).toMatchObject({
      severity: "high",
      evidence: { ref: "invoice.rtf > object 1 (Equation.3)", value: "Equation.3" },
    });
    // the decoded object is handed on for the rules
    expect(r.extracted[0]!.bytes.equals(data)).toBe(true);
  });

  it("reads the class from the object's own header through obfuscated hex and a non-standard header", () => {
    const data = ole1("Equation.3", 2, Buffer.alloc(40, 0x90));
    // whitespace, line breaks, an inserted control word and a group between the hex digits, as exploit kits write
    const h = hex(data);
    const noisy = `${h.slice(0, 7)} \r\n${h.slice(7, 20)}\\par ${h.slice(20, 33)}{}${h.slice(33)}`;
    const rtf = `{\\rtxa{\\object\\objemb{\\*\\objdata ${noisy}}}}`;
    const objects = rtfObjects(Buffer.from(rtf, "latin1")).objects;
    expect(objects.map((o) => o.className)).toEqual(["Equation.3"]);
    expect(objects[0]!.data.equals(data)).toBe(true);
    expect(codes(inspectRtf(Buffer.from(rtf, "latin1"), "x.doc"))).toEqual([
      "rtf.equation-editor",
      "rtf.malformed-header",
    ]);
  });

  it("reports a linked object and its URL, and a package that carries a script", () => {
    const url = "http://203.0.113.7/template.hta";
    const link = ole1("OLE2Link", 2, Buffer.concat([Buffer.alloc(20), Buffer.from(url + "\0", "utf16le")]));
    const pkg = ole1(
      "Package",
      2,
      Buffer.concat([Buffer.from([2, 0]), Buffer.from("invoice.hta\0C:\\Users\\a\\invoice.hta\0", "latin1")]),
    );
    const rtf =
      `{\\rtf1{\\object\\objautlink\\objupdate{\\*\\objclass OLE2Link}{\\*\\objdata ${hex(link)}}}` +
      `{\\object\\objemb{\\*\\objclass Package}{\\*\\objdata ${hex(pkg)}}}}`;
    const r = inspectRtf(Buffer.from(rtf, "latin1"), "doc.rtf");
    expect(codes(r)).toEqual(["rtf.auto-update", "rtf.package", "rtf.remote-object"]);
    expect(r.urls).toEqual([url]);
    expect(r.reasons.find((x) => x.code === "rtf.package")).toMatchObject({
      severity: "high",
      evidence: { value: "invoice.hta" },
    });
  });

  it("reads the package's real file behind its label, and the real class behind a renamed \\objclass", () => {
    const pkg = ole1(
      "Package",
      2,
      Buffer.concat([
        Buffer.from([2, 0]),
        Buffer.from("Invoice.pdf\0C:\\Temp\\payload.exe\0\0\0C:\\Users\\a\\AppData\\payload.exe\0", "latin1"),
      ]),
    );
    const rtf = `{\\rtf1{\\object\\objemb{\\*\\objclass Paint.Picture}{\\*\\objdata ${hex(pkg)}}}}`;
    const r = inspectRtf(Buffer.from(rtf, "latin1"), "scan.rtf");
    const p = r.reasons.find((x) => x.code === "rtf.package");
    expect(p).toMatchObject({ severity: "high", weight: 0.75, evidence: { value: "C:\\Temp\\payload.exe" } });
    expect(p!.message).toContain("its icon says Invoice.pdf");
    expect(p!.evidence.ref).toBe("scan.rtf > object 1 (Package)");
  });

  it("copies \\bin raw bytes into the object", () => {
    const data = ole1("Equation.3", 2, Buffer.from([0x00, 0x7b, 0x7d, 0x5c, 0xff]));
    const rtf = Buffer.concat([
      Buffer.from(`{\\rtf1{\\object\\objemb{\\*\\objdata \\bin${data.length} `, "latin1"),
      data,
      Buffer.from("}}}", "latin1"),
    ]);
    const [o] = rtfObjects(rtf).objects;
    expect(o!.className).toBe("Equation.3");
    expect(o!.data.equals(data)).toBe(true);
  });

  it("says nothing about an ordinary document with a picture, and survives hostile markup", () => {
    const plain = `{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0 Arial;}}\\f0 Dear colleague,\\par {\\pict\\pngblip ${"89504e47".repeat(50)}}\\par Regards}`;
    expect(inspectRtf(Buffer.from(plain, "latin1"), "letter.rtf").reasons).toEqual([]);
    // unclosed groups, an object without data, a hex run past the bound, and many objects
    const hostile = Buffer.from(
      "{\\rtf1" +
        "{\\object\\objemb}".repeat(RTF_BOUNDS.maxObjects + 5) +
        `{\\object{\\*\\objdata ${"a".repeat(RTF_BOUNDS.maxObjectBytes * 2 + 10)}`,
      "latin1",
    );
    const r = inspectRtf(hostile, "bad.rtf");
    expect(r.extracted).toEqual([]); // the objects in reach carry no data
    expect(r.notChecked).toContain(`bad.rtf: embedded objects after the first ${RTF_BOUNDS.maxObjects}`);
    const big = Buffer.from(
      `{\\rtf1{\\object{\\*\\objdata ${"a".repeat(RTF_BOUNDS.maxObjectBytes * 2 + 10)}`,
      "latin1",
    );
    expect(rtfObjects(big).objects[0]!.data.length).toBe(RTF_BOUNDS.maxObjectBytes);
  });

  it("makes a mailed RTF exploit malicious", async () => {
    const data = ole1("Equation.3", 2, Buffer.alloc(32, 0x90));
    const rtf = `{\\rtf1{\\object\\objemb\\objupdate{\\*\\objclass Equation.3}{\\*\\objdata ${hex(data)}}}}`;
    const msg = messageWithAttachments(
      [{ name: "invoice.doc", type: "application/msword", data: Buffer.from(rtf, "latin1") }],
      { from: "Accounts <billing@supplier-invoices.example>", subject: "overdue invoice" },
    );
    const [r] = await triageFile(Buffer.from(msg), "rtf.eml");
    expect(r!.verdict).toBe("malicious");
    expect(r!.reasons[0]).toMatchObject({
      code: "rtf.equation-editor",
      evidence: { ref: "invoice.doc > object 1 (Equation.3)" },
    });
    expect(r!.notChecked.some((n) => /not analysed yet/.test(n))).toBe(false);
  });
});

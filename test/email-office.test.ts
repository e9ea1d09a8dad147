/** Office documents attached to mail: macros, Excel 4 sheets, remote templates, DDE, encryption. */
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { triageFile, type TriageResult } from "../src/email/index.js";
import { decompressVba, scanVbaSource, vbaModules } from "../src/email/ovba.js";
import { inspectOle, inspectOoxmlZip } from "../src/email/office.js";
import {
  buildDoc,
  buildOoxml,
  buildVbaProjectBin,
  buildXls,
  compressVba,
  rels,
  wordDocument,
} from "./fixtures/email/build-office.js";

const DIR = fileURLToPath(new URL("./fixtures/email/", import.meta.url));
const byCode = (r: { reasons: TriageResult["reasons"] }, code: string): string[] =>
  r.reasons.filter((x) => x.code === code).map((x) => x.evidence.ref);

describe("MS-OVBA decompression", () => {
  it("decodes the copy token of a hand-worked container (abc, then 6 bytes copied from 3 back)", () => {
    // flag byte 0x08: three literals then a token; token 0x2003 = offset 3, length 6 with a 4-bit offset field
    const container = Buffer.from([0x01, 0x05, 0xb0, 0x08, 0x61, 0x62, 0x63, 0x03, 0x20]);
    expect(decompressVba(container)?.toString("latin1")).toBe("abcabcabc");
  });

  it("round-trips multi-chunk sources through our fixture compressor", () => {
    const src = Buffer.from(
      Array.from(
        { length: 400 },
        (_, i) => `    x${i % 37} = Chr(${i % 97}) & "${"ab".repeat(i % 5)}"\r\n`,
      ).join(""),
      "latin1",
    );
    expect(src.length).toBeGreaterThan(2 * 4096);
    const packed = compressVba(src);
    expect(packed.length).toBeLessThan(src.length / 2);
    expect(decompressVba(packed)?.equals(src)).toBe(true);
  });

  it("stops at the cap and at damage instead of failing", () => {
    const src = Buffer.from("A".repeat(5000), "latin1");
    expect(decompressVba(compressVba(src), 1000)?.length).toBe(1000);
    // a copy token pointing before the start of the chunk
    expect(decompressVba(Buffer.from([0x01, 0x03, 0xb0, 0x01, 0xff, 0xff]))?.length).toBe(0);
    expect(decompressVba(Buffer.from("not a container"))).toBeUndefined();
  });

  it("finds modules in a dir stream, whatever PROJECTVERSION's size field says", () => {
    const bin = buildVbaProjectBin([
      { name: "ThisDocument", document: true, source: "" },
      { name: "Módulo1", source: "" },
    ]);
    const r = inspectOle(bin, "vbaProject.bin");
    expect(r.reasons[0]!.message).toContain("2 modules: ThisDocument, Módulo1");
    expect(vbaModules(Buffer.alloc(3)).modules).toEqual([]);
  });

  it("names auto-exec procedures only where they are declared", () => {
    const found = scanVbaSource(
      "Sub Helper()\r\n  ' AutoOpen is mentioned here\r\nEnd Sub\r\nPublic Sub Workbook_Open()\r\n",
    );
    expect(found.autoExec).toEqual(["Workbook_Open"]);
  });
});

describe("Office inspection", () => {
  it("reports every technique in the fixture with the attachment path as evidence", async () => {
    const [r] = await triageFile(readFileSync(DIR + "office-attachments.eml"), "office.eml");
    expect(r!.verdict).toBe("malicious");
    expect(byCode(r!, "office.vba-autoexec")).toEqual([
      "budget-2027.doc > Macros/VBA/ThisDocument",
      "invoice.zip > invoice.docm > word/vbaProject.bin > VBA/NewMacros",
    ]);
    expect(r!.reasons.find((x) => x.code === "office.vba-suspicious-call")?.evidence.value).toMatch(
      /runs a program.*script host.*COM objects/,
    );
    expect(r!.reasons.find((x) => x.code === "office.excel4-macrosheet")).toMatchObject({
      evidence: { ref: "figures.xls > Workbook", value: "Auto_Open" },
      message: expect.stringContaining("very hidden"),
    });
    expect(r!.reasons.find((x) => x.code === "office.remote-template")?.evidence).toEqual({
      kind: "attachment",
      ref: "agreement.docx > word/_rels/settings.xml.rels",
      value: "https://office-templates.example/agreement.dotm",
    });
    // the DDEAUTO field is split across two runs
    expect(r!.reasons.find((x) => x.code === "office.dde")?.evidence.value).toMatch(/^DDEAUTO c:.*cmd\.exe/);
    expect(byCode(r!, "office.encrypted")).toEqual(["protected.docx"]);
    expect(r!.notChecked).toContain("the contents of protected.docx: the document is encrypted");
    // the remote template is a link of the message, with where it was found
    expect(r!.links).toContainEqual(
      expect.objectContaining({
        url: "https://office-templates.example/agreement.dotm",
        attachment: "agreement.docx",
      }),
    );
    expect(r!.indicators.domains).toContain("office-templates.example");
    // Office types declared correctly are not called mismatched
    expect(r!.reasons.filter((x) => x.code.endsWith("mismatch"))).toEqual([]);
  });

  it("leaves a local template, hyperlinks and macro-free documents alone", async () => {
    const doc = await buildOoxml({
      "word/document.xml": wordDocument("<w:p><w:r><w:t>Minutes</w:t></w:r></w:p>"),
      "word/_rels/settings.xml.rels": rels([
        {
          type: "attachedTemplate",
          target: "file:///C:\\Users\\ana\\Templates\\Normal.dotm",
          external: true,
        },
      ]),
      "word/_rels/document.xml.rels": rels([
        { type: "hyperlink", target: "https://ngo.example/", external: true },
      ]),
    });
    const r = inspectOoxmlZip(doc, "minutes.docx")!;
    expect(r.reasons.map((x) => [x.code, x.weight])).toEqual([["office.external-template", 0]]);
    expect(r.urls).toEqual([]);
    expect(inspectOle(buildDoc([]), "plain.doc").reasons).toEqual([]);
    expect(inspectOle(buildXls([{ name: "Sheet1", kind: 0 }]), "plain.xls").reasons).toEqual([]);
  });

  it("reports encryption in Word's FIB and in a workbook's FILEPASS record", () => {
    expect(inspectOle(buildDoc([], { encrypted: true }), "locked.doc").reasons.map((x) => x.code)).toEqual([
      "office.encrypted",
    ]);
    expect(inspectOle(buildXls([], { filepass: true }), "locked.xls").reasons.map((x) => x.code)).toEqual([
      "office.encrypted",
    ]);
  });

  it("survives damaged documents", async () => {
    const doc = buildDoc([{ name: "M", source: "Sub AutoOpen()\nEnd Sub" }]);
    for (const cut of [100, 600, 1500, doc.length - 7]) {
      const r = inspectOle(doc.subarray(0, cut), "cut.doc");
      expect(Array.isArray(r.reasons)).toBe(true);
    }
    const docx = await buildOoxml({ "word/document.xml": wordDocument("<w:p/>") });
    expect(inspectOoxmlZip(docx.subarray(0, docx.length - 30), "cut.docx")).toBeUndefined();
  });
});

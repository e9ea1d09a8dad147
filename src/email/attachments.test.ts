import { describe, expect, it } from "vitest";
import JSZip from "jszip";
import { checkAttachment } from "./attachments.js";
import { listZip, readZipEntry, ZIP_BOUNDS } from "./zip.js";

const MZ = Buffer.concat([
  Buffer.from("MZ"),
  Buffer.alloc(0x3a),
  Buffer.from([0x80, 0, 0, 0]),
  Buffer.alloc(0x40),
  Buffer.from("PE\0\0"),
  Buffer.alloc(400),
]);
const codes = async (filename: string, content: Buffer, contentType = "application/octet-stream") =>
  (await checkAttachment({ filename, content, contentType }, 0)).reasons.map((r) => r.code);

describe("checkAttachment", () => {
  it("hashes every attachment", async () => {
    const r = await checkAttachment(
      { filename: "a.txt", contentType: "text/plain", content: Buffer.from("abc") },
      0,
    );
    expect(r.report.sha256).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(r.report.md5).toBe("900150983cd24fb0d6963f7d28e17f72");
    expect(r.reasons).toEqual([]);
  });

  it("knows a program by its bytes whatever its name", async () => {
    expect(await codes("report.pdf", MZ)).toEqual(["attachment.executable", "attachment.type-mismatch"]);
    expect(await codes("setup.exe", MZ)).toEqual(["attachment.executable"]);
  });

  it("flags scripts, double extensions and hidden right-to-left overrides", async () => {
    expect(await codes("update.js", Buffer.from("var a = 1;"))).toEqual(["attachment.executable"]);
    expect(await codes("scan.pdf.html", Buffer.from("<html></html>"))).toEqual([
      "attachment.html",
      "attachment.double-extension",
    ]);
    expect(await codes("invoice\u202Efdp.exe", MZ)).toContain("attachment.hidden-characters");
  });

  it("takes zip packages by design for what they are named, and sees a script behind a trailing dot", async () => {
    const zip = await new JSZip().file("doc.kml", "<kml/>").generateAsync({ type: "nodebuffer" });
    for (const name of ["figures.xlsb", "venue.kmz", "plan.vsdx"]) {
      expect(await codes(name, zip), name).toEqual([]);
    }
    expect(await codes("venue.kmz", zip, "application/vnd.google-earth.kmz")).toEqual([]);
    // a zip named as a picture is still a disguise
    expect(await codes("photo.jpg", zip)).toContain("attachment.type-mismatch");
    // Windows drops the trailing dot when it saves "invoice.js." as invoice.js
    expect(await codes("invoice.js.", Buffer.from("WScript.Echo(1)"))).toContain("attachment.executable");
  });

  it("lists zips and finds executables nested two archives deep", async () => {
    const inner = await new JSZip()
      .file("run.scr", MZ)
      .generateAsync({ type: "nodebuffer", compression: "DEFLATE" });
    const outer = await new JSZip()
      .file("docs/inner.zip", inner)
      .file("notes.txt", "hi")
      .generateAsync({ type: "nodebuffer", compression: "DEFLATE" });
    const r = await checkAttachment(
      { filename: "docs.zip", contentType: "application/zip", content: outer },
      0,
    );
    expect(r.report.entries?.map((e) => e.path)).toEqual(["docs/", "docs/inner.zip", "notes.txt"]);
    const exec = r.reasons.find((x) => x.code === "attachment.archive-executable");
    expect(exec?.evidence.ref).toBe("docs.zip > docs/inner.zip > run.scr");
  });

  it("opens an archive inside an archive by its bytes, whatever its name, and names what it hides", async () => {
    const zip = (files: Record<string, Buffer | string>): Promise<Buffer> => {
      const z = new JSZip();
      for (const [name, bytes] of Object.entries(files)) z.file(name, bytes);
      return z.generateAsync({ type: "nodebuffer", compression: "DEFLATE" });
    };
    const inner = await zip({ "payload.exe": MZ });
    for (const name of ["scan.pdf", "scan"]) {
      const r = await checkAttachment(
        { filename: "docs.zip", contentType: "application/zip", content: await zip({ [name]: inner }) },
        0,
      );
      const codes = r.reasons.map((x) => x.code);
      expect(codes).toContain("attachment.archive-disguised");
      const exec = r.reasons.find((x) => x.code === "attachment.archive-executable");
      expect(exec?.evidence.ref).toBe(`docs.zip > ${name} > payload.exe`);
    }
    // a program under a document's name inside an archive
    const hidden = await checkAttachment(
      { filename: "docs.zip", contentType: "application/zip", content: await zip({ "invoice.pdf": MZ }) },
      0,
    );
    expect(hidden.reasons.find((x) => x.code === "attachment.archive-executable")?.evidence).toMatchObject({
      ref: "docs.zip > invoice.pdf",
      value: "exe",
    });
    // an Office document is a zip by right: not disguised
    const docx = await checkAttachment(
      {
        filename: "docs.zip",
        contentType: "application/zip",
        content: await zip({ "a.docx": await zip({ "x.xml": "<a/>" }) }),
      },
      0,
    );
    expect(docx.reasons.map((x) => x.code)).not.toContain("attachment.archive-disguised");
    // other zip packages, native libraries and text that starts with "MZ" are what they say they are
    const ordinary = await checkAttachment(
      {
        filename: "tools.zip",
        contentType: "application/zip",
        content: await zip({
          "budget.xlsb": await zip({ "x.bin": "x" }),
          "lib/_speedups.pyd": MZ,
          "countries.csv": "MZ,Mozambique\nIR,Iran\n".repeat(10),
        }),
      },
      0,
    );
    expect(ordinary.reasons.map((x) => x.code)).toEqual([]);
    // a program named .zip inside an archive
    const named = await checkAttachment(
      { filename: "docs.zip", contentType: "application/zip", content: await zip({ "invoice.zip": MZ }) },
      0,
    );
    expect(named.reasons.find((x) => x.code === "attachment.archive-executable")?.evidence.ref).toBe(
      "docs.zip > invoice.zip",
    );
  });

  it("weighs archives nested past the depth bound, once per attachment", async () => {
    let nested = await new JSZip().file("payload.exe", MZ).generateAsync({ type: "nodebuffer" });
    for (let level = 0; level <= ZIP_BOUNDS.maxDepth; level++) {
      const z = new JSZip().file(`n${level}.zip`, nested);
      if (level === ZIP_BOUNDS.maxDepth) z.file(`m${level}.zip`, nested);
      nested = await z.generateAsync({ type: "nodebuffer" });
    }
    const r = await checkAttachment(
      { filename: "deep.zip", contentType: "application/zip", content: nested },
      0,
    );
    const deep = r.reasons.filter((x) => x.code === "attachment.archive-too-deep");
    expect(deep).toHaveLength(1);
    expect(deep[0]!.weight).toBeGreaterThan(0);
    expect(r.notChecked.filter((n) => n.includes("nested deeper"))).toHaveLength(1);
  });

  it("bounds an archive with too many entries and reports it", async () => {
    const z = new JSZip();
    for (let i = 0; i < ZIP_BOUNDS.maxEntries + 50; i++) z.file(`f${i}.txt`, "");
    const buf = await z.generateAsync({ type: "nodebuffer" });
    const r = await checkAttachment(
      { filename: "many.zip", contentType: "application/zip", content: buf },
      0,
    );
    expect(r.report.entries).toHaveLength(ZIP_BOUNDS.maxEntries);
    expect(r.reasons.map((x) => x.code)).toContain("attachment.archive-too-many-entries");
  });

  it("reports a truncated zip instead of failing", async () => {
    const buf = await new JSZip().file("a.txt", "hello").generateAsync({ type: "nodebuffer" });
    const r = await checkAttachment(
      { filename: "cut.zip", contentType: "application/zip", content: buf.subarray(0, 20) },
      0,
    );
    expect(r.notChecked.join(" ")).toMatch(/contents of cut.zip/);
  });
});

describe("readZipEntry", () => {
  it("refuses to inflate past its cap even when the header lies", async () => {
    const buf = await new JSZip()
      .file("z.bin", Buffer.alloc(5_000_000))
      .generateAsync({ type: "nodebuffer", compression: "DEFLATE" });
    const listing = listZip(buf);
    if (!listing.ok) throw new Error(listing.problem);
    const entry = { ...listing.entries[0]!, size: 10 }; // a lying header
    expect(readZipEntry(buf, entry, 1_000)).toBeUndefined();
    expect(readZipEntry(buf, listing.entries[0]!, 6_000_000)?.length).toBe(5_000_000);
  });
});

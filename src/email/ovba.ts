/**
 * VBA projects (MS-OVBA): the decompression of the compressed containers the source code is stored in, and the
 * `dir` stream that says which stream holds each module and where its compressed source starts. Small enough to
 * write from the specification, and bounded: output stops at a cap, so a hostile stream cannot grow memory.
 */

/** Largest decompressed output per container (a module's source, the dir stream). */
export const MAX_VBA_SOURCE_BYTES = 2 * 1024 * 1024;

/**
 * Decompress an MS-OVBA CompressedContainer (2.4.1): a signature byte 0x01, then chunks of at most 4096
 * decompressed bytes, each either raw or a run of flag bytes followed by literal bytes and copy tokens.
 * Returns undefined when the data is not a container; a damaged tail ends the output where it breaks.
 *
 * @example
 * decompressVba(Buffer.from([0x01, 0x05, 0xb0, 0x08, 0x61, 0x62, 0x63, 0x03, 0x20])).toString() // "abcabcabc"
 */
export function decompressVba(data: Buffer, cap = MAX_VBA_SOURCE_BYTES): Buffer | undefined {
  if (data.length < 3 || data[0] !== 0x01) return undefined;
  const out = Buffer.alloc(Math.min(cap, Math.max(4096, data.length * 8)));
  let size = 0;
  let buf = out;
  const push = (b: number): boolean => {
    if (size >= cap) return false;
    if (size >= buf.length) {
      const bigger = Buffer.alloc(Math.min(cap, buf.length * 2));
      buf.copy(bigger, 0, 0, size);
      buf = bigger;
    }
    buf[size++] = b;
    return true;
  };
  let pos = 1;
  while (pos + 2 <= data.length) {
    const header = data.readUInt16LE(pos);
    if (((header >> 12) & 0x7) !== 0b011) break; // not a chunk: the container ends here
    const chunkEnd = Math.min(data.length, pos + (header & 0x0fff) + 3);
    const compressed = (header & 0x8000) !== 0;
    pos += 2;
    const chunkStart = size;
    if (!compressed) {
      for (let i = 0; i < 4096 && pos < data.length; i++)
        if (!push(data[pos++]!)) return buf.subarray(0, size);
      continue;
    }
    while (pos < chunkEnd) {
      const flags = data[pos++]!;
      for (let bit = 0; bit < 8 && pos < chunkEnd; bit++) {
        if ((flags & (1 << bit)) === 0) {
          if (!push(data[pos++]!)) return buf.subarray(0, size);
          continue;
        }
        if (pos + 2 > chunkEnd) {
          pos = chunkEnd;
          break;
        }
        const token = data.readUInt16LE(pos);
        pos += 2;
        const current = size - chunkStart;
        const bitCount = Math.max(Math.ceil(Math.log2(Math.max(current, 1))), 4);
        const lengthMask = 0xffff >> bitCount;
        const length = (token & lengthMask) + 3;
        const offset = (token >> (16 - bitCount)) + 1;
        if (offset > current) return buf.subarray(0, size); // points before the chunk: damaged
        for (let i = 0; i < length; i++) if (!push(buf[size - offset]!)) return buf.subarray(0, size);
      }
    }
    pos = chunkEnd;
  }
  return buf.subarray(0, size);
}

export interface VbaModuleRef {
  /** The module's name (MODULENAME, or its Unicode form). */
  name: string;
  /** The stream that holds it, inside the VBA storage. */
  stream: string;
  /** Where its compressed source starts in that stream. */
  offset: number;
}

/**
 * The modules listed in a decompressed `dir` stream (2.3.4.2): records are an id (2 bytes), a size (4) and that
 * many bytes, except PROJECTVERSION, whose size field says 4 but which carries 6.
 */
export function vbaModules(dir: Buffer, maxModules = 500): { modules: VbaModuleRef[]; codePage: number } {
  const modules: VbaModuleRef[] = [];
  let codePage = 1252;
  let cur: Partial<VbaModuleRef> | undefined;
  let pos = 0;
  const text = (b: Buffer, unicode: boolean): string =>
    unicode ? b.toString("utf16le") : codePage === 65001 ? b.toString("utf8") : b.toString("latin1");
  while (pos + 6 <= dir.length && modules.length < maxModules) {
    const id = dir.readUInt16LE(pos);
    let size = dir.readUInt32LE(pos + 2);
    if (id === 0x0009) size = 6;
    const body = dir.subarray(pos + 6, pos + 6 + size);
    pos += 6 + size;
    switch (id) {
      case 0x0003:
        if (body.length >= 2) codePage = body.readUInt16LE(0);
        break;
      case 0x0019:
        cur = { name: text(body, false) };
        break;
      case 0x0047:
        if (cur) cur.name = text(body, true);
        break;
      case 0x001a:
        if (cur) cur.stream = text(body, false);
        break;
      case 0x0032:
        if (cur) cur.stream = text(body, true);
        break;
      case 0x0031:
        if (cur && body.length >= 4) cur.offset = body.readUInt32LE(0);
        break;
      case 0x002b:
        if (cur?.name !== undefined && cur.offset !== undefined)
          modules.push({ name: cur.name, stream: cur.stream ?? cur.name, offset: cur.offset });
        cur = undefined;
        break;
      case 0x0010:
        return { modules, codePage };
    }
  }
  return { modules, codePage };
}

/** Procedures that Office runs by itself when a document is opened, closed or created. */
export const AUTO_EXEC = [
  "AutoExec",
  "AutoOpen",
  "Auto_Open",
  "AutoClose",
  "Auto_Close",
  "AutoNew",
  "AutoExit",
  "Document_Open",
  "Document_Close",
  "Document_New",
  "DocumentOpen",
  "DocumentBeforeClose",
  "Document_ContentControlOnEnter",
  "Workbook_Open",
  "Workbook_Activate",
  "Workbook_BeforeClose",
  "Workbook_Deactivate",
  "Auto_Activate",
  "Presentation_Open",
  "App_WorkbookOpen",
  "UserForm_Initialize",
  "InkPicture1_Painted",
];

/** Calls that reach outside the document: run programs, download, write files, hide code. */
const SUSPICIOUS_CALLS: Array<[RegExp, string]> = [
  [/\bShell\s*\(|\bShellExecute\b|WScript\.Shell|Shell\.Application/i, "runs a program (Shell)"],
  [
    /powershell|mshta|cmd(\.exe)?\s*\/c|wscript|cscript|rundll32|regsvr32|certutil|bitsadmin/i,
    "starts a script host or system tool",
  ],
  [
    /URLDownloadToFile|MSXML2\.(Server)?XMLHTTP|WinHttp\.WinHttpRequest|Microsoft\.XMLHTTP/i,
    "downloads from the internet",
  ],
  [
    /ADODB\.Stream|SaveToFile|\bKill\b|CreateTextFile|\bOpen\b[^\n]{0,80}\bFor\s+(Binary|Output)/i,
    "writes files",
  ],
  [/\bCreateObject\s*\(|\bGetObject\s*\(/i, "creates COM objects"],
  [
    /ExecuteExcel4Macro|\bCallByName\b|VirtualAlloc|RtlMoveMemory|CreateThread|Declare\s+(PtrSafe\s+)?Function/i,
    "calls Windows functions directly or runs hidden macro code",
  ],
  [
    /StrReverse|\bChrW?\s*\(\s*\d+\s*\)\s*&\s*ChrW?\s*\(|Base64|FromBase64String/i,
    "hides strings (reversed, Chr() chains, base64)",
  ],
];

/** The descriptions of the call kinds, in the order above. */
export const VBA_CALL_KINDS: readonly string[] = SUSPICIOUS_CALLS.map(([, d]) => d);

export interface VbaSourceFindings {
  /** Auto-executing procedure names found, as written. */
  autoExec: string[];
  /** Plain descriptions of the suspicious calls found. */
  calls: string[];
}

/** Auto-exec procedures declared in `source` (Sub or Function names) and the kinds of suspicious calls it makes. */
export function scanVbaSource(source: string): VbaSourceFindings {
  const autoExec: string[] = [];
  for (const name of AUTO_EXEC) {
    if (new RegExp(`^[ \\t]*(?:(?:Public|Private)\\s+)?(?:Sub|Function)\\s+${name}\\b`, "im").test(source))
      autoExec.push(name);
  }
  const calls = SUSPICIOUS_CALLS.filter(([re]) => re.test(source)).map(([, d]) => d);
  return { autoExec, calls };
}

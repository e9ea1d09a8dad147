/**
 * YARA rules over what a message carries: every attachment, every archive entry read, and the content the other
 * checks decoded (VBA source, inflated PDF streams, files inside images, smuggled payloads).
 *
 * Two engines, chosen when the rules are loaded:
 * - **YARA-X** (the Rust rewrite of YARA, as a prebuilt Node addon that npm installs on Linux x64 with glibc):
 *   rules compiled once, each file scanned on its own in well under a millisecond, so every condition (strings,
 *   `filesize`, `uint16(0)`, the `pe`/`elf`/`math` modules) means what it says for that file. Scans stop after
 *   YARA_BOUNDS.scanTimeoutMs.
 * - **YARA 4 as WebAssembly** (libyara-wasm) everywhere else. That build has one entry point, which compiles the
 *   rules and scans one buffer, at a fixed cost of about a tenth of a second whatever the size. So each message's
 *   files are scanned in ONE call: joined, separated by a run of zero bytes, each match attributed to the file it
 *   falls in, and a rule whose strings matched in several files confirmed by scanning them again one by one.
 *   Conditions about the whole file see the joined buffer, so a rule set that uses them is flagged when loaded.
 *
 * Files are passed as bytes, never as a JS string, which a binding would re-encode as UTF-8.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Reason, Severity } from "./types.js";
import { withoutProcessHandlers } from "./wasm.js";

export const YARA_BOUNDS = {
  /** Bytes of one file given to YARA; longer files are scanned over their first part. */
  maxFileBytes: 16 * 1024 * 1024,
  /** Bytes scanned per message, all files together. */
  maxMessageBytes: 48 * 1024 * 1024,
  /** Zero bytes between joined files (WebAssembly engine), so that a short pattern cannot span two of them. */
  separator: 256,
  /** Files scanned again on their own per message (WebAssembly engine), to confirm a rule that matched in several. */
  maxRescans: 8,
  /** Time one file's scan may take (YARA-X); a scan cut short is said in what could not be checked. */
  scanTimeoutMs: 5_000,
  /** Matches kept per pattern and file (YARA-X); a rule needs one to be reported. */
  maxMatchesPerPattern: 1_000,
};

/** The engine that runs the rules: the native YARA-X where it is installed, else YARA 4 in WebAssembly. */
export type YaraEngine = "yara-x" | "libyara-wasm";

/** The rules shipped with Chorus, written by us. */
export const BUNDLED_RULES_DIR = fileURLToPath(new URL("../../rules/yara/", import.meta.url));

/** A rule file that does not compile, or a rules directory that cannot be read. */
export class YaraRulesError extends Error {
  override name = "YaraRulesError";
}

const require = createRequire(import.meta.url);

// ---- YARA-X (native addon) ----

interface YaraXMatch {
  ruleIdentifier: string;
  meta: Record<string, unknown>;
  matches: Array<{ offset: number; length: number; identifier: string }>;
}
interface YaraXScanner {
  scan(data: Buffer): YaraXMatch[];
  setTimeout(ms: number): void;
  setMaxMatchesPerPattern(n: number): void;
}
interface YaraXDiagnostic {
  code: string;
  message: string;
}
interface YaraXBinding {
  compile(source: string, options?: { relaxedReSyntax?: boolean }): YaraXScanner;
  validate(
    source: string,
    options?: { relaxedReSyntax?: boolean },
  ): { errors: YaraXDiagnostic[]; warnings: YaraXDiagnostic[] };
}

let yaraX: YaraXBinding | null | undefined;
/** The YARA-X addon, or null where npm did not install it (it is built for Linux x64 with glibc only). */
function yaraXBinding(): YaraXBinding | null {
  if (yaraX !== undefined) return yaraX;
  yaraX = null;
  if (process.platform === "linux" && process.arch === "x64") {
    try {
      yaraX = require("@litko/yara-x-linux-x64-gnu") as YaraXBinding;
    } catch {
      yaraX = null;
    }
  }
  return yaraX;
}

/** Whether the native engine can be used on this machine. */
export function yaraXAvailable(): boolean {
  return yaraXBinding() !== null;
}

// ---- YARA 4 as WebAssembly ----

interface EmbindVector<T> {
  size(): number;
  get(i: number): T;
}
interface YaraModule {
  run(
    data: Uint8Array,
    rules: string,
  ): {
    compileErrors: EmbindVector<{ message: string; lineNumber: number; warning: boolean }>;
    matchedRules: EmbindVector<{
      ruleName: string;
      metadata: EmbindVector<{ identifier: string; data: string }>;
      resolvedMatches: EmbindVector<{ location: number; matchLength: number; stringIdentifier: string }>;
    }>;
  };
}

let modulePromise: Promise<YaraModule> | undefined;
let usesOfModule = 0;
/**
 * The WebAssembly build never frees what a scan allocates (about 8 MiB a scan) and stops matching, silently, once
 * its memory is full (after about 130 scans; one use is up to 9 scans). A fresh instance is therefore made every
 * this many uses; the old one is garbage once no scan holds it.
 */
export const YARA_USES_PER_INSTANCE = 12;

/** The WebAssembly module, replaced by a fresh instance every YARA_USES_PER_INSTANCE uses. */
function yaraModule(): Promise<YaraModule> {
  if (++usesOfModule > YARA_USES_PER_INSTANCE) {
    modulePromise = undefined;
    usesOfModule = 1;
  }
  // each instance's process-wide handlers would keep it alive after it is replaced (see wasm.ts)
  if (!modulePromise) {
    const made = withoutProcessHandlers(() => (require("libyara-wasm") as () => Promise<YaraModule>)());
    modulePromise = made;
    // a load that failed is tried again next time, not cached
    made.catch(() => {
      if (modulePromise === made) modulePromise = undefined;
    });
  }
  return modulePromise;
}

const list = <T>(v: EmbindVector<T>): T[] => Array.from({ length: v.size() }, (_, i) => v.get(i));

// ---- loading rules ----

export interface YaraRules {
  /** The engine that compiled them and will run them. */
  engine: YaraEngine;
  /** The files the rules came from, in order. */
  files: string[];
  /** All rule files joined, as given to YARA. */
  text: string;
  /** Rule names, for the record. */
  names: string[];
  /** Warnings from loading (compiler warnings, whole-file conditions), in plain words. */
  warnings: string[];
  /** The compiled rules (YARA-X only). */
  scanner?: YaraXScanner;
}

/** `.yar` and `.yara` files of a directory (or one file), sorted, so the set is the same on every run. */
function ruleFiles(path: string): string[] {
  let st;
  try {
    st = statSync(path);
  } catch (err) {
    throw new YaraRulesError(`cannot read the YARA rules at ${path}: ${(err as Error).message}`);
  }
  if (!st.isDirectory()) return [path];
  return readdirSync(path)
    .filter((n) => /\.(yar|yara)$/i.test(n))
    .sort()
    .map((n) => join(path, n));
}

const WHOLE_FILE = /\b(filesize|entrypoint|u?int(8|16|32)(be)?\s*\(|pe\.|elf\.|math\.)/;

export interface LoadYaraOptions {
  /** Include the bundled rules (default true). */
  bundled?: boolean;
  /** The engine; by default YARA-X where it is installed, else the WebAssembly build. */
  engine?: YaraEngine;
}

/**
 * Load and compile rule files: the bundled set unless `bundled` is false, then each of `paths` (directories of
 * `.yar`/`.yara` files, or single files). A file that does not compile throws a `YaraRulesError` naming the file,
 * the line and the compiler's message.
 *
 * @example
 * const rules = await loadYaraRules(["my-rules/"]); // throws "my-rules/x.yar line 4: unknown pattern `$b`"
 */
export async function loadYaraRules(paths: string[] = [], options: LoadYaraOptions = {}): Promise<YaraRules> {
  const bundled = options.bundled ?? true;
  const engine = options.engine ?? (yaraXAvailable() ? "yara-x" : "libyara-wasm");
  if (engine === "yara-x" && !yaraXAvailable()) {
    throw new YaraRulesError(
      `the YARA-X engine is not installed for ${process.platform}-${process.arch}; the WebAssembly engine runs instead when none is asked for`,
    );
  }
  if (paths.length === 0 && bundled) {
    const cached = bundledOnly.get(engine) ?? compileRules([], true, engine);
    bundledOnly.set(engine, cached);
    return cached;
  }
  return compileRules(paths, bundled, engine);
}

/** The bundled set alone, compiled once per process and engine. */
const bundledOnly = new Map<YaraEngine, Promise<YaraRules>>();

async function compileRules(paths: string[], bundled: boolean, engine: YaraEngine): Promise<YaraRules> {
  const warnings: string[] = [];
  // a copy of Chorus installed without its rules directory still triages; it says so instead of failing
  const own = bundled && existsSync(BUNDLED_RULES_DIR) ? ruleFiles(BUNDLED_RULES_DIR) : [];
  if (bundled && own.length === 0) warnings.push(`the bundled YARA rules are missing (${BUNDLED_RULES_DIR})`);
  const theirs = paths.flatMap((p) => ruleFiles(resolve(p)));
  if (paths.length > 0 && theirs.length === 0) {
    throw new YaraRulesError(`no .yar or .yara files in ${paths.join(", ")}`);
  }
  const files = [...own, ...theirs];
  const texts: string[] = [];
  for (const f of files) {
    const text = readFileSync(f, "utf8");
    if (engine === "libyara-wasm") {
      // conditions about the whole file do not hold per file in the joined scan: say so once per file
      const conditions = [...text.matchAll(/\bcondition\s*:([\s\S]*?)(?=\n\s*\}|\brule\b)/g)].map(
        (m) => m[1]!,
      );
      if (conditions.some((c) => WHOLE_FILE.test(c.replace(/"[^"]*"/g, "")))) {
        warnings.push(
          `${f}: conditions about the whole file (filesize, offsets, modules) are evaluated over all of a message's files joined`,
        );
      }
    }
    texts.push(text.endsWith("\n") ? text : `${text}\n`);
  }
  // one compilation of all files joined; a line of the joined text is traced back to its file
  const text = texts.join("");
  const where = (line: number): string => {
    let rest = line;
    for (const [i, t] of texts.entries()) {
      const n = t.split("\n").length - 1;
      if (rest <= n) return `${files[i]!} line ${rest}`;
      rest -= n;
    }
    return `the rules line ${line}`;
  };
  const fail = (line: number, message: string): never => {
    throw new YaraRulesError(
      `${where(line)}: ${message}${/duplicate/i.test(message) ? " (rule names must be unique across all rule files, the bundled ones included)" : ""}`,
    );
  };
  const names = [...text.matchAll(/^\s*(?:(?:private|global)\s+)*rule\s+(\w+)/gm)].map((m) => m[1]!);
  if (engine === "yara-x") {
    const x = yaraXBinding()!;
    // YARA 4's regular-expression quirks are accepted, so rule sets written for it compile unchanged
    const checked = x.validate(text, { relaxedReSyntax: true });
    for (const w of checked.warnings) {
      const d = diagnostic(w.message);
      warnings.push(`${d.line ? where(d.line) : "the rules"}: ${d.text}`);
    }
    const [e] = checked.errors;
    if (e) {
      const d = diagnostic(e.message);
      fail(d.line ?? 0, d.text);
    }
    const scanner = x.compile(text, { relaxedReSyntax: true });
    scanner.setTimeout(YARA_BOUNDS.scanTimeoutMs);
    scanner.setMaxMatchesPerPattern(YARA_BOUNDS.maxMatchesPerPattern);
    return { engine, files, text, names, warnings, scanner };
  }
  const y = await yaraModule();
  for (const e of list(y.run(new Uint8Array(0), text).compileErrors)) {
    if (e.warning) {
      warnings.push(`${where(e.lineNumber)}: ${e.message}`);
      continue;
    }
    fail(e.lineNumber, e.message);
  }
  return { engine, files, text, names, warnings };
}

/**
 * A YARA-X diagnostic is several lines drawn for a terminal (`error[E025]: unknown pattern ...`, ` --> line:3:44`,
 * the source with a caret and a note): its headline, the note under the caret, and the line.
 */
function diagnostic(message: string): { text: string; line?: number } {
  const lines = message.split("\n");
  const head = (lines[0] ?? message).replace(/^(error|warning)\[\w+\]:\s*/, "");
  const at = /-->\s*line:(\d+):\d+/.exec(message);
  const note = lines
    .map((l) => /^\s*\d*\s*\|\s*\^+\s+(.+)$/.exec(l)?.[1])
    .find((n): n is string => n !== undefined);
  return { text: note ? `${head} (${note})` : head, ...(at ? { line: Number(at[1]) } : {}) };
}

export interface ScanItem {
  /** Where the bytes are: `invoice.zip > invoice.docm > word/vbaProject.bin > VBA/NewMacros`. */
  label: string;
  bytes: Buffer;
}

const WEIGHTS: Record<string, { severity: Severity; weight: number }> = {
  high: { severity: "high", weight: 0.6 },
  medium: { severity: "medium", weight: 0.35 },
  low: { severity: "low", weight: 0.15 },
  info: { severity: "info", weight: 0 },
};

/** One rule that matched, with its meta and the files it matched in (before nested files are preferred). */
interface RuleHit {
  rule: string;
  meta: Map<string, string>;
  labels: string[];
}

/**
 * Scan a message's files with the rules; one reason per rule and file it matched, naming the rule, its
 * description and the file. The weight follows the rule's `severity` meta (high 0.6, medium 0.35, low 0.15;
 * medium when absent).
 */
export async function scanWithYara(
  rules: YaraRules,
  items: ScanItem[],
): Promise<{ reasons: Reason[]; notChecked: string[] }> {
  const notChecked: string[] = [];
  if (items.length === 0 || rules.names.length === 0) return { reasons: [], notChecked };
  const files: ScanItem[] = [];
  let size = 0;
  for (const it of items) {
    let b = it.bytes;
    if (b.length > YARA_BOUNDS.maxFileBytes) {
      notChecked.push(`YARA rules past the first ${YARA_BOUNDS.maxFileBytes} bytes of ${it.label}`);
      b = b.subarray(0, YARA_BOUNDS.maxFileBytes);
    }
    if (size + b.length > YARA_BOUNDS.maxMessageBytes) {
      notChecked.push(
        `YARA rules on ${it.label} (over the ${YARA_BOUNDS.maxMessageBytes}-byte scan budget per message)`,
      );
      continue;
    }
    files.push({ label: it.label, bytes: b });
    size += b.length;
  }
  const hits = rules.scanner
    ? scanEach(rules.scanner, files, notChecked)
    : await scanJoined(rules.text, files, notChecked);
  const reasons: Reason[] = [];
  for (const h of hits) {
    // a file and a file inside it both matching: the inner one is the more precise evidence
    const labels = h.labels.filter((l) => !h.labels.some((o) => o !== l && o.startsWith(`${l} > `)));
    const level = WEIGHTS[(h.meta.get("severity") ?? "medium").toLowerCase()] ?? WEIGHTS["medium"]!;
    const description = h.meta.get("description");
    for (const label of labels) {
      reasons.push({
        code: "yara.match",
        severity: level.severity,
        weight: level.weight,
        message: `The YARA rule ${h.rule} matched ${label}${description ? `: ${description}` : ""}.`,
        evidence: { kind: "attachment", ref: label, value: h.rule },
      });
    }
  }
  return { reasons, notChecked };
}

/** YARA-X: each file on its own; rules in the order of their first file, files in message order. */
function scanEach(scanner: YaraXScanner, files: ScanItem[], notChecked: string[]): RuleHit[] {
  const byRule = new Map<string, RuleHit>();
  for (const f of files) {
    let matched: YaraXMatch[];
    try {
      matched = scanner.scan(f.bytes);
    } catch (err) {
      const why = /timeout|timed out/i.test((err as Error).message)
        ? `the scan took over ${YARA_BOUNDS.scanTimeoutMs / 1000} s`
        : (err as Error).message;
      notChecked.push(`YARA rules on ${f.label} (${why})`);
      continue;
    }
    for (const m of matched) {
      let hit = byRule.get(m.ruleIdentifier);
      if (!hit) {
        const meta = new Map(Object.entries(m.meta).map(([k, v]) => [k, String(v)]));
        hit = { rule: m.ruleIdentifier, meta, labels: [] };
        byRule.set(m.ruleIdentifier, hit);
      }
      hit.labels.push(f.label);
    }
  }
  return [...byRule.values()];
}

/** YARA 4 in WebAssembly: one joined call, matches attributed by offset, rules seen in several files confirmed. */
async function scanJoined(text: string, files: ScanItem[], notChecked: string[]): Promise<RuleHit[]> {
  const parts: Buffer[] = [];
  const starts: Array<{ at: number; end: number; label: string }> = [];
  let size = 0;
  const sep = Buffer.alloc(YARA_BOUNDS.separator);
  for (const f of files) {
    starts.push({ at: size, end: size + f.bytes.length, label: f.label });
    parts.push(f.bytes, sep);
    size += f.bytes.length + sep.length;
  }
  if (starts.length === 0) return [];
  const y = await yaraModule();
  const data = Buffer.concat(parts, size);
  const run = (bytes: Buffer): ReturnType<YaraModule["run"]> => {
    try {
      return y.run(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), text);
    } catch (err) {
      modulePromise = undefined; // an instance that trapped is not used again
      throw err;
    }
  };
  const result = run(data);
  /** The file a match lies wholly inside (by index), or -1 for one that touches a separator. */
  const fileAt = (loc: number, length: number): number => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const s = starts[mid]!;
      if (loc < s.at) hi = mid - 1;
      else if (loc >= s.end) lo = mid + 1;
      else return loc + length <= s.end ? mid : -1;
    }
    return -1;
  };
  // A rule whose strings matched in several files, or partly in the zero bytes between them, may owe its match to
  // the joining: those files are scanned again one by one, within a budget, and keep the rule only if it matches
  // alone. Results of a file's own scan are kept for the other rules.
  const alone = new Map<number, Set<string>>();
  let rescans = 0;
  const matchesAlone = (i: number): Set<string> | undefined => {
    const cached = alone.get(i);
    if (cached) return cached;
    if (rescans >= YARA_BOUNDS.maxRescans) return undefined;
    rescans++;
    const s = starts[i]!;
    const names = new Set(list(run(data.subarray(s.at, s.end)).matchedRules).map((r) => r.ruleName));
    alone.set(i, names);
    return names;
  };
  const hits: RuleHit[] = [];
  for (const m of list(result.matchedRules)) {
    const meta = new Map(list(m.metadata).map((x) => [x.identifier, x.data]));
    const matches = list(m.resolvedMatches);
    const where = new Set<number>();
    let outside = false;
    for (const r of matches) {
      const f = fileAt(Number(r.location), Number(r.matchLength));
      if (f >= 0) where.add(f);
      else outside = true;
    }
    let found = [...where];
    if (found.length > 1 || outside) {
      found = found.filter((i) => matchesAlone(i)?.has(m.ruleName) ?? true);
      if (rescans >= YARA_BOUNDS.maxRescans && found.some((i) => !alone.has(i)))
        notChecked.push(
          `whether ${m.ruleName} matches each file on its own (over ${YARA_BOUNDS.maxRescans} rescans)`,
        );
    }
    // a rule without any string match (a condition only) is attributed to the first file
    if (matches.length === 0) found = [0];
    if (found.length > 0) hits.push({ rule: m.ruleName, meta, labels: found.map((i) => starts[i]!.label) });
  }
  return hits;
}

/**
 * YARA rules over what a message carries: every attachment, every archive entry read, and the content the other
 * checks decoded (VBA source, inflated PDF streams, files inside images, smuggled payloads). YARA 4 runs as
 * WebAssembly (libyara-wasm), so nothing native is installed.
 *
 * That build has one entry point, which compiles the rules and scans one buffer, at a fixed cost of about a
 * tenth of a second whatever the size. So rules are compiled once per set when loaded (to report errors by file
 * and line), and each message's files are scanned in ONE call: joined, separated by a run of zero bytes, each
 * match attributed to the file it falls in. Rules about strings work as usual; conditions about the whole file
 * (`filesize`, `uint16(0)`, `entrypoint`) see the joined buffer, so a rule set that uses them is flagged when
 * loaded. Files are passed as bytes (a Uint8Array), never as a JS string, which the binding would re-encode as
 * UTF-8.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Reason, Severity } from "./types.js";

export const YARA_BOUNDS = {
  /** Bytes of one file given to YARA; longer files are scanned over their first part. */
  maxFileBytes: 16 * 1024 * 1024,
  /** Bytes scanned per message, all files together. */
  maxMessageBytes: 48 * 1024 * 1024,
  /** Zero bytes between joined files, so that a short pattern cannot span two of them. */
  separator: 256,
  /** Files scanned again on their own per message, to confirm a rule whose strings matched in several. */
  maxRescans: 8,
};

/** The rules shipped with Chorus, written by us. */
export const BUNDLED_RULES_DIR = fileURLToPath(new URL("../../rules/yara/", import.meta.url));

/** A rule file that does not compile, or a rules directory that cannot be read. */
export class YaraRulesError extends Error {
  override name = "YaraRulesError";
}

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
 * its memory is full (after about 130 scans; one use is up to 9 scans). A fresh instance is therefore made every this many uses; the old
 * one is garbage once no scan holds it.
 */
export const YARA_USES_PER_INSTANCE = 12;

/** The WebAssembly module, replaced by a fresh instance every YARA_USES_PER_INSTANCE uses. */
function yaraModule(): Promise<YaraModule> {
  if (++usesOfModule > YARA_USES_PER_INSTANCE) {
    modulePromise = undefined;
    usesOfModule = 1;
  }
  modulePromise ??= (createRequire(import.meta.url)("libyara-wasm") as () => Promise<YaraModule>)();
  return modulePromise;
}

const list = <T>(v: EmbindVector<T>): T[] => Array.from({ length: v.size() }, (_, i) => v.get(i));

export interface YaraRules {
  /** The files the rules came from, in order. */
  files: string[];
  /** All rule files joined, as given to YARA. */
  text: string;
  /** Rule names, for the record. */
  names: string[];
  /** Warnings from loading (compiler warnings, whole-file conditions), in plain words. */
  warnings: string[];
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

/**
 * Load and compile rule files: the bundled set unless `bundled` is false, then each of `paths` (directories of
 * `.yar`/`.yara` files, or single files). A file that does not compile throws a `YaraRulesError` naming the file,
 * the line and YARA's message.
 *
 * @example
 * const rules = await loadYaraRules(["my-rules/"]); // throws "my-rules/x.yar line 4: syntax error, ..."
 */
export async function loadYaraRules(paths: string[] = [], bundled = true): Promise<YaraRules> {
  if (paths.length === 0 && bundled) {
    bundledOnly ??= compileRules([], true);
    return bundledOnly;
  }
  return compileRules(paths, bundled);
}

/** The bundled set alone, compiled once per process. */
let bundledOnly: Promise<YaraRules> | undefined;

async function compileRules(paths: string[], bundled: boolean): Promise<YaraRules> {
  const y = await yaraModule();
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
    // conditions about the whole file do not hold per file in the joined scan: say so once per file
    const conditions = [...text.matchAll(/\bcondition\s*:([\s\S]*?)(?=\n\s*\}|\brule\b)/g)].map((m) => m[1]!);
    if (conditions.some((c) => WHOLE_FILE.test(c.replace(/"[^"]*"/g, "")))) {
      warnings.push(
        `${f}: conditions about the whole file (filesize, offsets, modules) are evaluated over all of a message's files joined`,
      );
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
  for (const e of list(y.run(new Uint8Array(0), text).compileErrors)) {
    if (e.warning) {
      warnings.push(`${where(e.lineNumber)}: ${e.message}`);
      continue;
    }
    throw new YaraRulesError(
      `${where(e.lineNumber)}: ${e.message}${/duplicated/i.test(e.message) ? " (rule names must be unique across all rule files, the bundled ones included)" : ""}`,
    );
  }
  const names = [...text.matchAll(/^\s*(?:(?:private|global)\s+)*rule\s+(\w+)/gm)].map((m) => m[1]!);
  return { files, text, names, warnings };
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

/**
 * Scan a message's files with the rules in one call; one reason per rule and file it matched, naming the rule,
 * its description and the file. The weight follows the rule's `severity` meta (high 0.6, medium 0.35, low 0.15;
 * medium when absent).
 */
export async function scanWithYara(
  rules: YaraRules,
  items: ScanItem[],
): Promise<{ reasons: Reason[]; notChecked: string[] }> {
  const notChecked: string[] = [];
  if (items.length === 0 || rules.names.length === 0) return { reasons: [], notChecked };
  const parts: Buffer[] = [];
  const starts: Array<{ at: number; end: number; label: string }> = [];
  let size = 0;
  const sep = Buffer.alloc(YARA_BOUNDS.separator);
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
    starts.push({ at: size, end: size + b.length, label: it.label });
    parts.push(b, sep);
    size += b.length + sep.length;
  }
  const y = await yaraModule();
  const data = Buffer.concat(parts, size);
  const result = y.run(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), rules.text);
  const fileAt = (loc: number): string | undefined => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const s = starts[mid]!;
      if (loc < s.at) hi = mid - 1;
      else if (loc >= s.end) lo = mid + 1;
      else return s.label;
    }
    return undefined;
  };
  // A rule whose strings matched in several files may owe its match to the joining (one string here, another
  // there): those files are scanned again one by one, within a budget, and keep the rule only if it matches
  // alone. Results of a file's own scan are kept for the other rules.
  const alone = new Map<string, Set<string>>();
  let rescans = 0;
  const matchesAlone = (label: string): Set<string> | undefined => {
    const cached = alone.get(label);
    if (cached) return cached;
    if (rescans >= YARA_BOUNDS.maxRescans) return undefined;
    rescans++;
    const s = starts.find((x) => x.label === label)!;
    const own = data.subarray(s.at, s.end);
    const names = new Set(
      list(y.run(new Uint8Array(own.buffer, own.byteOffset, own.byteLength), rules.text).matchedRules).map(
        (r) => r.ruleName,
      ),
    );
    alone.set(label, names);
    return names;
  };
  const reasons: Reason[] = [];
  for (const m of list(result.matchedRules)) {
    const meta = new Map(list(m.metadata).map((x) => [x.identifier, x.data]));
    const where = new Set<string>();
    for (const r of list(m.resolvedMatches)) {
      const f = fileAt(Number(r.location));
      if (f) where.add(f);
    }
    let labels = [...where];
    if (labels.length > 1) {
      labels = labels.filter((l) => matchesAlone(l)?.has(m.ruleName) ?? true);
      if (rescans >= YARA_BOUNDS.maxRescans && labels.some((l) => !alone.has(l)))
        notChecked.push(
          `whether ${m.ruleName} matches each file on its own (over ${YARA_BOUNDS.maxRescans} rescans)`,
        );
    }
    // a file and a file inside it both matching: the inner one is the more precise evidence
    labels = labels.filter((l) => !labels.some((o) => o !== l && o.startsWith(`${l} > `)));
    // a rule without string matches (a condition only) is attributed to the first file
    if (labels.length === 0 && where.size === 0) labels = [starts[0]?.label ?? "the message's files"];
    const level = WEIGHTS[(meta.get("severity") ?? "medium").toLowerCase()] ?? WEIGHTS["medium"]!;
    const description = meta.get("description");
    for (const label of labels) {
      reasons.push({
        code: "yara.match",
        severity: level.severity,
        weight: level.weight,
        message: `The YARA rule ${m.ruleName} matched ${label}${description ? `: ${description}` : ""}.`,
        evidence: { kind: "attachment", ref: label, value: m.ruleName },
      });
    }
  }
  return { reasons, notChecked };
}

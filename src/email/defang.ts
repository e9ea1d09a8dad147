/**
 * Defanging: indicators written for people (terminal output, the HTML report) are made unclickable and
 * un-resolvable, the way the security community writes them: `hxxps://evil[.]example/login`. Machine exports
 * (STIX, MISP, CSV) keep the real values.
 *
 * @example
 * defang("see https://login.evil.example/x", ["login.evil.example"]); // "see hxxps://login[.]evil[.]example/x"
 * defangIndicator("domain", "evil.example"); // "evil[.]example"
 */
import type { TriageResult } from "./types.js";

/** Make the URLs and the given host names in a text unclickable: hxxps://evil[.]example. */
export function defang(s: string, hosts: readonly string[]): string {
  let out = defangSchemes(s.replace(/\bhttp(s?):\/\//gi, "hxxp$1://"));
  for (const d of [...hosts].sort((a, b) => b.length - a.length || (a < b ? -1 : 1))) {
    if (!d.includes(".")) continue;
    out = out.split(d).join(d.replace(/\./g, "[.]"));
  }
  return out;
}

/**
 * Schemes that run or carry content when a link is opened (`javascript:alert(1)`, `data:text/html,...`,
 * `vbscript:`), and `file:`, written with their colon bracketed: `javascript[:]alert(1)`. Only where the colon is
 * followed by more than a space, so that "data: the results" in a sentence stays as written.
 */
function defangSchemes(s: string): string {
  return s.replace(/\b(javascript|vbscript|data|file)\s*:(?=\S)/gi, "$1[:]");
}

/** One indicator value as a person should read it: URLs, domains, IPs and addresses defanged; hashes as they are. */
export function defangIndicator(kind: string, value: string): string {
  if (/^(sha256|md5|sha1|hash|attachment)$/i.test(kind)) return value;
  return defangSchemes(value.replace(/\bhttp(s?):\/\//gi, "hxxp$1://")).replace(/\./g, "[.]");
}

/**
 * File extensions of names that look like host names in reason texts but are files (attachments, entries, a case's
 * inputs). None is a top-level domain but .zip, kept since attachments are named far more often than such hosts;
 * extensions that are (.com, .py, .one) stay out, or every host under them would be left live.
 */
const FILE_NAME =
  /\.(eml|mbox|msg|zip|exe|scr|bat|cmd|vbs|vbe|jse|wsf|wsh|msi|dll|cpl|jar|iso|img|vhdx?|rar|7z|gz|pdf|bin|txt|ps1|js|hta|lnk|rtf|html?|svg|docx|docm?|xlsx|xlsm?|pptx|pptm?|jsonl?|csv|tsv|parquet|duckdb)$/i;

/** A run of the characters host names are written with (and dots): where a sentence's host names are looked for. */
const NAME_RUN = /[\p{L}\p{N}.-]+/gu;
/** A host name, whole: labels of letters, digits and hyphens, the last of letters only. */
const HOST_SHAPE = /^(?:[\p{L}\p{N}-]+\.)+\p{L}{2,}$/u;
/** A dotted IPv4 address in a sentence (not part of a longer run of digits and dots, such as a version). */
const IPV4_IN_TEXT = /(?<![\p{N}.])(?:\d{1,3}\.){3}\d{1,3}(?![\p{N}]|\.\p{N})/gu;

/** Whether a name that looks like a host name is a file's ("statement.pdf", an input "campaign.mbox"). */
export function isFileName(name: string): boolean {
  return FILE_NAME.test(name);
}

/**
 * The host names a sentence names (file names left out, as `isFileName`), in order of appearance, each once. A name
 * followed by "@" or "_" is none: the local part of an address ("shirin.ebadi.1947@") stays as written, only the
 * domain after the "@" is defanged. Read run by run, each checked whole, in time linear in the sentence: a search
 * for a host anywhere in it retried every position of a long run of dotted labels ("a1.a1.a1...": 1.4 s at 40,000
 * characters, in a hostile subject).
 */
export function hostNamesIn(s: string): string[] {
  const found = new Set<string>();
  for (const m of s.matchAll(NAME_RUN)) {
    const next = s[m.index + m[0].length];
    // an empty label (two dots) ends a name; the last part is the one an "@" or "_" follows
    const parts = m[0].split(/\.{2,}/);
    parts.forEach((part, i) => {
      if (i === parts.length - 1 && (next === "@" || next === "_")) return;
      const h = part.replace(/^\.+|\.+$/g, "");
      if (HOST_SHAPE.test(h) && !isFileName(h)) found.add(h);
    });
  }
  return [...found];
}

/** The dotted IPv4 addresses a sentence names, each once. */
export function ipv4sIn(s: string): string[] {
  return [...new Set(s.match(IPV4_IN_TEXT) ?? [])];
}

/** Every host name a triage result mentions (indicators, links, reasons), for `defang`; file names are left out. */
export function hostsOf(r: TriageResult): string[] {
  const set = new Set<string>([...r.indicators.domains, ...r.indicators.ips]);
  for (const l of r.links) {
    if (l.host) set.add(l.host);
    if (l.hostUnicode) set.add(l.hostUnicode);
  }
  // file names (attachments, archive entries, files inside images) look like host names but are not
  const files = new Set<string>();
  for (const a of r.attachments) {
    files.add(a.filename);
    for (const e of a.entries ?? []) for (const part of e.path.split("/")) files.add(part);
  }
  for (const x of r.reasons) {
    if (x.evidence.kind !== "attachment") continue;
    for (const part of x.evidence.ref.split(/ > |\//)) files.add(part);
  }
  for (const x of r.reasons) {
    for (const h of hostNamesIn(`${x.message} ${x.evidence.ref} ${x.evidence.value ?? ""}`)) {
      if (!files.has(h)) set.add(h);
    }
  }
  return [...set].sort();
}

/** The host part of an indicator value (URL, address or domain), for defanging it inside a sentence. */
export function indicatorHost(value: string): string {
  const url = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]+)/i.exec(value);
  if (url) return url[1]!.replace(/^.*@/, "").replace(/:\d+$/, "");
  const at = value.lastIndexOf("@");
  return at >= 0 ? value.slice(at + 1) : value;
}

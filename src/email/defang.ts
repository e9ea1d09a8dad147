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
  let out = s.replace(/\bhttp(s?):\/\//gi, "hxxp$1://");
  for (const d of [...hosts].sort((a, b) => b.length - a.length || (a < b ? -1 : 1))) {
    if (!d.includes(".")) continue;
    out = out.split(d).join(d.replace(/\./g, "[.]"));
  }
  return out;
}

/** One indicator value as a person should read it: URLs, domains, IPs and addresses defanged; hashes as they are. */
export function defangIndicator(kind: string, value: string): string {
  if (/^(sha256|md5|sha1|hash|attachment)$/i.test(kind)) return value;
  return value.replace(/\bhttp(s?):\/\//gi, "hxxp$1://").replace(/\./g, "[.]");
}

const FILE_NAME = /\.(eml|mbox|zip|exe|pdf|bin|txt)$/i;

/** Every host name a triage result mentions (indicators, links, reasons), for `defang`. */
export function hostsOf(r: TriageResult): string[] {
  const set = new Set<string>([...r.indicators.domains, ...r.indicators.ips]);
  for (const l of r.links) {
    if (l.host) set.add(l.host);
    if (l.hostUnicode) set.add(l.hostUnicode);
  }
  for (const x of r.reasons) {
    const hosts = `${x.message} ${x.evidence.ref} ${x.evidence.value ?? ""}`.match(
      /(?:[\p{L}\p{N}-]+\.)+[\p{L}]{2,}/gu,
    );
    for (const h of hosts ?? []) if (!FILE_NAME.test(h)) set.add(h);
  }
  return [...set].sort();
}

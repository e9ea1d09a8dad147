/**
 * Indicators of hostile mail and of findings as people read them, made inert the way the report's email section
 * writes them (src/email/defang.ts): `hxxps://evil[.]example`. A finding's sentence names phishing domains, sender
 * addresses, landing URLs and sending servers; a reported message's sender, name and subject are the attacker's
 * own. Shown live, one copy and paste (or a viewer that links text) opens them. The report and the browser app
 * both show these through the functions here, so the two agree; machine exports (findings.json, CSV, STIX, MISP)
 * keep the real values. Pure: the app imports it as it is.
 *
 * Links that social accounts shared stay as they were written: they are the evidence of a campaign, shown as text
 * and never as a live link. So do handles, even those that are domains (Bluesky's `news.example.org`): identities,
 * not indicators, never defanged and never links; a sender of reported email alone is named by its address, defanged.
 *
 * @example
 * defangText("link domain civicrights-login.example, hop 203.0.113.7"); // "link domain civicrights-login[.]example, hop 203[.]0[.]113[.]7"
 * shownExplanation("@news.example.org shared evil.example"); // "@news.example.org shared evil[.]example"
 * shownHandle("email:it-desk@account-verify.example", "it-desk@account-verify.example"); // "it-desk@account-verify[.]example"
 */
import { defang, defangIndicator, hostNamesIn, ipv4sIn } from "../../email/defang.js";

/** The platform ingest gives the senders of reported email (src/ingest/messages.ts): their ids are addresses. */
export const EMAIL_PLATFORM = "email";

/**
 * Detectors whose messages, warnings and details name the indicators of hostile messages (their sentences are
 * shown defanged). Co-share's details list the links a campaign shared, which stay as written.
 */
export const INDICATOR_DETECTORS: ReadonlySet<string> = new Set(["email-infrastructure"]);

/** The host names and IPv4 addresses a sentence names (file names left out), longest first. */
export function hostsInText(s: string): string[] {
  const found = new Set<string>([...hostNamesIn(s), ...ipv4sIn(s)]);
  return [...found].sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
}

/**
 * A handle a sentence names ("@news.example.org", "@h_1"): an "@" that begins a word (the "@" of an address follows
 * its local part) and the name after it. A handle followed by another "@" ("@it-desk@civicrlghts.example", a
 * sender of reported email named by its address) is an address, not a handle.
 */
const HANDLE_IN_TEXT =
  /((?<![\p{L}\p{N}_.%+/-])@(?:[\p{L}\p{N}_-]+\.)*[\p{L}\p{N}_-]+(?![\p{L}\p{N}_@-]|\.[\p{L}\p{N}_-]))/u;

/**
 * A sentence with every URL, host name, IP and address domain in it defanged (`hxxps://`, `[.]`), and schemes that
 * run code (`javascript:`) broken; the rest of the sentence as written.
 */
export function defangText(s: string): string {
  return defang(s, hostsInText(s));
}

/**
 * A finding's explanation as the report's account cards and the app show it: defanged as `defangText` defangs, but
 * the handles it names as written, even those that are domains (Bluesky's `@news.example.org`). A handle is an
 * identity, the evidence of who posted, and not a hostile indicator: "@news[.]example[.]org" would name no account,
 * and the same account's card shows its handle as written (nothing shows a handle as a link). A sender of reported
 * email is named by its address ("@it-desk@civicrlghts.example"), which is no handle and is defanged.
 *
 * @example
 * shownExplanation("@news.example.org shared links to evil.example"); // "@news.example.org shared links to evil[.]example"
 */
export function shownExplanation(s: string): string {
  // the handles at the odd places of the split; the hosts are those the rest of the sentence names
  const parts = s.split(HANDLE_IN_TEXT);
  const hosts = hostsInText(parts.filter((_p, i) => i % 2 === 0).join(" "));
  return parts.map((p, i) => (i % 2 === 1 ? p : defang(p, hosts))).join("");
}

/** Whether an account key (platform:id) is a sender of reported email, whose id and handle are its address. */
export function isEmailAccount(key: string): boolean {
  return key.startsWith(`${EMAIL_PLATFORM}:`);
}

/** An account key as shown: a sender's address defanged (`email:it-desk@account-verify[.]example`). */
export function shownKey(key: string): string {
  return isEmailAccount(key) ? defangIndicator("email", key) : key;
}

/** An account's handle as shown: a sender's (its address) defanged, as the email section shows senders. */
export function shownHandle(key: string, handle: string): string {
  return isEmailAccount(key) ? defangIndicator("email", handle) : handle;
}

/** An account's display name as shown: a sender's (the mail's From name, which may spoof an address) defanged. */
export function shownName(key: string, name: string): string {
  return isEmailAccount(key) ? defangText(name) : name;
}

/** A detector's message or warning as shown: defanged for the detectors that name hostile indicators. */
export function shownDetectorText(detector: string, s: string): string {
  return INDICATOR_DETECTORS.has(detector) ? defangText(s) : s;
}

/** A detector's details as shown: each string defanged for the detectors that name hostile indicators. */
export function shownDetails(detector: string, details: unknown): unknown {
  if (!INDICATOR_DETECTORS.has(detector)) return details;
  const walk = (v: unknown): unknown =>
    typeof v === "string"
      ? defangText(v)
      : Array.isArray(v)
        ? v.map(walk)
        : v !== null && typeof v === "object"
          ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]))
          : v;
  return walk(details);
}

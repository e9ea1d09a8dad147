/** The shapes of a triage result: what `triage` returns and `chorus email --json` prints (`chorus.email/v1`). */

/** The closed vocabulary of verdicts. */
export const VERDICTS = ["malicious", "suspicious", "no-signs-found", "unknown"] as const;
export type Verdict = (typeof VERDICTS)[number];

export type Severity = "high" | "medium" | "low" | "info";

/** What a reason points at: a header (by name), a link (by URL), an attachment (by file name), or the body. */
export interface Evidence {
  kind: "header" | "link" | "attachment" | "body" | "message";
  /** The header name, the URL as written, the attachment's name (and entry path inside an archive). */
  ref: string;
  /** The value that triggered the reason, when it is not `ref` itself. */
  value?: string;
}

export interface Reason {
  /** Stable identifier of the check, e.g. `auth.dmarc-fail`. */
  code: string;
  severity: Severity;
  /** Contribution to the score in [0, 1]; 0 for informational reasons. */
  weight: number;
  /** One plain-language sentence. */
  message: string;
  evidence: Evidence;
  /**
   * How many identical findings (same check, same words) this reason stands for, when more than one: the same
   * shortened link 500 times is shown once, with the first one's evidence; every link stays in `links`.
   */
  count?: number;
}

export interface ReceivedHop {
  /** Position from the top (0 = added last, by the receiving side). */
  index: number;
  from?: string;
  by?: string;
  ip?: string;
  date?: string;
}

export interface AuthResult {
  method: string;
  result: string;
  /** Properties such as `header.from`, `smtp.mailfrom`, `header.d`. */
  props: Record<string, string>;
  comment?: string;
}

export interface AuthSummary {
  /** Authentication-Results from the receiving provider (the topmost server), the primary evidence. */
  receiver?: { authservId: string; results: AuthResult[] };
  /** The ARC-Authentication-Results with the highest instance, when present. */
  arc?: { instance: number; authservId: string; results: AuthResult[] };
  /** DKIM signatures checked offline: body hash and alignment; the signature itself needs the DNS key. */
  dkim: Array<{
    domain: string;
    selector: string;
    bodyHash: "match" | "mismatch" | "absent";
    aligned: boolean;
  }>;
}

export interface LinkReport {
  url: string;
  host: string;
  /** The host with IDN labels in Unicode, when it differs from `host` (which is ASCII/punycode). */
  hostUnicode?: string;
  /** Where it was found: `text`, `html` (href), `html-form`, `attachment` (inside an attached file). */
  source: string;
  /** For links found inside an attachment: its path (`report.zip > invoice.docx`). */
  attachment?: string;
  /** The visible text of an HTML link, when it is not the URL itself. */
  text?: string;
  /**
   * For a link rewritten by a link-protection service or a redirect (Microsoft Safe Links, Proofpoint URL
   * Defense, Google's `/url?q=`): the link as written, while `url` and `host` are the address inside it.
   */
  wrappedUrl?: string;
  /** The services that wrapped it, outermost first, when `wrappedUrl` is set. */
  wrappers?: string[];
}

export interface ArchiveEntry {
  path: string;
  size: number;
  compressedSize: number;
  encrypted: boolean;
}

export interface AttachmentReport {
  filename: string;
  declaredType: string;
  /** What the bytes are, from their magic numbers; undefined when not recognised. */
  detectedType?: { ext: string; mime: string };
  size: number;
  sha256: string;
  md5: string;
  /** Listed entries when the attachment is a zip (bounded). */
  entries?: ArchiveEntry[];
}

export interface TriageResult {
  schema: "chorus.email/v1";
  /** Where the message came from (a path, or path#n for the n-th message of an mbox). */
  source: string;
  sha256: string;
  messageId?: string;
  subject?: string;
  from?: string;
  date?: string;
  verdict: Verdict;
  /** In [0, 1]: 1 - Π(1 - weight) over the reasons. */
  score: number;
  /** Ranked, strongest first. */
  reasons: Reason[];
  /** What could not be checked offline or within the bounds, in plain language. */
  notChecked: string[];
  auth: AuthSummary;
  received: ReceivedHop[];
  firstExternalIp?: string;
  links: LinkReport[];
  attachments: AttachmentReport[];
  /**
   * Defanged-on-output indicators: URLs, domains, IPs, hashes; `btc`, when the text names any, the Bitcoin
   * addresses (with a valid checksum) that extortion mail asks to be paid to.
   */
  indicators: {
    urls: string[];
    domains: string[];
    ips: string[];
    sha256: string[];
    md5: string[];
    btc?: string[];
  };
}

/** What the organisation protects: its own domains and its people (from a protect list). */
export interface TriageOptions {
  ownDomains?: string[];
  protect?: Array<{ handle: string; display_name?: string; domain?: string }>;
  /** Where the bytes came from, copied to `source`. */
  source?: string;
  /**
   * YARA rules run over the attachments (from `loadYaraRules`); the bundled set, loaded once per process, when
   * absent; `false` for none.
   */
  yara?: import("./yara.js").YaraRules | false;
  /**
   * A DNS resolver for re-checking DKIM keys, SPF and DMARC now (opt-in; see `dns.ts`). Absent: no lookups, the
   * receiving provider's results are used and the rest is listed as not checked.
   */
  resolver?: import("./dns.js").Resolver;
}

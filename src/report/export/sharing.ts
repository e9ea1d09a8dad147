/**
 * What an analysis shares with the security community (STIX 2.1 and MISP exports): its campaigns, social (`C1`,
 * from the campaign step) and email (`E1`, the groups of the email-infrastructure detector that hold at least one
 * message triaged suspicious or malicious), the hostile messages, and the indicators with where they were seen.
 *
 * Ordinary correspondence stays out: a message triaged `no-signs-found` or `unknown` is exported only as part of
 * a hostile group, and big providers' domains (google.com, gmail.com, CDNs) are never exported as indicators.
 * Everything is read from the case and the analysis run, so the same run always gives the same data.
 */
import { isSpecificUrl } from "../../detectors/email-infrastructure/features.js";
import { isProvider, registrable } from "../../email/providers.js";
import { BRANDS } from "../../email/domains.js";

/** The end ingest writes into a value it cut (src/ingest/records.ts `cutNoted`). */
const CUT_MARK = / … \[cut: \d+ characters in the source\]$/;

/**
 * Brand sites that carry an attacker's own content at a link of their own: a DocuSign envelope, a Microsoft sign-in
 * page asking consent for an attacker's app. A link there can be an indicator; the domain never is (as a provider's).
 */
const CARRIES_OTHERS: ReadonlySet<string> = new Set(["docusign.com", "docusign.net", "microsoftonline.com"]);

/**
 * The registrable domains of the brands phishing imitates whose sites carry no one else's pages (paypal.com,
 * dhl.com); the big platforms among the brands are providers, left out by that rule.
 */
const BRAND_SITES: ReadonlySet<string> = new Set(
  BRANDS.flatMap((b) => b.domains).filter((d) => !isProvider(d, new Set()) && !CARRIES_OTHERS.has(d)),
);

/** Whether `host` is such a brand's own site: never a hostile indicator, whatever message links to it. */
const brandSite = (host: string): boolean => BRAND_SITES.has(registrable(host));

/** Whether `host` is on a brand site that carries others' content (its domain is still no indicator). */
const carriesOthers = (host: string): boolean => CARRIES_OTHERS.has(registrable(host));
import type { CaseStore } from "../../store/case.js";
import type { FindingsDoc } from "../findings.js";
import { loadAnalysis } from "../html/data.js";
import { isoMsSql } from "../../store/sql-time.js";

export type SharedKind = "url" | "domain" | "ipv4" | "ipv6" | "email" | "sha256" | "md5" | "btc";

export interface SharedIndicator {
  kind: SharedKind;
  value: string;
  /** Where it was seen: link, from, reply-to, first-hop, attachment, shared (a social campaign's object). */
  roles: string[];
  firstSeen: string | null;
  lastSeen: string | null;
  /** Ids of the campaigns it belongs to. */
  campaigns: string[];
  /** sha256 of the exported messages that carry it. */
  messages: string[];
  /** From hostile email (true) or from a social campaign's shares only (false: evidence of coordination). */
  hostile: boolean;
  /** A plain-language note of the evidence. */
  note: string;
  /**
   * A link of a social campaign: the forms its posts wrote it in (with tracking parameters, `www.`, `http:`), the
   * value's normal form first; a pattern that is to match what was posted names them all.
   */
  variants?: string[];
}

export interface SharedCampaign {
  id: string;
  kind: "social" | "email";
  /** Content key (members or messages), from which identifiers are derived. */
  key: string;
  summary: string;
  score: number;
  firstSeen: string | null;
  lastSeen: string | null;
  accounts: Array<{ platform: string; id: string; handle: string | null }>;
  messages: string[];
}

export interface SharedMessage {
  sha256: string;
  messageId: string | null;
  ts: string | null;
  from: string | null;
  fromName: string | null;
  replyTo: string | null;
  subject: string | null;
  verdict: string;
  score: number;
  /**
   * The receiving server found the From address forged (DMARC or composite authentication failed): the address and
   * its domain are the impersonated party's, a victim's, and never an indicator of the sender.
   */
  forgedFrom: boolean;
  /** Where the message came from in the case; never exported (local paths can name the people who reported). */
  path: string;
  row: number;
  attachments: Array<{
    filename: string | null;
    sha256: string | null;
    md5: string | null;
    size: number | null;
  }>;
}

export interface SharingData {
  runId: number;
  /** The analysis time (ISO 8601 UTC, milliseconds): every created/modified/timestamp comes from it. */
  time: string;
  toolVersion: string;
  campaigns: SharedCampaign[];
  messages: SharedMessage[];
  indicators: SharedIndicator[];
}

const HOSTILE = new Set(["malicious", "suspicious"]);
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;
/**
 * Evidence of triage reasons that says the From address is forged (src/email/auth.ts): DMARC failed, at delivery or
 * at an earlier hop (ARC), so the domain's owner published a policy the message broke. Not a DMARC permerror (a
 * broken record) nor Microsoft's composite authentication, which also fails for an attacker's own domain that
 * publishes nothing: its sender is the attacker's. Also a message from the address it was delivered to that the
 * receiving server did not authenticate (src/email/senders.ts `sender.self-addressed`): extortion mail writes the
 * reader's own address as From, and the address and its domain are the victim's.
 */
const FORGED_FROM_SQL = `(len(list_filter(json_extract_string(m.triage, '$.reasons[*].evidence.value'),
                                  v -> v LIKE 'dmarc=fail%')) > 0
   OR list_contains(json_extract_string(m.triage, '$.reasons[*].code'), 'sender.self-addressed'))`;
/** Most forms of one link named in its pattern. */
const MAX_VARIANTS = 20;
const NO_EXTRA: ReadonlySet<string> = new Set();
/** The share of an object's shares in the case that a campaign must account for to make it an indicator. */
export const MIN_CAMPAIGN_SHARE = 0.5;

interface GroupDetail {
  id: string;
  score: number;
  strength: string;
  hostile: number;
  summary: string;
  first_seen: string | null;
  last_seen: string | null;
  senders: string[];
  indicators: Array<{ kind: string; value: string; messages: number }>;
  messages: Array<{ message_sha256: string }>;
}

async function hasTable(store: CaseStore, name: string): Promise<boolean> {
  return (
    (await store.scalar<number>(
      "SELECT count(*)::INTEGER FROM information_schema.tables WHERE table_name = $t",
      { t: name },
    )) === 1
  );
}

const iso = (s: string): string => new Date(s).toISOString();

/** The indicator kind of an email-infrastructure feature, or null for features that are not observables. */
function kindOfFeature(kind: string, value: string): SharedKind | null {
  if (kind === "reply-to") return "email";
  if (kind === "url" || kind === "provider-url") return "url";
  if (kind === "attachment") return "sha256";
  if (kind === "first-hop-ip") return IPV4.test(value) ? "ipv4" : "ipv6";
  if (kind.endsWith("domain")) return IPV4.test(value) || value.includes(":") ? null : "domain";
  return null; // lookalike families are skeleton keys, not domains
}

function roleOfFeature(kind: string): string {
  if (kind === "reply-to" || kind === "reply-to-domain") return "reply-to";
  if (kind === "sender-domain") return "from";
  if (kind === "return-path-domain") return "return-path";
  if (kind === "first-hop-ip") return "first-hop";
  if (kind === "attachment") return "attachment";
  return "link";
}

class IndicatorSet {
  private readonly map = new Map<string, SharedIndicator>();

  add(
    kind: SharedKind,
    value: string,
    role: string,
    opts: { campaign?: string; message?: string; hostile: boolean; note?: string },
  ): void {
    const key = `${kind}\u0000${value}`;
    let x = this.map.get(key);
    if (!x) {
      x = {
        kind,
        value,
        roles: [],
        firstSeen: null,
        lastSeen: null,
        campaigns: [],
        messages: [],
        hostile: false,
        note: "",
      };
      this.map.set(key, x);
    }
    if (!x.roles.includes(role)) x.roles.push(role);
    if (opts.campaign && !x.campaigns.includes(opts.campaign)) x.campaigns.push(opts.campaign);
    if (opts.message && !x.messages.includes(opts.message)) x.messages.push(opts.message);
    x.hostile ||= opts.hostile;
    if (opts.note && !x.note.includes(opts.note)) x.note = x.note ? `${x.note} ${opts.note}` : opts.note;
  }

  /** Names the forms of a link its pattern is to match (`SharedIndicator.variants`). */
  setVariants(kind: SharedKind, value: string, forms: string[]): void {
    const x = this.map.get(`${kind}\u0000${value}`);
    if (x) x.variants = forms;
  }

  values(): SharedIndicator[] {
    return [...this.map.values()]
      .map((x) => ({
        ...x,
        roles: x.roles.sort(),
        campaigns: x.campaigns.sort(),
        messages: x.messages.sort(),
      }))
      .sort((a, b) =>
        a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : a.value < b.value ? -1 : a.value > b.value ? 1 : 0,
      );
  }
}

function socialCampaigns(doc: FindingsDoc, out: IndicatorSet): SharedCampaign[] {
  return doc.campaigns.map((c) => {
    const id = String(c["id"]);
    // a campaign's fringe (accounts with no tie beyond chance that joined its bursts) are leads for the reader of
    // the report, not accounts to share as the campaign's: the exports name the members
    const accounts = (
      (c["accounts"] ?? []) as Array<{ platform: string; id: string; handle: string | null; role?: string }>
    )
      .filter((a) => a.role !== "fringe")
      // a handle that ingest cut (longer than any platform allows) is not the account's handle: shared by its id
      .map((a) => ({
        platform: a.platform,
        id: a.id,
        handle: a.handle && !CUT_MARK.test(a.handle) ? a.handle : null,
      }))
      .sort((x, y) => (x.platform + ":" + x.id < y.platform + ":" + y.id ? -1 : 1));
    for (const o of (c["top_objects"] ?? []) as Array<{
      kind: string;
      value: string;
      shares: number;
      members: number;
      all_shares?: number;
    }>) {
      if (o.kind !== "url" && o.kind !== "domain") continue;
      // a link or site the whole case shares (a big news site, a viral video) says little about the campaign:
      // only objects the campaign accounts for at least half of the shares of become its indicators
      if (o.all_shares !== undefined && o.all_shares > 0 && o.shares / o.all_shares < MIN_CAMPAIGN_SHARE)
        continue;
      if (o.kind === "domain" && isProvider(o.value, NO_EXTRA)) continue;
      if (o.kind === "url" && !isSpecificUrl(o.value)) continue;
      // a link to an address, not a name, has the address for its "domain": an IP address indicator
      const ip = o.kind === "domain" ? ipOf(o.value) : null;
      out.add(ip?.kind ?? (o.kind as SharedKind), ip?.value ?? o.value, "shared", {
        campaign: id,
        hostile: false,
        note: `Shared ${o.shares} times by ${o.members} accounts of campaign ${id} (coordinated sharing, not proof of harm).`,
      });
    }
    return {
      id,
      kind: "social" as const,
      key: accounts.map((a) => `${a.platform}:${a.id}`).join("\n"),
      summary: String(c["summary"] ?? ""),
      score: Number(c["score"] ?? 0),
      firstSeen: typeof c["first_seen"] === "string" ? iso(c["first_seen"]) : null,
      lastSeen: typeof c["last_seen"] === "string" ? iso(c["last_seen"]) : null,
      accounts,
      messages: [],
    };
  });
}

/** The domain of an indicator value: the part after the "@" of an address, a domain as it is; lower-cased. */
const domainOfValue = (v: string): string => v.slice(v.lastIndexOf("@") + 1).toLowerCase();

/** An IPv4 address, or an IPv6 address as a URL writes it (in brackets), as an indicator; null for a name. */
export function ipOf(host: string): { kind: SharedKind; value: string } | null {
  if (IPV4.test(host)) return { kind: "ipv4", value: host };
  const v6 = /^\[([0-9a-f:.]+)\]$/i.exec(host);
  if (v6 !== null || host.includes(":")) return { kind: "ipv6", value: (v6?.[1] ?? host).toLowerCase() };
  return null;
}

/**
 * The earliest first and the latest last of several [first, last] spans (ISO times), null where none has one.
 * Times after `bound` (the analysis) are left out: an email's Date is the sender's to write, and one message dated
 * 2100 would make every indicator of its group "valid from" then.
 */
function spanOf(spans: Array<[string | null, string | null]>, bound: string): [string | null, string | null] {
  const ok = (t: string | null): t is string => t !== null && t <= bound;
  const firsts = spans.map(([f]) => f).filter(ok);
  const lasts = spans.map(([, l]) => l).filter(ok);
  return [firsts.sort()[0] ?? null, lasts.sort().at(-1) ?? null];
}

/** An http(s) URL as WHATWG URL parsing gives it (what a browser requests); any other text as it is. */
export function webForm(u: string): string {
  try {
    const url = new URL(u);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : u;
  } catch {
    return u;
  }
}

/**
 * The data of analysis run `runId` (default: the latest) to share: campaigns, hostile messages, indicators.
 *
 * @example
 * const data = await loadSharing(store);
 * data.campaigns.map((c) => c.id); // ["C1", "E1"]
 */
export async function loadSharing(store: CaseStore, runId?: number): Promise<SharingData> {
  const { run, doc } = await loadAnalysis(store, runId);
  const time = iso(run.started_at);
  const notAfter = (t: string | null): string | null => (t !== null && t > time ? null : t);
  const indicators = new IndicatorSet();
  /** The values as written behind each email indicator (kind NUL value): the indicators table is keyed by them. */
  const rawOf = new Map<string, Set<string>>();
  const campaigns = socialCampaigns(doc, indicators);
  await addVariants(store, indicators, run.id);

  // the messages the run could see: those of inputs read before it started (a message ingested since is not in
  // its findings, and exporting this run again must give the same bytes)
  type MessageRow = {
    sha256: string;
    message_id: string | null;
    ts: string | null;
    from_address: string | null;
    from_domain: string | null;
    from_name: string | null;
    reply_to: string | null;
    subject: string | null;
    verdict: string;
    score: number;
    forged: boolean;
    path: string;
    source_row: number;
  };
  const hasMessages = await hasTable(store, "messages");
  const rows: MessageRow[] = hasMessages
    ? await store.all<MessageRow>(
        `SELECT m.sha256, m.message_id, ${isoMsSql("m.ts")} AS ts, m.from_address, m.from_domain,
                m.from_name, m.reply_to, m.subject, m.verdict, m.score,
                coalesce(${FORGED_FROM_SQL}, false) AS forged,
                i.path, m.source_row::INTEGER AS source_row
           FROM messages m JOIN inputs i ON i.id = m.input_id
          WHERE i.ingested_at <= (SELECT started_at FROM runs WHERE id = $run)
          ORDER BY m.sha256`,
        { run: run.id },
      )
    : [];
  // a From address (or its domain) is the sender's only when some hostile message sent from it was not forged
  const ownFrom = new Set<string>();
  for (const r of rows) {
    if (!HOSTILE.has(r.verdict) || r.forged) continue;
    if (r.from_address) ownFrom.add(`email\u0000${r.from_address.toLowerCase()}`);
    if (r.from_domain) ownFrom.add(`domain\u0000${r.from_domain.toLowerCase()}`);
  }
  const forgedFrom = new Set<string>();
  for (const r of rows) {
    if (!r.forged) continue;
    if (r.from_address) forgedFrom.add(`email\u0000${r.from_address.toLowerCase()}`);
    if (r.from_domain) forgedFrom.add(`domain\u0000${r.from_domain.toLowerCase()}`);
  }
  const onlyForged = (kind: string, value: string): boolean => {
    const k = `${kind}\u0000${value.toLowerCase()}`;
    return forgedFrom.has(k) && !ownFrom.has(k);
  };

  const groups = (doc.detectors.find((d) => d.id === "email-infrastructure")?.details["groups"] ??
    []) as GroupDetail[];
  const hostileGroups = groups.filter((g) => g.hostile > 0);
  const exported = new Set<string>();
  for (const g of hostileGroups) {
    const shas = g.messages.map((m) => m.message_sha256).sort();
    for (const s of shas) exported.add(s);
    campaigns.push({
      id: g.id,
      kind: "email",
      key: shas.join("\n"),
      summary: g.summary,
      score: g.score,
      firstSeen: g.first_seen ? notAfter(iso(g.first_seen)) : null,
      lastSeen: g.last_seen ? notAfter(iso(g.last_seen)) : null,
      accounts: [],
      messages: shas,
    });
    for (const x of g.indicators) {
      const kind = kindOfFeature(x.kind, x.value);
      if (!kind) continue;
      const role = roleOfFeature(x.kind);
      // a forged From's domain as the bounce domain too (spoofers write both) is as much the victim's
      if ((role === "from" || role === "return-path") && onlyForged(kind, x.value)) continue;
      indicators.add(kind, x.value, role, {
        campaign: g.id,
        hostile: true,
        note: `Shared by ${x.messages} messages of email group ${g.id}.`,
      });
    }
    for (const s of g.senders) {
      if (onlyForged("email", s)) continue;
      indicators.add("email", s, "from", { campaign: g.id, hostile: true });
    }
  }

  const messages: SharedMessage[] = [];
  if (hasMessages) {
    for (const r of rows) if (HOSTILE.has(r.verdict)) exported.add(r.sha256);
    const atts = await store.all<{
      m: string;
      filename: string | null;
      sha256: string | null;
      md5: string | null;
      size: number | null;
    }>(
      `SELECT message_sha256 AS m, filename, sha256, md5, size::DOUBLE AS size FROM attachments
        WHERE sha256 IS NOT NULL ORDER BY message_sha256, path`,
    );
    const sources = await store.all<{
      m: string;
      kind: string;
      value: string;
      role: string;
      from_domain: string | null;
    }>(
      `SELECT s.message_sha256 AS m, s.kind, s.value, s.role, m.from_domain
         FROM indicator_sources s JOIN messages m ON m.sha256 = s.message_sha256
        ORDER BY s.message_sha256, s.kind, s.value, s.role`,
    );
    const attsOf = new Map<string, typeof atts>();
    for (const a of atts) attsOf.set(a.m, [...(attsOf.get(a.m) ?? []), a]);
    for (const r of rows) {
      if (!exported.has(r.sha256)) continue;
      messages.push({
        sha256: r.sha256,
        messageId: r.message_id,
        ts: r.ts,
        from: r.from_address,
        fromName: r.from_name,
        replyTo: r.reply_to,
        subject: r.subject,
        verdict: r.verdict,
        score: r.score,
        forgedFrom: r.forged,
        path: r.path,
        row: r.source_row,
        attachments: (attsOf.get(r.sha256) ?? []).map((a) => ({
          filename: a.filename,
          sha256: a.sha256,
          md5: a.md5,
          size: a.size,
        })),
      });
    }
    // the indicators of hostile messages, big providers left out (a link to google.com in a phish is no indicator)
    const rowOf = new Map(rows.map((r) => [r.sha256, r]));
    for (const s of sources) {
      const row = rowOf.get(s.m);
      if (row === undefined || !HOSTILE.has(row.verdict)) continue;
      const kind = s.kind as SharedKind;
      // a forged From is the impersonated party's address and domain: a victim's, not the sender's; so is a
      // Return-Path in the same domain, which the spoofer wrote as well (bounce@bbc.co.uk for a forged bbc.co.uk)
      if (s.role === "from" && row.forged) continue;
      if (
        s.role === "return-path" &&
        row.forged &&
        row.from_domain &&
        registrable(domainOfValue(s.value)) === registrable(row.from_domain.toLowerCase())
      )
        continue;
      const provider = (host: string): boolean => isProvider(host, NO_EXTRA);
      if (kind === "domain" && (provider(s.value) || brandSite(s.value) || carriesOthers(s.value))) continue;
      if (kind === "url") {
        let host: string;
        try {
          host = new URL(s.value).hostname;
        } catch {
          continue;
        }
        if (!isSpecificUrl(s.value) && provider(host)) continue;
        // the impersonated brand's own site, which a phish links to beside its lure to look real
        if (brandSite(host)) continue;
      }
      if (
        (kind === "ipv4" || kind === "ipv6") &&
        s.role === "first-hop" &&
        s.from_domain &&
        provider(s.from_domain)
      ) {
        continue;
      }
      if (kind === "email" && s.role === "return-path") continue;
      // a link as a browser would open it: the href as written may hold spaces, a host in Unicode or backslashes,
      // which STIX's url:value (RFC 3986) does not allow and a proxy's log never shows; two hrefs that open the same
      // page are one indicator, its times those of both
      const value = kind === "url" ? webForm(s.value) : s.value;
      const key = `${kind}\u0000${value}`;
      rawOf.set(key, (rawOf.get(key) ?? new Set<string>()).add(s.value));
      indicators.add(kind, value, s.role, {
        message: s.m,
        hostile: true,
        note: `Seen in a message triaged ${row.verdict}.`,
      });
    }
  }
  const all = indicators.values();
  if (all.length > 0 && (await hasTable(store, "indicator_sources"))) {
    // where each was seen in the inputs the run could see (the `indicators` table spans every input since)
    const seen = await store.all<{ kind: string; value: string; f: string | null; l: string | null }>(
      `SELECT s.kind, s.value, ${isoMsSql("min(s.ts)")} AS f, ${isoMsSql("max(s.ts)")} AS l
         FROM indicator_sources s JOIN inputs i ON i.id = s.input_id
        WHERE i.ingested_at <= (SELECT started_at FROM runs WHERE id = $run)
        GROUP BY s.kind, s.value`,
      { run: run.id },
    );
    const byKey = new Map(seen.map((s) => [`${s.kind}\u0000${s.value}`, s]));
    for (const x of all) {
      const key = `${x.kind}\u0000${x.value}`;
      const found = [...(rawOf.get(key) ?? [x.value])]
        .map((raw) => byKey.get(`${x.kind}\u0000${raw}`))
        .filter((r) => r !== undefined);
      [x.firstSeen, x.lastSeen] = spanOf(
        found.map((r) => [r.f, r.l]),
        time,
      );
    }
  }
  // links and sites a social campaign shared: first and last seen when any post of the case shared them (the
  // posts' objects hold the same normal form as the campaign's top objects), not the campaign's own span
  const shared = all.filter((x) => !x.firstSeen && (x.kind === "url" || x.kind === "domain"));
  if (shared.length > 0) {
    const seen = await store.all<{ kind: string; value: string; f: string; l: string }>(
      `WITH w AS (SELECT unnest($kinds::JSON::VARCHAR[]) AS kind, unnest($values::JSON::VARCHAR[]) AS value)
       SELECT o.kind, o.value, ${isoMsSql("min(p.ts)")} AS f, ${isoMsSql("max(p.ts)")} AS l
         FROM objects o SEMI JOIN w ON o.kind = w.kind AND o.value = w.value
         JOIN posts p ON p.platform = o.platform AND p.post_id = o.post_id
         JOIN inputs i ON i.id = p.input_id
        WHERE i.ingested_at <= (SELECT started_at FROM runs WHERE id = $run)
        GROUP BY o.kind, o.value`,
      {
        kinds: JSON.stringify(shared.map((x) => x.kind)),
        values: JSON.stringify(shared.map((x) => x.value)),
        run: run.id,
      },
    );
    const byKey = new Map(seen.map((r) => [`${r.kind}\u0000${r.value}`, r]));
    for (const x of shared) {
      const r = byKey.get(`${x.kind}\u0000${x.value}`);
      if (r) [x.firstSeen, x.lastSeen] = [r.f, r.l];
    }
  }
  for (const x of all) {
    if (x.firstSeen) continue;
    const cs = campaigns.filter((c) => x.campaigns.includes(c.id));
    [x.firstSeen, x.lastSeen] = spanOf(
      cs.map((c) => [c.firstSeen, c.lastSeen]),
      time,
    );
  }
  return {
    runId: run.id,
    time,
    toolVersion: run.tool_version,
    campaigns,
    messages,
    indicators: all,
  };
}

/**
 * The forms the case's posts wrote each shared link in (`objects.raw`), as a browser would request them, the most
 * used first, up to MAX_VARIANTS, from the inputs read before run `runId` started: a link's normal form drops tracking
 * parameters and `www.`, so a pattern of it alone would match none of the posts.
 */
async function addVariants(store: CaseStore, indicators: IndicatorSet, runId: number): Promise<void> {
  const urls = indicators.values().filter((x) => x.kind === "url" && !x.hostile);
  if (urls.length === 0) return;
  const rows = await store.all<{ value: string; raw: string }>(
    `SELECT value, raw FROM (
       SELECT o.value, coalesce(o.raw, o.value) AS raw, count(*) AS n
         FROM objects o SEMI JOIN (SELECT unnest($values::JSON::VARCHAR[]) AS value) w ON o.value = w.value
         JOIN inputs i ON i.id = o.input_id
        WHERE o.kind = 'url' AND i.ingested_at <= (SELECT started_at FROM runs WHERE id = $run)
        GROUP BY 1, 2)
     QUALIFY row_number() OVER (PARTITION BY value ORDER BY n DESC, raw) <= ${MAX_VARIANTS}
     ORDER BY value, n DESC, raw`,
    { values: JSON.stringify(urls.map((x) => x.value)), run: runId },
  );
  const formsOf = new Map<string, string[]>();
  for (const r of rows) {
    const form = webForm(r.raw);
    if (!/^https?:/i.test(form)) continue;
    const forms = formsOf.get(r.value) ?? [];
    if (!forms.includes(form)) forms.push(form);
    formsOf.set(r.value, forms);
  }
  for (const x of urls) {
    const forms = [x.value, ...(formsOf.get(x.value) ?? []).filter((f) => f !== x.value)];
    if (forms.length > 1) indicators.setVariants("url", x.value, forms.slice(0, MAX_VARIANTS));
  }
}

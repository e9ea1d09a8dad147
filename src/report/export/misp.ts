/**
 * A MISP event (the JSON that MISP's "Add event from JSON" and its API accept): `Event` with `info`, `date`,
 * `threat_level_id`, `analysis`, `distribution`, a TLP `Tag`, one `Attribute` per indicator, campaign and
 * campaign account, and one MISP `email` object (template a0c666e0-fc65-4be8-b48f-3423d788b552) per hostile
 * message. Attribute types and categories follow MISP's describeTypes (a type is only put in a category that
 * allows it). Deterministic: uuids are UUIDv5 of the content and every timestamp is the analysis time. The
 * event's uuid is made of its analysis (run and time) and content, and each attribute's and object's of the event's
 * and its own: MISP keeps an attribute's uuid unique across events, so the same link in two events (or two
 * analyses of a growing case) must have two.
 *
 * @example
 * const json = toMisp(await loadSharing(store), { tlp: "amber" });
 */
import type { SharedIndicator, SharingData } from "./sharing.js";
import { campaignName, CHORUS_NAMESPACE, uuidv5, type Tlp } from "./stix.js";

export const MISP_EMAIL_TEMPLATE = { uuid: "a0c666e0-fc65-4be8-b48f-3423d788b552", version: "3" };

/** MISP distribution for a TLP level: 0 your organisation only, 1 this community only, 3 all communities. */
export function mispDistribution(tlp: Tlp): "0" | "1" | "3" {
  return tlp === "clear" || tlp === "white" ? "3" : tlp === "green" ? "1" : "0";
}

export interface MispAttribute {
  uuid: string;
  type: string;
  category: string;
  value: string;
  to_ids: boolean;
  comment: string;
  timestamp: string;
  distribution: "5";
  disable_correlation?: boolean;
  first_seen?: string;
  last_seen?: string;
  object_relation?: string;
}

export interface MispOptions {
  tlp: Tlp;
}

/** MISP type and category of an indicator (by the role it played: a link's IP is a destination, a hop's a source). */
function typeOf(x: SharedIndicator): { type: string; category: string } {
  switch (x.kind) {
    case "url":
      return { type: "url", category: "Network activity" };
    case "domain":
      return { type: "domain", category: "Network activity" };
    case "ipv4":
    case "ipv6":
      return { type: x.roles.includes("first-hop") ? "ip-src" : "ip-dst", category: "Network activity" };
    case "email":
      return {
        type: x.roles.length === 1 && x.roles[0] === "reply-to" ? "email-reply-to" : "email-src",
        category: "Payload delivery",
      };
    case "sha256":
      return { type: "sha256", category: "Payload delivery" };
    case "md5":
      return { type: "md5", category: "Payload delivery" };
    case "btc":
      return { type: "btc", category: "Financial fraud" };
  }
}

/** The MISP event of the shared data, as an object. */
export function mispEvent(data: SharingData, opts: MispOptions): Record<string, unknown> {
  const timestamp = String(Math.floor(Date.parse(data.time) / 1000));
  const eventUuid = uuidv5(
    `misp-event|run ${data.runId} at ${data.time}|` +
      `${data.campaigns.map((c) => `${c.kind}|${c.key}`).join("\n")}|${data.messages.map((m) => m.sha256).join(",")}`,
    CHORUS_NAMESPACE,
  );
  const attr = (
    type: string,
    category: string,
    value: string,
    toIds: boolean,
    comment: string,
    extra: Partial<MispAttribute> = {},
    scope = "event",
  ): MispAttribute => ({
    uuid: uuidv5(`misp-attribute|${eventUuid}|${scope}|${type}|${category}|${value}`, CHORUS_NAMESPACE),
    type,
    category,
    value,
    to_ids: toIds,
    comment,
    timestamp,
    distribution: "5",
    ...extra,
  });

  const attributes: MispAttribute[] = [];
  // a handle held by two exported accounts (renamed, reused, or copied by an impersonator) names the account's id
  // too: attributes of one value are one attribute, and one of the two accounts was lost
  const handleOf = (a: { platform: string; handle?: string | null; id: string }): string =>
    `${a.platform}:${a.handle ?? a.id}`;
  const holders = new Map<string, Set<string>>();
  for (const c of data.campaigns)
    for (const a of c.accounts) {
      const set = holders.get(handleOf(a)) ?? new Set<string>();
      holders.set(handleOf(a), set.add(`${a.platform}:${a.id}`));
    }
  const accountValue = (a: { platform: string; handle?: string | null; id: string }): string =>
    holders.get(handleOf(a))!.size > 1 ? `${handleOf(a)} (account ${a.id})` : handleOf(a);
  for (const c of data.campaigns) {
    attributes.push(attr("campaign-name", "Attribution", campaignName(c), false, c.summary.slice(0, 4000)));
    for (const a of c.accounts) {
      attributes.push(
        attr(
          "text",
          "Social network",
          accountValue(a),
          false,
          `Account ${a.platform}:${a.id} of campaign ${c.id}.`,
        ),
      );
    }
  }
  for (const x of data.indicators) {
    const { type, category } = typeOf(x);
    const seen = {
      ...(x.firstSeen ? { first_seen: x.firstSeen } : {}),
      ...(x.lastSeen ? { last_seen: x.lastSeen } : {}),
    };
    const where = x.campaigns.length ? ` Campaigns: ${x.campaigns.join(", ")}.` : "";
    attributes.push(attr(type, category, x.value, x.hostile, `${x.note}${where}`.trim(), seen));
    // the forms the posts wrote a link in, each an attribute of its own: MISP matches values exactly
    for (const v of x.variants ?? []) {
      if (v === x.value) continue;
      attributes.push(attr(type, category, v, x.hostile, `As posted; normal form ${x.value}.${where}`, seen));
    }
  }

  const objects = data.messages.map((m) => {
    const scope = `email|${m.sha256}`;
    const rel = (
      relation: string,
      type: string,
      value: string,
      category = "Payload delivery",
      n = 0,
    ): MispAttribute =>
      attr(
        type,
        category,
        value,
        // a forged From is the impersonated party's address: recorded, never for an IDS to block
        (type === "email-src" && !m.forgedFrom) || type === "email-reply-to",
        type === "email-src" && m.forgedFrom
          ? "Forged: the receiving server's authentication failed for this From; the address is the impersonated party's."
          : "",
        { object_relation: relation },
        // two attachments of one name are two attributes
        n === 0 ? scope : `${scope}|${n}`,
      );
    const list: MispAttribute[] = [];
    if (m.from) list.push(rel("from", "email-src", m.from));
    if (m.fromName) list.push(rel("from-display-name", "email-src-display-name", m.fromName));
    if (m.replyTo) list.push(rel("reply-to", "email-reply-to", m.replyTo));
    if (m.subject) list.push(rel("subject", "email-subject", m.subject));
    if (m.messageId) list.push(rel("message-id", "email-message-id", m.messageId));
    if (m.ts) list.push({ ...rel("send-date", "datetime", m.ts, "Other"), disable_correlation: true });
    m.attachments.forEach((a, i) => {
      if (a.filename) list.push(rel("attachment", "email-attachment", a.filename, "Payload delivery", i));
    });
    return {
      name: "email",
      "meta-category": "network",
      description: "Email object describing an email with meta-information",
      template_uuid: MISP_EMAIL_TEMPLATE.uuid,
      template_version: MISP_EMAIL_TEMPLATE.version,
      uuid: uuidv5(`misp-object|${eventUuid}|${scope}`, CHORUS_NAMESPACE),
      timestamp,
      distribution: "5",
      comment: `Triaged ${m.verdict} (score ${m.score.toFixed(2)}); message sha256 ${m.sha256}.`,
      Attribute: list,
    };
  });

  const social = data.campaigns.filter((c) => c.kind === "social").length;
  const email = data.campaigns.length - social;
  const hostile = data.indicators.some((x) => x.hostile) || data.messages.length > 0;
  return {
    Event: {
      uuid: eventUuid,
      info:
        `Chorus analysis: ${social} social campaign${social === 1 ? "" : "s"}, ${email} email campaign` +
        `${email === 1 ? "" : "s"}, ${data.messages.length} hostile message${data.messages.length === 1 ? "" : "s"}`,
      date: data.time.slice(0, 10),
      timestamp,
      published: false,
      // 2 medium when hostile email is in it, 3 low for coordination alone; 0 initial: not yet reviewed by a person
      threat_level_id: hostile ? "2" : "3",
      analysis: "0",
      distribution: mispDistribution(opts.tlp),
      Tag: [{ name: `tlp:${opts.tlp}` }],
      Attribute: [...mergedByUuid(attributes).values()].sort((a, b) => (a.uuid < b.uuid ? -1 : 1)),
      Object: objects,
    },
  };
}

/**
 * Attributes of one value are one attribute (MISP keeps a value once per event): an account in two campaigns is one
 * `text` attribute whose comment names both, where the later comment had replaced the earlier.
 */
function mergedByUuid(attributes: readonly MispAttribute[]): Map<string, MispAttribute> {
  const out = new Map<string, MispAttribute>();
  for (const a of attributes) {
    const seen = out.get(a.uuid);
    if (seen === undefined) out.set(a.uuid, { ...a });
    else if (a.comment && !seen.comment.includes(a.comment)) {
      seen.comment = seen.comment ? `${seen.comment} ${a.comment}` : a.comment;
    }
  }
  return out;
}

/** The event as JSON text (two-space indent, final newline). */
export function toMisp(data: SharingData, opts: MispOptions): string {
  return JSON.stringify(mispEvent(data, opts), null, 2) + "\n";
}

/**
 * STIX 2.1 bundle of an analysis (OASIS, "STIX Version 2.1", 2021): the producing tool as an `identity`, a TLP
 * `marking-definition` on every object, a `campaign` per campaign (social `C1`, email `E1`), `indicator`s with
 * STIX patterns (URLs, domains, IPs, email addresses, file hashes), the hostile messages as `email-message`,
 * `email-addr` and `file` observables inside `observed-data`, the campaigns' accounts as `user-account`
 * observables, and `relationship`s: indicator `indicates` campaign, indicator `based-on` observed-data, campaign
 * `related-to` observed-data.
 *
 * Deterministic: identifiers are UUIDv5 of the content (observables with the STIX namespace over their ID
 * contributing properties, as the specification recommends; other objects with a Chorus namespace over a content
 * key), so exporting the same run again is byte-identical. An object's `created` is a function of what its
 * identifier is made of (STIX versions an object by its id and `created`, and a later version must keep both): the
 * time its data begins (a campaign's first activity and an indicator's first sighting, both part of their keys; a
 * message's date; a relationship's, the later of its two ends'; a fixed date for Chorus's identity and for data
 * with no time), and `modified` is the analysis time (or `created`, when that is later), so a re-analysis that
 * finds the same campaign again shares a newer version of it, not a conflicting one.
 * Nothing is defanged: the bundle is for machines.
 *
 * @example
 * const json = toStix(await loadSharing(store), { tlp: "amber" });
 */
import { createHash } from "node:crypto";
import { TOOL_VERSION } from "../../version.js";
import type { SharedIndicator, SharedKind, SharingData } from "./sharing.js";

/** The namespace STIX 2.1 gives for deterministic observable identifiers (section 2.9). */
export const STIX_NAMESPACE = "00abedb4-aa42-466c-9c01-fed23315a9b7";
/**
 * The `created` of Chorus's `identity` object, the same in every bundle, and of objects whose data has no time.
 */
const FIXED_CREATED = "2024-01-01T00:00:00.000Z";

/** Chorus's own namespace for the identifiers of the other objects. */
export const CHORUS_NAMESPACE = "6f1c2a9e-3b57-4d0a-8e61-2c9b7d4f5a13";

export const TLP_LEVELS = ["clear", "white", "green", "amber", "amber+strict", "red"] as const;
export type Tlp = (typeof TLP_LEVELS)[number];

/** The TLP 1.0 marking definitions STIX 2.1 predefines (section 7.2.1.4); TLP 2.0 levels map onto them. */
const TLP_MARKINGS: Record<"white" | "green" | "amber" | "red", string> = {
  white: "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9",
  green: "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da",
  amber: "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82",
  red: "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed",
};

/** The STIX marking for a TLP level: CLEAR is TLP 1.0 WHITE, AMBER+STRICT is AMBER (STIX predefines TLP 1.0 only). */
export function stixTlp(tlp: Tlp): "white" | "green" | "amber" | "red" {
  return tlp === "clear" ? "white" : tlp === "amber+strict" ? "amber" : tlp;
}

/** RFC 4122 name-based UUID, version 5 (SHA-1). */
export function uuidv5(name: string, namespace: string): string {
  const ns = Buffer.from(namespace.replace(/-/g, ""), "hex");
  const h = createHash("sha1").update(ns).update(Buffer.from(name, "utf8")).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString("hex");
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

/** JSON with object keys sorted at every level (RFC 8785 canonical form for strings, integers and objects). */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(",")}]`;
  if (v !== null && typeof v === "object") {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .filter((k) => o[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(v);
}

/** A STIX pattern string literal: single quotes, with backslashes and quotes escaped by a backslash. */
export function stixString(s: string): string {
  return `'${s.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}

/**
 * The STIX pattern matching one indicator; a link with `variants` (the forms its posts wrote it in) matches any of
 * them, since a pattern's `=` is exact.
 */
export function stixPattern(kind: SharedKind, value: string, variants?: readonly string[]): string {
  const v = stixString(value);
  switch (kind) {
    case "url":
      return variants && variants.length > 1
        ? `[${variants.map((x) => `url:value = ${stixString(x)}`).join(" OR ")}]`
        : `[url:value = ${v}]`;
    case "domain":
      return `[domain-name:value = ${v}]`;
    case "ipv4":
      return `[ipv4-addr:value = ${v}]`;
    case "ipv6":
      return `[ipv6-addr:value = ${v}]`;
    case "email":
      return `[email-addr:value = ${v}]`;
    case "sha256":
      return `[file:hashes.'SHA-256' = ${v}]`;
    case "md5":
      return `[file:hashes.MD5 = ${v}]`;
    case "btc":
      // see `stixBundle`: STIX 2.1 has no observable a Bitcoin address could be a pattern on
      throw new Error("stixPattern: STIX has no pattern for a Bitcoin address");
  }
}

type Obj = Record<string, unknown>;

/** An observable's id: the STIX namespace over its ID contributing properties. */
const scoId = (type: string, contributing: Obj): string =>
  `${type}--${uuidv5(canonicalJson(contributing), STIX_NAMESPACE)}`;
/** Any other object's id: the Chorus namespace over a content key. */
const sdoId = (type: string, key: string): string => `${type}--${uuidv5(`${type}|${key}`, CHORUS_NAMESPACE)}`;

const TYPE_ORDER = [
  "marking-definition",
  "identity",
  "campaign",
  "indicator",
  "observed-data",
  "email-message",
  "email-addr",
  "file",
  "user-account",
  "relationship",
];

export interface StixOptions {
  tlp: Tlp;
}

/** The STIX 2.1 bundle of the shared data, as an object. */
export function stixBundle(data: SharingData, opts: StixOptions): Obj {
  const time = data.time;
  const level = stixTlp(opts.tlp);
  const marking = TLP_MARKINGS[level];
  const markings = [marking];
  const identity = sdoId("identity", "chorus");
  const objects = new Map<string, Obj>();
  const put = (o: Obj): string => {
    objects.set(String(o["id"]), o);
    return String(o["id"]);
  };
  const sdo = (type: string, key: string, props: Obj, created = time): string =>
    put({
      type,
      spec_version: "2.1",
      id: sdoId(type, key),
      created_by_ref: identity,
      created,
      modified: created > time ? created : time,
      ...props,
      object_marking_refs: markings,
    });
  // an observable met twice (a From that is another message's Reply-To) keeps what either gave it (a display name)
  const sco = (type: string, contributing: Obj, props: Obj = {}): string => {
    const id = scoId(type, contributing);
    return put({
      ...objects.get(id),
      type,
      spec_version: "2.1",
      id,
      ...contributing,
      ...props,
      object_marking_refs: markings,
    });
  };
  const createdOf = (id: string): string => String(objects.get(id)?.["created"] ?? time);
  const relate = (type: string, source: string, target: string): string => {
    const [a, b] = [createdOf(source), createdOf(target)];
    return sdo(
      "relationship",
      `${type}|${source}|${target}`,
      { relationship_type: type, source_ref: source, target_ref: target },
      a > b ? a : b,
    );
  };

  put({
    type: "marking-definition",
    spec_version: "2.1",
    id: marking,
    created: "2017-01-20T00:00:00.000Z",
    definition_type: "tlp",
    name: `TLP:${level.toUpperCase()}`,
    definition: { tlp: level },
  });
  put({
    type: "identity",
    spec_version: "2.1",
    id: identity,
    created: FIXED_CREATED,
    modified: time > FIXED_CREATED ? time : FIXED_CREATED,
    name: "Chorus",
    description: `Chorus ${TOOL_VERSION}: detection of coordinated influence and harassment campaigns and triage of hostile email`,
    identity_class: "system",
    object_marking_refs: markings,
  });

  // messages: observables inside one observed-data each
  const messageObservation = new Map<string, string>();
  for (const m of data.messages) {
    const refs: string[] = [];
    const from = m.from
      ? sco("email-addr", { value: m.from }, m.fromName ? { display_name: m.fromName } : {})
      : null;
    if (from) refs.push(from);
    const replyTo = m.replyTo ? sco("email-addr", { value: m.replyTo }) : null;
    if (replyTo && !refs.includes(replyTo)) refs.push(replyTo);
    const files = m.attachments
      .filter((a) => a.sha256)
      .map((a) => ({
        a,
        // the id from one hash, as STIX 2.1 has it (the first of MD5, SHA-1, SHA-256, SHA-512), and the name
        id: sco(
          "file",
          {
            hashes: a.md5 ? { MD5: a.md5 } : { "SHA-256": a.sha256! },
            ...(a.filename ? { name: a.filename } : {}),
          },
          {
            hashes: { "SHA-256": a.sha256!, ...(a.md5 ? { MD5: a.md5 } : {}) },
            ...(a.size !== null ? { size: a.size } : {}),
          },
        ),
      }));
    const email = put({
      type: "email-message",
      spec_version: "2.1",
      // the message's own sha256 keeps two messages with one sender and subject apart
      id: `email-message--${uuidv5(`email-message|${m.sha256}`, CHORUS_NAMESPACE)}`,
      is_multipart: files.length > 0,
      ...(m.ts ? { date: m.ts } : {}),
      ...(from ? { from_ref: from } : {}),
      ...(m.subject !== null ? { subject: m.subject } : {}),
      ...(m.messageId ? { message_id: m.messageId } : {}),
      ...(m.replyTo ? { additional_header_fields: { "Reply-To": [m.replyTo] } } : {}),
      ...(files.length > 0
        ? {
            body_multipart: files.map((f) => ({
              body_raw_ref: f.id,
              content_disposition: `attachment${f.a.filename ? `; filename=${JSON.stringify(f.a.filename)}` : ""}`,
            })),
          }
        : {}),
      object_marking_refs: markings,
    });
    refs.unshift(email);
    refs.push(...files.map((f) => f.id).filter((id, i, all) => all.indexOf(id) === i));
    // the message's Date is its sender's to write: one after the analysis is no time it was observed
    const dated = m.ts !== null && m.ts <= time ? m.ts : null;
    const at = dated ?? time;
    messageObservation.set(
      m.sha256,
      sdo(
        "observed-data",
        `message|${m.sha256}`,
        { first_observed: at, last_observed: at, number_observed: 1, object_refs: refs },
        // the message's own date: its bytes, and so its id, fix it
        dated ?? FIXED_CREATED,
      ),
    );
  }

  const campaignIds = new Map<string, string>();
  for (const c of data.campaigns) {
    // a campaign whose first activity moves (older posts ingested) is another object, not a version with another
    // `created`, which STIX does not allow
    const id = sdo(
      "campaign",
      `${c.kind}|${c.key}${c.firstSeen ? `|${c.firstSeen}` : ""}`,
      {
        name: campaignName(c),
        description: c.summary,
        ...(c.firstSeen ? { first_seen: c.firstSeen } : {}),
        ...(c.lastSeen && c.firstSeen && c.lastSeen >= c.firstSeen ? { last_seen: c.lastSeen } : {}),
        confidence: Math.max(0, Math.min(100, Math.round(c.score * 100))),
      },
      c.firstSeen ?? FIXED_CREATED,
    );
    campaignIds.set(c.id, id);
    if (c.kind === "social" && c.accounts.length > 0) {
      const refs = c.accounts.map((a) =>
        sco(
          "user-account",
          { account_type: a.platform, user_id: a.id, ...(a.handle ? { account_login: a.handle } : {}) },
          {},
        ),
      );
      const first = c.firstSeen ?? time;
      const last = c.lastSeen && c.lastSeen >= first ? c.lastSeen : first;
      const obs = sdo(
        "observed-data",
        `accounts|${c.key}${c.firstSeen ? `|${c.firstSeen}` : ""}`,
        { first_observed: first, last_observed: last, number_observed: 1, object_refs: refs },
        c.firstSeen ?? FIXED_CREATED,
      );
      relate("related-to", id, obs);
    }
    for (const sha of c.messages) {
      const obs = messageObservation.get(sha);
      if (obs) relate("related-to", id, obs);
    }
  }

  // a Bitcoin address has no STIX observable (a pattern on a custom x- object would match nothing other tools
  // produce): it is shared in MISP alone (docs/sharing.md)
  for (const x of data.indicators) if (x.kind !== "btc") indicator(x);
  function indicator(x: SharedIndicator): void {
    const pattern = stixPattern(x.kind, x.value, x.variants);
    const id = sdo(
      "indicator",
      `${pattern}${x.firstSeen ? `|${x.firstSeen}` : ""}`,
      {
        name: `${x.kind} ${x.value}`.slice(0, 256),
        description:
          (x.note || "Seen in the case.") + (x.roles.length ? ` Roles: ${x.roles.join(", ")}.` : ""),
        indicator_types: [x.hostile ? "malicious-activity" : "anomalous-activity"],
        pattern,
        pattern_type: "stix",
        pattern_version: "2.1",
        valid_from: x.firstSeen ?? time,
      },
      x.firstSeen ?? FIXED_CREATED,
    );
    for (const c of x.campaigns) {
      const cid = campaignIds.get(c);
      if (cid) relate("indicates", id, cid);
    }
    for (const sha of x.messages) {
      const obs = messageObservation.get(sha);
      if (obs) relate("based-on", id, obs);
    }
  }

  const sorted = [...objects.values()].sort((a, b) => {
    const ta = TYPE_ORDER.indexOf(String(a["type"]));
    const tb = TYPE_ORDER.indexOf(String(b["type"]));
    return ta - tb || (String(a["id"]) < String(b["id"]) ? -1 : 1);
  });
  return {
    type: "bundle",
    id: `bundle--${uuidv5(sorted.map((o) => o["id"]).join("\n"), CHORUS_NAMESPACE)}`,
    objects: sorted,
  };
}

/**
 * A campaign's name: its number in the analysis and a short digest of what it is (its members, or its messages),
 * since C1 is the first campaign of every analysis and a platform that keys campaigns by name (OpenCTI does) would
 * merge the C1 of every case into one.
 */
export function campaignName(c: { kind: string; id: string; key: string }): string {
  return `Chorus ${c.kind} campaign ${c.id} (${createHash("sha256").update(`${c.kind}|${c.key}`).digest("hex").slice(0, 10)})`;
}

/** The bundle as JSON text (two-space indent, final newline). */
export function toStix(data: SharingData, opts: StixOptions): string {
  return JSON.stringify(stixBundle(data, opts), null, 2) + "\n";
}

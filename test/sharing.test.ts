/**
 * Sharing with the security community: `chorus export --format stix|misp` on a case of social posts (the bundled
 * sample, with planted campaigns) and reported emails (a phishing operation among ordinary mail). The bundle and
 * the event are read back with JSON.parse alone and checked by validators written here from the specifications:
 * STIX 2.1 required properties, identifier and timestamp forms, pattern syntax, every reference resolving; MISP
 * attribute types against the categories MISP allows for them (describeTypes.json), and the event's fields.
 */
import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mispEvent } from "../src/report/export/misp.js";
import { ipOf, webForm, type SharingData } from "../src/report/export/sharing.js";
import { canonicalJson, stixPattern, uuidv5 } from "../src/report/export/stix.js";
import { runCli } from "./helpers/cli.js";
import { tempDir } from "./helpers/tmp.js";
import { hostileWorld } from "./helpers/hostile-world.js";
import { writeJsonl } from "./helpers/posts.js";

const SAMPLE = fileURLToPath(new URL("../sample/posts.jsonl", import.meta.url));
const EMAIL_CASE = fileURLToPath(new URL("./fixtures/email-case", import.meta.url));

type Obj = Record<string, unknown>;

// ---- a STIX 2.1 checker (specification sections 2, 3, 4, 5, 6, 9) --------------------------------------------

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const SDO_REQUIRED: Record<string, string[]> = {
  campaign: ["name"],
  indicator: ["pattern", "pattern_type", "valid_from"],
  identity: ["name"],
  "observed-data": ["first_observed", "last_observed", "number_observed", "object_refs"],
  relationship: ["relationship_type", "source_ref", "target_ref"],
};
const SCO_REQUIRED: Record<string, string[]> = {
  "email-addr": ["value"],
  "email-message": ["is_multipart"],
  file: [],
  "user-account": [],
  url: ["value"],
  "domain-name": ["value"],
  "ipv4-addr": ["value"],
};
/** Object paths a pattern may compare, by observable type (the properties Chorus has reason to use). */
const PATTERN_PATHS: Record<string, RegExp> = {
  url: /^value$/,
  "domain-name": /^value$/,
  "ipv4-addr": /^value$/,
  "ipv6-addr": /^value$/,
  "email-addr": /^value$/,
  file: /^hashes\.('SHA-256'|MD5)$/,
};

/**
 * Parse `[type:path = 'literal']`, or comparisons of one type and path joined by OR (a link's forms as posted),
 * undoing the literals' escapes; throws on anything else. `value` is the first literal, `values` all of them.
 */
function parsePattern(p: string): { type: string; path: string; value: string; values: string[] } {
  const cmp = "([a-z0-9-]+):([A-Za-z0-9_.'-]+) = '((?:[^'\\\\]|\\\\['\\\\])*)'";
  if (!new RegExp(`^\\[${cmp}(?: OR ${cmp})*\\]$`).test(p))
    throw new Error(`not a one-comparison STIX pattern: ${p}`);
  const parts = [...p.slice(1, -1).matchAll(new RegExp(cmp, "g"))];
  const [type, path] = [parts[0]![1]!, parts[0]![2]!];
  if (parts.some((m) => m[1] !== type || m[2] !== path))
    throw new Error(`comparisons of several paths: ${p}`);
  const values = parts.map((m) => m[3]!.replace(/\\(['\\])/g, "$1"));
  return { type, path, value: values[0]!, values };
}

function checkStix(bundle: Obj): string[] {
  const problems: string[] = [];
  const fail = (id: unknown, what: string): void => void problems.push(`${String(id)}: ${what}`);
  if (bundle["type"] !== "bundle") fail("bundle", "type is not bundle");
  if (!/^bundle--/.test(String(bundle["id"]))) fail("bundle", "bad id");
  const objects = bundle["objects"] as Obj[];
  if (!Array.isArray(objects) || objects.length === 0) fail("bundle", "no objects");
  for (const o of objects) {
    const type = String(o["type"]);
    const id = String(o["id"]);
    if (o["spec_version"] !== "2.1") fail(id, "spec_version is not 2.1");
    const [prefix, uuid] = id.split("--");
    if (prefix !== type || !UUID.test(uuid ?? "")) fail(id, "id is not type--UUID");
    if (type === "marking-definition") {
      if (o["definition_type"] !== "tlp" || typeof o["definition"] !== "object")
        fail(id, "not a TLP marking");
      continue;
    }
    const sdo = SDO_REQUIRED[type];
    const sco = SCO_REQUIRED[type];
    if (!sdo && !sco) fail(id, `unexpected type ${type}`);
    if (sdo) {
      for (const k of ["created", "modified"])
        if (!TIMESTAMP.test(String(o[k]))) fail(id, `${k} is not a timestamp`);
      for (const k of sdo) if (o[k] === undefined) fail(id, `missing ${k}`);
      if (o["modified"]! < o["created"]!) fail(id, "modified before created");
    }
    if (sco) {
      for (const k of sco) if (o[k] === undefined) fail(id, `missing ${k}`);
      if ("created" in o || "created_by_ref" in o) fail(id, "an observable has SDO properties");
      // spec 2.9: deterministic observable ids are UUIDv5
      if (type !== "email-message" && uuid?.[14] !== "5") fail(id, "observable id is not UUIDv5");
    }
    if (type === "indicator") {
      if (o["pattern_type"] !== "stix") fail(id, "pattern_type is not stix");
      if (!TIMESTAMP.test(String(o["valid_from"]))) fail(id, "valid_from is not a timestamp");
      try {
        const p = parsePattern(String(o["pattern"]));
        if (!PATTERN_PATHS[p.type]?.test(p.path)) fail(id, `pattern compares ${p.type}:${p.path}`);
      } catch (err) {
        fail(id, (err as Error).message);
      }
    }
    if (type === "observed-data") {
      const n = o["number_observed"] as number;
      if (!Number.isInteger(n) || n < 1 || n > 999_999_999) fail(id, "number_observed out of range");
      if (!Array.isArray(o["object_refs"]) || (o["object_refs"] as unknown[]).length === 0)
        fail(id, "no object_refs");
      if (o["last_observed"]! < o["first_observed"]!) fail(id, "last_observed before first_observed");
    }
    if (type === "campaign" && o["first_seen"] && o["last_seen"] && o["last_seen"]! < o["first_seen"]!) {
      fail(id, "last_seen before first_seen");
    }
  }
  return problems;
}

/** Every `*_ref` / `*_refs` value anywhere in the bundle, with where it was found. */
function references(v: unknown, where: string, out: Array<{ where: string; ref: string }> = []) {
  if (Array.isArray(v)) v.forEach((x, i) => references(x, `${where}[${i}]`, out));
  else if (v !== null && typeof v === "object") {
    for (const [k, x] of Object.entries(v as Obj)) {
      if (k.endsWith("_ref") && typeof x === "string") out.push({ where: `${where}.${k}`, ref: x });
      else if (k.endsWith("_refs") && Array.isArray(x))
        for (const r of x) out.push({ where: `${where}.${k}`, ref: String(r) });
      else references(x, `${where}.${k}`, out);
    }
  }
  return out;
}

// ---- a MISP checker (describeTypes.json's category_type_mappings, for the types an export may use) ----------

const MISP_CATEGORIES: Record<string, string[]> = {
  "Payload delivery": [
    "md5",
    "sha256",
    "filename",
    "ip-src",
    "ip-dst",
    "hostname",
    "domain",
    "email",
    "email-src",
    "email-dst",
    "email-subject",
    "email-attachment",
    "email-body",
    "url",
    "comment",
    "text",
    "other",
    "email-src-display-name",
    "email-reply-to",
    "email-message-id",
    "email-header",
  ],
  "Network activity": [
    "ip-src",
    "ip-dst",
    "hostname",
    "domain",
    "email",
    "email-dst",
    "email-src",
    "url",
    "uri",
    "comment",
    "text",
    "other",
    "email-subject",
  ],
  Attribution: ["threat-actor", "campaign-name", "campaign-id", "comment", "text", "other", "email"],
  "Social network": [
    "github-username",
    "twitter-id",
    "jabber-id",
    "email",
    "email-src",
    "email-dst",
    "comment",
    "text",
    "other",
  ],
  Other: ["comment", "text", "other", "datetime", "counter", "integer", "float", "boolean", "uuid"],
};

const IP = /^(\d{1,3}(\.\d{1,3}){3}|[0-9a-fA-F:]+)$/;
function checkMispValue(type: string, value: string): boolean {
  if (type === "sha256") return /^[0-9a-f]{64}$/.test(value);
  if (type === "md5") return /^[0-9a-f]{32}$/.test(value);
  if (type === "ip-src" || type === "ip-dst") return IP.test(value);
  if (type === "domain") return /^[a-z0-9.-]+\.[a-z0-9-]+$/i.test(value);
  if (type === "url") return /^[a-z][a-z0-9+.-]*:/i.test(value);
  if (type.startsWith("email-src") || type === "email-reply-to")
    return type.endsWith("display-name") || /@/.test(value);
  if (type === "datetime") return TIMESTAMP.test(value);
  return value.length > 0;
}

function checkMisp(doc: Obj): string[] {
  const problems: string[] = [];
  const e = doc["Event"] as Obj;
  if (!e) return ["no Event"];
  if (typeof e["info"] !== "string" || !e["info"]) problems.push("Event.info is empty");
  if (!/^\d{4}-\d{2}-\d{2}$/.test(String(e["date"]))) problems.push("Event.date is not YYYY-MM-DD");
  if (!["1", "2", "3", "4"].includes(String(e["threat_level_id"]))) problems.push("bad threat_level_id");
  if (!["0", "1", "2"].includes(String(e["analysis"]))) problems.push("bad analysis");
  if (!["0", "1", "2", "3", "4"].includes(String(e["distribution"]))) problems.push("bad distribution");
  if (!UUID.test(String(e["uuid"]))) problems.push("bad Event.uuid");
  const uuids = new Set<string>();
  const checkAttr = (a: Obj, where: string): void => {
    const type = String(a["type"]);
    const category = String(a["category"]);
    if (!MISP_CATEGORIES[category]?.includes(type))
      problems.push(`${where}: type ${type} not allowed in ${category}`);
    if (typeof a["to_ids"] !== "boolean") problems.push(`${where}: to_ids is not boolean`);
    if (typeof a["comment"] !== "string") problems.push(`${where}: comment is not a string`);
    if (!checkMispValue(type, String(a["value"])))
      problems.push(`${where}: ${type} value ${String(a["value"])}`);
    const u = String(a["uuid"]);
    if (!UUID.test(u) || uuids.has(u)) problems.push(`${where}: uuid missing or repeated`);
    uuids.add(u);
  };
  (e["Attribute"] as Obj[]).forEach((a, i) => checkAttr(a, `Attribute[${i}]`));
  (e["Object"] as Obj[]).forEach((o, i) => {
    if (o["name"] !== "email" || o["template_uuid"] !== "a0c666e0-fc65-4be8-b48f-3423d788b552") {
      problems.push(`Object[${i}]: not a MISP email object`);
    }
    (o["Attribute"] as Obj[]).forEach((a, j) => {
      checkAttr(a, `Object[${i}].Attribute[${j}]`);
      if (typeof a["object_relation"] !== "string")
        problems.push(`Object[${i}].Attribute[${j}]: no object_relation`);
    });
  });
  return problems;
}

// ---- the case ------------------------------------------------------------------------------------------------

let tmp: ReturnType<typeof tempDir>;
let stixText: string;
let mispText: string;
let bundle: Obj;
let event: Obj;

beforeAll(async () => {
  tmp = tempDir();
  const a = await runCli(["analyze", SAMPLE, EMAIL_CASE, "-o", tmp.path("out"), "--no-progress"]);
  expect(a.code, a.err).toBe(0);
  const s = await runCli([
    "export",
    "--case",
    tmp.path("out/case.duckdb"),
    "--format",
    "stix",
    "-o",
    tmp.path("b.json"),
  ]);
  expect(s.code, s.err).toBe(0);
  const m = await runCli([
    "export",
    "--case",
    tmp.path("out/case.duckdb"),
    "--format",
    "misp",
    "-o",
    tmp.path("m.json"),
  ]);
  expect(m.code, m.err).toBe(0);
  stixText = readFileSync(tmp.path("b.json"), "utf8");
  mispText = readFileSync(tmp.path("m.json"), "utf8");
  bundle = JSON.parse(stixText) as Obj;
  event = JSON.parse(mispText) as Obj;
}, 240_000);
afterAll(() => tmp.cleanup());

const objectsOf = (type: string): Obj[] => (bundle["objects"] as Obj[]).filter((o) => o["type"] === type);

describe("chorus export --format stix", () => {
  it("writes a bundle whose objects have the properties STIX 2.1 requires and sound patterns", () => {
    expect(checkStix(bundle)).toEqual([]);
  });

  it("resolves every reference inside the bundle (read with JSON.parse alone)", () => {
    const ids = new Set((bundle["objects"] as Obj[]).map((o) => String(o["id"])));
    const refs = references(bundle["objects"], "objects");
    expect(refs.length).toBeGreaterThan(0);
    expect(refs.filter((r) => !ids.has(r.ref))).toEqual([]);
    expect(ids.size).toBe((bundle["objects"] as Obj[]).length); // no id twice
  });

  it("has a campaign per social campaign and per hostile email group, with indicators that indicate them", async () => {
    const doc = JSON.parse(readFileSync(tmp.path("out/findings.json"), "utf8")) as {
      campaigns: Array<{
        id: string;
        top_objects: Array<{ kind: string; value: string; shares: number; all_shares: number }>;
      }>;
      detectors: Array<{ id: string; details: { groups?: Array<{ id: string; hostile: number }> } }>;
    };
    const groups = doc.detectors.find((d) => d.id === "email-infrastructure")!.details.groups ?? [];
    const expected = [
      ...doc.campaigns.map((c) => `Chorus social campaign ${c.id}`),
      ...groups.filter((g) => g.hostile > 0).map((g) => `Chorus email campaign ${g.id}`),
    ].sort();
    expect(groups.length).toBeGreaterThan(0);
    // each name ends in a digest of what the campaign is, so that C1 of two cases are two campaigns by name too
    const named = objectsOf("campaign").map((c) => String(c["name"]));
    for (const n of named) expect(n).toMatch(/ \([0-9a-f]{10}\)$/);
    const bare = (n: unknown): string => String(n).replace(/ \([0-9a-f]{10}\)$/, "");
    expect(named.map(bare).sort()).toEqual(expected);
    const indicates = objectsOf("relationship").filter((r) => r["relationship_type"] === "indicates");
    const targets = new Set(indicates.map((r) => String(r["target_ref"])));
    // a social campaign is indicated by the links and sites it accounts for at least half of the shares of; one
    // that only joined in on widely shared ones (a big news site) has no indicator of its own
    const exclusive = (c: (typeof doc.campaigns)[number]) =>
      c.top_objects.filter(
        (o) => (o.kind === "url" || o.kind === "domain") && o.shares / o.all_shares >= 0.5,
      );
    const common = doc.campaigns.flatMap((c) =>
      c.top_objects.filter((o) => (o.kind === "url" || o.kind === "domain") && o.shares / o.all_shares < 0.5),
    );
    expect(common.length).toBeGreaterThan(0);
    for (const c of objectsOf("campaign")) {
      const social = doc.campaigns.find((x) => `Chorus social campaign ${x.id}` === bare(c["name"]));
      const want = social ? exclusive(social).length > 0 : true;
      expect(targets.has(String(c["id"])), String(c["name"])).toBe(want);
    }
    const text = JSON.stringify(objectsOf("indicator"));
    for (const o of common) expect(text).not.toContain(`:value = '${o.value}'`);
    // the operation's Reply-To mailbox and landing domain are indicators of the email campaign
    const patterns = objectsOf("indicator").map((i) => String(i["pattern"]));
    expect(patterns).toContain("[email-addr:value = 'civic.recovery.desk@gmail.com']");
    expect(patterns).toContain("[domain-name:value = 'civicrights-login.example']");
    expect(patterns.some((p) => p.startsWith("[file:hashes.'SHA-256' = "))).toBe(true);
    expect(objectsOf("user-account").length).toBeGreaterThan(0);
    expect(objectsOf("email-message").length).toBeGreaterThan(0);
  });

  it("leaves out ordinary mail, big providers' domains and local paths", () => {
    expect(stixText).not.toContain("Lunch on Friday?"); // a personal message in benign.mbox
    expect(stixText).not.toContain("sara.ahmadi@gmail.com");
    expect(stixText).not.toMatch(/domain-name:value = '(www\.)?(google\.com|gmail\.com|i\.imgur\.com)'/);
    expect(stixText).not.toContain(tmp.dir);
    expect(stixText).not.toContain(EMAIL_CASE);
  });

  it("is byte-identical when exported again, and marks everything with the TLP asked for", async () => {
    await runCli([
      "export",
      "--case",
      tmp.path("out/case.duckdb"),
      "--format",
      "stix",
      "-o",
      tmp.path("b2.json"),
    ]);
    expect(readFileSync(tmp.path("b2.json"), "utf8")).toBe(stixText);
    const amber = "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82";
    for (const o of bundle["objects"] as Obj[]) {
      if (o["type"] !== "marking-definition") expect(o["object_marking_refs"]).toEqual([amber]);
    }
    await runCli([
      "export",
      "--case",
      tmp.path("out/case.duckdb"),
      "--format",
      "stix",
      "--tlp",
      "green",
      "-o",
      tmp.path("g.json"),
    ]);
    const green = JSON.parse(readFileSync(tmp.path("g.json"), "utf8")) as Obj;
    expect(checkStix(green)).toEqual([]);
    expect((green["objects"] as Obj[])[0]).toMatchObject({ type: "marking-definition", name: "TLP:GREEN" });
  });

  it("derives UUIDv5 as RFC 4122 does, over canonical JSON for observables", () => {
    // RFC 4122 name-based UUID of "python.org" in the DNS namespace (the value every UUID library gives)
    expect(uuidv5("python.org", "6ba7b810-9dad-11d1-80b4-00c04fd430c8")).toBe(
      "886313e1-3b8a-5372-9b90-0c9aee199e5d",
    );
    expect(canonicalJson({ value: "a", hashes: { "SHA-256": "x", MD5: "y" } })).toBe(
      '{"hashes":{"MD5":"y","SHA-256":"x"},"value":"a"}',
    );
  });

  it("escapes quotes and backslashes in pattern literals so that they read back as the value", () => {
    for (const v of ["https://x.example/a'b", "https://x.example/c\\d", "https://x.example/\\'"]) {
      const p = parsePattern(stixPattern("url", v));
      expect(p).toEqual({ type: "url", path: "value", value: v, values: [v] });
    }
    // a link's forms as posted, any of which matches, each escaped
    const forms = [
      "https://x.example/a'b",
      "https://www.x.example/a'b?utm_source=x",
      "http://x.example/a'b\\",
    ];
    expect(parsePattern(stixPattern("url", forms[0]!, forms)).values).toEqual(forms);
    expect(() => parsePattern("[url:value = 'a'b']")).toThrow();
    expect(() => parsePattern("[url:value = 'a' OR domain-name:value = 'b']")).toThrow();
  });
});

describe("the checkers themselves", () => {
  it("catch a missing property, a bad pattern, a dangling reference and a type in the wrong category", () => {
    const objects = structuredClone(bundle["objects"]) as Obj[];
    const ind = objects.find((o) => o["type"] === "indicator")!;
    ind["pattern"] = "[url:value = 'unclosed]";
    delete objects.find((o) => o["type"] === "campaign")!["name"];
    const bad = { ...bundle, objects: objects.filter((o) => o["type"] !== "marking-definition") };
    const problems = checkStix(bad);
    expect(problems.some((p) => p.includes("not a one-comparison STIX pattern"))).toBe(true);
    expect(problems.some((p) => p.includes("missing name"))).toBe(true);
    const ids = new Set((bad.objects as Obj[]).map((o) => String(o["id"])));
    expect(references(bad.objects, "objects").some((r) => !ids.has(r.ref))).toBe(true);
    const e = structuredClone(event) as { Event: { Attribute: Obj[] } };
    e.Event.Attribute[0]!["category"] = "Financial fraud";
    expect(checkMisp(e as unknown as Obj).some((p) => p.includes("not allowed in Financial fraud"))).toBe(
      true,
    );
  });
});

describe("chorus export --format misp", () => {
  it("writes an event whose attributes MISP accepts (types in allowed categories, values of their type)", () => {
    expect(checkMisp(event)).toEqual([]);
    const e = event["Event"] as Obj;
    expect(e["Tag"]).toEqual([{ name: "tlp:amber" }]);
    expect((e["Object"] as Obj[]).length).toBeGreaterThan(0);
  });

  it("carries the operation's indicators for detection and social shares only as context", () => {
    const attrs = (event["Event"] as Obj)["Attribute"] as Obj[];
    const replyTo = attrs.find((a) => a["value"] === "civic.recovery.desk@gmail.com");
    expect(replyTo).toMatchObject({ type: "email-reply-to", category: "Payload delivery", to_ids: true });
    const social = attrs.filter((a) => String(a["comment"]).includes("coordinated sharing"));
    expect(social.length).toBeGreaterThan(0);
    for (const a of social) expect(a["to_ids"]).toBe(false);
  });

  it("is byte-identical when exported again; --tlp sets the tag and the distribution", async () => {
    await runCli([
      "export",
      "--case",
      tmp.path("out/case.duckdb"),
      "--format",
      "misp",
      "-o",
      tmp.path("m2.json"),
    ]);
    expect(readFileSync(tmp.path("m2.json"), "utf8")).toBe(mispText);
    await runCli([
      "export",
      "--case",
      tmp.path("out/case.duckdb"),
      "--format",
      "misp",
      "--tlp",
      "clear",
      "-o",
      tmp.path("c.json"),
    ]);
    const clear = (JSON.parse(readFileSync(tmp.path("c.json"), "utf8")) as Obj)["Event"] as Obj;
    expect(clear["Tag"]).toEqual([{ name: "tlp:clear" }]);
    expect(clear["distribution"]).toBe("3");
    expect((event["Event"] as Obj)["distribution"]).toBe("0");
  });

  it("refuses an unknown TLP level", async () => {
    const r = await runCli([
      "export",
      "--case",
      tmp.path("out/case.duckdb"),
      "--format",
      "misp",
      "--tlp",
      "purple",
      "-o",
      tmp.path("x.json"),
    ]);
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/tlp/);
  });
});

describe("an indicator's and an object's own times", () => {
  it("dates each link a social campaign shared by the posts that shared it, not by the campaign", () => {
    // the sample's posts, read here on their own: a link's host without www. and its path
    const where = (u: string): string | null => {
      try {
        const x = new URL(u);
        return `${x.hostname.toLowerCase().replace(/^www\./, "")}${x.pathname.replace(/\/$/, "")}`;
      } catch {
        return null;
      }
    };
    const first = new Map<string, string>();
    for (const line of readFileSync(SAMPLE, "utf8").split("\n")) {
      if (!line.trim()) continue;
      const p = JSON.parse(line) as { ts: string; urls?: string[] };
      const ts = new Date(p.ts).toISOString();
      for (const u of p.urls ?? []) {
        const k = where(u);
        if (k && (!first.has(k) || ts < first.get(k)!)) first.set(k, ts);
      }
    }
    const social = objectsOf("indicator").filter(
      (o) =>
        (o["indicator_types"] as string[])[0] === "anomalous-activity" &&
        String(o["pattern"]).startsWith("[url:"),
    );
    expect(social.length).toBeGreaterThan(1);
    for (const o of social) {
      const url = parsePattern(String(o["pattern"])).value;
      expect(o["valid_from"], url).toBe(first.get(where(url)!));
      expect(o["created"]).toBe(o["valid_from"]);
    }
    // the links of one campaign were first shared at different times
    expect(new Set(social.map((o) => o["valid_from"])).size).toBeGreaterThan(1);
  });

  it("keeps each object's created through a second analysis of the case, which gives a newer modified", async () => {
    const before = new Map((bundle["objects"] as Obj[]).map((o) => [String(o["id"]), o]));
    const d = await runCli([
      "detect",
      "--case",
      tmp.path("out/case.duckdb"),
      "-o",
      tmp.path("out2"),
      "--no-progress",
    ]);
    expect(d.code, d.err).toBe(0);
    const e = await runCli([
      "export",
      "--case",
      tmp.path("out/case.duckdb"),
      "--format",
      "stix",
      "-o",
      tmp.path("b3.json"),
    ]);
    expect(e.code, e.err).toBe(0);
    const after = JSON.parse(readFileSync(tmp.path("b3.json"), "utf8")) as Obj;
    expect(checkStix(after)).toEqual([]);
    let again = 0;
    for (const o of after["objects"] as Obj[]) {
      const old = before.get(String(o["id"]));
      if (!old || !("created" in o)) continue;
      again++;
      expect(o["created"], String(o["id"])).toBe(old["created"]);
      if (o["type"] !== "marking-definition")
        expect(String(o["modified"]) > String(old["modified"])).toBe(true);
    }
    expect(again).toBeGreaterThan(10);
  });
});

describe("mispEvent", () => {
  it("keeps two campaign accounts that share a handle as two attributes", () => {
    const data: SharingData = {
      runId: 1,
      time: "2026-01-01T00:00:00.000Z",
      toolVersion: "test",
      campaigns: [
        {
          id: "C1",
          kind: "social",
          key: "k",
          summary: "s",
          score: 0.9,
          firstSeen: null,
          lastSeen: null,
          accounts: [
            { platform: "twitter", id: "1", handle: "same_handle" },
            { platform: "twitter", id: "2", handle: "same_handle" },
            { platform: "twitter", id: "3", handle: "other" },
          ],
          messages: [],
        },
      ],
      messages: [],
      indicators: [],
    } as unknown as SharingData;
    const attrs = (mispEvent(data, { tlp: "amber" })["Event"] as Obj)["Attribute"] as Obj[];
    const accounts = attrs.filter((a) => a["category"] === "Social network").map((a) => a["value"]);
    expect(accounts.sort()).toEqual([
      "twitter:other",
      "twitter:same_handle (account 1)",
      "twitter:same_handle (account 2)",
    ]);
  });

  it("names both campaigns in the comment of an account that is in two", () => {
    const campaign = (id: string) => ({
      id,
      kind: "social",
      key: id,
      summary: "s",
      score: 0.9,
      firstSeen: null,
      lastSeen: null,
      accounts: [{ platform: "twitter", id: "7", handle: "both" }],
      messages: [],
    });
    const data = {
      runId: 1,
      time: "2026-01-01T00:00:00.000Z",
      toolVersion: "test",
      campaigns: [campaign("C1"), campaign("C2")],
      messages: [],
      indicators: [],
    } as unknown as SharingData;
    const attrs = (mispEvent(data, { tlp: "amber" })["Event"] as Obj)["Attribute"] as Obj[];
    const account = attrs.filter((a) => a["value"] === "twitter:both");
    expect(account).toHaveLength(1);
    expect(account[0]!["comment"]).toBe(
      "Account twitter:7 of campaign C1. Account twitter:7 of campaign C2.",
    );
  });
});

describe("webForm", () => {
  it("gives a message's link as a browser requests it, a valid URL for STIX and MISP", () => {
    expect(webForm("http://evil.example/x y")).toBe("http://evil.example/x%20y");
    expect(webForm("http://كانون.org/a\\b")).toBe("http://xn--mgb9ckaj.org/a/b");
    expect(webForm("HTTPS://Evil.Example:443/p?q=1")).toBe("https://evil.example/p?q=1");
    expect(webForm("mailto:a@b.example")).toBe("mailto:a@b.example");
    expect(webForm("not a url")).toBe("not a url");
  });
});

describe("a phish's links to the brand it imitates", () => {
  it("are not shared as indicators: the brand's own site is no attacker's", async () => {
    const own = tempDir();
    try {
      const eml = [
        "From: PayPal <service@paypal-verify.example>",
        "To: desk@ngo.example",
        "Subject: Your account is limited",
        "Date: Sat, 9 Nov 2024 07:00:00 +0000",
        "Message-ID: <limited@paypal-verify.example>",
        "MIME-Version: 1.0",
        "Content-Type: text/html; charset=utf-8",
        "",
        '<p>Sign in at <a href="https://paypal-verify.example/login">www.paypal.com</a> to restore your account.',
        'See <a href="https://www.paypal.com/us/smarthelp/home">our help centre</a>.</p>',
        "",
      ].join("\r\n");
      writeFileSync(own.path("phish.eml"), eml);
      const a = await runCli(["analyze", own.path("phish.eml"), "-o", own.path("out"), "--no-progress"]);
      expect(a.code, a.err).toBe(0);
      const s = await runCli([
        "export",
        "--case",
        own.path("out/case.duckdb"),
        "--format",
        "stix",
        "-o",
        own.path("b.json"),
      ]);
      expect(s.code, s.err).toBe(0);
      const patterns = ((JSON.parse(readFileSync(own.path("b.json"), "utf8")) as Obj)["objects"] as Obj[])
        .filter((o) => o["type"] === "indicator")
        .map((o) => String(o["pattern"]));
      expect(patterns).toContain("[url:value = 'https://paypal-verify.example/login']");
      expect(patterns.some((p) => p.includes("www.paypal.com") || p.includes("'paypal.com'"))).toBe(false);
    } finally {
      own.cleanup();
    }
  }, 60_000);
});

describe("an account whose handle ingest cut", () => {
  it("is shared by its id, never with the cut notice as its handle", async () => {
    const own = tempDir();
    try {
      writeJsonl(own.path("hostile.jsonl"), hostileWorld().posts);
      const a = await runCli(["analyze", own.path("hostile.jsonl"), "-o", own.path("out"), "--no-progress"]);
      expect(a.code, a.err).toBe(0);
      for (const format of ["stix", "misp"]) {
        const s = await runCli([
          "export",
          "--case",
          own.path("out/case.duckdb"),
          "--format",
          format,
          "-o",
          own.path(`${format}.json`),
        ]);
        expect(s.code, s.err).toBe(0);
      }
      const stix = JSON.parse(readFileSync(own.path("stix.json"), "utf8")) as Obj;
      const accounts = (stix["objects"] as Obj[]).filter((o) => o["type"] === "user-account");
      // the hostile world's 300-character handle is among the campaign's accounts, cut at ingest
      expect(accounts.some((o) => o["account_login"] === undefined)).toBe(true);
      for (const o of accounts) expect(String(o["account_login"] ?? "")).not.toContain("[cut:");
      const misp = JSON.parse(readFileSync(own.path("misp.json"), "utf8")) as Obj;
      const values = ((misp["Event"] as Obj)["Attribute"] as Obj[]).map((x) => String(x["value"]));
      expect(values.filter((v) => v.includes("[cut:"))).toEqual([]);
    } finally {
      own.cleanup();
    }
  }, 120_000);
});

describe("what a sender controls", () => {
  it("never makes a forged From an indicator, a future Date a validity, or a later ingest part of an earlier run", async () => {
    const own = tempDir();
    const exportRun = async (format: string, out: string, run?: string): Promise<Obj> => {
      const args = ["export", "--case", own.path("out/case.duckdb"), "--format", format, "-o", own.path(out)];
      const r = await runCli(run === undefined ? args : [...args, "--run", run]);
      expect(r.code, r.err).toBe(0);
      return JSON.parse(readFileSync(own.path(out), "utf8")) as Obj;
    };
    try {
      // DMARC failed for civicrights.org: the From is the impersonated NGO's; the Reply-To is the operation's
      copyFileSync(
        fileURLToPath(new URL("./fixtures/email/spoofed-dmarc.eml", import.meta.url)),
        own.path("spoofed.eml"),
      );
      // a suspicious phish, dated by its sender in 2100, and later another copy of it
      const credential = readFileSync(
        fileURLToPath(new URL("./fixtures/email/credential-phish.eml", import.meta.url)),
        "utf8",
      );
      const phish = (date: string, id: string): string =>
        credential
          .replace(/^Date: .*$/m, `Date: ${date}`)
          .replace(/^Message-ID: .*$/m, `Message-ID: <${id}@xn--ivicrights-bwi.org>`);
      writeFileSync(own.path("future.eml"), phish("Fri, 1 Jan 2100 00:00:00 +0000", "future"));
      const a = await runCli([
        "analyze",
        own.path("spoofed.eml"),
        own.path("future.eml"),
        "-o",
        own.path("out"),
        "--no-progress",
      ]);
      expect(a.code, a.err).toBe(0);
      const stix = await exportRun("stix", "b.json");
      expect(checkStix(stix)).toEqual([]);
      const objects = stix["objects"] as Obj[];
      const patterns = objects.filter((o) => o["type"] === "indicator").map((o) => String(o["pattern"]));
      expect(patterns).toContain("[email-addr:value = 'leila.ahmadi.office@proton.me']");
      expect(patterns).not.toContain("[email-addr:value = 'leila.ahmadi@civicrights.org']");
      expect(patterns).not.toContain("[domain-name:value = 'civicrights.org']");
      // the analysis ran before 2100: no indicator is valid only from then, nor any campaign first seen then
      const ranAt = String(objects.find((o) => o["type"] === "identity")!["modified"]);
      for (const o of objects) {
        for (const k of ["valid_from", "first_seen", "last_seen", "created"]) {
          if (o[k] !== undefined)
            expect(String(o[k]) <= ranAt, `${String(o["id"])} ${k} ${String(o[k])}`).toBe(true);
        }
      }
      const event = await exportRun("misp", "m1.json");
      expect(checkMisp(event)).toEqual([]);
      const attrs = ((event["Event"] as Obj)["Attribute"] as Obj[]).map((x) => String(x["value"]));
      expect(attrs.filter((v) => v === "civicrights.org" || v === "leila.ahmadi@civicrights.org")).toEqual(
        [],
      );
      const fromOf = ((event["Event"] as Obj)["Object"] as Obj[])
        .flatMap((o) => o["Attribute"] as Obj[])
        .find((x) => x["value"] === "leila.ahmadi@civicrights.org")!;
      expect(fromOf["to_ids"]).toBe(false);
      expect(String(fromOf["comment"])).toMatch(/^Forged/);

      // a message ingested after the run is not the run's: exporting run 1 again gives the same bytes
      writeFileSync(own.path("later.eml"), phish("Sat, 9 Nov 2024 07:00:00 +0000", "later"));
      const i = await runCli([
        "ingest",
        "--case",
        own.path("out/case.duckdb"),
        own.path("later.eml"),
        "--no-progress",
      ]);
      expect(i.code, i.err).toBe(0);
      await exportRun("misp", "m1-again.json", "1");
      expect(readFileSync(own.path("m1-again.json"), "utf8")).toBe(readFileSync(own.path("m1.json"), "utf8"));
      // the next analysis is another event, whose attributes MISP must not take for the first one's
      const d = await runCli([
        "detect",
        "--case",
        own.path("out/case.duckdb"),
        "-o",
        own.path("out2"),
        "--no-progress",
      ]);
      expect(d.code, d.err).toBe(0);
      const second = await exportRun("misp", "m2.json");
      const uuids = (e: Obj): string[] => [
        String((e["Event"] as Obj)["uuid"]),
        ...((e["Event"] as Obj)["Attribute"] as Obj[]).map((x) => String(x["uuid"])),
        ...((e["Event"] as Obj)["Object"] as Obj[]).flatMap((o) => [
          String(o["uuid"]),
          ...(o["Attribute"] as Obj[]).map((x) => String(x["uuid"])),
        ]),
      ];
      const before = new Set(uuids(event));
      expect(uuids(second).filter((u) => before.has(u))).toEqual([]);
    } finally {
      own.cleanup();
    }
  }, 120_000);

  it("exports a run's campaign links the same after posts of them are ingested, dated before it", async () => {
    const own = tempDir();
    try {
      copyFileSync(tmp.path("out/case.duckdb"), own.path("case.duckdb"));
      const social = (bundle["objects"] as Obj[]).find(
        (o) => o["type"] === "indicator" && String(o["pattern"]).startsWith("[url:"),
      )!;
      const url = parsePattern(String(social["pattern"])).value;
      // a new form of the link (another tracking parameter), posted long before the run, read after it
      writeFileSync(
        own.path("later.jsonl"),
        JSON.stringify({
          platform: "twitter",
          post_id: "later-1",
          account_id: "latecomer",
          ts: "2020-01-01T00:00:00Z",
          urls: [`${url}?utm_source=later`],
        }) + "\n",
      );
      const i = await runCli([
        "ingest",
        "--case",
        own.path("case.duckdb"),
        own.path("later.jsonl"),
        "--no-progress",
      ]);
      expect(i.code, i.err).toBe(0);
      const e = await runCli([
        "export",
        "--case",
        own.path("case.duckdb"),
        "--format",
        "stix",
        "--run",
        "1",
        "-o",
        own.path("b.json"),
      ]);
      expect(e.code, e.err).toBe(0);
      expect(readFileSync(own.path("b.json"), "utf8")).toBe(stixText);
    } finally {
      own.cleanup();
    }
  }, 60_000);

  it("shares a link to an address by the address, not as a domain name", () => {
    expect(ipOf("203.0.113.5")).toEqual({ kind: "ipv4", value: "203.0.113.5" });
    expect(ipOf("[2001:DB8::1]")).toEqual({ kind: "ipv6", value: "2001:db8::1" });
    expect(ipOf("news.example")).toBeNull();
  });
});

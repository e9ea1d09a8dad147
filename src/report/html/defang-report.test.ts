/**
 * Regression: the account cards printed the hostile domains their findings name live (an email-infrastructure
 * finding naming the phishing landing domain, an impersonation finding naming a lookalike sender's domain), while
 * the email section defanged the same indicators. The case: the sample's social posts, a phishing operation,
 * ordinary mail, and one more phish from a lookalike of a protected sender whose subject holds the landing URL.
 * Nothing a reader sees in the report may hold a live indicator of the hostile mail; the links the social
 * campaigns shared stay as text; and no link in the report leads out of it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { decodeHTML } from "entities";
import type { FindingsDoc } from "../findings.js";
import { runCli } from "../../../test/helpers/cli.js";
import { tempDir } from "../../../test/helpers/tmp.js";

const SAMPLE = fileURLToPath(new URL("../../../sample/posts.jsonl", import.meta.url));
const MAIL = fileURLToPath(new URL("../../../test/fixtures/email-case/", import.meta.url));
const GENUINE = "it-desk@civicrights.example";
const LOOKALIKE = "it-desk@civicrlghts.example";

let tmp: ReturnType<typeof tempDir>;
let page: string;
let doc: FindingsDoc;
let landingUrl: string;

/** What a reader sees and can copy: the text of the page, its scripts, styles and attributes left out. */
function readable(html: string): string {
  return decodeHTML(
    html
      .replace(/<script\b[\s\S]*?<\/script>/gi, " ")
      .replace(/<style\b[\s\S]*?<\/style>/gi, " ")
      .replace(/<[^>]*>/g, " "),
  );
}

/** The markup of the section with this id, up to the next one. */
function section(html: string, id: string): string {
  const start = html.indexOf(`<section id="${id}">`);
  return start < 0 ? "" : html.slice(start, html.indexOf("\n<section", start + 1));
}

beforeAll(async () => {
  tmp = tempDir();
  const lone = readFileSync(`${MAIL}lone.eml`, "utf8");
  // a page on the operation's landing domain
  landingUrl = "https://civicrights-login.example/verify";
  writeFileSync(
    tmp.path("lookalike.eml"),
    lone
      .replace(/^From: .*$/m, `From: Civic Rights IT Desk <${LOOKALIKE}>`)
      .replace(/^Subject: .*$/m, `Subject: Verify your account at ${landingUrl} today`)
      .replace("Message-ID: <c6@", "Message-ID: <c8@"),
  );
  writeFileSync(
    tmp.path("protect.csv"),
    `handle,display_name,platform\n${GENUINE},Civic Rights IT Desk,email\n`,
  );
  const r = await runCli([
    "analyze",
    SAMPLE,
    `${MAIL}campaign.mbox`,
    `${MAIL}benign.mbox`,
    tmp.path("lookalike.eml"),
    "--protect",
    tmp.path("protect.csv"),
    "-o",
    tmp.path("out"),
    "--no-progress",
  ]);
  expect(r.code, r.err).toBe(0);
  page = readFileSync(tmp.path("out/report.html"), "utf8");
  doc = JSON.parse(readFileSync(tmp.path("out/findings.json"), "utf8")) as FindingsDoc;
}, 180_000);
afterAll(() => tmp.cleanup());

/** The indicators of the hostile mail as findings.json keeps them (real values): each a live thing to click. */
function hostileIndicators(): string[] {
  const infra = doc.detectors.find((d) => d.id === "email-infrastructure");
  const groups = (infra?.details["groups"] ?? []) as Array<{
    senders: string[];
    indicators: Array<{ kind: string; value: string }>;
  }>;
  const out = new Set<string>([LOOKALIKE, landingUrl]);
  for (const g of groups) {
    for (const s of g.senders) out.add(s);
    for (const i of g.indicators) if (i.kind !== "attachment") out.add(i.value);
  }
  return [...out].filter((v) => v.includes("."));
}

describe("report: indicators of hostile mail and of findings", () => {
  it("has findings on the account cards that name the phishing domains (the case is what it claims)", () => {
    const senders = doc.accounts.filter((a) => a.platform === "email");
    const explanations = senders.flatMap((a) => a.findings.map((f) => f.explanation));
    const impersonation = senders
      .find((a) => a.id === LOOKALIKE)
      ?.findings.find((f) => f.detector === "impersonation");
    expect(impersonation?.explanation).toContain(LOOKALIKE);
    expect(explanations.some((e) => e.includes("civicrights-login.example"))).toBe(true);
  });

  it("shows no live indicator of the hostile mail anywhere a reader can see or copy", () => {
    const text = readable(page);
    const indicators = hostileIndicators();
    expect(indicators.length).toBeGreaterThan(5);
    for (const v of indicators) expect(text, v).not.toContain(v);
  });

  it("shows the senders' cards and their findings defanged, the lookalike among them", () => {
    const cards = readable(section(page, "accounts"));
    const defanged = (v: string) => v.replace(/\./g, "[.]");
    expect(cards).toContain(`@${defanged(LOOKALIKE)}`);
    expect(cards).toContain(`@${defanged(LOOKALIKE)} imitates protected identity`);
    expect(cards).toContain("civicrights-login[.]example");
    // the subject that carried the landing URL is listed defanged in the email section
    expect(readable(section(page, "email"))).toContain(
      "Verify your account at hxxps://civicrights-login[.]example",
    );
  });

  it("keeps the links the social campaigns shared as text, and no link leads out of the report", () => {
    const shared = doc.campaigns.flatMap((c) =>
      ((c["top_objects"] ?? []) as Array<{ kind: string; value: string }>)
        .filter((o) => o.kind === "url")
        .map((o) => o.value),
    );
    expect(shared.length).toBeGreaterThan(0);
    const text = readable(page);
    for (const u of shared) expect(text, u).toContain(u);
    const hrefs = [...page.matchAll(/\bhref\s*=\s*"([^"]*)"/gi)].map((m) => m[1]!);
    expect(hrefs.length).toBeGreaterThan(0);
    expect(hrefs.filter((h) => !h.startsWith("#"))).toEqual([]);
    expect(page).not.toMatch(/<a\b(?![^>]*\bhref="#)[^>]*\bhref=/i);
  });
});

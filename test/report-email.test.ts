/**
 * The report's email section: a case of social posts and reported email (the sample, a phishing operation in an
 * mbox, ordinary mail) analysed end to end. The section must agree with the case's `messages` table and with the
 * email-infrastructure detector's groups, defang every indicator it shows (no live URL or dotted domain of a
 * hostile message in the markup), and stay absent from a case without email.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { CaseStore } from "../src/store/case.js";
import { runCli } from "./helpers/cli.js";
import { tempDir } from "./helpers/tmp.js";

const SAMPLE = fileURLToPath(new URL("../sample/posts.jsonl", import.meta.url));
const CASE_DIR = fileURLToPath(new URL("./fixtures/email-case/", import.meta.url));

interface Group {
  id: string;
  size: number;
  indicators: Array<{ kind: string; value: string }>;
  messages: Array<{ source_row: number }>;
}
interface Doc {
  detectors: Array<{ id: string; status: string; details: { groups?: Group[] } }>;
}

let tmp: ReturnType<typeof tempDir>;
let page: string;
let doc: Doc;
let verdicts: Map<string, number>;
let hostileLinks: string[];
let terminal: string;

/** The page's section with this id (its markup up to the next section). */
function section(html: string, id: string): string {
  const start = html.indexOf(`<section id="${id}">`);
  if (start < 0) return "";
  return html.slice(start, html.indexOf("</section>", start));
}

beforeAll(async () => {
  tmp = tempDir();
  const r = await runCli([
    "analyze",
    SAMPLE,
    CASE_DIR + "campaign.mbox",
    CASE_DIR + "benign.mbox",
    CASE_DIR + "lone.eml",
    "-o",
    tmp.path("out"),
    "--no-progress",
  ]);
  expect(r.code, r.err).toBe(0);
  terminal = r.out;
  page = readFileSync(tmp.path("out/report.html"), "utf8");
  doc = JSON.parse(readFileSync(tmp.path("out/findings.json"), "utf8")) as Doc;
  const store = await CaseStore.open(tmp.path("out/case.duckdb"));
  try {
    const rows = await store.all<{ verdict: string; n: number }>(
      "SELECT verdict, count(*)::INTEGER AS n FROM messages GROUP BY verdict",
    );
    verdicts = new Map(rows.map((x) => [x.verdict, x.n]));
    hostileLinks = (
      await store.all<{ value: string }>(
        `SELECT DISTINCT s.value FROM indicator_sources s JOIN messages m ON m.sha256 = s.message_sha256
          WHERE s.kind = 'url' AND m.verdict IN ('malicious', 'suspicious') ORDER BY 1`,
      )
    ).map((x) => x.value);
  } finally {
    store.close();
  }
}, 180_000);
afterAll(() => tmp.cleanup());

describe("report: reported email", () => {
  it("counts the messages by verdict as the case holds them", () => {
    const s = section(page, "email");
    expect(s).not.toBe("");
    expect([...verdicts.values()].reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    for (const v of ["malicious", "suspicious", "no-signs-found", "unknown"]) {
      const n = verdicts.get(v) ?? 0;
      expect(s, v).toContain(`<b>${n.toLocaleString("en-US")}</b>${v}`);
    }
    const hostile = (verdicts.get("malicious") ?? 0) + (verdicts.get("suspicious") ?? 0);
    expect(hostile).toBeGreaterThan(0);
    expect(s).toContain(`Hostile messages (${hostile})`);
    expect(page).toContain('<a href="#email">Email</a>');
  });

  it("shows every operation the email-infrastructure detector found, with its messages", () => {
    const det = doc.detectors.find((d) => d.id === "email-infrastructure");
    expect(det?.status).toBe("ok");
    const groups = det!.details.groups ?? [];
    expect(groups.length).toBeGreaterThan(0);
    const s = section(page, "email");
    for (const g of groups) {
      const start = s.indexOf(`id="email-${g.id}"`);
      expect(start, g.id).toBeGreaterThan(0);
      const art = s.slice(start, s.indexOf("</article>", start));
      // one row per message in the messages table, each naming its row in the input
      const body = art.slice(art.indexOf("<caption>Messages</caption>"));
      expect((body.match(/<tr>/g) ?? []).length - 1).toBe(Math.min(g.messages.length, 100));
      for (const m of g.messages.slice(0, 100)) expect(body).toContain(`message ${m.source_row}`);
    }
  });

  it("defangs indicators: no live link or dotted domain of a hostile message is left in the section", () => {
    const s = section(page, "email");
    expect(hostileLinks.length).toBeGreaterThan(0);
    expect(s).not.toMatch(/https?:\/\//i);
    expect(s).toContain("hxxp");
    const groups = doc.detectors.find((d) => d.id === "email-infrastructure")!.details.groups ?? [];
    for (const g of groups)
      for (const i of g.indicators)
        if (i.kind !== "attachment" && /\.[a-z]{2,}$/i.test(i.value))
          expect(s, i.value).not.toContain(i.value);
  });

  it("the terminal summary names each operation, defanged", () => {
    const groups = doc.detectors.find((d) => d.id === "email-infrastructure")!.details.groups ?? [];
    expect(terminal).toContain(`${groups.length} email operation`);
    for (const g of groups.slice(0, 5)) {
      expect(terminal).toContain(`${g.id}  `);
      for (const i of g.indicators)
        if (i.kind === "link-domain") expect(terminal).toContain(i.value.replace(/\./g, "[.]"));
    }
    expect(terminal).not.toMatch(/https?:\/\//);
  });

  it("is absent from a case without email", async () => {
    const r = await runCli(["analyze", SAMPLE, "-o", tmp.path("social"), "--no-progress"]);
    expect(r.code, r.err).toBe(0);
    const social = readFileSync(tmp.path("social/report.html"), "utf8");
    expect(section(social, "email")).toBe("");
    expect(social).not.toContain('href="#email"');
  });
});

describe("report: the summary of a case with reported email", () => {
  it("says how many messages were hostile beside the campaigns, and puts the email before the account cards", () => {
    const s = section(page, "summary");
    const hostile = (verdicts.get("malicious") ?? 0) + (verdicts.get("suspicious") ?? 0);
    const total = [...verdicts.values()].reduce((a, b) => a + b, 0);
    expect(s).toContain(`${total.toLocaleString("en-US")} reported messages:`);
    expect(s).toContain(`${(verdicts.get("malicious") ?? 0).toLocaleString("en-US")} malicious`);
    expect(hostile).toBeGreaterThan(0);
    expect(s).toContain('<a href="#email">Reported email</a>');
    expect(page.indexOf('<section id="email">')).toBeLessThan(page.indexOf('<section id="accounts"'));
  });

  it("is headed by its messages, not by '0 campaigns', when the case holds email alone", async () => {
    const r = await runCli([
      "analyze",
      CASE_DIR + "campaign.mbox",
      "-o",
      tmp.path("mail-only"),
      "--no-progress",
    ]);
    expect(r.code, r.err).toBe(0);
    const mailOnly = readFileSync(tmp.path("mail-only/report.html"), "utf8");
    expect(mailOnly).toMatch(/<title>Chorus case report: \d+ reported messages?<\/title>/);
    const s = section(mailOnly, "summary");
    expect(s).toMatch(/\d+ reported messages?:/);
    expect(s).not.toContain("posts analysed");
  });
});

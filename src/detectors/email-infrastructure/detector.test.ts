/**
 * The email-infrastructure detector on ingested email (test/fixtures/email-case): a phishing operation's six
 * messages from six senders, tied by a Reply-To mailbox, a landing domain, sending IPs and an attachment, among
 * ordinary mail that links the same big providers (google.com, an image host) and comes partly from gmail.com.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestFile } from "../../ingest/ingest.js";
import { CaseStore } from "../../store/case.js";
import { runDetectors, type DetectorRun } from "../run.js";
import { isSpecificUrl, linkDomainKey, lookalikeFamilies, messageFeatures, rarity } from "./features.js";
import { messageTies, tieComponents } from "./groups.js";

const DIR = fileURLToPath(new URL("../../../test/fixtures/email-case/", import.meta.url));
const NOW = new Date("2026-11-10T00:00:00Z");
const stores: CaseStore[] = [];

async function caseOf(files: string[]): Promise<CaseStore> {
  const store = await CaseStore.open(":memory:");
  stores.push(store);
  for (const f of files) await ingestFile(store, DIR + f);
  return store;
}

async function detect(store: CaseStore, params: Record<string, unknown> = {}): Promise<DetectorRun> {
  const { runs } = await runDetectors(store, {
    only: ["email-infrastructure"],
    params: { "email-infrastructure": params },
    now: NOW,
  });
  return runs[0]!;
}

interface GroupDetail {
  id: string;
  strength: string;
  reported: boolean;
  senders: string[];
  indicators: Array<{ kind: string; value: string; messages: number }>;
  messages: Array<{ path: string; source_row: number; from: string }>;
}

const groupsOf = (r: DetectorRun): GroupDetail[] => (r.result.details?.["groups"] ?? []) as GroupDetail[];

afterAll(() => {
  for (const s of stores) s.close();
});

describe("a phishing operation among ordinary mail", () => {
  let run: DetectorRun;
  let campaignSenders: string[];
  beforeAll(async () => {
    const store = await caseOf(["campaign.mbox", "benign.mbox", "lone.eml"]);
    run = await detect(store);
    // the operation's messages are those of campaign.mbox and lone.eml (benign.mbox is ordinary mail)
    const rows = await store.all<{ from_address: string }>(
      `SELECT from_address FROM messages m JOIN inputs i ON i.id = m.input_id
        WHERE i.path NOT LIKE '%benign.mbox' ORDER BY 1`,
    );
    campaignSenders = rows.map((r) => r.from_address);
  });

  it("groups exactly the operation's messages, and none of the ordinary ones", () => {
    expect(run.status).toBe("ok");
    const groups = groupsOf(run);
    expect(groups).toHaveLength(1);
    expect(groups[0]!.senders).toEqual(campaignSenders);
    expect(groups[0]!.messages.every((m) => !m.path.endsWith("benign.mbox"))).toBe(true);
    expect(groups[0]!.strength).toBe("strong");
  });

  it("names the rare infrastructure, and never a big provider's domain", () => {
    const ind = groupsOf(run)[0]!.indicators;
    const kinds = new Set(ind.map((x) => `${x.kind} ${x.value}`));
    expect(kinds.has("reply-to civic.recovery.desk@gmail.com")).toBe(true);
    expect(kinds.has("link-domain civicrights-login.example")).toBe(true);
    expect(ind.some((x) => x.kind === "attachment")).toBe(true);
    for (const x of ind) {
      if (x.kind.endsWith("domain")) expect(x.value).not.toMatch(/google|gmail|imgur/);
    }
  });

  it("writes one finding per sender naming the messages' file and row, and context-only sender edges", () => {
    expect(run.result.findings.map((f) => f.subject)).toEqual(campaignSenders.map((s) => `email:${s}`));
    for (const f of run.result.findings) {
      const msgs = f.evidence["messages"] as Array<{ path: string; source_row: number }>;
      expect(msgs.length).toBeGreaterThan(0);
      expect(f.explanation).toContain(`${msgs[0]!.path} message ${msgs[0]!.source_row}`);
    }
    expect(run.result.edges.length).toBeGreaterThan(0);
    for (const e of run.result.edges) {
      expect(e.evidence["significant"]).toBe(false);
      expect(e.a < e.b).toBe(true);
    }
  });

  it("finds nothing when the tie threshold cannot be reached, and says so", async () => {
    const store = await caseOf(["benign.mbox"]);
    const r = await detect(store);
    expect(r.status).toBe("ok");
    expect(r.result.findings).toEqual([]);
    expect(r.message).toMatch(/^no messages share rare infrastructure/);
  });
});

describe("a case made only of the operation", () => {
  it("still ties its messages (the background pseudo-messages keep shared features rare enough)", async () => {
    const store = await caseOf(["campaign.mbox"]);
    const r = await detect(store);
    expect(groupsOf(r)[0]?.messages.length).toBe(5);
    const landing = (g: GroupDetail[]) =>
      g.flatMap((x) => x.indicators).some((x) => x.value === "civicrights-login.example");
    expect(landing(groupsOf(r))).toBe(true);
    // without a background, the landing domain (on every message of this case) weighs nothing
    expect(landing(groupsOf(await detect(store, { background: 0 })))).toBe(false);
  });

  it("lets an analyst silence a domain with `providers`", async () => {
    const store = await caseOf(["campaign.mbox", "benign.mbox"]);
    const before = groupsOf(await detect(store))[0]!;
    const after = groupsOf(await detect(store, { providers: ["civicrights-login.example"] }));
    const values = after.flatMap((g) => g.indicators.map((x) => x.value));
    expect(before.indicators.some((x) => x.value === "civicrights-login.example")).toBe(true);
    expect(values).not.toContain("civicrights-login.example");
  });
});

describe("one organisation's ordinary mail", () => {
  it("is grouped in the details but gets no finding: one sender domain, nothing triaged hostile", async () => {
    const dir = mkdtempSync(join(tmpdir(), "chorus-email-"));
    try {
      const issue = (n: number): string =>
        [
          `Received: from out.weekly-digest.example (out.weekly-digest.example [192.0.2.50])`,
          `\tby mx.ngo.example; Mon, ${n} Nov 2026 09:00:00 +0000`,
          `From: Weekly Digest <issue${n}@weekly-digest.example>`,
          `To: staff@ngo.example`,
          `Subject: Digest ${n}`,
          `Date: Mon, ${n} Nov 2026 09:00:00 +0000`,
          `Message-ID: <d${n}@weekly-digest.example>`,
          `Content-Type: text/plain; charset=utf-8`,
          ``,
          `This week: https://weekly-digest.example/archive/2026`,
          ``,
        ].join("\r\n");
      const path = join(dir, "digest.mbox");
      writeFileSync(
        path,
        [2, 9, 16].map((n) => `From digest Mon Nov ${n} 09:00:00 2026\r\n${issue(n)}`).join("\r\n"),
      );
      const store = await caseOf([]);
      await ingestFile(store, path);
      const r = await detect(store);
      expect(groupsOf(r)).toHaveLength(1);
      expect(groupsOf(r)[0]).toMatchObject({ strength: "weak", reported: false });
      expect(r.result.findings).toEqual([]);
      expect(r.result.edges).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("features and ties", () => {
  const none = new Set<string>();

  it("keeps a customer's site on a hosting platform, drops the platform and big providers", () => {
    expect(linkDomainKey("evil-login.netlify.app", none)).toBe("evil-login.netlify.app");
    expect(linkDomainKey("docs.google.com", none)).toBeNull();
    expect(linkDomainKey("i.imgur.com", none)).toBeNull();
    expect(linkDomainKey("login.bank-secure.example", none)).toBe("bank-secure.example");
    expect(isSpecificUrl("https://x.example/")).toBe(false);
    expect(isSpecificUrl("https://x.example/?id=1")).toBe(true);
  });

  it("leaves out the first hop of a sender at a provider (the provider's own server)", () => {
    const base = { replyTo: null, returnPathDomain: null, urls: [], linkHosts: [], attachments: [] };
    const gmail = messageFeatures({ ...base, fromDomain: "gmail.com", firstHopIp: "209.85.220.41" }, none);
    const own = messageFeatures({ ...base, fromDomain: "ngo.example", firstHopIp: "192.0.2.1" }, none);
    expect(gmail).toEqual([]);
    expect(own.map((f) => f.kind).sort()).toEqual(["first-hop-ip", "sender-domain"]);
  });

  it("puts confusable domains in one family, and not unrelated ones", () => {
    const fam = lookalikeFamilies(["civicrights.example", "civicr\u0456ghts.example", "unrelated.example"]);
    expect(fam.get("civicrights.example")).toBe(fam.get("civicr\u0456ghts.example"));
    expect(fam.has("unrelated.example")).toBe(false);
  });

  it("weighs rare features more than common ones, and chains ties into one group", () => {
    expect(rarity(2, 100, 20)).toBeGreaterThan(rarity(50, 100, 20));
    expect(rarity(100, 100, 0)).toBe(0);
    const f = (value: string) => ({ kind: "reply-to" as const, value, weight: 1 });
    // 0-1 share one mailbox, 1-2 another; 3 shares nothing
    const t = messageTies([[f("a")], [f("a"), f("b")], [f("b")], []], {
      minTie: 0.5,
      background: 20,
      maxPostings: 10,
    });
    expect(t.ties.map((x) => [x.a, x.b])).toEqual([
      [0, 1],
      [1, 2],
    ]);
    expect(tieComponents(4, t.ties, 2)).toEqual([[0, 1, 2]]);
  });
});

/**
 * `email-infrastructure`: messages that share rare infrastructure (a Reply-To address, a landing domain, a
 * sending IP, an attachment, a family of lookalike domains), grouped as one operation would send them. See
 * README.md beside this file.
 */
import { z } from "zod";
import type { Edge, Finding, Strength } from "../../model/index.js";
import { accountKey } from "../../store/account-keys.js";
import { skipped, type Detector, type DetectorResult } from "../detector.js";
import {
  KIND_WEIGHTS,
  KIND_WORDS,
  lookalikeFamilies,
  messageFeatures,
  type Feature,
  type FeatureKind,
} from "./features.js";
import { messageTies, tieComponents, type Tie, type WeightedFeature } from "./groups.js";
import { loadMessages, type MessageRow } from "./load.js";

export const emailInfrastructureParams = z
  .object({
    minTie: z
      .number()
      .gt(0)
      .max(1)
      .default(0.5)
      .describe(
        "least combined weight, 1 - Π(1 - w), of the indicators two messages share for them to be tied (0-1]",
      ),
    background: z
      .number()
      .int()
      .min(0)
      .max(1_000_000)
      .default(20)
      .describe("pseudo-messages that share nothing, added to the case's count when rarity is computed"),
    minMessages: z.number().int().min(2).default(2).describe("fewest messages in a group"),
    maxPostings: z
      .number()
      .int()
      .min(2)
      .default(2000)
      .describe("indicators on more messages than this are too common to tie pairs (counted in warnings)"),
    maxPartners: z
      .number()
      .int()
      .min(1)
      .default(10)
      .describe("most sender edges kept per sender (its strongest); every group is complete in the details"),
    providers: z
      .array(z.string().min(1))
      .default([])
      .describe("more domains that must never bind messages on their own (e.g. your own organisation's)"),
  })
  .strict();

export type EmailInfrastructureParams = z.infer<typeof emailInfrastructureParams>;

export const EMAIL_PLATFORM = "email";
const HOSTILE = new Set(["malicious", "suspicious"]);

const round = (x: number): number => Math.round(x * 1000) / 1000;

/** How a message is named in evidence: the case's key (sha256) and where it came from. */
function messageRef(m: MessageRow): Record<string, unknown> {
  return {
    message_sha256: m.sha256,
    input_id: m.inputId,
    source_row: m.sourceRow,
    path: m.path,
    ts: m.ts,
    from: m.fromAddress,
    email_subject: m.subject,
    verdict: m.verdict,
  };
}

const where = (m: MessageRow): string => `${m.path} message ${m.sourceRow}`;

/** Adds the lookalike-family feature to every message whose domain features belong to a family. */
function addLookalikes(features: Feature[][]): void {
  const domainKinds: ReadonlySet<FeatureKind> = new Set(["sender-domain", "reply-to-domain", "link-domain"]);
  const domains = new Set<string>();
  for (const list of features) for (const f of list) if (domainKinds.has(f.kind)) domains.add(f.value);
  const families = lookalikeFamilies([...domains].sort());
  if (families.size === 0) return;
  for (const list of features) {
    const keys = new Set<string>();
    for (const f of list) {
      const k = domainKinds.has(f.kind) ? families.get(f.value) : undefined;
      if (k !== undefined) keys.add(k);
    }
    for (const k of [...keys].sort())
      list.push({ kind: "lookalike", value: k, weight: KIND_WEIGHTS.lookalike });
  }
}

interface Group {
  id: string;
  members: number[];
  score: number;
  strength: Strength;
  hostile: number;
  /**
   * Whether the group gets findings and edges: it holds a message triaged hostile, or its senders span two or more
   * domains. One domain's mail with no hostile message (a newsletter, colleagues) stays in the details only.
   */
  reported: boolean;
  indicators: Array<{ kind: FeatureKind; value: string; messages: number; weight: number }>;
  senders: string[];
  ties: Tie[];
}

function describeGroup(
  id: string,
  members: number[],
  inner: Tie[],
  features: WeightedFeature[],
  messages: MessageRow[],
): Group {
  const set = new Set(members);
  const best = new Map<number, number>();
  const used = new Set<number>();
  for (const t of inner) {
    best.set(t.a, Math.max(best.get(t.a) ?? 0, t.strength));
    best.set(t.b, Math.max(best.get(t.b) ?? 0, t.strength));
    for (const f of t.shared) used.add(f);
  }
  const hostile = members.filter((i) => HOSTILE.has(messages[i]!.verdict)).length;
  const hostileShare = hostile / members.length;
  const meanBest = members.reduce((s, i) => s + (best.get(i) ?? 0), 0) / members.length;
  const indicators = [...used]
    .map((fi) => {
      const f = features[fi]!;
      return {
        kind: f.kind,
        value: f.value,
        messages: f.messages.filter((i) => set.has(i)).length,
        weight: round(f.weight),
      };
    })
    .sort(
      (x, y) =>
        y.weight * y.messages - x.weight * x.messages || (x.kind + x.value < y.kind + y.value ? -1 : 1),
    );
  const strength: Strength =
    members.length >= 3 && hostileShare >= 0.5 ? "strong" : hostile > 0 ? "moderate" : "weak";
  const senders = [
    ...new Set(members.map((i) => messages[i]!.fromAddress).filter((s): s is string => s !== null)),
  ].sort();
  const domains = new Set(senders.map((a) => a.slice(a.lastIndexOf("@") + 1)));
  return {
    id,
    members,
    reported: hostile > 0 || domains.size >= 2,
    score: round(Math.min(1, meanBest * (0.5 + 0.5 * hostileShare))),
    strength,
    hostile,
    indicators,
    senders,
    ties: inner,
  };
}

function indicatorWords(g: Group, max = 5): string {
  const shown = g.indicators
    .slice(0, max)
    .map((x) => `${KIND_WORDS[x.kind]} ${x.value} (${x.messages} of ${g.members.length} messages)`);
  const more = g.indicators.length > max ? ` and ${g.indicators.length - max} more` : "";
  return shown.join("; ") + more;
}

function senderFinding(g: Group, sender: string, messages: MessageRow[]): Finding {
  const own = g.members.filter((i) => messages[i]!.fromAddress === sender);
  const others = g.senders.length - 1;
  const verdictNote =
    g.hostile > 0
      ? `${g.hostile} of the group's messages were triaged suspicious or malicious.`
      : "None of the group's messages was triaged suspicious or malicious: shared infrastructure alone also " +
        "fits one organisation's ordinary mail (a newsletter, a mailing service).";
  return {
    detector: "email-infrastructure",
    subject: accountKey(EMAIL_PLATFORM, sender),
    strength: g.strength,
    score: g.score,
    explanation:
      `${sender} sent ${own.length} of the ${g.members.length} messages of group ${g.id}` +
      (others > 0 ? `, with ${others} other sender${others === 1 ? "" : "s"}` : "") +
      `; the messages share rare infrastructure: ${indicatorWords(g)}. ${verdictNote} ` +
      `Its messages: ${own
        .slice(0, 5)
        .map((i) => where(messages[i]!))
        .join("; ")}${own.length > 5 ? "; ..." : ""}.`,
    evidence: {
      group: g.id,
      group_size: g.members.length,
      senders_in_group: g.senders.length,
      shared: g.indicators.slice(0, 20),
      messages: own.slice(0, 50).map((i) => messageRef(messages[i]!)),
    },
  };
}

/**
 * Sender ties: the message ties between different senders, merged per pair of senders (the strongest message
 * pair is kept as the example). Context only, never significant: see README (campaigns).
 */
function senderEdges(
  groups: Group[],
  features: WeightedFeature[],
  messages: MessageRow[],
  maxPartners: number,
): Edge[] {
  const byPair = new Map<
    string,
    { a: string; b: string; best: Tie; shared: Set<number>; pairs: number; g: string }
  >();
  for (const g of groups) {
    for (const t of g.ties) {
      const sa = messages[t.a]!.fromAddress;
      const sb = messages[t.b]!.fromAddress;
      if (!sa || !sb || sa === sb) continue;
      const [a, b, ta, tb] = sa < sb ? [sa, sb, t.a, t.b] : [sb, sa, t.b, t.a];
      const key = `${a}\n${b}`;
      const e = byPair.get(key);
      const oriented = { ...t, a: ta, b: tb };
      if (!e) byPair.set(key, { a, b, best: oriented, shared: new Set(t.shared), pairs: 1, g: g.id });
      else {
        e.pairs++;
        for (const f of t.shared) e.shared.add(f);
        if (t.strength > e.best.strength) e.best = oriented;
      }
    }
  }
  // an operation of n senders would draw n²/2 edges: each sender keeps its strongest `maxPartners`
  const partners = new Map<string, Array<{ key: string; strength: number }>>();
  for (const [key, e] of byPair) {
    for (const s of [e.a, e.b]) {
      const list = partners.get(s);
      if (list) list.push({ key, strength: e.best.strength });
      else partners.set(s, [{ key, strength: e.best.strength }]);
    }
  }
  const kept = new Set<string>();
  for (const list of partners.values()) {
    list
      .sort((x, y) => y.strength - x.strength || (x.key < y.key ? -1 : x.key > y.key ? 1 : 0))
      .slice(0, maxPartners)
      .forEach((x) => kept.add(x.key));
  }
  return [...byPair.entries()]
    .filter(([key]) => kept.has(key))
    .map(([, e]) => e)
    .sort((x, y) => (x.a < y.a ? -1 : x.a > y.a ? 1 : x.b < y.b ? -1 : x.b > y.b ? 1 : 0))
    .map((e) => ({
      layer: "email-infrastructure",
      a: accountKey(EMAIL_PLATFORM, e.a),
      b: accountKey(EMAIL_PLATFORM, e.b),
      weight: round(e.best.strength),
      nObjects: e.shared.size,
      lift: null,
      pValue: null,
      evidence: {
        significant: false,
        tier: "context",
        group: e.g,
        message_pairs: e.pairs,
        shared: [...e.shared]
          .sort((x, y) => x - y)
          .slice(0, 20)
          .map((fi) => ({
            kind: features[fi]!.kind,
            value: features[fi]!.value,
            weight: round(features[fi]!.weight),
          })),
        messages: [messageRef(messages[e.best.a]!), messageRef(messages[e.best.b]!)],
      },
    }));
}

export const emailInfrastructureDetector: Detector<EmailInfrastructureParams> = {
  id: "email-infrastructure",
  version: "1",
  summary:
    "messages that share rare infrastructure (Reply-To, landing domains and URLs, sending IPs, attachments, lookalike domains)",
  params: emailInfrastructureParams,
  needs: ["messages"],
  async run(ctx): Promise<DetectorResult> {
    const { store, params } = ctx;
    const messages = await loadMessages(store);
    if (messages.length === 0) {
      return skipped(
        "no messages in the case (ingest .eml, mbox or .msg files to compare their infrastructure)",
      );
    }
    const extra = new Set(params.providers.map((p) => p.trim().toLowerCase()));
    const features = messages.map((m) => messageFeatures(m.indicators, extra));
    addLookalikes(features);
    const tied = messageTies(features, params);
    const counts: Record<string, number> = {
      messages: messages.length,
      shared_indicators: tied.features.length,
      message_ties: tied.ties.length,
    };
    const warnings =
      tied.skipped.length > 0
        ? [
            `${tied.skipped.length} indicators on more than ${params.maxPostings} messages each were too common to tie ` +
              `messages (e.g. ${tied.skipped[0]!.kind} ${tied.skipped[0]!.value})`,
          ]
        : [];
    const components = tieComponents(messages.length, tied.ties, params.minMessages);
    counts["groups"] = components.length;
    if (components.length === 0) {
      return {
        status: "ok",
        message: `no messages share rare infrastructure among the ${messages.length} messages of the case`,
        counts,
        findings: [],
        edges: [],
        warnings,
      };
    }
    // every tie lies inside one component: bucket them once (filtering all ties per group is quadratic)
    const groupOf = new Int32Array(messages.length).fill(-1);
    components.forEach((members, gi) => members.forEach((i) => (groupOf[i] = gi)));
    const tiesOf: Tie[][] = components.map(() => []);
    for (const t of tied.ties) if (groupOf[t.a]! >= 0) tiesOf[groupOf[t.a]!]!.push(t);
    const groups = components.map((members, gi) =>
      describeGroup(`E${gi + 1}`, members, tiesOf[gi]!, tied.features, messages),
    );
    const reported = groups.filter((g) => g.reported);
    const findings = reported
      .flatMap((g) => g.senders.map((s) => senderFinding(g, s, messages)))
      .sort((x, y) => (x.subject < y.subject ? -1 : x.subject > y.subject ? 1 : 0));
    const edges = senderEdges(reported, tied.features, messages, params.maxPartners);
    counts["grouped_messages"] = groups.reduce((n, g) => n + g.members.length, 0);
    counts["reported_groups"] = reported.length;
    counts["edges"] = edges.length;
    const quiet = groups.length - reported.length;
    return {
      status: "ok",
      message:
        `${counts["grouped_messages"]} of ${messages.length} messages in ${groups.length} group` +
        `${groups.length === 1 ? "" : "s"} sharing rare infrastructure (${groups.filter((g) => g.hostile > 0).length} ` +
        `with messages triaged suspicious or malicious` +
        (quiet > 0 ? `; ${quiet} of one sender domain and no hostile message, in the details only)` : ")"),
      counts,
      findings,
      edges,
      warnings,
      details: {
        groups: groups.map((g) => {
          const ts = g.members.map((i) => messages[i]!.ts).filter((t): t is string => t !== null);
          return {
            id: g.id,
            score: g.score,
            strength: g.strength,
            size: g.members.length,
            hostile: g.hostile,
            reported: g.reported,
            first_seen: ts.length ? ts.reduce((a, b) => (a < b ? a : b)) : null,
            last_seen: ts.length ? ts.reduce((a, b) => (a > b ? a : b)) : null,
            senders: g.senders,
            indicators: g.indicators,
            summary:
              `${g.members.length} messages from ${g.senders.length} sender${g.senders.length === 1 ? "" : "s"} ` +
              `share rare infrastructure: ${indicatorWords(g, 3)}.`,
            messages: g.members.map((i) => messageRef(messages[i]!)),
          };
        }),
      },
    };
  },
};

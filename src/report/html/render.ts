/**
 * The case report: one HTML file that opens offline in any browser. Scripts, styles and data are inlined; a
 * content-security policy allows only the report's own script and style (by hash) and no network at all, so even
 * a mistake in escaping could not run a hostile post's script or call home.
 */
import { createHash } from "node:crypto";
import { basename } from "node:path";
import type { ZodType } from "zod";
import { DEFAULT_CAMPAIGN_OPTIONS, isRuledOutGroup } from "../../campaign/index.js";
import { DETECTORS } from "../../detectors/registry.js";
import { campaignSection, confidenceWord, fmtInt, pct } from "./campaigns.js";
import { coortweetCompat } from "../findings.js";
import type { RejectReason, ReportData } from "./data.js";
import {
  anchorId,
  html,
  jsonForScript,
  markHidden,
  raw,
  sentence,
  text,
  userBlock,
  type SafeHtml,
} from "./escape.js";
import { campaignColour, layoutGraph, type DrawnGraph } from "./layout.js";
import { REPORT_CSS } from "./style.js";
import { emailSection } from "./email.js";
import {
  isEmailAccount,
  shownDetails,
  shownDetectorText,
  shownExplanation,
  shownHandle,
  shownKey,
  shownName,
} from "./indicators.js";

/** Bidi controls and zero-width characters: dropped from the text the filter searches. */
/** What the account filter's text leaves out: invisible characters and controls (NUL is no HTML attribute's). */
const INVISIBLE = /[\u0000-\u001F\u007F-\u009F\u061C\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/g;

const sha256 = (s: string): string => createHash("sha256").update(s, "utf8").digest("base64");

export interface RenderOptions {
  /** The report's browser script (the bundle built with the package). */
  script: string;
  /** The case file's path, for the reproduction command. */
  casePath?: string;
}

function strengthBadge(s: string): SafeHtml {
  return html`<span class="strength ${s}">${s}</span>`;
}

function summarySection(data: ReportData): SafeHtml {
  const { doc, totals } = data;
  const inCampaigns = new Set(
    doc.campaigns.flatMap((c) =>
      (c["accounts"] as Array<{ platform: string; id: string }>).map((a) => a.platform + ":" + a.id),
    ),
  ).size;
  const co = doc.detectors.find((d) => d.id === "co-share");
  const hypotheses = Number(co?.details["hypotheses"] ?? 0);
  const significant = Number(co?.counts["edges_significant"] ?? 0);
  const alpha = Number(co?.details["alpha"] ?? 0.01);
  const windowSec = co?.details["window_seconds"];
  const compat = coortweetCompat(data.doc);
  const share = html`${fmtInt(inCampaigns)} of ${fmtInt(totals.accounts)} accounts
    (${pct(inCampaigns / Math.max(1, totals.accounts))})`;
  const network = html`co-share's ties are CooRTweet's network,
    ${fmtInt(Number(co?.counts["edges_above_threshold"] ?? 0))} edges above the weight quantile: raw co-share
    counts, no chance model`;
  const ruledGroups = (doc.ruled_out ?? []).filter(isRuledOutGroup).length;
  const headline =
    doc.campaigns.length === 0
      ? compat
        ? html`No campaign: no group passed the group tests (${network}).`
        : ruledGroups > 0
          ? html`No campaign: ${ruledGroups === 1 ? "the group" : `the ${fmtInt(ruledGroups)} groups`} of accounts
              tied beyond chance looked organic or open, and ${ruledGroups === 1 ? "was" : "were"} ruled out
              (<a href="#ruled-out">the groups ruled out</a>, with the reason).`
          : html`No campaign: no group of accounts acted together beyond chance in this data.`
      : compat
        ? html`${fmtInt(doc.campaigns.length)} campaign${doc.campaigns.length === 1 ? "" : "s"} found:
            ${share}; ${network}.`
        : html`${fmtInt(doc.campaigns.length)} campaign${doc.campaigns.length === 1 ? "" : "s"} found:
            ${share} acted together far beyond what chance explains.`;
  // reported email: said first when the case holds nothing else, beside the campaigns when it holds posts too
  const mail = data.email;
  const hostile =
    mail === null ? 0 : (mail.byVerdict["malicious"] ?? 0) + (mail.byVerdict["suspicious"] ?? 0);
  const mailLine =
    mail === null || mail.total === 0
      ? null
      : html`${fmtInt(mail.total)} reported message${mail.total === 1 ? "" : "s"}:
          ${fmtInt(mail.byVerdict["malicious"] ?? 0)} malicious, ${fmtInt(mail.byVerdict["suspicious"] ?? 0)}
          suspicious${
            mail.groups.length > 0
              ? html`, ${fmtInt(mail.groups.length)} group${mail.groups.length === 1 ? "" : "s"} of messages
                  sharing their infrastructure`
              : ""
          } (<a href="#email">Reported email</a>).`;
  const onlyMail = mailLine !== null && totals.posts === 0;
  const ruled = doc.ruled_out.filter(isRuledOutGroup);
  const beyondTies = html`A campaign is more than ties: its members must also act in the same bursts, again and
    again, on objects that are largely theirs, and be tied densely rather than around one account.`;
  return html`<section id="summary">
    <h2>Executive summary</h2>
    ${
      onlyMail
        ? html`<p><strong>${mailLine}</strong></p>
            <div class="figures">
              <div class="figure"><b>${fmtInt(mail!.total)}</b>messages</div>
              <div class="figure"><b>${fmtInt(hostile)}</b>malicious or suspicious</div>
              <div class="figure"><b>${fmtInt(mail!.groups.length)}</b>groups sharing infrastructure</div>
            </div>`
        : html`<p><strong>${headline}</strong></p>
            ${mailLine === null ? "" : html`<p><strong>${mailLine}</strong></p>`}
            <div class="figures">
              <div class="figure"><b>${fmtInt(totals.posts)}</b>posts analysed</div>
              <div class="figure"><b>${fmtInt(totals.accounts)}</b>accounts</div>
              <div class="figure"><b>${(totals.first_post ?? "").slice(0, 10)}</b>first post</div>
              <div class="figure"><b>${(totals.last_post ?? "").slice(0, 10)}</b>last post</div>
              <div class="figure"><b>${fmtInt(doc.campaigns.length)}</b>campaigns</div>
              <div class="figure"><b>${fmtInt(ruled.length)}</b>organic-looking groups ruled out</div>
            </div>`
    }
    ${
      doc.campaigns.length > 0
        ? html`<table class="campaign-list">
            <thead>
              <tr>
                <th>campaign</th>
                <th class="num">confidence</th>
                <th class="num">accounts</th>
                <th>layers</th>
                <th>active</th>
              </tr>
            </thead>
            <tbody>
              ${doc.campaigns.map(
                (c) =>
                  html`<tr>
                    <td><a href="#${anchorId("campaign", String(c["id"]))}">${String(c["id"])}</a></td>
                    <td class="num">
                      ${Number(c["score"]).toFixed(2)} (${confidenceWord(Number(c["score"]))})
                    </td>
                    <td class="num">${fmtInt((c["accounts"] as unknown[]).length)}</td>
                    <td>${((c["layers"] as string[]) ?? []).join(", ")}</td>
                    <td>
                      ${String(c["first_seen"] ?? "").slice(0, 10)} –
                      ${String(c["last_seen"] ?? "").slice(0, 10)}
                    </td>
                  </tr>`,
              )}
            </tbody>
          </table>`
        : ""
    }
    <h3>How unusual is this?</h3>
    <p>
      ${
        co && co.status === "ok" && compat
          ? html`Co-share ran in CooRTweet 2.1.3's compatibility mode: it counted
            ${fmtInt(Number(co.counts["coshares"] ?? 0))} co-shares
            ${windowSec !== undefined ? html`within ${String(windowSec)} seconds` : ""}, giving
            ${fmtInt(Number(co.counts["edges"] ?? 0))} edges, of which
            ${fmtInt(Number(co.counts["edges_above_threshold"] ?? 0))} are above the weight quantile. No pair was
            tested against chance: these ties say how often accounts met, not how unusual that is.
            ${beyondTies}`
          : co && co.status === "ok"
            ? html`The co-share test compared ${fmtInt(hypotheses)} ties (a pair of accounts that met on the
            same kind of object ${windowSec !== undefined ? html`within ${String(windowSec)} seconds` : ""}: links,
            hashtags, reposts, ...; a pair that met on two kinds is two ties) with what their activity and the
            objects' popularity would produce by chance; ${fmtInt(significant)} ties beat chance at a
            false-discovery rate of ${String(alpha)}, so chance is expected to account for
            ${expectedByChance(significant, alpha)} of them. ${beyondTies}`
            : html`The co-share test did not run (${co ? sentence(co.message) : "not selected"}).`
      }
    </p>
    <h3>What this does and does not show</h3>
    <ul>
      <li>
        It shows <strong>coordination</strong>: accounts acting together more often and more closely in time
        than ${compat ? "most pairs of accounts in the data do" : "chance explains"}. It does not show who runs them, why, or that they are fake; that needs other
        evidence.
      </li>
      <li>
        Organic groups coordinate too: fans who repost their idol within minutes, news outlets and their
        syndication bots, crowds around a viral moment or a trending hashtag, friends answering one another in
        their threads, colleagues who post in office hours. Chorus tests for these patterns and lists the groups it ruled out below; it can still be wrong,
        so read the example post pairs.
      </li>
      <li>
        Absence of a finding is not proof of absence: a unit that never shares the same objects within the
        window, or data that misses most of its posts, will not show.
      </li>
    </ul>
    ${
      ruled.length > 0
        ? html`<h3 id="ruled-out">Groups ruled out as organic</h3>
            <table>
              <thead>
                <tr>
                  <th class="num">accounts</th>
                  <th>why</th>
                  <th>layers</th>
                  <th>for example</th>
                </tr>
              </thead>
              <tbody>
                ${ruled.map(
                  (r) =>
                    html`<tr>
                      <td class="num">${fmtInt(r.accounts)}</td>
                      <td>${sentence(r.reason, 1000)}</td>
                      <td>${r.layers.join(", ")}</td>
                      <td>
                        ${r.sample.map(
                          // a member without a handle is named by its key (platform:id), with no @
                          (h, i) =>
                            html`${i > 0 ? ", " : ""}${h.includes(":") ? "" : "@"}${text(h.includes(":") ? shownKey(h) : h, 100)}`,
                        )}
                      </td>
                    </tr>`,
                )}
              </tbody>
            </table>`
        : ""
    }
    <h3>Detectors</h3>
    <ul>
      ${doc.detectors.map(
        (d) =>
          html`<li>
            <strong>${d.id}</strong> <span class="status-${d.status}">${d.status}</span>:
            ${sentence(shownDetectorText(d.id, d.message), 1000)}
            ${
              d.warnings.length > 0
                ? html`<ul>
                    ${d.warnings.map((w) => html`<li>warning: ${sentence(shownDetectorText(d.id, w), 1000)}</li>`)}
                  </ul>`
                : ""
            }
          </li>`,
      )}
    </ul>
  </section>`;
}

function accountCards(data: ReportData): SafeHtml {
  const byKey = new Map(data.doc.accounts.map((a) => [`${a.platform}:${a.id}`, a]));
  const shown = data.cards.map((key) => {
    const a = byKey.get(key)!;
    const p = data.profiles.get(key);
    const num = (n: number | null | undefined): string => (n === null || n === undefined ? "–" : fmtInt(n));
    const source =
      p?.input_id !== null && p?.input_id !== undefined
        ? html`${text(data.totals.inputPaths.get(p.input_id) ?? `input ${p.input_id}`, 300)} row
          ${p.source_row}`
        : html`<span class="none">no profile row (seen in posts only)</span>`;
    // a sender of reported email is named by its address, shown defanged: the filter finds it either way
    const names = [a.handle ?? "", p?.display_name ?? "", key];
    const defanged = isEmailAccount(key)
      ? [shownHandle(key, a.handle ?? ""), shownName(key, p?.display_name ?? ""), shownKey(key)]
      : [];
    const search = [...names, ...defanged].join(" ").replace(INVISIBLE, "").slice(0, 1000);
    const name = p?.display_name ? shownName(key, p.display_name) : p?.display_name;
    return html`<article class="card" id="${anchorId("acct", key)}" data-search="${search}">
      <h3>
        ${a.handle ? html`@${text(shownHandle(key, a.handle), 200)}` : html`<span class="mono">${text(shownKey(key), 200)}</span>`}
        <span class="muted">score ${a.score.toFixed(2)}</span>
      </h3>
      <dl>
        <dt>name</dt>
        <dd>${text(name, 300)}</dd>
        <dt>account</dt>
        <dd class="mono">${text(shownKey(key), 300)}</dd>
        <dt>created</dt>
        <dd>${p?.created_at ?? html`<span class="none">unknown</span>`}</dd>
        <dt>followers</dt>
        <dd>${num(p?.followers)} (following ${num(p?.following)})</dd>
        <dt>posts here</dt>
        <dd>${num(p?.posts)}${p?.first_post ? html` (${p.first_post} – ${p.last_post ?? ""})` : ""}</dd>
        <dt>location</dt>
        <dd>${text(p?.location, 200)}</dd>
        <dt>bio</dt>
        ${userBlock("dd", p?.bio, 1000)}
        <dt>campaigns</dt>
        <dd>
          ${
            a.campaigns.length > 0
              ? a.campaigns.map(
                  (c, i) => html`${i > 0 ? ", " : ""}<a href="#${anchorId("campaign", c)}">${c}</a>`,
                )
              : html`<span class="none">none</span>`
          }
        </dd>
        <dt>source</dt>
        <dd>${source}</dd>
      </dl>
      ${
        a.findings.length > 0
          ? html`<ul>
              ${a.findings.map(
                (f) =>
                  html`<li>
                    ${strengthBadge(f.strength)} <strong>${f.detector}</strong>:
                    ${sentence(shownExplanation(f.explanation), 2000)}
                  </li>`,
              )}
            </ul>`
          : ""
      }
    </article>`;
  });
  const total = data.doc.accounts.length;
  const capNote =
    total > data.cards.length
      ? html`<p class="note">
          Showing cards for the ${fmtInt(data.cards.length)} highest-scoring of ${fmtInt(total)} accounts with
          findings; all of them are in findings.json.
        </p>`
      : "";
  return html`<section id="accounts">
    <h2>Accounts</h2>
    <p>
      Every account that is in a campaign or has a finding, highest score first. The score combines the
      campaign's confidence with the account's place in it, or half its strongest finding.
    </p>
    ${capNote}
    <p>
      <label
        >Filter by handle, name or id:
        <input type="search" class="filter" data-filter="account-cards" dir="auto"
      /></label>
    </p>
    <div class="cards" id="account-cards" data-paginate="30">${shown}</div>
  </section>`;
}

function methodologySection(data: ReportData): SafeHtml {
  const params = data.doc.params as {
    seed?: number;
    detectors?: Record<string, unknown>;
    campaigns?: unknown;
  };
  return html`<section id="methodology">
    <h2>Methodology</h2>
    <p>
      Chorus ingests the inputs into one case file, normalises text and links (Unicode, Persian and Arabic
      letters and digits, tracking parameters, shorteners), and runs each detector with the parameters below.
      The co-share detector counts, for every pair of accounts, the distinct objects (links, domains,
      hashtags, mentions, reposts, replies, near-identical texts) both shared within the time window, and
      compares that count with the number a null model expects from each account's activity and each object's
      popularity and timing (a bipartite configuration model with per-object timing and a Poisson test, with
      Benjamini-Hochberg control of false discoveries in each layer); a repost counts once, as a share of the
      post it reposts. Significant ties form one multiplex account graph; seeded Louvain clustering splits it
      into groups, each split again on its own ties where it has community structure, and group tests (shared bursts, exclusivity of the
      shared objects, one-way amplification of idols with larger audiences unless the group acts as a bloc,
      a loose following that reposts a few at a time over minutes, friends in conversation (replies and
      mentions mostly to their own circle), syndication feeds, apps posting for their
      users and automated relays of feeds, crowds' bursts, density) separate campaigns from
      organic and open coordination; groups each too small a part of their objects' shares that together made
      most of them (a unit that posts over minutes, cut by the clustering) are tested again as one. Accounts in
      no campaign that joined a campaign's bursts on two or more separate occasions, on objects its members made
      at least half the shares of, are listed as its fringe, with those posts. Every random choice is seeded (seed ${String(params.seed ?? "")}).
    </p>
    ${data.doc.detectors.map(
      (d) =>
        html`<h3>${d.id} <span class="muted">version ${d.version}</span></h3>
          <p><span class="status-${d.status}">${d.status}</span>: ${sentence(shownDetectorText(d.id, d.message), 1000)}</p>
          <details>
            <summary>Parameters and details</summary>
            <pre>${raw(markHidden(JSON.stringify({ params: params.detectors?.[d.id] ?? {}, details: shownDetails(d.id, d.details), counts: d.counts }, null, 2)))}</pre>
          </details>`,
    )}
    <h3>Campaign rules</h3>
    <pre>${raw(markHidden(JSON.stringify(params.campaigns ?? {}, null, 2)))}</pre>
  </section>`;
}

/**
 * Where a reason's first rejected rows are: "lines 2, 3, 4, …", named by file ("posts.csv lines 2, 3") when the
 * case has more than one input.
 */
function rejectLines(r: RejectReason, inputPaths: ReadonlyMap<number, string>): string {
  const more = r.n > r.first.length ? ", …" : "";
  const name = (id: number): string => basename(inputPaths.get(id) ?? `input ${id}`);
  const inputs = [...new Set(r.first.map((f) => f.input))];
  if (inputs.length === 1) {
    const lines = `line${r.first.length === 1 ? "" : "s"} ${r.first.map((f) => String(f.line)).join(", ")}`;
    return `${inputPaths.size > 1 ? `${name(inputs[0]!)} ` : ""}${lines}${more}`;
  }
  return r.first.map((f) => `${name(f.input)} line ${f.line}`).join(", ") + more;
}

/** What the findings record of a run's parameters (report/pipeline.ts). */
interface RunParams {
  seed?: number;
  detectors?: Record<string, Record<string, unknown>>;
  campaigns?: Record<string, unknown>;
}

/** A word as a POSIX shell reads it back: bare when it is plainly safe, else in single quotes. */
function shellWord(s: string): string {
  return /^[A-Za-z0-9_.,:/=@%+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** A parameter's value as `--param detector.key=value` reads it back (JSON, or a bare string that is not JSON). */
function paramValue(v: unknown): string {
  if (typeof v !== "string") return JSON.stringify(v);
  try {
    JSON.parse(v);
    return JSON.stringify(v); // "60", "true": a bare string would be read back as a number or a boolean
  } catch {
    return v;
  }
}

const sameValue = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * The `chorus detect` arguments that run the same analysis again on the case: the seed, and every parameter that
 * differs from its detector's default (the registry's schemas give the defaults), as the flag that reads it back
 * exactly. `unset` lists what no flag can set (campaign rules other than --min-members).
 */
export function reproduceArgs(params: RunParams): { args: string[]; unset: string[] } {
  const args = ["--seed", String(params.seed ?? 1)];
  const unset: string[] = [];
  for (const d of DETECTORS) {
    const given = params.detectors?.[d.id];
    if (!given) continue;
    const parsed = (d.params as unknown as ZodType<Record<string, unknown>>).safeParse({});
    const defaults = parsed.success ? parsed.data : {};
    for (const [key, value] of Object.entries(given)) {
      if (sameValue(value, defaults[key])) continue;
      if (d.id === "impersonation" && key === "protected" && typeof given["protectFile"] === "string")
        continue;
      if (d.id === "impersonation" && key === "protectFile" && typeof value === "string") {
        args.push("--protect", value);
      } else if (d.id === "co-share" && key === "window" && /^(\d+(\.\d+)?|auto)$/.test(String(value))) {
        // a number of seconds: --param co-share.window=30s would not read back
        args.push("--window", String(value));
      } else if (d.id === "co-share" && key === "layers" && Array.isArray(value)) {
        args.push("--layers", value.join(","));
      } else if (/^[A-Za-z]+$/.test(key)) {
        args.push("--param", `${d.id}.${key}=${paramValue(value)}`);
      } else unset.push(`${d.id}.${key} = ${JSON.stringify(value)}`);
    }
  }
  for (const [key, value] of Object.entries(params.campaigns ?? {})) {
    const option = key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
    const fallback = (DEFAULT_CAMPAIGN_OPTIONS as Record<string, unknown>)[option];
    if (sameValue(value, fallback)) continue;
    if (key === "min_members") args.push("--min-members", String(value));
    else unset.push(`campaign rule ${key} = ${JSON.stringify(value)}`);
  }
  return { args, unset };
}

/** The command that reproduces the run, to copy into a shell. */
function reproduceSection(params: RunParams, casePath: string | undefined): SafeHtml {
  const { args, unset } = reproduceArgs(params);
  const command = ["chorus", "detect", "--case", casePath ? shellWord(casePath) : "CASE"]
    .concat(args.map(shellWord), ["-o", "DIR"])
    .join(" ");
  return html`<p>
    To reproduce (DIR: a new folder for its findings.json and report.html):
    <code>${text(command, 20_000)}</code>${
      unset.length > 0 ? html`, with what no flag sets (set through the API): ${unset.join("; ")}` : ""
    }
  </p>`;
}

function provenanceSection(data: ReportData, casePath: string | undefined): SafeHtml {
  const { doc, totals, run } = data;
  return html`<section id="provenance">
    <h2>Provenance</h2>
    <p>
      Chorus ${doc.tool.version}; analysis run ${run.id}, started ${run.started_at} (status ${run.status}).
      ${casePath ? html`Case file: <span class="mono">${text(casePath, 500)}</span>.` : ""}
    </p>
    <table>
      <thead>
        <tr>
          <th>input file</th>
          <th>format</th>
          <th class="num">rows</th>
          <th class="num">rejected</th>
          <th>sha256</th>
        </tr>
      </thead>
      <tbody>
        ${doc.inputs.map(
          (i) =>
            html`<tr>
              <td>${text(i.path, 500)}</td>
              <td>${i.format}</td>
              <td class="num">${fmtInt(i.rows)}</td>
              <td class="num">${fmtInt(i.rejected)}</td>
              <td class="mono">${i.sha256}</td>
            </tr>`,
        )}
      </tbody>
    </table>
    <p>
      ${fmtInt(totals.posts)} posts by ${fmtInt(totals.accounts)} accounts; objects:
      ${totals.objects.map((o, i) => html`${i > 0 ? ", " : ""}${fmtInt(o.n)} ${o.kind}`)}.
    </p>
    ${
      totals.rejected > 0
        ? html`<h3>Rejected rows (${fmtInt(totals.rejected)})</h3>
            <p>
              Rows that could not be read are kept in the case (table <code>rejects</code>) with their line
              and reason; reasons that differ only in the value they quote are counted together.
            </p>
            <table>
              <thead>
                <tr>
                  <th>reason</th>
                  <th class="num">rows</th>
                  <th>first lines</th>
                </tr>
              </thead>
              <tbody>
                ${totals.rejects.map(
                  (r) =>
                    html`<tr>
                      <td>${text(r.reason, 500)}</td>
                      <td class="num">${fmtInt(r.n)}</td>
                      <td>${text(rejectLines(r, totals.inputPaths), 1000)}</td>
                    </tr>`,
                )}
              </tbody>
            </table>`
        : html`<p>No input row was rejected.</p>`
    }
    ${reproduceSection(doc.params, casePath)}
  </section>`;
}

/**
 * How many of `significant` discoveries a false-discovery rate of `alpha` lets be false, in words: "at most
 * about 11", "fewer than one" (not the 1 that rounding up would claim of two ties).
 */
export function expectedByChance(significant: number, alpha: number): string {
  const e = significant * alpha;
  return e < 1 ? "fewer than one" : `at most about ${fmtInt(Math.round(e))}`;
}

/** Positions and colours for every campaign graph, as the browser script reads them. */
export function drawnGraphs(data: ReportData): DrawnGraph[] {
  const each = data.campaigns.map((c, i) =>
    layoutGraph(c.id, c.nodes, c.edges, (n) => (n.role === "core" ? campaignColour(i) : "#9aa3ad")),
  );
  if (data.campaigns.length < 2) return each;
  // every campaign in one picture, each in its colour (capped like one campaign's graph)
  const colour = new Map(data.campaigns.map((c, i) => [c.id, campaignColour(i)]));
  const nodes = data.campaigns.flatMap((c) => c.nodes).slice(0, data.limits.graphNodes);
  const shown = new Set(nodes.map((n) => n.key));
  const edges = data.campaigns
    .flatMap((c) => c.edges)
    .filter((e) => shown.has(e.a) && shown.has(e.b))
    .slice(0, data.limits.graphEdges);
  return [...each, layoutGraph(ALL_CAMPAIGNS, nodes, edges, (n) => colour.get(n.campaign) ?? "#9aa3ad")];
}

const ALL_CAMPAIGNS = "all-campaigns";

function overview(data: ReportData): SafeHtml {
  if (data.campaigns.length < 2) return html``;
  const total = data.campaigns.reduce((n, c) => n + c.totalNodes, 0);
  const drawn = Math.min(total, data.limits.graphNodes);
  return html`<h3>All campaigns</h3>
    <div class="graph" data-graph="${ALL_CAMPAIGNS}" role="img"
      aria-label="Graph of the accounts of every campaign, each campaign in its own colour; the campaign sections below list the same accounts"></div>
    <p class="graph-caption">${data.campaigns.map(
      (
        c,
        i,
      ) => html`<svg width="12" height="12" aria-hidden="true"><circle cx="6" cy="6" r="5" fill="${campaignColour(i)}" /></svg>
        <a href="#${anchorId("campaign", c.id)}">${c.id}</a> `,
    )} · each dot an account, each line a tie inside a campaign${
      drawn < total ? html`; showing ${fmtInt(drawn)} of ${fmtInt(total)} accounts` : ""
    }.</p>`;
}

export function renderReport(data: ReportData, opts: RenderOptions): string {
  const cards = new Set(data.cards);
  const graphs = jsonForScript(drawnGraphs(data));
  const script = opts.script;
  const csp = [
    "default-src 'none'",
    `script-src 'sha256-${sha256(script)}'`,
    `style-src 'sha256-${sha256(REPORT_CSS)}'`,
    "img-src data: blob:",
    "base-uri 'none'",
    "form-action 'none'",
  ].join("; ");
  const messages = data.email?.total ?? 0;
  // a case of reported email alone is named by its messages, not by "0 campaigns"
  const title =
    data.totals.posts === 0 && messages > 0
      ? `Chorus case report: ${messages} reported message${messages === 1 ? "" : "s"}`
      : `Chorus case report: ${data.doc.campaigns.length} campaign${data.doc.campaigns.length === 1 ? "" : "s"}`;
  const campaignsHtml = data.doc.campaigns.map((c, i) => campaignSection(c, data.campaigns[i]!, data, cards));
  // the style and script blocks must hold exactly the hashed text: no whitespace around them
  const body = html`<!doctype html>
<html lang="en" dir="ltr">
<head>
<meta charset="utf-8" />
<meta http-equiv="Content-Security-Policy" content="${csp}" />
<meta name="viewport" content="width=device-width, initial-scale=1" />
<meta name="referrer" content="no-referrer" />
<meta name="generator" content="chorus ${data.doc.tool.version}" />
<title>${title}</title>
<style>${raw(REPORT_CSS)}</style>
</head>
<body>
<header class="top">
  <h1>${title}</h1>
  <p class="muted">Findings are evidence of coordination, not verdicts. Links in this report are never clickable:
    copy them into a safe environment to visit them.</p>
  <nav class="toc" aria-label="Sections">
    <a href="#summary">Summary</a><a href="#campaigns">Campaigns</a>
    ${data.email ? html`<a href="#email">Email</a>` : ""}<a href="#accounts">Accounts</a><a href="#methodology">Methodology</a><a href="#provenance">Provenance</a>
  </nav>
</header>
<main>
${summarySection(data)}
<section id="campaigns">
  <h2>Campaigns</h2>
  ${data.doc.campaigns.length === 0 ? html`<p>No campaign was found.</p>` : html`${overview(data)}${campaignsHtml}`}
</section>
${emailSection(data.email, data.totals.inputPaths)}
${accountCards(data)}
${methodologySection(data)}
${provenanceSection(data, opts.casePath)}
</main>
<script type="application/json" id="chorus-graphs">${raw(graphs)}</script>
<script>${raw(script)}</script>
</body>
</html>
`;
  return body.value;
}

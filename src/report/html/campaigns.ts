/** The campaign sections of the report: facts, graph, charts, shared objects, and the post pairs behind each tie. */
import { hourOfWeekChart, timelineChart } from "./charts.js";
import type { CampaignView, EvidenceRow, PostRef, ReportData } from "./data.js";
import { anchorId, html, sentence, text, userBlock, type SafeHtml } from "./escape.js";
import { shownHandle, shownKey } from "./indicators.js";
import type { FringeJoin } from "../../campaign/fringe.js";
import { coortweetCompat } from "../findings.js";

type CampaignDoc = ReportData["doc"]["campaigns"][number];

export function fmtInt(n: number): string {
  return Math.round(n).toLocaleString("en-US");
}

export function pct(x: number): string {
  return `${Math.round(x * 100)}%`;
}

export function fmtP(p: number | null): string {
  if (p === null || !Number.isFinite(p)) return "–";
  if (p === 0) return "< 1e-300";
  return p < 0.001 ? p.toExponential(1) : p.toFixed(3);
}

export function confidenceWord(score: number): string {
  return score >= 0.8 ? "high" : score >= 0.5 ? "moderate" : "low";
}

/** A link to an account's card (when it has one) showing its handle, isolated for right-to-left names. */
export function accountLink(key: string, handle: string | null, cards: ReadonlySet<string>): SafeHtml {
  // a handle may be a long run without a space: it wraps anywhere rather than widen its table
  const label = handle
    ? html`<span class="handle">@${text(shownHandle(key, handle), 200)}</span>`
    : html`<span class="mono">${text(shownKey(key), 200)}</span>`;
  return cards.has(key) ? html`<a href="#${anchorId("acct", key)}">${label}</a>` : label;
}

function postCell(p: PostRef, inputs: ReadonlyMap<number, string>, cards: ReadonlySet<string>): SafeHtml {
  const file = inputs.get(p.input_id) ?? `input ${p.input_id}`;
  return html`${accountLink(p.account, p.handle, cards)}<br /><span class="mono">${p.ts}</span><br />
    <span class="muted"
      >post <span class="mono">${text(p.post_id, 100)}</span>, ${text(file, 300)} row ${p.source_row}</span
    >`;
}

function evidenceTable(c: CampaignView, data: ReportData, cards: ReadonlySet<string>): SafeHtml {
  if (c.evidence.length === 0)
    return c.tiesScanned < c.totalTies
      ? html`<p class="muted">
          None of the ${fmtInt(c.tiesScanned)} heaviest of the campaign's ${fmtInt(c.totalTies)} ties carries an
          example post pair (ties of timing alone carry none); every tie is in the case file and in the app
          (<code>chorus serve</code>).
        </p>`
      : html`<p class="muted">No example post pairs were recorded for these ties.</p>`;
  const rows = c.evidence.map(
    (e: EvidenceRow) =>
      html`<tr>
        <td>${e.layer}</td>
        ${userBlock("td", e.object, 300, "obj")}
        <td>${postCell(e.first, data.totals.inputPaths, cards)}</td>
        <td>${postCell(e.second, data.totals.inputPaths, cards)}</td>
        <td class="num">${e.gap_seconds.toFixed(1)} s</td>
        <td class="num">${e.n_objects}</td>
        <td class="num">${e.lift === null ? "–" : e.lift.toFixed(1)}</td>
        <td class="num">${fmtP(e.p_value)}</td>
      </tr>`,
  );
  const shown =
    c.totalTies > c.evidence.length
      ? html`<p class="muted">
          Showing the example pairs of the ${fmtInt(c.evidence.length)} heaviest ties that have one, of
          ${fmtInt(c.totalTies)} ties inside the campaign. A tie here is one
          pair of members on one layer (a pair that shared both links and their websites has two), so there are
          more of them than pairs of accounts; every one is in the case file and in the app (<code>chorus serve</code>).
        </p>`
      : "";
  return html`<p>
      Each row is one tie between two members: the closest pair of posts in time that shares the same object,
      who posted first, and the gap. Check them against the source files (file and row are given).
    </p>
    <p class="muted">
      <b>objects together</b>: how many different objects (links, tags, posts reposted, ...) the two shared within
      the window; <b>lift</b>: how many times more often they did so than chance would have them, given how much
      each posts and how popular each object was; <b>p</b>: the probability of meeting at least that often by
      chance alone (6.4e-12 is about six in a million million). See the methodology below.
    </p>
    ${shown}
    <table class="evidence" data-paginate="20">
      <thead>
        <tr>
          <th>layer</th>
          <th>object</th>
          <th>first</th>
          <th>then</th>
          <th class="num">gap</th>
          <th class="num">objects together</th>
          <th class="num">lift</th>
          <th class="num">p</th>
        </tr>
      </thead>
      <tbody>
        ${rows}
      </tbody>
    </table>`;
}

/** Ties of timing alone (shift rotas): no post pair to show, so the two schedules in words. */
function tieNotes(c: CampaignDoc, cards: ReadonlySet<string>): SafeHtml {
  const notes = (c["tie_notes"] as Array<{ layer: string; a: string; b: string; description: string }>) ?? [];
  if (notes.length === 0) return html``;
  const handles = new Map(
    (c["accounts"] as Array<{ platform: string; id: string; handle: string | null }>).map((m) => [
      `${m.platform}:${m.id}`,
      m.handle,
    ]),
  );
  return html`<p>Some ties come from timing alone and have no single pair of posts to show; for example:</p>
    <table>
      <thead><tr><th>layer</th><th>account</th><th>account</th><th>what ties them</th></tr></thead>
      <tbody>${notes.map(
        (t) => html`<tr><td>${t.layer}</td><td>${accountLink(t.a, handles.get(t.a) ?? null, cards)}</td>
          <td>${accountLink(t.b, handles.get(t.b) ?? null, cards)}</td><td>${sentence(t.description, 500)}</td></tr>`,
      )}</tbody>
    </table>`;
}

/** The posts by which fringe accounts joined the campaign's bursts (fringe.ts), one row each. */
function fringeTable(c: CampaignDoc, data: ReportData, cards: ReadonlySet<string>): SafeHtml {
  const compat = coortweetCompat(data.doc);
  const fringe = (
    (c["accounts"] as Array<{
      platform: string;
      id: string;
      handle: string | null;
      role: string;
      joined?: FringeJoin[];
    }>) ?? []
  ).filter((m) => m.role === "fringe");
  if (fringe.length === 0) return html``;
  const rows = fringe.flatMap((m) =>
    (m.joined ?? []).map(
      (j) =>
        html`<tr>
          <td>
            ${postCell({ ...j, account: `${m.platform}:${m.id}`, handle: m.handle }, data.totals.inputPaths, cards)}
          </td>
          <td>${j.kind}</td>
          ${userBlock("td", j.value, 300, "obj")}
          <td class="num">${fmtInt(j.members)}</td>
        </tr>`,
    ),
  );
  return html`<h4>Fringe: accounts that joined the bursts</h4>
    <p>
      These ${fmtInt(fringe.length)} accounts belong to no campaign and have no tie${compat ? "" : " that beats chance"}
      (too few posts), but joined this group's bursts on separate occasions: each post below was made within the window of
      at least three members' shares of an object that the members made at least half the shares of. Read them as
      leads, weaker than the members.
    </p>
    <table class="evidence" data-paginate="20">
      <thead>
        <tr>
          <th>post</th>
          <th>kind</th>
          <th>object</th>
          <th class="num">members within the window</th>
        </tr>
      </thead>
      <tbody>
        ${rows}
      </tbody>
    </table>`;
}

/**
 * A shared object in its cell: a value alone fills the cell in its own direction; a post (reposted, answered,
 * quoted) is named by its author and id, and what it said is a block of its own below them, in its own direction,
 * as is the first post of a near-duplicate text. A Persian post then aligns right and keeps its punctuation at its
 * end, on the left, in a report that stays English and left to right.
 */
function objectCell(o: { value: string; text?: string; author?: string }): SafeHtml {
  if (o.author === undefined && o.text === undefined) return userBlock("td", o.value, 400, "obj");
  const said = o.text === undefined ? "" : userBlock("div", o.text, 400, "post-text");
  return o.author !== undefined
    ? html`<td class="obj">
        <b>${text(o.author, 200)}</b> <span class="muted">(post ${text(o.value, 200)})</span>${said}
      </td>`
    : html`<td class="obj">${said}<span class="muted">(as first posted, ${text(o.value, 200)})</span></td>`;
}

function topObjects(c: CampaignDoc): SafeHtml {
  const objs =
    (c["top_objects"] as Array<{
      kind: string;
      value: string;
      shares: number;
      members: number;
      burst: number;
      text?: string;
      author?: string;
    }>) ?? [];
  if (objs.length === 0) return html`<p class="muted">No shared objects recorded.</p>`;
  return html`<table>
    <thead>
      <tr>
        <th>kind</th>
        <th>object</th>
        <th class="num">shares</th>
        <th class="num">members</th>
        <th class="num">largest burst</th>
      </tr>
    </thead>
    <tbody>
      ${objs.map(
        (o) =>
          html`<tr>
            <td>${o.kind}</td>
            ${objectCell(o)}
            <td class="num">${fmtInt(o.shares)}</td>
            <td class="num">${fmtInt(o.members)}</td>
            <td class="num">${fmtInt(o.burst)}</td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

/**
 * The accounts a campaign amplifies one way (findings' `amplified`), each with how many members and how many
 * accounts in all reposted it; and the app that sent most of its posts (`client`). Empty when it has neither.
 */
function amplifiedAndClient(c: CampaignDoc, cards: ReadonlySet<string>): SafeHtml {
  const amplified = (c["amplified"] as Array<{ account: string; members: number; audience: number }>) ?? [];
  const client = c["client"] as
    | {
        name: string;
        share: number;
        members: number;
        outside: number;
        named?: number;
        posts?: number;
        naming_outside?: number;
      }
    | undefined;
  const handles = new Map(
    ((c["accounts"] as Array<{ platform: string; id: string; handle: string | null }>) ?? []).map((a) => [
      `${a.platform}:${a.id}`,
      a.handle,
    ]),
  );
  const parts: SafeHtml[] = [];
  if (amplified.length > 0) {
    const share = Number(c["audience_share"] ?? 0);
    parts.push(html`<h4>Accounts they amplify one way</h4>
      <p>
        Accounts whose posts the members reposted together and that never repost a member. The members are
        ${pct(share)} of everyone who reposted them in the data${
          c["bloc_over_minutes"] === true
            ? ", but they act as a bloc over minutes: many of them repost each post and they make nearly all of " +
              "its reposts"
            : c["bloc"] === true
              ? ", but they act as a bloc: they repost each post at once and make nearly all of its reposts"
              : ""
        }.
      </p>
      <table>
        <thead>
          <tr>
            <th>account</th>
            <th class="num">members who reposted it</th>
            <th class="num">everyone who reposted it</th>
          </tr>
        </thead>
        <tbody>
          ${amplified.slice(0, 20).map(
            (a) =>
              html`<tr>
                <td>${accountLink(a.account, handles.get(a.account) ?? null, cards)}</td>
                <td class="num">${fmtInt(a.members)}</td>
                <td class="num">${fmtInt(a.audience)}</td>
              </tr>`,
          )}
        </tbody>
      </table>`);
  }
  if (client !== undefined) {
    // findings of earlier versions name neither how many posts name an app nor how many others do
    const of =
      client.named === undefined || client.posts === undefined || client.named === client.posts
        ? "their posts"
        : `the ${fmtInt(client.named)} of their ${fmtInt(client.posts)} posts that name an app`;
    const others =
      client.naming_outside === undefined
        ? ""
        : ` (of the ${fmtInt(client.naming_outside)} others whose posts name one)`;
    parts.push(html`<p>
      ${pct(client.share)} of ${of} were sent from the client <b>${text(client.name, 200)}</b>, which
      ${fmtInt(client.outside)} account${client.outside === 1 ? "" : "s"} outside them use${
        client.outside === 1 ? "s" : ""
      }${others}.
    </p>`);
  }
  return html`${parts}`;
}

function membersTable(c: CampaignDoc, cards: ReadonlySet<string>): SafeHtml {
  const members =
    (c["accounts"] as Array<{
      platform: string;
      id: string;
      handle: string | null;
      role: string;
      score: number;
      ties: number;
    }>) ?? [];
  return html`<table data-paginate="25">
    <thead>
      <tr>
        <th>account</th>
        <th>platform</th>
        <th>role</th>
        <th class="num">place in campaign</th>
        <th class="num">ties</th>
      </tr>
    </thead>
    <tbody>
      ${members.map(
        (m) =>
          html`<tr>
            <td>${accountLink(`${m.platform}:${m.id}`, m.handle, cards)}</td>
            <td>${text(m.platform, 50)}</td>
            <td>${m.role}</td>
            <td class="num">${m.score.toFixed(2)}</td>
            <td class="num">${fmtInt(m.ties)}</td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

export function campaignSection(
  c: CampaignDoc,
  view: CampaignView,
  data: ReportData,
  cards: ReadonlySet<string>,
): SafeHtml {
  const id = String(c["id"]);
  const score = Number(c["score"]);
  const accounts = (c["accounts"] as Array<{ role: string }>) ?? [];
  const fringe = accounts.filter((m) => m.role === "fringe").length;
  const members = accounts.length - fringe;
  const layers = (c["layers"] as string[]) ?? [];
  // with --compat the ties are CooRTweet's raw counts over a quantile, which no chance model tested
  const compat = coortweetCompat(data.doc);
  const tie = compat ? "tie over CooRTweet's edge-weight quantile" : "tie beyond chance";
  const graphNote =
    view.totalNodes > view.nodes.length || view.totalEdges > view.edges.length
      ? html` Showing ${fmtInt(view.nodes.length)} of ${fmtInt(view.totalNodes)} accounts and
        ${fmtInt(view.edges.length)} of ${fmtInt(view.totalEdges)} ties (the strongest).`
      : "";
  return html`<section class="campaign" id="${anchorId("campaign", id)}" data-campaign="${id}">
    <h3>${id} <span class="confidence">confidence ${score.toFixed(2)} (${confidenceWord(score)})</span></h3>
    <p>${sentence(String(c["summary"] ?? ""), 4000)}</p>
    <div class="figures">
      <div class="figure"><b>${fmtInt(members)}</b>accounts</div>
      ${fringe > 0 ? html`<div class="figure"><b>${fmtInt(fringe)}</b>fringe accounts</div>` : ""}
      <div class="figure"><b>${fmtInt(Number(c["ties"] ?? 0))}</b>${compat ? "ties" : "ties beyond chance"}</div>
      <div class="figure"><b>${pct(Number(c["density"] ?? 0))}</b>of possible pairs tied</div>
      <div class="figure"><b>${pct(Number(c["participation"] ?? 0))}</b>of the group per shared object</div>
      <div class="figure">
        <b>${pct(Number(c["exclusivity"] ?? 0))}</b>of those objects' shares were theirs
      </div>
      <div class="figure"><b class="words">${layers.join(", ") || "–"}</b>layers</div>
      <div class="figure"><b>${String(c["first_seen"] ?? "").slice(0, 10)}</b>first activity</div>
      <div class="figure"><b>${String(c["last_seen"] ?? "").slice(0, 10)}</b>last activity</div>
    </div>
    <h4>Account graph</h4>
    <div
      class="graph"
      data-graph="${id}"
      role="img"
      aria-label="Graph of the ${members} accounts of ${id}; the table of members below lists the same accounts"
    ></div>
    <p class="graph-caption">
      Each dot is an account, sized by its place in the campaign; a line is a ${tie}. Hover to read
      a handle, click to open its card; scroll to zoom.${graphNote}
    </p>
    <div class="charts">
      ${timelineChart((c["timeline"] as Array<{ day: string; posts: number }>) ?? [], `Activity of ${id}`)}
      ${hourOfWeekChart((c["hour_of_week"] as number[]) ?? [], `Hours of the week of ${id}`)}
    </div>
    <h4>Most shared objects</h4>
    ${topObjects(c)} ${amplifiedAndClient(c, cards)}
    <h4>Evidence: post pairs behind the ties</h4>
    ${evidenceTable(view, data, cards)}
    ${tieNotes(c, cards)} ${fringeTable(c, data, cards)}
    <details>
      <summary>Members (${fmtInt(members)}${fringe > 0 ? html`, and ${fmtInt(fringe)} fringe` : ""})</summary>
      ${membersTable(c, cards)}
    </details>
  </section>`;
}

/**
 * The page at `/` when the browser app is not there (a checkout that has not run `npm run build`, or a server
 * created without it): what this server is, how to get the investigation screens, and the API it serves. No
 * script; one style block allowed by its hash; every value from the case escaped.
 */
import { createHash } from "node:crypto";
import { html } from "../report/html/escape.js";

export interface Endpoint {
  method: string;
  path: string;
  what: string;
}

export const ENDPOINTS: Endpoint[] = [
  {
    method: "GET",
    path: "/api/case",
    what: "inputs and provenance, latest analysis, detector status, counts",
  },
  {
    method: "GET",
    path: "/api/campaigns",
    what: "campaigns ranked; ?minScore= &layer= &platform= &limit= &offset=",
  },
  {
    method: "GET",
    path: "/api/campaigns/:id",
    what: "one campaign (C1 or its stable id): members, evidence, label, notes",
  },
  {
    method: "GET",
    path: "/api/campaigns/:id/graph",
    what: "the campaign's ties with layer, weight and p-value",
  },
  {
    method: "GET",
    path: "/api/accounts/:key",
    what: "an account (platform:id): profile, findings, campaigns, ties",
  },
  {
    method: "GET",
    path: "/api/ties/:a/:b",
    what: "everything tying two accounts, with the post pairs in time order",
  },
  {
    method: "GET",
    path: "/api/messages",
    what: "reported email, most dangerous first (?verdict= &limit= &offset=)",
  },
  { method: "GET", path: "/api/labels", what: "labels (?kind= &id=); PUT to set, DELETE to remove" },
  {
    method: "GET",
    path: "/api/notes",
    what: "notes (?kind= &id=); PUT to add or edit, DELETE /api/notes/:id",
  },
  { method: "POST", path: "/api/undo", what: "revert the latest label or note change" },
  { method: "GET", path: "/api/export/findings.json", what: "the findings document of the latest analysis" },
  { method: "GET", path: "/api/export/graph.gexf", what: "the account graph for Gephi" },
  { method: "GET", path: "/api/export/graph.graphml", what: "the account graph as GraphML" },
  {
    method: "GET",
    path: "/api/export/csv/:table",
    what: "accounts, edges, campaigns, campaign_members or findings as CSV",
  },
];

const STYLE =
  "body{font:15px/1.5 system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#1d2329}" +
  "code{font-size:13px}td{padding:.2rem .6rem;vertical-align:top}th{text-align:left;padding:.2rem .6rem}";

/** The Content-Security-Policy of the page: nothing but its own style block. */
export const HOME_CSP =
  `default-src 'none'; style-src 'sha256-${createHash("sha256").update(STYLE, "utf8").digest("base64")}'; ` +
  "img-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

export function homePage(casePath: string, counts: { campaigns: number | null; accounts: number }): string {
  const analysed =
    counts.campaigns === null
      ? "This case has no analysis yet: run chorus detect or chorus analyze on it, then restart."
      : `Latest analysis: ${counts.campaigns} campaign(s), ${counts.accounts} account(s) with findings.`;
  return html`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Chorus: ${casePath}</title><style>${STYLE}</style></head>
<body>
<h1>Chorus</h1>
<p>Serving the case <code>${casePath}</code>. ${analysed}</p>
<p><strong>The investigation screens are not built in this copy of Chorus:</strong> run <code>npm run build</code>
(it writes them to <code>dist/web</code>) and start the server again. Meanwhile this server answers the JSON API
below, read from the case; labels and notes written through it are stored in the case. The full report of the
latest analysis is the HTML report <code>chorus report</code> writes.</p>
<table>
<thead><tr><th>method</th><th>path</th><th>what</th></tr></thead>
<tbody>${ENDPOINTS.map((e) => html`<tr><td>${e.method}</td><td><code>${e.path}</code></td><td>${e.what}</td></tr>`)}</tbody>
</table>
</body>
</html>
`.value;
}

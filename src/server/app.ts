/**
 * The HTTP API of `chorus serve`: JSON read from one case (overview, campaigns, accounts, ties, exports) and the
 * analyst's labels and notes written back to it. Every request passes the guard (Host, token, same-origin
 * writes), every response carries a strict CSP and `Cache-Control: no-store`, every input is checked with zod and
 * reaches SQL as a parameter. Requests are served one at a time: the case has one connection, and a write's
 * transaction must not interleave with other statements.
 *
 * @example
 * const app = createApp(store, { host: "127.0.0.1", port: 8123 });
 * const res = await app.request("http://127.0.0.1:8123/api/case");
 */
import { Hono, type Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { closeSync, createReadStream, mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { z } from "zod";
import { csvTables } from "../report/export/csv.js";
import { writeGexf } from "../report/export/gexf.js";
import { loadExportGraph } from "../report/export/graph.js";
import { writeGraphml } from "../report/export/graphml.js";
import { coortweetCompat } from "../report/findings.js";
import { hasLoneSurrogate } from "../normalize/text.js";
import { terminalSafe } from "../cli/terminal.js";
import type { Sink } from "../report/export/xml.js";
import type { CaseStore } from "../store/case.js";
import { isRuledOutGroup } from "../campaign/index.js";
import { foldText } from "../normalize/text.js";
import { Annotations, LABELS, splitTieKey, tieKey, type LabelRow, type Target } from "./annotations.js";
import { carriedCaption, carryLabels, LabelledMembers, type CarryResult } from "./carry.js";
import { CaseView, memberCounts, members, type Analysis } from "./case-view.js";
import { HttpError } from "./errors.js";
import {
  FilterError,
  filterContext,
  intOr,
  matchCampaigns,
  parseFilters,
  resolveCampaigns,
} from "./filters.js";
import { HOME_CSP, homePage } from "./home.js";
import { messageCounts, messagePage, MessagesQuery } from "./messages.js";
import { guard, isLoopback, securityHeaders, type Binding } from "./security.js";
import { webApp } from "./static.js";
import { accountTies, tieDetail, tiesAmong } from "./ties.js";
import { accountKeyRe, Memo, registerViews } from "./views.js";

export class ServerError extends Error {
  override name = "ServerError";
}

export interface AppOptions extends Binding {
  /** The case path shown on the home page. */
  casePath?: string;
  /** Largest request body accepted, bytes (default 64 KiB). */
  maxBodyBytes?: number;
  /** The clock stamped on labels and notes. */
  now?: () => Date;
  /** Told of a fault of the server's own (default: its stack on standard error); the client gets no details. */
  onInternalError?: (err: Error) => void;
  /** The built browser app to serve at `/` (dist/web); without it `/` is a page listing the API. */
  web?: string;
}

/** Longest note, characters. */
export const MAX_NOTE_CHARS = 20_000;

const AccountKey = z.string().regex(accountKeyRe, "an account key is platform:account_id");
const Kind = z.enum(["campaign", "account", "tie"]);
/** A label's or note's target: a campaign, an account key, or a tie "a|b" of two account keys (at most 1,090 each). */
const MAX_TARGET_CHARS = 2 * 1090 + 1;
const TargetSchema = z.object({ kind: Kind, id: z.string().min(1).max(MAX_TARGET_CHARS) }).strict();
const TargetQuery = z
  .object({ kind: Kind.optional(), id: z.string().min(1).max(MAX_TARGET_CHARS).optional() })
  .strict();

/** Paging of the campaign list; its filters are the shared ones (filters.ts). */
const CampaignsPaging = { limit: intOr(1, 1000, 100), offset: intOr(0, 1_000_000, 0) };

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issues = r.error.issues.map((i) => `${i.path.length ? i.path.join(".") + ": " : ""}${i.message}`);
  throw new HttpError(400, `server: bad ${what}: ${issues.join("; ")}`);
}

/**
 * The query string without the token (which the guard has already checked), in an object without a prototype: a
 * parameter named __proto__ is a key like any other, and refused as unknown.
 */
function query(c: Context): Record<string, string> {
  const q = Object.create(null) as Record<string, string>;
  for (const [k, v] of new URL(c.req.url).searchParams) if (k !== "token" && !(k in q)) q[k] = v;
  return q;
}

async function body(c: Context): Promise<unknown> {
  try {
    return await c.req.json();
  } catch {
    throw new HttpError(400, "server: the body is not valid JSON");
  }
}

/** One request at a time on the case's single connection. */
function serialised() {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(fn: () => Promise<T>): Promise<T> => {
    const run = tail.then(fn, fn);
    tail = run.catch(() => undefined);
    return run;
  };
}

export function createApp(store: CaseStore, opts: AppOptions): Hono {
  if (!isLoopback(opts.host) && !opts.token) {
    throw new ServerError(`server: binding ${opts.host} (not loopback) needs a token`);
  }
  const view = new CaseView(store);
  const notes = new Annotations(store, opts.now);
  const labelled = new LabelledMembers(store);
  // a campaign's ties, kept for the latest run (the evidence does not change while the server holds the case)
  const campaignTies = new Memo(20);
  const exclusive = serialised();
  const app = new Hono();

  // the browser app's files: before the token check (a <script src> cannot send one), with its own Host check
  if (opts.web) app.use("*", webApp({ dir: opts.web, binding: opts }));
  app.use("*", securityHeaders());
  app.use("*", guard(opts));
  app.use(
    "*",
    bodyLimit({
      maxSize: opts.maxBodyBytes ?? 64 * 1024,
      onError: (c) => c.json({ error: "server: request body too large" }, 413),
    }),
  );
  app.use("/api/*", async (c, next) => {
    // a write's body is read before the case is taken: a client that sends it slowly holds up only itself (the
    // handler's own read comes from the same bytes)
    if (c.req.method !== "GET" && c.req.method !== "HEAD") await c.req.arrayBuffer().catch(() => undefined);
    return exclusive(next);
  });

  app.onError((err, c) => {
    if (err instanceof HttpError) return c.json({ error: err.message }, err.status);
    if (err instanceof FilterError) return c.json({ error: `server: bad query: ${err.message}` }, 400);
    // a fault of the server's own: the details (an engine's message quoting data) go to its terminal, not the client
    (
      opts.onInternalError ??
      ((e: Error) => console.error(`chorus serve: ${terminalSafe(e.stack ?? e.message)}`))
    )(err);
    return c.json({ error: "server: internal error (the server's terminal has the details)" }, 500);
  });
  app.notFound((c) => c.json({ error: `server: no route ${c.req.method} ${c.req.path.slice(0, 200)}` }, 404));

  const analysis = async (): Promise<Analysis> => {
    const a = await view.latest();
    if (!a) throw new HttpError(404, "server: the case has no analysis yet (run chorus detect or analyze)");
    return a;
  };

  /** Labels of campaigns no longer present, carried over to changed campaigns of the latest run. */
  const carried = async (a: Analysis): Promise<CarryResult> => carryLabels(labelled, a, await notes.labels());
  const carriedJson = (cr: CarryResult, num: string) => {
    const x = cr.byNumber.get(num);
    return x
      ? {
          from_key: x.from_key,
          from_number: x.from_number,
          from_run: x.from_run,
          overlap: x.overlap,
          shared: x.shared,
          members_before: x.members_before,
          members_now: x.members_now,
          caption: carriedCaption(x),
        }
      : null;
  };

  /** A target as stored: campaign numbers become stable ids; accounts and ties must exist. */
  const resolve = async (
    t: Target,
    mustExist: boolean,
  ): Promise<{ target: Target; context: Record<string, unknown> | null }> => {
    if (t.kind === "campaign") {
      const found = await view.campaign(t.id);
      if (found) {
        // a label given where one had carried over settles that label: it carries no further
        const from = (await carried(found.a)).byNumber.get(String(found.c["id"]));
        return {
          target: { kind: "campaign", id: found.key },
          context: {
            number: String(found.c["id"]),
            run_id: found.a.run.id,
            // counted as the campaign's screen and the list count them: the fringe apart
            ...memberCounts(found.c),
            ...(from ? { carried_from: from.from_key, overlap: from.overlap } : {}),
          },
        };
      }
      if (mustExist || !/^cm_[0-9a-f]{16}$/.test(t.id)) {
        throw new HttpError(404, `server: no campaign ${t.id} in the latest analysis`);
      }
      return { target: t, context: null };
    }
    if (t.kind === "account") {
      parse(AccountKey, t.id, "account key");
      if (mustExist && !(await view.accountExists(t.id)))
        throw new HttpError(404, `server: no account ${t.id}`);
      return { target: t, context: null };
    }
    // a tie "a|b": account ids may hold '|', so try each split and keep the one naming two accounts (that the
    // latest analysis tied, when it must exist: a label or note goes on a tie it shows)
    const latest = mustExist ? await view.latest() : null;
    // the id as tieKey writes it (one unescaped '|'), and then, for ids written before keys were escaped, each cut
    const cuts: Array<[string, string]> = [];
    const split = splitTieKey(t.id);
    if (split !== null) cuts.push(split);
    for (const m of t.id.matchAll(/\|/g)) cuts.push([t.id.slice(0, m.index), t.id.slice(m.index + 1)]);
    for (const [a, b] of cuts) {
      if (!accountKeyRe.test(a) || !accountKeyRe.test(b) || a === b) continue;
      if (!mustExist || (latest !== null && (await view.tieOrder(latest.run.id, a, b)) !== null)) {
        return { target: { kind: "tie", id: tieKey(a, b) }, context: null };
      }
    }
    throw new HttpError(
      mustExist ? 404 : 400,
      mustExist
        ? `server: no tie ${t.id.slice(0, 200)} in the latest analysis (a tie id is "platform:a|platform:b")`
        : `server: a tie id is "platform:a|platform:b" naming two accounts`,
    );
  };

  app.get("/", async (c) => {
    const a = await exclusive(() => view.latest());
    c.header("Content-Security-Policy", HOME_CSP);
    return c.html(
      homePage(opts.casePath ?? store.path, {
        campaigns: a ? a.doc.campaigns.length : null,
        accounts: a ? a.doc.accounts.length : 0,
      }),
    );
  });

  app.get("/api/case", async (c) => {
    parse(z.object({}).strict(), query(c), "query");
    const a = await view.latest();
    return c.json({
      case: opts.casePath ?? store.path,
      inputs: await view.inputs(),
      rejects: await view.rejects(),
      counts: {
        ...(await view.caseTotals()),
        campaigns: a?.doc.campaigns.length ?? 0,
        accounts_with_findings: a?.doc.accounts.length ?? 0,
        // groups that looked organic, as the report and the terminal count them (not the pairs too few to be one)
        ruled_out: a?.doc.ruled_out.filter(isRuledOutGroup).length ?? 0,
        ...(await notes.counts()),
      },
      // reported email (ingest triages each message; no analysis needed): the overview's line and the nav link
      messages: await messageCounts(store).then(({ total, hostile }) => ({ total, hostile })),
      analysis: a ? { ...a.run, schema: a.doc.schema, tool: a.doc.tool, params: a.doc.params } : null,
      detectors: a
        ? a.doc.detectors.map((d) => ({
            id: d.id,
            version: d.version,
            status: d.status,
            message: d.message,
            counts: d.counts,
            warnings: d.warnings,
          }))
        : [],
    });
  });

  app.get("/api/campaigns", async (c) => {
    const a = await analysis();
    const f = parseFilters(new URL(c.req.url).searchParams, CampaignsPaging, filterContext(a));
    const unknown = f.campaigns ? resolveCampaigns(a, f.campaigns).unknown : [];
    if (unknown.length)
      throw new HttpError(404, `server: campaign: no campaign ${unknown.join(", ")} in the latest analysis`);
    const q = f.extra;
    const all = [...a.doc.campaigns].sort(
      (x, y) => Number(y["score"]) - Number(x["score"]) || (String(x["id"]) < String(y["id"]) ? -1 : 1),
    );
    const matched = matchCampaigns(a, f, all);
    const page = matched.slice(q.offset, q.offset + q.limit);
    const labels = await notes.labelsOf(
      "campaign",
      page.map((camp) => a.keyOf.get(String(camp["id"]))!),
    );
    const carry = await carried(a);
    return c.json({
      run_id: a.run.id,
      filters: f.list,
      total: all.length,
      matched: matched.length,
      shown: page.length,
      offset: q.offset,
      campaigns: page.map((camp) => {
        const key = a.keyOf.get(String(camp["id"]))!;
        const over = carry.byNumber.get(String(camp["id"]));
        return {
          id: camp["id"],
          key,
          score: camp["score"],
          summary: camp["summary"],
          layers: camp["layers"],
          // as the campaign's screen counts them: the fringe apart
          ...memberCounts(camp),
          first_seen: camp["first_seen"],
          last_seen: camp["last_seen"],
          top_objects: ((camp["top_objects"] as unknown[] | undefined) ?? []).slice(0, 3),
          label: labels.get(key) ?? over?.label.label ?? null,
          label_carried: labels.has(key) ? null : carriedJson(carry, String(camp["id"])),
        };
      }),
    });
  });

  app.get("/api/campaigns/:id", async (c) => {
    parse(z.object({}).strict(), query(c), "query");
    const found = await view.campaign(c.req.param("id"));
    if (!found)
      throw new HttpError(
        404,
        `server: no campaign ${c.req.param("id").slice(0, 100)} in the latest analysis`,
      );
    const target: Target = { kind: "campaign", id: found.key };
    const memberLabels = await notes.labelsOf(
      "account",
      members(found.c).map((m) => `${m.platform}:${m.id}`),
    );
    const own = await notes.label(target);
    const carry = own ? null : await carried(found.a);
    const over = carry?.byNumber.get(String(found.c["id"]));
    // the posts by which each fringe account joined the bursts name their file, as a tie's posts do
    const paths = await view.inputPaths();
    const accounts = members(found.c).map((m) =>
      m.joined === undefined
        ? m
        : { ...m, joined: m.joined.map((j) => ({ ...j, input_path: paths.get(j.input_id) ?? null })) },
    );
    return c.json({
      run_id: found.a.run.id,
      ...found.c,
      accounts,
      key: found.key,
      // with --compat coortweet the ties are CooRTweet's raw counts: the screen words its claim by this
      compat: coortweetCompat(found.a.doc) ? "coortweet" : null,
      // a label of its own, else one carried over from a campaign of an earlier run with most of these members
      label:
        own ?? (carry && over ? { ...over.label, carried: carriedJson(carry, String(found.c["id"])) } : null),
      notes: await notes.notes(target),
      member_labels: Object.fromEntries(memberLabels),
    });
  });

  app.get("/api/campaigns/:id/graph", async (c) => {
    const q = parse(
      z.object({ maxNodes: intOr(1, 50_000, 1500), maxEdges: intOr(1, 200_000, 6000) }).strict(),
      query(c),
      "query",
    );
    const found = await view.campaign(c.req.param("id"));
    if (!found)
      throw new HttpError(
        404,
        `server: no campaign ${c.req.param("id").slice(0, 100)} in the latest analysis`,
      );
    // the fringe has no ties to draw: it is listed beside the graph with the posts by which it joined, as in the report
    const all = members(found.c)
      .filter((m) => m.role !== "fringe")
      .sort((x, y) => y.score - x.score);
    const nodes = all.slice(0, q.maxNodes).map((m) => ({ key: `${m.platform}:${m.id}`, ...m }));
    const shown = new Set(nodes.map((n) => n.key));
    const edges = await campaignTies.get(found.a.run.id, found.key, async () =>
      (
        await tiesAmong(
          view,
          found.a.run.id,
          all.map((m) => `${m.platform}:${m.id}`),
        )
      ).map(({ evidence: _e, ...e }) => e),
    );
    const drawable = edges.filter((e) => shown.has(e.a) && shown.has(e.b));
    return c.json({
      id: found.c["id"],
      key: found.key,
      run_id: found.a.run.id,
      total_nodes: all.length,
      total_edges: edges.length,
      nodes,
      edges: drawable.slice(0, q.maxEdges),
    });
  });

  // reported email, the most dangerous first; a case of posts alone answers with no messages
  app.get("/api/messages", async (c) =>
    c.json(await messagePage(store, parse(MessagesQuery, query(c), "query"))),
  );

  // accounts by handle, name or id: an investigator seldom knows an account's key
  app.get("/api/accounts", async (c) => {
    const q = parse(
      z
        .object({ q: z.string().min(1).max(200), limit: intOr(1, 200, 50), offset: intOr(0, 1_000_000, 0) })
        .strict(),
      query(c),
      "query",
    );
    const folded = foldText(q.q);
    if (folded === "") throw new HttpError(400, "server: query: q holds nothing to search for");
    const found = await view.searchAccounts(folded, q.limit, q.offset);
    const a = await view.latest();
    const scores = new Map((a?.doc.accounts ?? []).map((x) => [`${x.platform}:${x.id}`, x]));
    return c.json({
      q: q.q,
      total: found.total,
      offset: q.offset,
      accounts: found.accounts.map((x) => {
        const key = `${x.platform}:${x.id}`;
        const scored = scores.get(key);
        return { key, ...x, score: scored?.score ?? 0, campaigns: scored?.campaigns ?? [] };
      }),
    });
  });

  app.get("/api/accounts/:key", async (c) => {
    const q = parse(z.object({ ties: intOr(0, 5000, 50) }).strict(), query(c), "query");
    const key = parse(AccountKey, c.req.param("key"), "account key");
    const profile = await view.profile(key);
    const a = await view.latest();
    const scored = a?.doc.accounts.find((x) => `${x.platform}:${x.id}` === key) ?? null;
    if (!profile && !scored) throw new HttpError(404, `server: no account ${key.slice(0, 200)}`);
    const campaigns = a
      ? a.doc.campaigns.flatMap((camp) => {
          const m = members(camp).find((x) => `${x.platform}:${x.id}` === key);
          return m
            ? [
                {
                  id: camp["id"],
                  key: a.keyOf.get(String(camp["id"])),
                  score: camp["score"],
                  role: m.role,
                  member_score: m.score,
                },
              ]
            : [];
        })
      : [];
    const evidence = a
      ? await store.all<{
          detector: string;
          strength: string;
          score: number;
          explanation: string;
          evidence: string | null;
        }>(
          `SELECT detector, strength, score, explanation, evidence::VARCHAR AS evidence FROM findings
            WHERE run_id = $run AND subject = $key ORDER BY score DESC, detector`,
          { run: a.run.id, key },
        )
      : [];
    const target: Target = { kind: "account", id: key };
    return c.json({
      key,
      run_id: a?.run.id ?? null,
      profile,
      score: scored?.score ?? 0,
      findings: evidence.map((f) => ({
        ...f,
        evidence: f.evidence ? (JSON.parse(f.evidence) as unknown) : null,
      })),
      campaigns,
      ties: a ? await accountTies(view, a.run.id, key, q.ties) : { total: 0, ties: [] },
      label: await notes.label(target),
      notes: await notes.notes(target),
    });
  });

  app.get("/api/ties/:a/:b", async (c) => {
    const q = parse(z.object({ limit: intOr(1, 10_000, 500) }).strict(), query(c), "query");
    const x = parse(AccountKey, c.req.param("a"), "account key");
    const y = parse(AccountKey, c.req.param("b"), "account key");
    if (x === y) throw new HttpError(400, "server: a tie joins two different accounts");
    const an = await analysis();
    // a and b as the run stored the tie, so that each post pair's a and b are theirs
    const stored = await view.tieOrder(an.run.id, x, y);
    if (stored === null)
      throw new HttpError(404, `server: no tie between ${x.slice(0, 200)} and ${y.slice(0, 200)}`);
    const [a, b] = stored;
    const detail = await tieDetail(view, an, a, b, q.limit);
    const handles = await view.handles([a, b]);
    const target: Target = { kind: "tie", id: tieKey(a, b) };
    return c.json({
      id: target.id,
      run_id: an.run.id,
      a: { key: a, handle: handles.get(a) ?? null },
      b: { key: b, handle: handles.get(b) ?? null },
      ties: detail.ties,
      total: detail.total,
      shown: detail.pairs.length,
      pairs: detail.pairs,
      label: await notes.label(target),
      notes: await notes.notes(target),
    });
  });

  const targetFromQuery = async (c: Context): Promise<Target | undefined> => {
    const q = parse(TargetQuery, query(c), "query");
    if (q.kind === undefined && q.id === undefined) return undefined;
    if (q.kind === undefined || q.id === undefined)
      throw new HttpError(400, "server: give both kind and id, or neither");
    return (await resolve({ kind: q.kind, id: q.id }, false)).target;
  };

  app.get("/api/labels", async (c) => {
    const t = await targetFromQuery(c);
    const a = await view.latest();
    const rows = await notes.labels(t);
    const carry = a ? await carried(a) : null;
    const placement = (r: LabelRow) => {
      // the campaign's number in the latest analysis, or null when no campaign has these members now; then
      // where the label carried over to, or why it did not
      const num = a?.idOf.get(r.target_id) ?? null;
      const to = carry?.byKey.get(r.target_id);
      const status = num
        ? "current"
        : to
          ? "carried"
          : carry?.settled.has(r.target_id)
            ? "settled"
            : "unplaced";
      return {
        campaign: num,
        status,
        carried_to: to
          ? { campaign: to.to_number, key: to.to_key, overlap: to.overlap, shared: to.shared }
          : null,
      };
    };
    return c.json({
      total: rows.length,
      labels: rows.map((r) => ({ ...r, ...(r.target_kind === "campaign" ? placement(r) : {}) })),
    });
  });

  app.put("/api/labels", async (c) => {
    const b = parse(
      z.object({ target: TargetSchema, label: z.enum(LABELS) }).strict(),
      await body(c),
      "label",
    );
    const { target, context } = await resolve(b.target, true);
    return c.json({ label: await notes.setLabel(target, b.label, context) });
  });

  app.delete("/api/labels", async (c) => {
    const t = await targetFromQuery(c);
    if (!t) throw new HttpError(400, "server: name the label to remove with ?kind= and &id=");
    const removed = await notes.deleteLabel(t);
    if (!removed) throw new HttpError(404, `server: no label on ${t.kind} ${t.id.slice(0, 200)}`);
    return c.json({ removed });
  });

  app.get("/api/notes", async (c) => {
    const rows = await notes.notes(await targetFromQuery(c));
    // a note on a campaign names its number in the latest analysis too, as a label does (null when no campaign
    // has those members now)
    const a = await view.latest();
    return c.json({
      total: rows.length,
      notes: rows.map((r) =>
        r.target_kind === "campaign" ? { ...r, campaign: a?.idOf.get(r.target_id) ?? null } : r,
      ),
    });
  });

  app.put("/api/notes", async (c) => {
    const text = z
      .string()
      .trim()
      .min(1, "a note needs text")
      .max(MAX_NOTE_CHARS)
      // half of a UTF-16 pair (a \ud800 escape alone) is not text, and the case's JSON columns cannot hold it
      .refine((t) => !hasLoneSurrogate(t), "a note's text holds a lone surrogate (half of a UTF-16 pair)");
    const b = parse(
      z.union([z.object({ target: TargetSchema, text }).strict(), z.object({ id: z.uuid(), text }).strict()]),
      await body(c),
      "note",
    );
    if ("id" in b) {
      const note = await notes.editNote(b.id, b.text);
      if (!note) throw new HttpError(404, `server: no note ${b.id}`);
      return c.json({ note });
    }
    const { target } = await resolve(b.target, true);
    return c.json({ note: await notes.addNote(target, b.text) }, 201);
  });

  app.delete("/api/notes/:id", async (c) => {
    const id = parse(z.uuid(), c.req.param("id"), "note id");
    const removed = await notes.deleteNote(id);
    if (!removed) throw new HttpError(404, `server: no note ${id}`);
    return c.json({ removed });
  });

  app.post("/api/undo", async (c) => {
    const undone = await notes.undo();
    if (!undone) throw new HttpError(409, "server: nothing to undo");
    return c.json({ undone });
  });

  const attachment = (c: Context, name: string, type: string, text: string): Response => {
    c.header("Content-Type", type);
    c.header("Content-Disposition", `attachment; filename="${name}"`);
    return c.body(text);
  };

  // the exports take no parameters: one given is a mistake the caller should hear of, as on every other route
  app.use("/api/export/*", async (c, next) => {
    parse(z.object({}).strict(), query(c), "query");
    await next();
  });

  app.get("/api/export/findings.json", async (c) => {
    const a = await analysis();
    return attachment(
      c,
      "findings.json",
      "application/json; charset=utf-8",
      JSON.stringify(a.doc, null, 2) + "\n",
    );
  });
  /**
   * A graph export written piece by piece into a temporary file and streamed from there (then removed), as
   * `chorus export` writes its file: one string of the whole document runs out of heap on a large case.
   */
  const streamed = async (c: Context, name: string, write: (sink: Sink) => void): Promise<Response> => {
    const dir = mkdtempSync(join(tmpdir(), "chorus-serve-export-"));
    const path = join(dir, name);
    const fd = openSync(path, "w");
    let buf: string[] = [];
    let size = 0;
    try {
      write((chunk) => {
        buf.push(chunk);
        size += chunk.length;
        if (size >= 1 << 20) {
          writeSync(fd, buf.join(""));
          buf = [];
          size = 0;
        }
      });
      writeSync(fd, buf.join(""));
    } catch (e) {
      closeSync(fd);
      rmSync(dir, { recursive: true, force: true });
      throw e;
    }
    closeSync(fd);
    const file = createReadStream(path);
    file.once("close", () => rmSync(dir, { recursive: true, force: true }));
    c.header("Content-Type", "application/xml; charset=utf-8");
    c.header("Content-Disposition", `attachment; filename="${name}"`);
    return c.body(Readable.toWeb(file) as ReadableStream<Uint8Array>);
  };
  app.get("/api/export/graph.gexf", async (c) => {
    await analysis();
    const g = await loadExportGraph(store);
    return streamed(c, "graph.gexf", (sink) => writeGexf(g, sink));
  });
  app.get("/api/export/graph.graphml", async (c) => {
    await analysis();
    const g = await loadExportGraph(store);
    return streamed(c, "graph.graphml", (sink) => writeGraphml(g, sink));
  });
  app.get("/api/export/csv/:table", async (c) => {
    const name = parse(
      z.enum(["accounts", "edges", "campaigns", "campaign_members", "findings"]),
      c.req.param("table").replace(/\.csv$/, ""),
      "table",
    );
    await analysis();
    const tables = csvTables(await loadExportGraph(store));
    return attachment(c, `${name}.csv`, "text/csv; charset=utf-8", tables[`${name}.csv`] ?? "");
  });

  registerViews(app, { view, notes, analysis, carried });

  return app;
}

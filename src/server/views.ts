/**
 * The API's views over the whole case: the timeline (posts per minute, hour, day or week), the hour-of-week heat
 * map and the whole-case graph, each for the case, campaigns, an account or a tie, with the shared filters. Their
 * results are kept for the life of the server (the evidence cannot change while it holds the case open; a new
 * analysis run starts afresh), so a view asked twice is answered from memory.
 */
import type { Context, Hono } from "hono";
import { z } from "zod";
import { isObjectLayer } from "../campaign/layers.js";
import { OBJECT_KINDS } from "../model/index.js";
import type { Annotations } from "./annotations.js";
import type { CarryResult } from "./carry.js";
import { members, type Analysis, type CaseView } from "./case-view.js";
import { HttpError } from "./errors.js";
import {
  CampaignIdRe,
  FilterError,
  filterContext,
  intOr,
  matchCampaigns,
  parseFilters,
  resolveCampaigns,
  type Filters,
} from "./filters.js";
import { caseGraph } from "./graph.js";
import {
  heatmap,
  MAX_BINS,
  timeline,
  TimelineError,
  UNITS,
  validTimeZone,
  type PostScope,
} from "./timeline.js";

export interface ViewDeps {
  view: CaseView;
  notes: Annotations;
  analysis: () => Promise<Analysis>;
  /** Labels carried over to the latest run's campaigns (carry.ts). */
  carried: (a: Analysis) => Promise<CarryResult>;
}

/**
 * platform:account_id: a platform of at most 64 letters, digits, "_", "." and "-" (the native format's rule), and
 * an id of at most 1,024 characters (the ingest's bound is 1,024 bytes), any but NUL (a hostile case's ids hold
 * control characters, and its members must still open).
 */
export const accountKeyRe = /^[A-Za-z0-9_.-]{1,64}:[^\u0000]{1,1024}$/u;
const AccountKey = z.string().regex(accountKeyRe, "an account key is platform:account_id");

const ScopeShape = { account: AccountKey.optional(), a: AccountKey.optional(), b: AccountKey.optional() };

/** Results kept per analysis run and request; small, and cleared when a newer run appears. */
export class Memo {
  private run = -1;
  private map = new Map<string, unknown>();
  constructor(private readonly size = 200) {}
  async get<T>(run: number, key: string, make: () => Promise<T>): Promise<T> {
    if (run !== this.run) {
      this.map.clear();
      this.run = run;
    }
    if (this.map.has(key)) return this.map.get(key) as T;
    const v = await make();
    if (this.map.size >= this.size) this.map.delete(this.map.keys().next().value!);
    this.map.set(key, v);
    return v;
  }
}

function filters<E extends z.ZodRawShape>(c: Context, a: Analysis, extra: E) {
  let f: ReturnType<typeof parseFilters<E>>;
  try {
    f = parseFilters(new URL(c.req.url).searchParams, extra, filterContext(a));
  } catch (e) {
    if (e instanceof FilterError) throw new HttpError(400, `server: bad query: ${e.message}`);
    throw e;
  }
  if (f.campaigns) {
    const { unknown } = resolveCampaigns(a, f.campaigns);
    if (unknown.length) {
      throw new HttpError(404, `server: campaign: no campaign ${unknown.join(", ")} in the latest analysis`);
    }
  }
  return f;
}

/** The request as a cache key: its path and query without the token, parameters in the order given. */
function requestKey(c: Context): string {
  const u = new URL(c.req.url);
  u.searchParams.delete("token");
  return `${u.pathname}?${u.searchParams.toString()}`;
}

/** True when a filter selects campaigns (their members become the accounts in scope). */
const selectsCampaigns = (f: Filters): boolean =>
  f.campaigns !== undefined || f.minScore !== undefined || f.minTies !== undefined || f.window !== undefined;

/**
 * The posts a timeline or heat map counts. Scope: the whole case, an account (`account=`) or a tie (`a=`, `b=`);
 * campaign filters (campaign, minScore, minTies, window) narrow it to the members of the campaigns they match;
 * dates, platform and layer select posts.
 */
function postScope(
  a: Analysis,
  f: Filters,
  s: { account?: string | undefined; a?: string | undefined; b?: string | undefined },
): { scope: PostScope; described: Record<string, unknown> } {
  let accounts: string[] | null = null;
  let pair: [string, string] | undefined;
  const described: Record<string, unknown> = { kind: "case" };
  if (s.account !== undefined) {
    if (s.a !== undefined || s.b !== undefined)
      throw new HttpError(400, "server: bad query: account: give account, or a and b (a tie), not both");
    accounts = [s.account];
    Object.assign(described, { kind: "account", account: s.account });
  } else if (s.a !== undefined || s.b !== undefined) {
    if (s.a === undefined || s.b === undefined)
      throw new HttpError(
        400,
        `server: bad query: ${s.a === undefined ? "a" : "b"}: a tie needs both a and b`,
      );
    if (s.a === s.b) throw new HttpError(400, "server: bad query: b: a tie joins two different accounts");
    pair = s.a < s.b ? [s.a, s.b] : [s.b, s.a];
    accounts = [...pair];
    Object.assign(described, { kind: "tie", a: pair[0], b: pair[1] });
  }
  if (selectsCampaigns(f)) {
    const matched = matchCampaigns(
      a,
      { ...f, layer: undefined, platform: undefined, range: { from: null, until: null } },
      a.doc.campaigns,
    );
    const keys = new Set(matched.flatMap((c) => members(c).map((m) => `${m.platform}:${m.id}`)));
    accounts = accounts === null ? [...keys].sort() : accounts.filter((k) => keys.has(k));
    if (described["kind"] === "case") described["kind"] = "campaigns";
    described["campaigns"] = matched.map((c) => String(c["id"]));
  }
  if (f.layer !== undefined && !isObjectLayer(f.layer)) {
    throw new HttpError(
      400,
      `server: bad query: layer: ${f.layer} is not a kind of shared object, and timelines count posts; ` +
        `use one of ${OBJECT_KINDS.join(", ")}`,
    );
  }
  described["accounts"] = accounts === null ? null : accounts.length;
  return {
    scope: {
      accounts,
      range: f.range,
      ...(f.platform !== undefined ? { platform: f.platform } : {}),
      ...(f.layer !== undefined ? { layer: f.layer } : {}),
      ...(pair ? { pair } : {}),
    },
    described,
  };
}

export function registerViews(app: Hono, d: ViewDeps): void {
  const memo = new Memo();

  /** An account named as a view's scope must exist, as its own page must (a 404, not an empty view). */
  const mustExist = async (s: {
    account?: string | undefined;
    a?: string | undefined;
    b?: string | undefined;
  }) => {
    for (const k of [s.account, s.a, s.b]) {
      if (k !== undefined && !(await d.view.accountExists(k)))
        throw new HttpError(404, `server: no account ${k}`);
    }
  };

  app.get("/api/timeline", async (c) => {
    const a = await d.analysis();
    const f = filters(c, a, { ...ScopeShape, unit: z.enum(UNITS).optional() });
    const { scope, described } = postScope(a, f, f.extra);
    await mustExist(f.extra);
    const t = await memo.get(a.run.id, requestKey(c), async () => {
      try {
        return await timeline(d.view.store, scope, f.extra.unit ? { unit: f.extra.unit } : {});
      } catch (e) {
        if (e instanceof TimelineError) throw new HttpError(400, `server: bad query: ${e.message}`);
        throw e;
      }
    });
    const total = (await d.view.caseTotals()).posts;
    return c.json({
      run_id: a.run.id,
      scope: described,
      filters: f.list,
      total,
      matched: t.total_posts,
      shown: t.bins.reduce((n, b) => n + b.posts, 0),
      max_bins: MAX_BINS,
      ...t,
    });
  });

  app.get("/api/heatmap", async (c) => {
    const a = await d.analysis();
    const f = filters(c, a, {
      ...ScopeShape,
      tz: z
        .string()
        .max(64)
        .refine(validTimeZone, "an IANA time zone name like UTC or Europe/Berlin")
        .default("UTC"),
    });
    const { scope, described } = postScope(a, f, f.extra);
    await mustExist(f.extra);
    const h = await memo.get(a.run.id, requestKey(c), async () => {
      try {
        return await heatmap(d.view.store, scope, f.extra.tz);
      } catch (e) {
        // a zone Intl knows but DuckDB's time zone data does not
        if (/time ?zone/i.test(String(e)))
          throw new HttpError(400, `server: bad query: tz: unknown time zone`);
        throw e;
      }
    });
    const total = (await d.view.caseTotals()).posts;
    return c.json({
      run_id: a.run.id,
      scope: described,
      filters: f.list,
      total,
      matched: h.total_posts,
      shown: h.total_posts,
      ...h,
    });
  });

  app.get("/api/graph", async (c) => {
    const a = await d.analysis();
    const f = filters(c, a, {
      maxNodes: intOr(1, 20_000, 2000),
      maxEdges: intOr(1, 200_000, 10_000),
      groupAbove: intOr(1, 10_000_000, 50_000),
      expand: z
        .string()
        .max(2000)
        .transform((s) => s.split(",").map((x) => x.trim()))
        .pipe(
          z.array(z.string().regex(CampaignIdRe, "campaign ids like C3 or cm_ and 16 hex digits")).max(100),
        )
        .optional(),
    });
    const expand = f.extra.expand
      ? resolveCampaigns(a, f.extra.expand)
      : { numbers: new Set<string>(), unknown: [] };
    if (expand.unknown.length)
      throw new HttpError(
        404,
        `server: expand: no campaign ${expand.unknown.join(", ")} in the latest analysis`,
      );
    const campaigns =
      f.campaigns !== undefined || f.minScore !== undefined
        ? new Set(
            matchCampaigns(
              a,
              { list: [], range: { from: null, until: null }, campaigns: f.campaigns, minScore: f.minScore },
              a.doc.campaigns,
            ).map((x) => String(x["id"])),
          )
        : undefined;
    const g = await memo.get(a.run.id, requestKey(c), async () => ({
      graph: await caseGraph(
        d.view,
        a,
        {
          ...(f.layer !== undefined ? { layer: f.layer } : {}),
          fast: f.window === "fast",
          ...(f.platform !== undefined ? { platform: f.platform } : {}),
          ...(f.minTies !== undefined ? { minTies: f.minTies } : {}),
          ...(campaigns ? { campaigns } : {}),
          range: f.range,
        },
        {
          maxNodes: f.extra.maxNodes,
          maxEdges: f.extra.maxEdges,
          groupAbove: f.extra.groupAbove,
          expand: [...expand.numbers].sort(),
        },
      ),
      total: await memo.get(a.run.id, "graph-accounts", () => d.view.accountsWithTies(a.run.id)),
    }));
    // labels are read fresh: the analyst may change them between two requests
    const groups = g.graph.nodes
      .filter((n) => n.kind === "campaign")
      .map((n) => (n as { key: string | null }).key!);
    const accountsShown = g.graph.nodes.filter((n) => n.kind === "account").map((n) => n.id);
    const campaignLabels = await d.notes.labelsOf("campaign", groups);
    const accountLabels = await d.notes.labelsOf("account", accountsShown);
    const carry = groups.length > 0 ? await d.carried(a) : null;
    const shown = g.graph.nodes.reduce((n, x) => n + (x.kind === "account" ? 1 : x.size), 0);
    return c.json({
      run_id: a.run.id,
      filters: f.list,
      total: g.total,
      matched: g.graph.accounts_in_scope,
      shown,
      ...g.graph,
      nodes: g.graph.nodes.map((n) =>
        n.kind === "campaign"
          ? {
              ...n,
              label: campaignLabels.get(n.key!) ?? carry?.byNumber.get(n.id)?.label.label ?? null,
              // the overlap when the label was carried over from an earlier run's campaign
              label_carried_overlap: campaignLabels.has(n.key!)
                ? null
                : (carry?.byNumber.get(n.id)?.overlap ?? null),
            }
          : n.kind === "account"
            ? { ...n, label: accountLabels.get(n.id) ?? null }
            : n,
      ),
    });
  });
}

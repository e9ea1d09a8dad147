/**
 * The app's only way to the case: JSON over HTTP from the server that served it (same origin). Off loopback the
 * server wants a token; the page was opened with `?token=`, so every call carries it as a bearer header. Response
 * shapes follow docs/serve.md; fields the app does not read are left untyped.
 */
import type {
  DetectorStatus,
  FringeJoin as ModelFringeJoin,
  ObjectKind,
  Strength,
} from "../../../src/model/index.js";

const token = new URLSearchParams(location.search).get("token");

export class ApiError extends Error {
  override name = "ApiError";
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (token) headers["authorization"] = `Bearer ${token}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(path, {
    method,
    headers,
    credentials: "same-origin",
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  let data: unknown;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    throw new ApiError(res.status, `not JSON (${res.status})`);
  }
  if (!res.ok) {
    const msg = (data as { error?: string } | null)?.error ?? `HTTP ${res.status}`;
    throw new ApiError(res.status, msg);
  }
  return data as T;
}

export const get = <T>(path: string): Promise<T> => call<T>("GET", path);

/** A newer endpoint: null from a server that does not have it yet (404 "no route"), so the view can fall back. */
export async function optional<T>(path: string): Promise<T | null> {
  try {
    return await get<T>(path);
  } catch (err) {
    if (err instanceof ApiError && err.status === 404 && /no route/.test(err.message)) return null;
    throw err;
  }
}

export interface TimelineResponse {
  unit: string;
  total_posts: number;
  bins: Array<{ start: string; posts: number; accounts: number; a?: number; b?: number }>;
}

export interface HeatmapResponse {
  tz: string;
  /** posts[day][hour], Monday first, in the zone. */
  posts: number[][];
  total_posts: number;
}

/** A URL for a download link (exports), with the token when there is one. */
export function downloadUrl(path: string): string {
  return token ? `${path}${path.includes("?") ? "&" : "?"}token=${encodeURIComponent(token)}` : path;
}

export const enc = encodeURIComponent;

export interface Input {
  id: number;
  path: string;
  sha256: string;
  format: string;
  bytes?: number;
  rows: number;
  rejected: number;
  ingested_at: string;
}

export interface CaseOverview {
  case: string;
  inputs: Input[];
  rejects: { total: number; reasons: Array<{ reason: string; n: number }> };
  counts: {
    posts: number;
    accounts: number;
    objects: Array<{ kind: string; n: number }>;
    first_post: string | null;
    last_post: string | null;
    campaigns: number;
    accounts_with_findings: number;
    ruled_out: number;
    labels: number;
    notes: number;
  };
  /** Reported email; absent from a server older than the messages screen. */
  messages?: { total: number; hostile: number };
  analysis: { id: number; started_at: string; tool_version: string; status: string } | null;
  detectors: Array<{
    id: string;
    version: string;
    status: DetectorStatus;
    message: string;
    warnings?: unknown;
  }>;
}

export type LabelValue = "confirmed" | "benign" | "unsure";
export const LABEL_VALUES: readonly LabelValue[] = ["confirmed", "benign", "unsure"];

export interface Label {
  target_kind: "campaign" | "account" | "tie";
  target_id: string;
  label: LabelValue;
  /** Set when this label was carried over from an earlier run's campaign. */
  carried?: Carried | null;
  context?: unknown;
  created_at: string;
  updated_at: string;
  campaign?: string | null;
}

export interface Note {
  id: string;
  target_kind: "campaign" | "account" | "tie";
  target_id: string;
  text: string;
  created_at: string;
  updated_at?: string;
  /** A campaign note's campaign number in the latest analysis (null when none has its members now). */
  campaign?: string | null;
}

export interface TopObject {
  kind: ObjectKind | string;
  value: string;
  shares: number;
  members?: number;
  burst?: number;
  /** A near-duplicate text's first post, or the text of the post a repost, reply or quote names. */
  text?: string;
  /** The author of the post a repost, reply or quote names (`@handle`). */
  author?: string;
}

export interface CampaignRow {
  id: string;
  key: string;
  score: number;
  summary: string;
  layers: string[];
  members: number;
  /** Accounts that joined the campaign's bursts without ties (not among `members`). */
  fringe?: number;
  first_seen: string | null;
  last_seen: string | null;
  top_objects: TopObject[];
  label: Label | LabelValue | null;
  /** A label carried over from a campaign of an earlier run with most of these members. */
  label_carried?: Carried | null;
}

export interface Carried {
  from_number?: string;
  overlap?: number;
  caption: string;
}

export interface CampaignList {
  total: number;
  matched: number;
  shown: number;
  campaigns: CampaignRow[];
}

export interface Member {
  platform: string;
  id: string;
  handle: string | null;
  role: string;
  score: number;
  ties?: number;
  /** A fringe account's posts inside the campaign's bursts. */
  joined?: FringeJoin[];
}

/** A post by which a fringe account joined a campaign's bursts, with the file it was read from. */
export interface FringeJoin extends ModelFringeJoin {
  input_path?: string | null;
}

export interface PostRef {
  account?: string;
  handle?: string | null;
  post_id: string;
  ts: string;
  input_id?: number;
  input_path?: string;
  source_row?: number;
  text?: string | null;
}

export interface ExamplePair {
  layer: string;
  object?: string;
  a: PostRef;
  b: PostRef;
  gap_seconds: number;
  first: "a" | "b" | null;
}

export interface CampaignDetail {
  id: string;
  key: string;
  score: number;
  summary: string;
  layers: string[];
  accounts: Member[];
  first_seen: string | null;
  last_seen: string | null;
  top_objects: TopObject[];
  examples?: ExamplePair[];
  tie_notes?: string[];
  timeline?: Array<{ day: string; posts: number }>;
  hour_of_week?: number[];
  label: Label | null;
  notes: Note[];
  member_labels: Record<string, Label>;
  /** "objects": bound by shared objects; "behaviour": by timing alone (same-second bursts, shift rotas). */
  basis: "objects" | "behaviour";
  /** "coortweet" when co-share ran as CooRTweet does: raw counts over a quantile, no chance test. */
  compat: "coortweet" | null;
}

export interface GraphEdge {
  layer: string;
  a: string;
  b: string;
  weight: number;
  n_objects?: number;
  lift?: number | null;
  p_value?: number | null;
  tier?: string;
}

export interface CampaignGraph {
  total_nodes: number;
  total_edges: number;
  nodes: Array<Member & { key: string }>;
  edges: GraphEdge[];
}

export interface Finding {
  detector: string;
  strength: Strength;
  score: number;
  explanation: string;
  evidence: unknown;
}

export interface AccountDetail {
  key: string;
  profile: {
    platform: string;
    id: string;
    handle: string | null;
    display_name: string | null;
    bio: string | null;
    created_at: string | null;
    followers: number | null;
    following: number | null;
    location: string | null;
    input_path?: string;
    source_row?: number;
    posts: number;
    first_post: string | null;
    last_post: string | null;
  } | null;
  score: number;
  findings: Finding[];
  campaigns: Array<{ id: string; key: string; score: number; role: string; member_score: number }>;
  ties: {
    total: number;
    ties: Array<{
      partner: string;
      handle?: string | null;
      weight: number;
      layers: string[];
      min_p_value: number | null;
      binding: boolean;
    }>;
  };
  label: Label | null;
  notes: Note[];
}

export interface TieLayer extends GraphEdge {
  window_seconds?: number;
  pairs?: number;
  description?: string;
}

export interface TiePair {
  layer: string;
  object?: string | null;
  a: PostRef;
  b: PostRef;
  gap_seconds: number;
  first: "a" | "b" | null;
  source?: string;
}

export interface TieDetail {
  id: string;
  a: { key: string; handle: string | null };
  b: { key: string; handle: string | null };
  ties: TieLayer[];
  total: number;
  shown: number;
  pairs: TiePair[];
  label: Label | null;
  notes: Note[];
}

export type TargetKind = "campaign" | "account" | "tie";
/** Accounts whose handle, name or id holds the query, the closest first. */
export interface AccountSearch {
  q: string;
  total: number;
  offset: number;
  accounts: Array<{
    key: string;
    platform: string;
    id: string;
    handle: string | null;
    display_name: string | null;
    posts: number;
    score: number;
    campaigns: string[];
  }>;
}

export const VERDICTS = ["malicious", "suspicious", "no-signs-found", "unknown"] as const;
export type Verdict = (typeof VERDICTS)[number];
/** What the messages screen can filter by: a verdict, or malicious and suspicious together. */
export type VerdictFilter = Verdict | "hostile";

/** A page of reported email, the most dangerous first. */
export interface MessageList {
  total: number;
  matched: number;
  offset: number;
  /** The filter the page was read under (null: every message). */
  verdict: VerdictFilter | null;
  counts: Record<Verdict, number>;
  messages: Array<{
    sha256: string;
    ts: string | null;
    from_address: string | null;
    from_defanged: string | null;
    subject: string | null;
    verdict: string;
    score: number;
    /** The strongest reasons, in English, defanged. */
    reasons: string[];
    input_path: string;
    source_row: number;
  }>;
}

export interface Target {
  kind: TargetKind;
  id: string;
}

export const api = {
  overview: () => get<CaseOverview>("/api/case"),
  campaigns: (q: Record<string, string | number | undefined>) => {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(q)) if (v !== undefined) p.set(k, String(v));
    return get<CampaignList>(`/api/campaigns?${p.toString()}`);
  },
  campaign: (id: string) => get<CampaignDetail>(`/api/campaigns/${enc(id)}`),
  campaignGraph: (id: string) => get<CampaignGraph>(`/api/campaigns/${enc(id)}/graph`),
  account: (key: string) => get<AccountDetail>(`/api/accounts/${enc(key)}?ties=200`),
  tie: (a: string, b: string) => get<TieDetail>(`/api/ties/${enc(a)}/${enc(b)}?limit=2000`),
  searchAccounts: (q: string, offset: number, limit: number) =>
    get<AccountSearch>(`/api/accounts?q=${enc(q)}&offset=${offset}&limit=${limit}`),
  messages: (verdict: VerdictFilter | null, offset: number, limit: number) =>
    get<MessageList>(
      `/api/messages?offset=${offset}&limit=${limit}${verdict ? `&verdict=${enc(verdict)}` : ""}`,
    ),
  labels: () => get<{ total: number; labels: Label[] }>("/api/labels"),
  notes: () => get<{ total: number; notes: Note[] }>("/api/notes"),
  setLabel: (target: Target, label: LabelValue) =>
    call<{ label: Label }>("PUT", "/api/labels", { target, label }),
  deleteLabel: (target: Target) =>
    call<unknown>("DELETE", `/api/labels?kind=${enc(target.kind)}&id=${enc(target.id)}`),
  addNote: (target: Target, text: string) => call<{ note: Note }>("PUT", "/api/notes", { target, text }),
  deleteNote: (id: string) => call<unknown>("DELETE", `/api/notes/${enc(id)}`),
  // every write carries a JSON body: the server refuses a POST without a JSON content type (CSRF guard)
  undo: () => call<{ undone: unknown }>("POST", "/api/undo", {}),
};

/** The label's value, whichever shape the server sent (a row or a bare value). */
export function labelOf(l: Label | LabelValue | null | undefined): LabelValue | null {
  if (!l) return null;
  return typeof l === "string" ? l : l.label;
}

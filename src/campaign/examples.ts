/**
 * The example behind a tie, in one shape whatever detector drew it: two posts (id, time, input file and row),
 * which came first, the gap, and what they shared. Co-share, sync and fast-repost ties carry such a pair; ties
 * of timing alone (rhythm) carry none and are described in words instead.
 */
export interface ExamplePost {
  post_id: string;
  ts: string;
  input_id: number;
  source_row: number;
}

export interface ExamplePair {
  object: string;
  a: ExamplePost;
  b: ExamplePost;
  gap_seconds: number;
  first: "a" | "b";
}

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

function asPost(v: unknown): ExamplePost | null {
  if (!isObj(v)) return null;
  if (typeof v["post_id"] === "string" && typeof v["ts"] === "string") {
    return {
      post_id: v["post_id"],
      ts: v["ts"],
      input_id: Number(v["input_id"] ?? 0),
      source_row: Number(v["source_row"] ?? 0),
    };
  }
  // a fast repost: the repost is the member's own post
  return isObj(v["repost"]) ? asPost(v["repost"]) : null;
}

/** The example post pair of a tie's evidence, or null when the tie has none. */
export function examplePair(layer: string, evidence: Obj): ExamplePair | null {
  const ex = evidence["example"];
  if (!isObj(ex)) return null;
  const a = asPost(ex["a"]);
  const b = asPost(ex["b"]);
  if (!a || !b) return null;
  const original = isObj(ex["a"]) ? asPost(ex["a"]["original"]) : null;
  const object =
    typeof ex["object"] === "string"
      ? ex["object"]
      : original
        ? `repost of post ${original.post_id}`
        : typeof ex["burst_start"] === "string"
          ? `burst at ${ex["burst_start"]}`
          : layer;
  const gap =
    typeof ex["gap_seconds"] === "number"
      ? ex["gap_seconds"]
      : Math.round(Math.abs(Date.parse(a.ts) - Date.parse(b.ts))) / 1000;
  const first = ex["first"] === "a" || ex["first"] === "b" ? ex["first"] : a.ts <= b.ts ? "a" : "b";
  return { object, a, b, gap_seconds: gap, first };
}

/** A tie without a post pair, in words (rhythm: the two schedules and how they relate). */
export function describeTie(layer: string, evidence: Obj): string {
  if (layer === "rhythm") {
    const relation = typeof evidence["relation"] === "string" ? evidence["relation"] : "similar rhythm";
    const zone = typeof evidence["zone"] === "string" ? `, zone ${evidence["zone"]}` : "";
    const rota = typeof evidence["rota"] === "string" ? `, rota ${evidence["rota"]}` : "";
    const blocks =
      typeof evidence["block_a_utc"] === "string" && typeof evidence["block_b_utc"] === "string"
        ? `: ${evidence["block_a_utc"]} and ${evidence["block_b_utc"]} UTC`
        : "";
    return `${relation}${blocks}${zone}${rota}`;
  }
  const parts = Object.entries(evidence)
    .filter(
      ([k, v]) => !["significant", "tier", "example"].includes(k) && ["string", "number"].includes(typeof v),
    )
    .slice(0, 4)
    .map(([k, v]) => `${k.replace(/_/g, " ")} ${typeof v === "number" ? Math.round(v * 1000) / 1000 : v}`);
  return parts.join(", ") || layer;
}

/**
 * The conformance suite: one set of checks over every registered detector (DESIGN.md §4): valid metadata and
 * parameters, deterministic output, subjects and evidence that exist in the case, "found nothing" said explicitly
 * on an empty case, unknown parameters rejected; and the runner's containment of failing detectors.
 */
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { seededRng, type Detector } from "../src/detectors/detector.js";
import { DETECTORS, detectorById } from "../src/detectors/registry.js";
import { ParamError, parseParams, runDetectors, runOrder, type DetectorRun } from "../src/detectors/run.js";
import { ingestFile } from "../src/ingest/ingest.js";
import type { Edge, Finding } from "../src/model/index.js";
import { CaseStore } from "../src/store/case.js";
import { copypasta, TEMPLATES } from "./helpers/copypasta.js";
import { coShareWorld } from "./helpers/coshare-world.js";
import { conformanceCreationPosts } from "./helpers/creation-world.js";
import { conformanceShiftPosts } from "./helpers/rhythm-world.js";
import { conformanceImpersonationPosts } from "./fixtures/impersonation/world.js";
import { HOUR, PostLog, T0, writeJsonl } from "./helpers/posts.js";
import { tempDir } from "./helpers/tmp.js";

const NOW = new Date("2024-06-01T00:00:00Z");
const EMAIL_CASE = fileURLToPath(new URL("./fixtures/email-case", import.meta.url));
const STRENGTHS = ["weak", "moderate", "strong"];

let tmp: ReturnType<typeof tempDir>;
/** A case from two input files (the world's posts split in two), so that evidence must name the right file. */
let store: CaseStore;
let empty: CaseStore;
let textOnly: CaseStore;

beforeAll(async () => {
  tmp = tempDir();
  const world = coShareWorld(3);
  // the planted unit also pastes three messages (English, Persian, Arabic) with small edits
  const rng = seededRng(3);
  const pasted = [TEMPLATES.en[0]!, TEMPLATES.fa[0]!, TEMPLATES.ar[0]!].flatMap((text, k) =>
    copypasta({
      prefix: `paste${k}-`,
      accounts: world.planted,
      text,
      startMs: T0 + (k + 1) * 5 * HOUR,
      spacingMs: 3000,
      maxEdits: 2,
      rng,
    }),
  );
  const posts = [
    ...world.posts,
    ...pasted,
    ...conformanceShiftPosts(),
    ...conformanceImpersonationPosts(),
    ...conformanceCreationPosts(),
  ];
  const half = Math.floor(posts.length / 2);
  writeJsonl(tmp.path("part1.jsonl"), posts.slice(0, half));
  writeJsonl(tmp.path("part2.jsonl"), posts.slice(half));
  store = await CaseStore.open(tmp.path("world.duckdb"));
  await ingestFile(store, tmp.path("part1.jsonl"));
  await ingestFile(store, tmp.path("part2.jsonl"));
  // and reported emails: a phishing operation's messages among ordinary mail
  for (const f of ["campaign.mbox", "benign.mbox", "lone.eml"]) await ingestFile(store, `${EMAIL_CASE}/${f}`);
  empty = await CaseStore.open(tmp.path("empty.duckdb"));
  // posts, but nothing shared: no links, hashtags, mentions, reposts or replies
  const log = new PostLog();
  for (let i = 0; i < 20; i++) log.add(`quiet${i % 5}`, T0 + i * 1000, { text: `good morning ${i}` });
  writeJsonl(tmp.path("text.jsonl"), log.posts);
  textOnly = await CaseStore.open(tmp.path("text.duckdb"));
  await ingestFile(textOnly, tmp.path("text.jsonl"));
});
afterAll(() => {
  store.close();
  empty.close();
  textOnly.close();
  tmp.cleanup();
});

async function runOne(s: CaseStore, id: string, params: Record<string, unknown> = {}): Promise<DetectorRun> {
  const { runs } = await runDetectors(s, { only: [id], params: { [id]: params }, seed: 42, now: NOW });
  expect(runs.map((r) => r.id)).toEqual([id]);
  return runs[0]!;
}

/** Every number in the value is finite, and there is no bigint or undefined: it survives JSON unchanged. */
function assertJsonSafe(v: unknown, path = "$"): void {
  if (typeof v === "number") expect(Number.isFinite(v), path).toBe(true);
  else if (typeof v === "bigint" || typeof v === "undefined" || typeof v === "function") {
    expect.fail(`${path} is ${typeof v}`);
  } else if (Array.isArray(v)) v.forEach((x, i) => assertJsonSafe(x, `${path}[${i}]`));
  else if (v !== null && typeof v === "object") {
    for (const [k, x] of Object.entries(v)) assertJsonSafe(x, `${path}.${k}`);
  }
}

/** Every object inside `v` that names a post (`post_id`), with the path to it. */
function postRefs(v: unknown, path = "$", out: Array<{ path: string; ref: Record<string, unknown> }> = []) {
  if (Array.isArray(v)) v.forEach((x, i) => postRefs(x, `${path}[${i}]`, out));
  else if (v !== null && typeof v === "object") {
    const o = v as Record<string, unknown>;
    if (typeof o["post_id"] === "string") out.push({ path, ref: o });
    for (const [k, x] of Object.entries(o)) postRefs(x, `${path}.${k}`, out);
  }
  return out;
}

/** Every object inside `v` that names a message (`message_sha256`), with the path to it. */
function messageRefs(
  v: unknown,
  path = "$",
  out: Array<{ path: string; ref: Record<string, unknown> }> = [],
) {
  if (Array.isArray(v)) v.forEach((x, i) => messageRefs(x, `${path}[${i}]`, out));
  else if (v !== null && typeof v === "object") {
    const o = v as Record<string, unknown>;
    if (typeof o["message_sha256"] === "string") out.push({ path, ref: o });
    for (const [k, x] of Object.entries(o)) messageRefs(x, `${path}.${k}`, out);
  }
  return out;
}

/** Account keys (`platform:account_id`) the evidence names under account-like fields. */
function accountRefs(v: unknown, out: string[] = []): string[] {
  if (Array.isArray(v)) v.forEach((x) => accountRefs(x, out));
  else if (v !== null && typeof v === "object") {
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      if (["account", "accounts", "partners", "subject", "members"].includes(k)) {
        for (const s of [x].flat()) if (typeof s === "string") out.push(s);
      }
      accountRefs(x, out);
    }
  }
  return out;
}

describe.each(DETECTORS.map((d) => [d.id, d] as const))("detector %s", (id, d: Detector<never>) => {
  it("has an id, version, summary, needs, and parameters with defaults and help text", () => {
    expect(id).toMatch(/^[a-z][a-z0-9-]*$/);
    expect(DETECTORS.filter((x) => x.id === id)).toHaveLength(1);
    expect(detectorById(id)).toBe(d);
    expect(d.version).not.toBe("");
    expect(d.summary.length).toBeGreaterThan(10);
    expect(d.needs.length).toBeGreaterThan(0);
    for (const n of d.needs) expect(["posts", "objects", "accounts", "messages"]).toContain(n);
    // no parameters given: the defaults are valid
    expect(() => parseParams(d, {})).not.toThrow();
    const schema = z.toJSONSchema(d.params as unknown as z.ZodType, { io: "input" }) as {
      properties?: Record<string, { description?: string }>;
    };
    const props = Object.entries(schema.properties ?? {});
    for (const [k, p] of props) expect(p.description, `${id}.${k} has no help text`).toBeTruthy();
  });

  it("rejects unknown parameters with a ParamError naming the detector and the key", async () => {
    expect(() => parseParams(d, { definitelyNotAParam: 1 })).toThrow(ParamError);
    expect(() => parseParams(d, { definitelyNotAParam: 1 })).toThrow(
      new RegExp(`^${id}: .*definitelyNotAParam`),
    );
    const runsBefore = await store.scalar<number>("SELECT count(*)::INTEGER FROM runs");
    await expect(
      runDetectors(store, { only: [id], params: { [id]: { definitelyNotAParam: 1 } } }),
    ).rejects.toThrow(ParamError);
    // nothing was written
    expect(await store.scalar<number>("SELECT count(*)::INTEGER FROM runs")).toBe(runsBefore);
  });

  it("gives the same output for the same case and seed", async () => {
    const first = await runOne(store, id);
    const second = await runOne(store, id);
    expect(first.status).toBe("ok");
    // the tie columns (when a detector keeps them) say what its edges say, and what it writes to the case is
    // checked below; co-share's tests check both
    const strip = (r: DetectorRun) => ({
      ...r,
      seconds: 0,
      result: { ...r.result, ties: undefined, writeEdges: undefined },
    });
    expect(strip(second)).toEqual(strip(first));
    expect(JSON.stringify(strip(second).result)).toBe(JSON.stringify(strip(first).result));
  });

  describe("on a case with planted coordination", () => {
    let run: DetectorRun;
    let runId: number;
    let accounts: Set<string>;
    beforeAll(async () => {
      run = await runOne(store, id);
      runId = (await store.scalar<number>("SELECT max(id)::INTEGER FROM runs"))!;
      const rows = await store.all<{ k: string }>(
        `SELECT platform || ':' || account_id AS k FROM posts
          UNION SELECT platform || ':' || account_id FROM accounts`,
      );
      accounts = new Set(rows.map((r) => r.k));
    });

    it("finds something (or the rest of this suite would be vacuous)", () => {
      expect(run.status).toBe("ok");
      expect(run.result.findings.length + run.result.edges.length).toBeGreaterThan(0);
      expect(run.message).not.toBe("");
    });

    it("returns JSON-safe findings, edges, counts and details", () => {
      // tie columns (typed arrays) stay in memory; their edges are what is saved
      const { ties: _ties, writeEdges: _write, ...saved } = run.result;
      assertJsonSafe(saved);
      for (const [k, v] of Object.entries(run.result.counts)) {
        expect(Number.isInteger(v) && v >= 0, `${k} = ${v}`).toBe(true);
      }
    });

    it("names only accounts that exist in the case", () => {
      const check = (k: string, where: string): void => expect(accounts.has(k), `${where}: ${k}`).toBe(true);
      run.result.edges.forEach((e: Edge, i) => {
        check(e.a, `edge ${i}.a`);
        check(e.b, `edge ${i}.b`);
        expect(e.a).not.toBe(e.b);
        for (const k of accountRefs(e.evidence)) check(k, `edge ${i} evidence`);
      });
      run.result.findings.forEach((f: Finding, i) => {
        check(f.subject, `finding ${i}`);
        for (const k of accountRefs(f.evidence)) check(k, `finding ${i} evidence`);
      });
    });

    it("gives findings a closed strength, a score in [0, 1] and an explanation; edges a sound weight", () => {
      for (const f of run.result.findings) {
        expect(f.detector).toBe(id);
        expect(STRENGTHS).toContain(f.strength);
        expect(f.score).toBeGreaterThanOrEqual(0);
        expect(f.score).toBeLessThanOrEqual(1);
        expect(f.explanation.length).toBeGreaterThan(20);
      }
      for (const e of run.result.edges) {
        expect(e.weight).toBeGreaterThan(0);
        expect(e.nObjects).toBeGreaterThanOrEqual(1);
        if (e.pValue !== null) {
          expect(e.pValue).toBeGreaterThanOrEqual(0);
          expect(e.pValue).toBeLessThanOrEqual(1);
        }
        if (e.lift !== null) expect(e.lift).toBeGreaterThanOrEqual(0);
        expect(typeof e.evidence["significant"]).toBe("boolean");
      }
    });

    it("points its evidence at posts or messages that exist, in the input file and row they came from", async () => {
      // the edges' evidence as saved in the case: a detector may write its ties there itself (writeEdges)
      const saved = await store.all<{ evidence: string }>(
        "SELECT evidence::VARCHAR AS evidence FROM edges WHERE run_id = $r ORDER BY layer, a, b",
        { r: runId },
      );
      expect(saved).toHaveLength(run.result.edges.length);
      const evidence = [
        ...saved.map((e) => JSON.parse(e.evidence) as unknown),
        ...run.result.findings.map((f) => f.evidence),
      ];
      const refs = evidence.flatMap((x) => postRefs(x));
      const messages = evidence.flatMap((x) => messageRefs(x));
      expect(refs.length + messages.length).toBeGreaterThan(0);
      const stored = await store.all<{ sha256: string; input_id: number; source_row: number }>(
        "SELECT sha256, input_id, source_row::INTEGER AS source_row FROM messages",
      );
      const bySha = new Map(stored.map((m) => [m.sha256, m]));
      for (const { path, ref } of messages) {
        const m = bySha.get(ref["message_sha256"] as string);
        expect(m, `${path}: message ${String(ref["message_sha256"])}`).toBeDefined();
        expect(ref["input_id"], path).toBe(m!.input_id);
        expect(ref["source_row"], path).toBe(m!.source_row);
      }
      const rows = await store.all<{ post_id: string; input_id: number; source_row: number; ts: string }>(
        `SELECT post_id, input_id, source_row::INTEGER AS source_row,
                strftime(ts, '%Y-%m-%dT%H:%M:%S.%g') || 'Z' AS ts FROM posts`,
      );
      const posts = new Map(rows.map((r) => [r.post_id, r]));
      const inputs = new Set<number>();
      for (const { path, ref } of refs) {
        const p = posts.get(ref["post_id"] as string);
        expect(p, `${path}: post ${String(ref["post_id"])}`).toBeDefined();
        if ("input_id" in ref) expect(ref["input_id"], path).toBe(p!.input_id);
        if ("source_row" in ref) expect(ref["source_row"], path).toBe(p!.source_row);
        if ("ts" in ref) expect(ref["ts"], path).toBe(p!.ts);
        inputs.add(p!.input_id);
      }
      // the world was ingested from two files: every reference names one of them (checked per post above)
      expect([...inputs].every((i) => i === 1 || i === 2)).toBe(true);
    });

    it("is what runDetectors writes to the case", async () => {
      const runId = (await store.scalar<number>("SELECT max(id)::INTEGER FROM runs"))!;
      const saved = await store.all<{ n: number; sig: number }>(
        `SELECT count(*)::INTEGER AS n, count(*) FILTER (WHERE significant)::INTEGER AS sig
           FROM edges WHERE run_id = $r`,
        { r: runId },
      );
      const last = await runOne(store, id); // the same output as `run`, saved under a new run id
      expect(last.result.edges).toEqual(run.result.edges);
      const savedLast = await store.all<{ n: number; sig: number; f: number }>(
        `SELECT (SELECT count(*) FROM edges WHERE run_id = $r)::INTEGER AS n,
                (SELECT count(*) FROM edges WHERE run_id = $r AND significant)::INTEGER AS sig,
                (SELECT count(*) FROM findings WHERE run_id = $r)::INTEGER AS f`,
        { r: runId + 1 },
      );
      const sig = run.result.edges.filter((e) => e.evidence["significant"]).length;
      expect(saved[0]).toEqual({ n: run.result.edges.length, sig });
      expect(savedLast[0]).toEqual({ n: run.result.edges.length, sig, f: run.result.findings.length });
      const params = await store.scalar<string>("SELECT params::VARCHAR FROM runs WHERE id = $r", {
        r: runId + 1,
      });
      const p = JSON.parse(params!) as { seed: number; detectors: Record<string, unknown> };
      expect(p.seed).toBe(42);
      expect(p.detectors[id]).toEqual(parseParams(d, {}));
    });
  });

  it.each([
    ["an empty case", () => empty],
    ["a case of posts that share nothing", () => textOnly],
  ])("finds nothing on %s, and says so", async (_name, get) => {
    const r = await runOne(get(), id);
    expect(["ok", "skipped"]).toContain(r.status);
    expect(r.result.findings).toEqual([]);
    expect(r.result.edges).toEqual([]);
    expect(r.message.length).toBeGreaterThan(10);
    if (r.status === "ok") expect(r.message).toMatch(/\b(no|nothing|none)\b/i);
  });
});

describe("runDetectors", () => {
  afterEach(() => {
    vi.doUnmock("../src/detectors/registry.js");
    vi.resetModules();
  });

  it("rejects an unknown detector id", async () => {
    await expect(runDetectors(store, { only: ["no-such-detector"] })).rejects.toThrow(
      /unknown detector 'no-such-detector' \(detectors: .*co-share/,
    );
  });

  // Guards a fixed bug: parameters addressed to a detector id that does not exist (a typo such as
  // `--param coshare.alpha=0.05`) were silently ignored instead of rejected.
  it("rejects parameters for a detector that does not exist", async () => {
    await expect(runDetectors(store, { params: { coshare: { alpha: 0.05 } } })).rejects.toThrow(ParamError);
  });

  it("records a detector that throws as `error`, and the run goes on", async () => {
    const real = await vi.importActual<typeof import("../src/detectors/registry.js")>(
      "../src/detectors/registry.js",
    );
    const boom: Detector<Record<string, never>> = {
      id: "boom",
      version: "1",
      summary: "a detector that always fails",
      params: z.object({}).strict() as unknown as z.ZodType<Record<string, never>>,
      needs: ["posts"],
      run() {
        return Promise.reject(new Error("kaboom: the disk is on fire"));
      },
    };
    const detectors = [boom as unknown as Detector<never>, ...real.DETECTORS];
    vi.doMock("../src/detectors/registry.js", () => ({
      DETECTORS: detectors,
      detectorById: (id: string) => detectors.find((x) => x.id === id),
    }));
    const { runDetectors: run } = await import("../src/detectors/run.js");
    const warnings: string[] = [];
    const { runId, runs } = await run(store, {
      now: NOW,
      log: { info() {}, warn: (m) => warnings.push(m) },
    });
    expect(runs.map((r) => [r.id, r.status])).toEqual([
      ["boom", "error"],
      ...real.DETECTORS.map((x) => [x.id, "ok"]),
    ]);
    expect(runs[0]!.message).toBe("kaboom: the disk is on fire");
    expect(runs[0]!.result.findings).toEqual([]);
    expect(warnings).toContain("boom: failed: kaboom: the disk is on fire");
    // the others' output is in the case
    const edges = await store.scalar<number>("SELECT count(*)::INTEGER FROM edges WHERE run_id = $r", {
      r: runId,
    });
    expect(edges).toBe(runs.slice(1).reduce((n, r) => n + r.result.edges.length, 0));
    expect(edges).toBeGreaterThan(0);
  });

  // The detectors that hold millions of ties until the run is saved run last, so that the others' peaks (automation
  // sorts every post) do not stack on those ties; the runs are still listed and saved in the registry's order.
  it("runs co-share and sync after the others, and lists every run in the registry's order", async () => {
    const ran: string[] = [];
    const stub = (id: string): Detector<never> =>
      ({
        id,
        version: "1",
        summary: `stand-in for ${id}`,
        params: z.object({}).strict(),
        needs: ["posts"],
        run() {
          ran.push(id);
          return Promise.resolve({
            status: "ok",
            message: `${id} found nothing`,
            counts: {},
            findings: [],
            edges: [],
            warnings: [],
          });
        },
      }) as unknown as Detector<never>;
    const listed = ["near-duplicate", "co-share", "impersonation", "sync", "automation", "rhythm"];
    const detectors = listed.map(stub);
    vi.doMock("../src/detectors/registry.js", () => ({
      DETECTORS: detectors,
      detectorById: (id: string) => detectors.find((x) => x.id === id),
    }));
    vi.resetModules();
    const { runDetectors: run } = await import("../src/detectors/run.js");
    const { runs } = await run(empty, { now: NOW });
    expect(ran).toEqual(["near-duplicate", "impersonation", "automation", "rhythm", "co-share", "sync"]);
    expect(runs.map((r) => r.id)).toEqual(listed);
    const saved = await empty.scalar<string>("SELECT params::VARCHAR FROM runs ORDER BY id DESC LIMIT 1");
    expect(Object.keys((JSON.parse(saved!) as { detectors: object }).detectors)).toEqual(listed);
  });

  it("orders the real registry with near-duplicate before co-share, and co-share and sync last", () => {
    const ids = DETECTORS.map((d) => d.id);
    const order = runOrder(ids).map((i) => ids[i]!);
    expect([...order].sort()).toEqual([...ids].sort());
    expect(order.slice(-2)).toEqual(["co-share", "sync"]);
    expect(order.indexOf("near-duplicate")).toBeLessThan(order.indexOf("co-share"));
  });

  it("saves nothing of a run whose ties fail to save, even after some were written", async () => {
    const real = await vi.importActual<typeof import("../src/detectors/registry.js")>(
      "../src/detectors/registry.js",
    );
    const coShare = real.DETECTORS.find((x) => x.id === "co-share")!;
    let written = 0;
    // co-share writes its ties by its own SQL (writeEdges): this one writes all of them, then the disk fills up
    const failing: Detector<never> = {
      ...coShare,
      async run(ctx) {
        const result = await coShare.run(ctx);
        const write = result.writeEdges!;
        result.writeEdges = async (runId) => {
          await write(runId);
          written = (await store.scalar<number>("SELECT count(*)::INTEGER FROM edges WHERE run_id = $r", {
            r: runId,
          }))!;
          throw new Error("disk full");
        };
        return result;
      },
    };
    const detectors = real.DETECTORS.map((x) => (x.id === "co-share" ? failing : x));
    vi.doMock("../src/detectors/registry.js", () => ({
      DETECTORS: detectors,
      detectorById: (id: string) => detectors.find((x) => x.id === id),
    }));
    // the runner as loaded after the mock (this file imported it before)
    vi.resetModules();
    const { runDetectors: run } = await import("../src/detectors/run.js");
    const count = (sql: string): Promise<number | null> => store.scalar<number>(sql);
    const before = {
      runs: await count("SELECT count(*)::INTEGER FROM runs"),
      edges: await count("SELECT count(*)::INTEGER FROM edges"),
      findings: await count("SELECT count(*)::INTEGER FROM findings"),
    };
    await expect(run(store, { only: ["sync", "co-share"], now: NOW })).rejects.toThrow("disk full");
    // the ties were in the case when the save failed, and none of the run is there now
    expect(written).toBeGreaterThan(0);
    expect({
      runs: await count("SELECT count(*)::INTEGER FROM runs"),
      edges: await count("SELECT count(*)::INTEGER FROM edges"),
      findings: await count("SELECT count(*)::INTEGER FROM findings"),
    }).toEqual(before);
  });

  it("records a detector that cannot apply its parameters to the data as `error` without throwing", async () => {
    // CooRTweet semantics need a fixed window
    const r = await runOne(store, "co-share", { compat: "coortweet", window: "auto" });
    expect(r.status).toBe("error");
    expect(r.message).toMatch(/compat coortweet needs a fixed --window/);
    expect(r.result.edges).toEqual([]);
  });
});

/** `chorus analyze`, `chorus detect` and `chorus detectors`: from inputs (or a case) to campaigns and findings. */
import { clipText } from "../normalize/text.js";
import { defang, indicatorHost } from "../email/defang.js";
import { Command, InvalidArgumentError, Option } from "commander";
import { existsSync, mkdirSync, readdirSync, rmdirSync, statSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { z } from "zod";
import { OBJECT_KINDS } from "../model/index.js";
import { DETECTORS } from "../detectors/registry.js";
import { checkParams } from "../detectors/run.js";
import { isRuledOutGroup, type RuledOut } from "../campaign/index.js";
import { coortweetCompat } from "../report/findings.js";
import { analyzeCase, type AnalysisResult } from "../report/pipeline.js";
import { CaseStore } from "../store/case.js";
import {
  addIngestOptions,
  otherAccountWarning,
  rejectsHint,
  runIngest,
  type IngestFlags,
  type IngestRun,
} from "./ingest.js";
import { makeProgress } from "./progress.js";
import { oneLine } from "./terminal.js";
import {
  caseFiles,
  checkNotOverwriting,
  checkOutDir,
  count,
  expandInputs,
  fmt,
  intOption,
  noticeOnInterrupt,
  numberOption,
  UsageError,
  type KeptFile,
} from "./util.js";
import type { Io } from "./main.js";

/** The widest window the detectors take (co-share's parameter says the same). */
const MAX_WINDOW_SECONDS = 7 * 86400;

/** "500ms", "30s", "2m", "1h", "1d" or a plain number of seconds, as seconds (positive). */
function parseSeconds(value: string, what: string, auto: boolean): number {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?$/i.exec(value.trim());
  if (!m) {
    throw new InvalidArgumentError(
      `expected a duration like 30s, 2m or 60${auto ? ", or 'auto'" : ""}; got '${value}'`,
    );
  }
  const n = Number(m[1]);
  const unit = (m[2] ?? "s").toLowerCase();
  const scale: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400 };
  const sec = n * scale[unit]!;
  if (!(sec > 0)) throw new InvalidArgumentError(`the ${what} must be positive, got '${value}'`);
  return sec;
}

/** "500ms", "30s", "2m", "1h", "1d", a plain number of seconds, or "auto" (at most 7 days). */
export function parseWindow(value: string): number | "auto" {
  if (value === "auto") return "auto";
  const sec = parseSeconds(value, "window", true);
  if (sec > MAX_WINDOW_SECONDS) {
    throw new InvalidArgumentError(`the window can be at most 7 days (168h), got '${value}'`);
  }
  return sec;
}

function parseLayers(value: string): string[] {
  const layers = value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  for (const l of layers) {
    if (!(OBJECT_KINDS as readonly string[]).includes(l)) {
      throw new InvalidArgumentError(`unknown layer '${l}' (layers: ${OBJECT_KINDS.join(", ")})`);
    }
  }
  return layers;
}

/**
 * Parameters that take a duration as `--window` does ("30s", "2m"), beside a number of seconds; the windows are
 * capped at 7 days, as `--window` is, the others only by the detector's own bounds.
 */
const DURATION_PARAMS: Readonly<Record<string, Readonly<Record<string, (v: string) => number | "auto">>>> = {
  "co-share": {
    window: parseWindow,
    fastWindow: parseWindow,
    episodeGap: (v) => parseSeconds(v, "gap", false),
  },
};

function collectParam(
  value: string,
  prev: Record<string, Record<string, unknown>> | undefined,
): Record<string, Record<string, unknown>> {
  const m = /^([a-z-]+)\.([A-Za-z]+)=(.*)$/.exec(value);
  if (!m) throw new InvalidArgumentError(`expected detector.param=value, got '${value}'`);
  const [, detector, key, text] = m as unknown as [string, string, string, string];
  let v: unknown = text;
  try {
    v = JSON.parse(text);
  } catch {
    // a bare string
  }
  const of = Object.hasOwn(DURATION_PARAMS, detector) ? DURATION_PARAMS[detector]! : {};
  const duration = Object.hasOwn(of, key) ? of[key] : undefined;
  if (typeof v === "string" && duration !== undefined) {
    try {
      v = duration(v);
    } catch (err) {
      throw new InvalidArgumentError(`${detector}.${key}: ${(err as Error).message}`);
    }
  }
  return { ...prev, [detector]: { ...(prev?.[detector] ?? {}), [key]: v } };
}

interface DetectFlags {
  window?: number | "auto";
  fastWindow?: number;
  layers?: string[];
  alpha?: number;
  minCoshares?: number;
  seed: number;
  param?: Record<string, Record<string, unknown>>;
  compat?: string;
  minParticipation?: number;
  edgeQuantile?: number;
  minMembers?: number;
  json?: boolean;
  progress: boolean;
  report?: boolean;
  protect?: string;
}

function addDetectOptions(cmd: Command): Command {
  return cmd
    .option(
      "--window <duration>",
      "co-share window: 500ms, 30s, 2m, 1h, 1d, a number of seconds (at most 7 days), or auto (default 60s)",
      parseWindow,
    )
    .option(
      "--fast-window <duration>",
      "narrower window for the fast-core view (default a sixth of --window, at least 1 s and at most --window; one wider than --window is narrowed to it)",
      parseWindow,
    )
    .option(
      "--layers <list>",
      `object layers to compare, comma-separated (${OBJECT_KINDS.join(", ")})`,
      parseLayers,
    )
    .option(
      "--alpha <rate>",
      "false-discovery rate of the chance test (default 0.01)",
      numberOption("--alpha", 1e-12, 0.5),
    )
    .option(
      "--min-coshares <n>",
      "fewest co-shared objects for a tie (default 2)",
      intOption("--min-coshares", 1),
    )
    .option(
      "--min-members <n>",
      "smallest group reported as a campaign (default 3)",
      intOption("--min-members", 2),
    )
    .option("--seed <n>", "seed for every random choice (same seed, same result)", intOption("--seed", 0), 1)
    .option(
      "--param <detector.key=value>",
      "any detector parameter (repeatable; see 'chorus detectors'); co-share's window, fastWindow and episodeGap " +
        "also take durations such as 30s or 2m",
      collectParam,
    )
    .addOption(
      new Option("--compat <tool>", "reproduce another tool's semantics for checking").choices(["coortweet"]),
    )
    .option(
      "--min-participation <n>",
      "with --compat coortweet: min_participation",
      intOption("--min-participation", 1),
    )
    .option(
      "--edge-quantile <q>",
      "with --compat coortweet: edge_weight quantile",
      numberOption("--edge-quantile", 0, 1),
    )
    .option(
      "--protect <file>",
      "CSV of protected identities for the impersonation detector (handle, display_name[, platform, avatar, domain])",
    )
    .option("--json", "print a machine-readable summary")
    .option("--no-report", "write findings.json only, not report.html")
    .option("--no-progress", "never show a progress bar");
}

function detectorParams(flags: DetectFlags): Record<string, Record<string, unknown>> {
  const co: Record<string, unknown> = { ...(flags.param?.["co-share"] ?? {}) };
  if (flags.window !== undefined) co["window"] = flags.window;
  if (flags.fastWindow !== undefined) co["fastWindow"] = flags.fastWindow;
  if (flags.layers) co["layers"] = flags.layers;
  if (flags.alpha !== undefined) co["alpha"] = flags.alpha;
  if (flags.minCoshares !== undefined) co["minCoshares"] = flags.minCoshares;
  if (flags.compat) co["compat"] = flags.compat;
  if (flags.minParticipation !== undefined) co["minParticipation"] = flags.minParticipation;
  if (flags.edgeQuantile !== undefined) co["edgeQuantile"] = flags.edgeQuantile;
  return { ...flags.param, "co-share": co };
}

async function detectAndReport(
  casePath: string,
  outDir: string,
  flags: DetectFlags,
  params: Record<string, Record<string, unknown>>,
  io: Io,
  mustExist = false,
  ingest?: IngestRun,
): Promise<AnalysisResult> {
  const store = await CaseStore.open(casePath, { mustExist });
  const progress = makeProgress(flags.progress && !flags.json);
  const stopNotice = noticeOnInterrupt(io, () => {
    progress.stop();
    return (
      `chorus: interrupted: the analysis did not finish. Run the same command again for its findings and report ` +
      `(the case ${oneLine(casePath)} keeps its inputs).`
    );
  });
  try {
    const result = await analyzeCase(store, {
      outDir,
      casePath,
      report: flags.report !== false,
      seed: flags.seed,
      params,
      ...(flags.minMembers !== undefined ? { minMembers: flags.minMembers } : {}),
      progress: (done, total, label) => {
        progress.start(label ?? "detect", total);
        progress.update(done);
      },
      log: { info: () => {}, warn: (m) => io.err(`chorus: ${m}`) },
    });
    progress.stop();
    if (flags.json) {
      io.out(
        JSON.stringify(
          {
            case: casePath,
            ...(ingest === undefined ? {} : { inputs: ingest.inputs, refused: ingest.failed }),
            files: result.files,
            detectors: result.findings.detectors,
            campaigns: result.findings.campaigns.map((c) => ({
              id: c["id"],
              score: c["score"],
              accounts: (c["accounts"] as unknown[]).length,
            })),
          },
          null,
          2,
        ),
      );
    } else io.out(describeAnalysis(result));
    return result;
  } finally {
    stopNotice();
    progress.stop();
    store.close();
  }
}

/** The detectors' parameters from the flags, with the protect list read, checked as the detectors will. */
async function checkedParams(flags: DetectFlags): Promise<Record<string, Record<string, unknown>>> {
  const params = await withProtectList(detectorParams(flags), flags.protect);
  checkParams(params);
  return params;
}

/** The --protect list, read and validated here (errors name the file and line), as impersonation parameters. */
async function withProtectList(
  params: Record<string, Record<string, unknown>>,
  file: string | undefined,
): Promise<Record<string, Record<string, unknown>>> {
  if (!file) return params;
  const { loadProtectList, ProtectListError } = await import("../detectors/impersonation/protect.js");
  try {
    const list = await loadProtectList(file);
    return {
      ...params,
      impersonation: { ...(params["impersonation"] ?? {}), protected: list, protectFile: file },
    };
  } catch (err) {
    throw err instanceof ProtectListError ? new UsageError(err.message) : err;
  }
}

function wrap(text: string, width: number, indent: string): string {
  const words = text.split(/\s+/);
  const lines: string[] = [];
  let line = "";
  for (const w of words) {
    if (line && (line + " " + w).length > width) {
      lines.push(line);
      line = w;
    } else line = line ? line + " " + w : w;
  }
  if (line) lines.push(line);
  return lines.map((l) => indent + l).join("\n");
}

/** Groups ruled out that the terminal summary lists. */
const RULED_OUT_SHOWN = 8;

/**
 * Groups ruled out, each reason once with the groups it ruled out under it, each group named by a few members (an
 * account without a handle by its key), so that a person can find them in the report.
 */
export function ruledOutLines(groups: readonly RuledOut[]): string[] {
  // reasons that differ only in their percentages are one reason, stated with N% once; each group's own figures
  // follow its size
  const PERCENT = /\d+(?:\.\d+)?%/g;
  const byReason = new Map<string, RuledOut[]>();
  for (const g of groups) {
    const reason = g.reason.replace(PERCENT, "N%");
    const same = byReason.get(reason);
    if (same) same.push(g);
    else byReason.set(reason, [g]);
  }
  const name = (s: string): string => oneLine(s.includes(":") ? s : `@${s}`);
  const lines: string[] = [];
  for (const [reason, same] of byReason) {
    lines.push(wrap(reason, 100, "  "));
    for (const g of same) {
      const more = g.accounts > g.sample.length ? ", ..." : "";
      const figures = g.reason.match(PERCENT) ?? [];
      const own = figures.length > 0 ? ` (${figures.join(", ")})` : "";
      lines.push(`    ${fmt(g.accounts)} accounts${own}: ${g.sample.map(name).join(", ")}${more}`);
    }
  }
  return lines;
}

export function describeAnalysis(r: AnalysisResult): string {
  const out: string[] = [];
  for (const d of r.findings.detectors) {
    out.push(`detector ${d.id} [${d.status}] ${d.message}`);
    for (const w of d.warnings) out.push(`  warning: ${w}`);
  }
  out.push("");
  // with --compat the ties are CooRTweet's raw counts over a quantile, which no chance model tested
  const co = r.findings.detectors.find((d) => d.id === "co-share");
  const network =
    co && coortweetCompat(r.findings)
      ? `co-share's ties are CooRTweet's network, ${count(Number(co.counts["edges_above_threshold"] ?? 0), "edge")} ` +
        `among ${count(Number(co.counts["accounts_above_threshold"] ?? 0), "account")} above the weight quantile: ` +
        `raw co-share counts, no chance model`
      : null;
  if (r.campaigns.length === 0) {
    // groups tied beyond chance and then ruled out did act together: the headline must not say none did
    const ruled = r.ruledOut.filter(isRuledOutGroup).length;
    out.push(
      network !== null
        ? wrap(`No campaign: no group passed the group tests (${network}).`, 100, "")
        : ruled > 0
          ? wrap(
              `No campaign: ${ruled === 1 ? "the group" : `the ${ruled} groups`} of accounts tied beyond chance ` +
                `looked organic or open, and ${ruled === 1 ? "was" : "were"} ruled out (below, with the reason).`,
              100,
              "",
            )
          : "No campaign: no group of accounts acted together beyond chance.",
    );
  } else {
    const head = `${r.campaigns.length} campaign${r.campaigns.length === 1 ? "" : "s"}, most confident first`;
    out.push(wrap(`${head}${network === null ? "" : ` (${network})`}:`, 100, ""));
  }
  for (const c of r.campaigns.slice(0, 10)) {
    out.push("");
    const fringe = c.members.filter((m) => m.role === "fringe").length;
    const accounts = `${c.members.length - fringe} accounts${fringe > 0 ? ` (+${fringe} fringe)` : ""}`;
    out.push(
      `${c.id}  confidence ${c.score.toFixed(2)}  ${accounts}  layers: ${c.layers.join(", ")}  ` +
        `${(c.facts.firstSeen ?? "").slice(0, 10)} .. ${(c.facts.lastSeen ?? "").slice(0, 10)}`,
    );
    out.push(wrap(c.summary, 100, "    "));
    const ex = c.examples[0];
    if (ex) {
      // a handle or object of the data's cannot start a line of its own on the terminal
      const who = (h: string | null, k: string): string => oneLine(h ? `@${h}` : k);
      // the first mover first
      const [x, y] = ex.b.ts < ex.a.ts ? [ex.b, ex.a] : [ex.a, ex.b];
      out.push(
        `    e.g. ${who(x.handle, x.account)} (${x.ts}), then ${who(y.handle, y.account)} (${y.ts}): ` +
          `${ex.layer} "${oneLine(clipText(String(ex.object ?? ""), 80))}", ${Number(ex.gap_seconds ?? 0).toFixed(1)} s apart`,
      );
    }
  }
  if (r.campaigns.length > 10) out.push(`\n... and ${r.campaigns.length - 10} more in findings.json`);
  if (r.ruledOut.length > 0) {
    const groups = r.ruledOut.filter(isRuledOutGroup);
    if (groups.length > 0) {
      out.push("");
      out.push(`Ruled out ${groups.length} group${groups.length === 1 ? "" : "s"} that looked organic:`);
      out.push(...ruledOutLines(groups.slice(0, RULED_OUT_SHOWN)));
      if (groups.length > RULED_OUT_SHOWN) {
        out.push(
          `  ... and ${groups.length - RULED_OUT_SHOWN} more in findings.json (ruled_out) and the report`,
        );
      }
    }
    const few = r.ruledOut.filter((x) => !isRuledOutGroup(x));
    const pairs = few.length;
    if (pairs > 0) {
      const what = few.every((x) => x.accounts === 2) ? "pair" : "small group";
      out.push(
        `${groups.length > 0 ? "" : "\n"}  ${fmt(pairs)} ${what}${pairs === 1 ? "" : "s"} of accounts tied ` +
          `${network === null ? "beyond chance " : ""}` +
          `but too few to be a campaign: in findings.json (ruled_out)`,
      );
    }
  }
  const email = r.findings.detectors.find((d) => d.id === "email-infrastructure");
  const groups = (email?.details["groups"] ?? []) as Array<{
    id: string;
    strength: string;
    size: number;
    hostile: number;
    summary: string;
    indicators: Array<{ value: string }>;
  }>;
  if (groups.length > 0) {
    out.push("");
    out.push(
      `${groups.length} email operation${groups.length === 1 ? "" : "s"} (messages sharing rare infrastructure):`,
    );
    for (const g of groups.slice(0, 5)) {
      const hosts = g.indicators.map((i) => indicatorHost(i.value));
      out.push(`  ${g.id}  ${g.strength}  ${g.size} messages, ${g.hostile} triaged hostile`);
      out.push(wrap(defang(g.summary, hosts), 100, "    "));
    }
    if (groups.length > 5) out.push(`  ... and ${groups.length - 5} more in findings.json and the report`);
  }
  out.push("");
  out.push(`Wrote ${r.files.join(", ")}`);
  return out.join("\n");
}

/**
 * The inputs stored in the case at `casePath` that are not among `files`: by path, or by name and size where the
 * earlier run named the same file from elsewhere.
 */
async function inputsBesides(casePath: string, files: string[]): Promise<string[]> {
  const here = new Set(files.map((f) => resolve(f)));
  const named = new Set(
    files.filter((f) => existsSync(f)).map((f) => `${basename(f)}\u0000${statSync(f).size}`),
  );
  const store = await CaseStore.open(casePath, { readOnly: true, mustExist: true });
  try {
    const rows = await store.all<{ path: string; bytes: number }>(
      "SELECT path, bytes::DOUBLE AS bytes FROM inputs ORDER BY id",
    );
    return rows
      .filter((r) => !here.has(resolve(r.path)) && !named.has(`${basename(r.path)}\u0000${r.bytes}`))
      .map((r) => r.path);
  } finally {
    store.close();
  }
}

/** Remove `dir` and its parents up to `top` (the first that mkdir made), each only while empty. */
function removeEmptyDirs(dir: string, top: string): void {
  for (let d = dir; d !== dirname(d) && readdirSync(d).length === 0; d = dirname(d)) {
    rmdirSync(d);
    if (d === top) break;
  }
}

export function analyzeCommand(io: Io): Command {
  const cmd = new Command("analyze")
    .summary("ingest inputs, detect coordination, write findings and the case report")
    .description(
      "Ingest the inputs into a case, run every detector, group accounts into campaigns, and write " +
        "DIR/findings.json (schema chorus.findings/v1) and DIR/report.html (a self-contained case report " +
        "that opens offline in any browser), with a readable summary on the terminal.",
    )
    .argument("<inputs...>", "files or directories of posts (see 'chorus formats')")
    .requiredOption("-o, --out <dir>", "output directory")
    .option(
      "--case <path>",
      "the case file (default DIR/case.duckdb, refused if it holds inputs of an earlier analysis that are not " +
        "among these: name it here to add them to it)",
    );
  addIngestOptions(cmd);
  addDetectOptions(cmd);
  cmd.addHelpText(
    "after",
    `
Examples:
  $ chorus analyze sample/posts.jsonl -o out/
  $ chorus analyze tweets.jsonl --window 30s -o out/
  $ chorus analyze shares.csv.gz --format coortweet --compat coortweet --window 60 --min-participation 2 --edge-quantile 0.5 -o out/`,
  );
  cmd.action(async (inputs: string[], flags: DetectFlags & IngestFlags & { out: string; case?: string }) => {
    const casePath = flags.case ?? join(flags.out, "case.duckdb");
    checkOutDir(flags.out, "analyze writes its case, findings and report there");
    const files = expandInputs(inputs);
    checkOutputs(flags.out, flags.report !== false, [
      ...caseFiles(casePath),
      ...files.map((path) => ({ path, what: "one of the inputs" })),
    ]);
    // the case of an output directory is this analysis's own: inputs of an earlier one would be mixed into its
    // findings without a word. Adding to a case is what --case is for
    if (flags.case === undefined && existsSync(casePath)) {
      const others = await inputsBesides(casePath, files);
      if (others.length > 0) {
        const named =
          others.slice(0, 3).join(", ") + (others.length > 3 ? ` and ${others.length - 3} more` : "");
        throw new UsageError(
          `${casePath} already holds ${others.length === 1 ? "an input" : `${others.length} inputs`} of an ` +
            `earlier analysis that ${others.length === 1 ? "is" : "are"} not among these (${named}): the findings ` +
            `would mix them. Write to a new -o DIR, or give --case ${casePath} to analyse them together on purpose.`,
        );
      }
    }
    // the parameters and the protect list are checked before the ingest, which can take minutes
    const params = await checkedParams(flags);
    const madeDir = mkdirSync(flags.out, { recursive: true });
    // runIngest removes a case it created and stored nothing in; the output directory goes too when this run made it
    const unmake = (): void => {
      if (madeDir !== undefined) removeEmptyDirs(resolve(flags.out), resolve(madeDir));
    };
    let ing: IngestRun;
    try {
      ing = await runIngest(inputs, { ...flags, case: casePath, json: true }, { ...io, out: () => {} });
    } catch (err) {
      unmake();
      throw err;
    }
    if (ing.inputs.length === 0) {
      unmake();
      const why =
        `nothing analysed: ${ing.failed.length === 1 ? "the input was" : `all ${ing.failed.length} inputs were`} ` +
        `refused`;
      // a script reading --json gets the refusals too, not an empty output
      if (flags.json)
        io.out(JSON.stringify({ case: null, inputs: [], refused: ing.failed, error: why }, null, 2));
      throw new UsageError(`${why} (the reasons are above)`);
    }
    for (const s of ing.inputs) {
      const other = otherAccountWarning(s);
      if (other) io.err(`chorus: warning: ${oneLine(s.path)}: ${other}`);
    }
    // a file read before with other options keeps what they read: a corrected --map would be ignored without a word
    for (const s of ing.inputs) {
      if (s.skipped && s.earlierOptions !== undefined) {
        io.err(
          `chorus: warning: ${oneLine(s.path)} is already in the case, read with ${oneLine(s.earlierOptions)}; the ` +
            `options given now are not applied to it. To read it with them, analyse it into a new case`,
        );
      }
    }
    if (!flags.json) {
      const posts = ing.inputs.reduce((n, s) => n + s.postsStored, 0);
      const rejected = ing.inputs.reduce((n, s) => n + (s.skipped ? 0 : s.rowsRejected), 0);
      const refused =
        ing.failed.length === 0
          ? ""
          : `, ${ing.failed.length} refused (${ing.failed.map((f) => oneLine(f.path)).join(", ")}: analysed without ` +
            `${ing.failed.length === 1 ? "it" : "them"})`;
      io.out(
        `case ${casePath}: ${ing.inputs.length} input file${ing.inputs.length === 1 ? "" : "s"} read${refused}, ` +
          `${count(posts, "new post")}, ${count(rejected, "row")} rejected${rejectsHint(casePath, rejected)}`,
      );
    }
    await detectAndReport(casePath, flags.out, flags, params, io, false, ing);
    if (ing.failed.length > 0) io.setExitCode(1);
  });
  return cmd;
}

export function detectCommand(io: Io): Command {
  const cmd = new Command("detect")
    .summary("run the detectors on a case and write findings")
    .description(
      "Run the detectors on an existing case (as 'analyze' does after ingest) and write DIR/findings.json " +
        "and DIR/report.html.",
    )
    .requiredOption("--case <path>", "the case file")
    .requiredOption("-o, --out <dir>", "output directory");
  addDetectOptions(cmd);
  cmd.addHelpText(
    "after",
    "\nExamples:\n  $ chorus detect --case out/case.duckdb -o out/\n  $ chorus detect --case iran.duckdb --window auto --layers url,repost -o out-auto/",
  );
  cmd.action(async (flags: DetectFlags & { out: string; case: string }) => {
    checkOutDir(flags.out, "detect writes findings.json and report.html there");
    checkOutputs(flags.out, flags.report !== false, caseFiles(flags.case));
    const params = await checkedParams(flags);
    await detectAndReport(flags.case, flags.out, flags, params, io, true);
  });
  return cmd;
}

export function detectorsCommand(io: Io): Command {
  return new Command("detectors")
    .summary("list the detectors and their parameters")
    .description(
      "List the detectors with their parameters, defaults and ranges (set any with --param detector.key=value).",
    )
    .option("--json", "print JSON Schema for each detector's parameters")
    .addHelpText("after", "\nExamples:\n  $ chorus detectors\n  $ chorus detectors --json")
    .action((flags: { json?: boolean }) => {
      const list = DETECTORS.map((d) => ({
        id: d.id,
        version: d.version,
        summary: d.summary,
        needs: d.needs,
        params: z.toJSONSchema(d.params as unknown as z.ZodType, { io: "input" }) as {
          properties?: Record<string, { description?: string; default?: unknown }>;
        },
      }));
      if (flags.json) {
        io.out(JSON.stringify(list, null, 2));
        return;
      }
      for (const d of list) {
        io.out(`${d.id} (v${d.version}): ${d.summary}`);
        for (const [k, p] of Object.entries(d.params.properties ?? {})) {
          const def = p.default !== undefined ? ` (default ${JSON.stringify(p.default)})` : "";
          io.out(`  ${d.id}.${k}: ${p.description ?? ""}${def}`);
        }
      }
    });
}

/** Refuse an analysis whose findings.json or report.html in `dir` would be written over the case or an input. */
function checkOutputs(dir: string, report: boolean, kept: readonly KeptFile[]): void {
  for (const file of report ? ["findings.json", "report.html"] : ["findings.json"]) {
    checkNotOverwriting(join(dir, file), kept, `-o ${dir}: its ${file}`);
  }
}

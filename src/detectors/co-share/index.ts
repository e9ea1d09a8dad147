/**
 * `co-share`: pairs of accounts that shared the same objects (links, domains, hashtags, mentions, reposts,
 * replies, near-duplicate texts, images) within a time window, far more often than their activity and the
 * objects' popularity and timing explain. See README.md beside this file.
 */
import { z } from "zod";
import { OBJECT_KINDS, type Edge, type Finding, type ObjectKind, type TieTable } from "../../model/index.js";
import { collectGarbage, lapLogger, skipped, type Detector, type DetectorResult } from "../detector.js";
import { significantPerLayer } from "./chance.js";
import { smallestK } from "../../stats/select.js";
import { accountPartners } from "../partners.js";
import { newTieColumns, stageTies, TIERS, type AccountRef, type TieColumns, writeTies } from "./evidence.js";
import { MIN_REPEATS, layerPairBudget, type LayerOutcome, type LayerSpec } from "./layer.js";
import { layerThreads, runLayers } from "./layers.js";
import { runCoortweet } from "./compat.js";
import { layerCounts, loadLayer, type LayerShares } from "./load.js";
import { buildShares } from "../../store/shares.js";
import { SettingsLease } from "../../store/bulk-settings.js";
import { estimateWindow, type WindowEstimate } from "./window.js";

export const coShareParams = z
  .object({
    window: z
      .union([
        z
          .number()
          .positive()
          .max(7 * 86400),
        z.literal("auto"),
      ])
      .default(60)
      .describe("co-share window in seconds (inclusive), or 'auto' to estimate it from the data"),
    fastWindow: z
      .number()
      .positive()
      .optional()
      .describe(
        "narrower window for the fast-core view, seconds (default: a sixth of the window, at least 1 s, at most the window)",
      ),
    layers: z
      .array(z.enum(OBJECT_KINDS as [ObjectKind, ...ObjectKind[]]))
      .optional()
      .describe("object layers to compare (default: every layer present in the case)"),
    alpha: z
      .number()
      .gt(0)
      .lt(1)
      .default(0.01)
      .describe("false-discovery rate for the chance test, in each layer"),
    minCoshares: z
      .number()
      .int()
      .min(1)
      .default(2)
      .describe("fewest distinct co-shared objects for a pair to count as an edge"),
    maxPartnersPerShare: z
      .number()
      .int()
      .min(10)
      .default(1000)
      .describe("viral guard: partners considered per share (the nearest in time)"),
    maxPairs: z
      .number()
      .int()
      .min(1000)
      .default(20_000_000)
      .describe(
        "memory guard: account pairs a layer may meet, or 10 per share of the layer if more; past it the viral " +
          "guard's partners per share are halved until the layer fits",
      ),
    compat: z
      .enum(["coortweet"])
      .optional()
      .describe(
        "reproduce CooRTweet 2.1.3 exactly (raw co-share counts and a quantile threshold, no chance model)",
      ),
    minParticipation: z
      .number()
      .int()
      .min(1)
      .default(2)
      .describe("with compat coortweet: min_participation (fewest shares for an account to take part)"),
    edgeQuantile: z
      .number()
      .min(0)
      .max(1)
      .default(0.5)
      .describe("with compat coortweet: edge_weight, the quantile of edge weights an edge must exceed"),
    episodeGap: z
      .number()
      .positive()
      .optional()
      .describe(
        "seconds of silence after which an object's next share starts a new episode (default max(1 h, 10 x window))",
      ),
    candidateP: z
      .number()
      .gt(0)
      .lt(1)
      .default(0.001)
      .describe("per-pair p-value under which a tie may bind a group that passes the group tests"),
    keepInsignificant: z
      .number()
      .int()
      .min(0)
      .default(100_000)
      .describe("edges that fail the chance test kept in the case, strongest first"),
  })
  .strict();

export type CoShareParams = z.infer<typeof coShareParams>;

/**
 * A layer whose repeated meetings the chance model still explains after a closed layer's own test (`isClosed`,
 * layer.ts): pairs met on `MIN_REPEATS` objects or more, yet every kept pair's lift is under 2. Null otherwise.
 */
export function closedLayer(
  o: Pick<LayerOutcome, "objects" | "expected">,
): { pairs: number; maxLift: number } | null {
  let pairs = 0;
  let maxLift = 0;
  for (let i = 0; i < o.objects.length; i++) {
    const lift = o.objects[i]! / Math.max(o.expected[i]!, 1e-300);
    if (lift > maxLift) maxLift = lift;
    if (o.objects[i]! >= MIN_REPEATS) pairs++;
  }
  return pairs > 0 && maxLift < 2 ? { pairs, maxLift } : null;
}

/** A share as a percentage to two significant digits, 100% and 0% as such ("5.0%", "0.019%", "100%"). */
function percentOf(q: number): string {
  const p = q * 100;
  return p >= 99.95 ? "100%" : p <= 0 ? "0%" : `${Number(p.toPrecision(2))}%`;
}

/** A layer's outcome (layer.ts), named by its layer. */
type LayerRun = LayerOutcome & Pick<LayerShares, "layer" | "rows">;

export const coShareDetector: Detector<CoShareParams> = {
  id: "co-share",
  version: "1",
  summary: "accounts that share the same objects within seconds of each other, far more often than chance",
  params: coShareParams,
  needs: ["posts", "objects"],
  async run(ctx): Promise<DetectorResult> {
    const { store, params } = ctx;
    const present = await layerCounts(store);
    const layers = (params.layers ?? OBJECT_KINDS).filter((l) => (present.get(l) ?? 0) > 1);
    if (layers.length === 0) return skipped("no shared objects (links, hashtags, reposts, ...) in the case");
    if (params.compat === "coortweet") return runCoortweet(ctx.store, params, layers);
    const step = lapLogger((m) => ctx.log.info(m), "co-share: ");
    const dict = await buildShares(store, layers);
    const loaded: LayerShares[] = [];
    for (const layer of layers) loaded.push(await loadLayer(store, layer));
    step(`loaded ${loaded.reduce((n, l) => n + l.rows, 0)} shares of ${layers.length} layers`);

    let estimate: WindowEstimate | null = null;
    let windowSec: number;
    const warnings: string[] = [];
    if (params.window === "auto") {
      estimate = estimateWindowAcross(loaded);
      windowSec = estimate?.windowSec ?? 60;
      if (!estimate) warnings.push("too few re-shared objects to estimate a window: used 60 s");
    } else windowSec = params.window;
    // the fast core is a narrower view of the same meetings: never wider than the window
    let fastSec = params.fastWindow ?? Math.min(windowSec, Math.max(1, Math.round(windowSec / 6)));
    if (fastSec > windowSec) {
      warnings.push(`the fast-core window (${fastSec} s) was wider than the window: used ${windowSec} s`);
      fastSec = windowSec;
    }

    const spec = layerSpec(params, windowSec, fastSec, dict.accounts);
    const threads = layerThreads(
      loaded.reduce((n, l) => n + l.rows, 0),
      loaded.length,
    );
    if (threads > 1) step(`layers on ${threads} threads`);
    let done = 0;
    // DuckDB sits idle while the layers run, holding the shares it numbered (half a GiB at 10M posts) as the
    // layers reach the analysis's peak of memory: it writes them to its temporary files until they are done. With
    // threads, the time since the last step is not the layer's: each says how long it ran in its thread
    const outcomes = await SettingsLease.during(
      ctx.store.conn,
      LAYERS_SETTINGS,
      (why) => ctx.log.warn(`co-share: DuckDB's memory limit stays as it is while the layers run: ${why}`),
      () =>
        runLayers(loaded, spec, threads, (i, o, seconds) => {
          ctx.progress(++done, loaded.length, `co-share ${loaded[i]!.layer}`);
          step(
            `${loaded[i]!.layer}: ${loaded[i]!.rows} shares, ${o.pairsMet} pairs met, ${o.a.length} kept ` +
              `(ran ${seconds.toFixed(2)} s)`,
          );
        }),
    );
    const runs: LayerRun[] = [];
    const fits: Record<string, { iterations: number; maxRelError: number }> = {};
    outcomes.forEach((o, li) => {
      const shares = loaded[li]!;
      fits[shares.layer] = o.fit;
      if (o.fit.maxRelError > 0.01) {
        warnings.push(
          `${shares.layer}: the chance model matched the accounts' activity and the objects' popularity only to ` +
            `${(o.fit.maxRelError * 100).toFixed(1)}% (its fit stopped after ${o.fit.iterations} iterations): ` +
            `this layer's p-values are approximate`,
        );
      }
      const cap = o.totals.cap;
      if (cap < params.maxPartnersPerShare) {
        warnings.push(
          `${shares.layer}: more than ${layerPairBudget(params.maxPairs, shares.rows).toLocaleString("en-US")} ` +
            `account pairs met (the memory guard, maxPairs); each share was compared with its ${cap} nearest ` +
            `instead of ${params.maxPartnersPerShare}, on ${o.totals.objectsCapped} objects ` +
            `(${o.totals.sharePairsSkipped.toLocaleString("en-US")} share pairs not counted)`,
        );
      } else if (o.totals.objectsCapped > 0) {
        warnings.push(
          `${shares.layer}: ${o.totals.objectsCapped} viral objects had more than ` +
            `${cap} shares near one another; each share was compared with its ` +
            `${cap} nearest (${o.totals.sharePairsSkipped.toLocaleString("en-US")} share pairs not counted)`,
        );
      }
      if (Number.isFinite(o.pooledQ)) {
        warnings.push(
          `${shares.layer}: the accounts that meet are nearly all who share this layer's objects, so each object's ` +
            `own timing explained every meeting; its pairs were tested against the timing of the layer's shares at ` +
            `large instead (two shares by two accounts within ${windowSec} s of each other: ` +
            `${percentOf(o.pooledQ)} of all pairs of its shares)`,
        );
      }
      const closed = closedLayer(o);
      if (closed) {
        warnings.push(
          `${shares.layer}: ${closed.pairs.toLocaleString("en-US")} pair${closed.pairs === 1 ? "" : "s"} of accounts ` +
            `met on ${MIN_REPEATS} or more of its objects, yet no more often than the chance model expects of ` +
            `them (the strongest lift ${closed.maxLift.toFixed(1)}): the accounts that meet are nearly all who ` +
            `share this layer's objects, so chance cannot be told apart from a group that is most of the layer`,
        );
      }
      // the layer's shares are done with: their columns go with `loaded`
      runs.push({ ...o, layer: shares.layer, rows: shares.rows });
    });
    outcomes.length = 0;
    loaded.length = 0;

    // the hypotheses of a layer are its pairs that met at least once (see chance.ts)
    const hypotheses = runs.reduce((n, r) => n + r.pairsMet, 0);
    // every kept pair met at least minCoshares times (tieCandidates): no pair that can never be an edge is tested
    // here, and the pairs left out count among the hypotheses
    const significant = significantPerLayer(
      runs.map((r) => ({ logP: r.logP, hypotheses: r.pairsMet })),
      params.alpha,
    );
    // the fast core uses the same false-discovery control at its own window
    const fastFlags = significantPerLayer(
      runs.map((r) => ({ logP: r.fastLogP, hypotheses: r.fastPairsMet })),
      params.alpha,
    );
    // the ties in their final order (significant in scan order, then candidates, then the strongest of the
    // pairs that chance explains) as columns (layer run, pair, tier index): tens of millions of pairs are
    // classified, so no object or growing array per pair
    const counts: Record<string, number> = { accounts: dict.accounts, posts: dict.posts };
    const logCandidate = Math.log(params.candidateP);
    const SIGNIFICANT = 0;
    const CANDIDATE = 1;
    const CHANCE = 2;
    const NONE = 3;
    const classOf = (r: LayerRun, flags: Uint8Array, i: number): number =>
      flags[i]
        ? SIGNIFICANT
        : r.objects[i]! < params.minCoshares
          ? NONE
          : r.logP[i]! <= logCandidate
            ? CANDIDATE
            : CHANCE;
    const perClass = [0, 0, 0, 0];
    runs.forEach((r, li) => {
      const flags = significant[li]!;
      const mine = [0, 0, 0, 0];
      for (let i = 0; i < flags.length; i++) mine[classOf(r, flags, i)]!++;
      for (let c = 0; c < 4; c++) perClass[c]! += mine[c]!;
      counts[`${r.layer}_shares`] = r.rows;
      counts[`${r.layer}_pairs`] = r.pairsMet;
      counts[`${r.layer}_significant`] = mine[SIGNIFICANT]!;
      counts[`${r.layer}_candidates`] = mine[CANDIDATE]!;
    });
    const significantEdges = perClass[SIGNIFICANT]!;
    const candidateEdges = perClass[CANDIDATE]!;
    // pairs that chance explains, in scan order, of which the strongest are kept: smallest p-value, then layer
    // and pair order
    const chanceLayer = new Uint8Array(perClass[CHANCE]!);
    const chancePair = new Int32Array(perClass[CHANCE]!);
    const chanceLogP = new Float64Array(perClass[CHANCE]!);
    const kept = Math.min(perClass[CHANCE]!, params.keepInsignificant);
    const tieCount = significantEdges + candidateEdges + kept;
    const tieRun = new Uint8Array(tieCount);
    const tiePair = new Int32Array(tieCount);
    const tieTier = new Uint8Array(tieCount);
    const next = [0, significantEdges, 0];
    runs.forEach((r, li) => {
      const flags = significant[li]!;
      for (let i = 0; i < flags.length; i++) {
        const c = classOf(r, flags, i);
        if (c === NONE) continue;
        if (c === CHANCE) {
          const at = next[CHANCE]!++;
          chanceLayer[at] = li;
          chancePair[at] = i;
          chanceLogP[at] = r.logP[i]!;
          continue;
        }
        const at = next[c]!++;
        tieRun[at] = li;
        tiePair[at] = i;
        tieTier[at] = c;
      }
    });
    let at = significantEdges + candidateEdges;
    for (const k of smallestK(chanceLogP, params.keepInsignificant)) {
      tieRun[at] = chanceLayer[k]!;
      tiePair[at] = chancePair[k]!;
      tieTier[at++] = CHANCE;
    }
    step(`false-discovery control: ${significantEdges} significant, ${candidateEdges} candidates`);
    const layerNames = runs.map((r) => r.layer);
    significant.length = 0;
    // everything the ties need goes into their columns, and each layer's pairs and tests are let go once copied
    // (gigabytes at 10M posts: held beside the new columns, they made the analysis's peak), before the ties are
    // copied into the case
    const ties = tieColumns(runs, fastFlags, tieRun, tiePair, tieTier);
    step(`${tieRun.length} ties as columns`);
    const accountsOf = await stageTies(store, ties);
    const table = tieTable(ties, layerNames, accountsOf, windowSec);
    step(`staged ${tieRun.length} ties`);
    const findings = accountFindings(ties, significantEdges, layerNames, windowSec, accountsOf);
    // one finding per account in a significant tie
    const inSignificant = findings.length;
    counts["edges_significant"] = significantEdges;
    counts["edges_candidate"] = candidateEdges;
    counts["edges_kept_insignificant"] = tieRun.length - significantEdges - candidateEdges;
    counts["accounts_in_significant_edges"] = inSignificant;
    const message =
      significantEdges === 0
        ? `ran on ${layers.join(", ")}: no pair of accounts co-shared beyond chance`
        : // a tie is a pair of accounts on one layer: a pair tied by links and by their domain is two ties
          `${significantEdges.toLocaleString("en-US")} tie${significantEdges === 1 ? "" : "s"} co-shared beyond chance ` +
          `(account pairs, one per layer; ${inSignificant.toLocaleString("en-US")} accounts) within ${windowSec} s`;
    let edges: Edge[] | undefined;
    return {
      status: "ok",
      message,
      counts,
      findings,
      // millions of ties: as objects only for whoever asks (tests, tools); the campaign step reads the columns
      get edges(): Edge[] {
        return (edges ??= Array.from({ length: tieRun.length }, (_, t) => table.edge(t)));
      },
      ties: table,
      shares: dict,
      writeEdges: async (runId) => {
        await writeTies(store, runId, layerNames, windowSec);
        // the examples are in the case now, and only there (campaigns read them back): 12 bytes a tie let go
        ties.exObject = ties.exPostA = ties.exPostB = new Int32Array(0);
      },
      warnings,
      details: {
        window_seconds: windowSec,
        window_estimate: estimate,
        fast_window_seconds: fastSec,
        episode_gap_seconds: episodeGapSec(windowSec, params.episodeGap),
        layers,
        alpha: params.alpha,
        hypotheses,
        null_model:
          "bipartite configuration model (BiCM) with per-object timing; Poisson test conditional on one meeting; " +
          "Benjamini-Hochberg in each layer over its pairs that met",
        bicm_fit: fits,
      },
    };
  },
};

/** What each layer's run reads of the detector's parameters, at a window and a fast-core window in seconds. */
export function layerSpec(
  params: CoShareParams,
  windowSec: number,
  fastSec: number,
  accounts: number,
): LayerSpec {
  return {
    windowMs: windowSec * 1000,
    fastWindowMs: fastSec * 1000,
    episodeGapMs: episodeGapSec(windowSec, params.episodeGap) * 1000,
    maxPartnersPerShare: params.maxPartnersPerShare,
    maxPairs: params.maxPairs,
    minCoshares: params.minCoshares,
    alpha: params.alpha,
    candidateP: params.candidateP,
    keepInsignificant: params.keepInsignificant,
    accounts,
  };
}

/** Seconds of silence that end an episode of an object: as given, or max(1 hour, 10 windows). */
function episodeGapSec(windowSec: number, given: number | undefined): number {
  return given ?? Math.max(3600, 10 * windowSec);
}

/**
 * The ties for the campaign step: their columns with account keys, and each tie as an edge on demand (the
 * evidence held in memory; the example is written to the case only, by writeTies).
 */
function tieTable(
  ties: TieColumns,
  layers: readonly ObjectKind[],
  refs: Map<number, AccountRef>,
  windowSec: number,
): TieTable {
  const keys: Array<string | undefined> = [];
  for (const [aid, ref] of refs) keys[aid] = ref.key;
  return {
    layers,
    keys,
    layer: ties.layer,
    a: ties.a,
    b: ties.b,
    weight: ties.k,
    pValue: ties.pValue,
    tier: ties.tier,
    fast: ties.fast,
    edge(t: number): Edge {
      const k = ties.k[t]!;
      const e = ties.expected[t]!;
      const tier = TIERS[ties.tier[t]!]!;
      return {
        layer: layers[ties.layer[t]!]!,
        a: keys[ties.a[t]!]!,
        b: keys[ties.b[t]!]!,
        weight: k,
        nObjects: k,
        lift: e > 0 ? k / e : null,
        pValue: ties.pValue[t]!,
        evidence: {
          significant: tier === "significant",
          tier,
          share_pairs: ties.sharePairs[t]!,
          expected: e,
          log10_p: ties.log10P[t]!,
          window_seconds: windowSec,
          fast_core: ties.fast[t] === 1,
        },
      };
    },
  };
}

/**
 * The ties as columns, for the SQL that writes them to the case (evidence.ts): the same numbers as their Edge
 * objects (p-value and log10 p computed here, so that both hold the same doubles), and for significant and
 * candidate ties the example share pair (object, both posts; -1 for none). Filled one layer at a time: each
 * layer's run and fast-core verdicts are let go (`runs` and `fastFlags` end up empty) and collected once its
 * ties are copied, so that the columns grow as the layers' pairs shrink.
 */
function tieColumns(
  runs: LayerRun[],
  fastFlags: Uint8Array[],
  tieRun: Uint8Array,
  tiePair: Int32Array,
  tieTier: Uint8Array,
): TieColumns {
  const n = tieRun.length;
  const cols = newTieColumns(n);
  const layers = runs.length;
  for (let li = 0; li < layers; li++) {
    const pairs = copyLayerTies(cols, li, runs[li]!, fastFlags[li]!, tieRun, tiePair, tieTier);
    // nothing else holds the layer's arrays now (this frame never named them)
    runs[li] = undefined!;
    fastFlags[li] = undefined!;
    if (pairs >= COLLECT_AFTER_PAIRS) collectGarbage();
  }
  runs.length = 0;
  fastFlags.length = 0;
  return cols;
}

/** Copies the ties of layer `li` into their places in `cols`; returns the layer's kept pairs. */
function copyLayerTies(
  cols: TieColumns,
  li: number,
  r: LayerRun,
  fastFlags: Uint8Array,
  tieRun: Uint8Array,
  tiePair: Int32Array,
  tieTier: Uint8Array,
): number {
  for (let t = 0; t < tieRun.length; t++) {
    if (tieRun[t] !== li) continue;
    const i = tiePair[t]!;
    const a = r.a[i]!;
    const b = r.b[i]!;
    cols.layer[t] = li;
    cols.a[t] = a;
    cols.b[t] = b;
    cols.k[t] = r.objects[i]!;
    cols.sharePairs[t] = r.sharePairs[i]!;
    cols.expected[t] = r.expected[i]!;
    cols.pValue[t] = Math.exp(r.logP[i]!);
    cols.log10P[t] = r.logP[i]! / Math.LN10;
    cols.tier[t] = tieTier[t]!;
    const f = r.fastOf[i]!;
    cols.fast[t] = f >= 0 ? fastFlags[f]! : 0;
    if (TIERS[tieTier[t]!] !== "chance") {
      cols.exObject[t] = r.exObject[i]!;
      cols.exPostA[t] = r.exPostA[i]!;
      cols.exPostB[t] = r.exPostB[i]!;
    }
  }
  return r.a.length;
}

/**
 * DuckDB's memory limit while co-share's layers run, which never query it: at 10M posts the standalone detector
 * peaked 270 MiB lower (3,257 MiB against 3,526), in the same time.
 */
const LAYERS_SETTINGS = { spareThreads: 0, memoryLimit: "256MiB" };

/** A layer's kept pairs past which its arrays are collected as soon as they are copied (40-odd bytes a pair). */
const COLLECT_AFTER_PAIRS = 1_000_000;

function estimateWindowAcross(layers: LayerShares[]): WindowEstimate | null {
  // pool the layers by offsetting object ids so that objects of different layers never mix
  let total = 0;
  for (const l of layers) total += l.rows;
  const object = new Int32Array(total);
  const account = new Int32Array(total);
  const ts = new Float64Array(total);
  let off = 0;
  let base = 0;
  for (const l of layers) {
    for (let i = 0; i < l.rows; i++) object[off + i] = l.object[i]! + base;
    account.set(l.account, off);
    ts.set(l.tsMs, off);
    off += l.rows;
    base += l.objects;
  }
  return estimateWindow(object, account, ts);
}

/**
 * One finding per account in a significant tie (the first `count` ties): how many partners it has, the strongest
 * `PARTNERS_SHOWN` of them (src/detectors/partners.ts), its layers, and its strongest tie (smallest p-value, then
 * most objects, then partner key, then layer: not the order of the ties, which is the kernel's; a partner ranks by
 * its strongest tie with the account). Exported for tests. Read from the tie columns on dense ids: millions of
 * ties, so no object or set of partners per account.
 */
export function accountFindings(
  ties: TieColumns,
  count: number,
  layerNames: readonly ObjectKind[],
  windowSec: number,
  refs: Map<number, AccountRef>,
): Finding[] {
  const ref = (aid: number): AccountRef => refs.get(aid)!;
  const name = (aid: number): string => {
    const r = ref(aid);
    return r.handle ? `@${r.handle}` : `account ${r.accountId}`;
  };
  let maxAid = -1;
  for (let t = 0; t < count; t++) maxAid = Math.max(maxAid, ties.a[t]!, ties.b[t]!);
  const span = maxAid + 1;
  const layerBits = new Uint32Array(span);
  for (let t = 0; t < count; t++) {
    layerBits[ties.a[t]!]! |= 1 << ties.layer[t]!;
    layerBits[ties.b[t]!]! |= 1 << ties.layer[t]!;
  }
  // accounts in the order of their keys, and each account's rank in it (partners of equal strength go by key)
  const hasTies = new Uint8Array(span);
  for (let t = 0; t < count; t++) hasTies[ties.a[t]!] = hasTies[ties.b[t]!] = 1;
  const accounts: number[] = [];
  for (let acc = 0; acc < span; acc++) if (hasTies[acc]) accounts.push(acc);
  accounts.sort((x, y) => {
    const kx = ref(x).key;
    const ky = ref(y).key;
    return kx < ky ? -1 : kx > ky ? 1 : 0;
  });
  const rank = new Int32Array(span);
  accounts.forEach((acc, r) => (rank[acc] = r));
  const partners = accountPartners(
    { a: ties.a, b: ties.b, log10P: ties.log10P, n: ties.k, layer: ties.layer },
    count,
    span,
    rank,
  );
  return accounts.map((acc): Finding => {
    const partnersTotal = partners.count(acc);
    const shown = partners.strongest(acc);
    // the strongest tie is the first partner's
    const t = shown.ties[0]!;
    const mate = shown.partners[0]!;
    const layer = layerNames[ties.layer[t]!]!;
    const layers = layerNames.filter((_, li) => (layerBits[acc]! & (1 << li)) !== 0).sort();
    const log10P = ties.log10P[t]!;
    const strength = partnersTotal >= 5 || log10P < -12 ? "strong" : partnersTotal >= 2 ? "moderate" : "weak";
    return {
      detector: "co-share",
      subject: ref(acc).key,
      strength,
      score: Math.min(1, -log10P / 20),
      explanation:
        `Shared the same ${layers.join(", ")} within ${windowSec} s of ${partnersTotal} other ` +
        `account${partnersTotal === 1 ? "" : "s"} more often than chance explains; strongest tie: ` +
        `${ties.k[t]!} ${layer} objects with ${name(mate)} where ${ties.expected[t]!.toPrecision(2)} ` +
        `were expected.`,
      evidence: {
        partner_count: partnersTotal,
        partners: shown.partners.map((p) => ref(p).key),
        layers,
        strongest: { account: ref(mate).key, layer },
      },
    };
  });
}

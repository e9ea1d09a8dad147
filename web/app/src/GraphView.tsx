/**
 * An account graph drawn with sigma (WebGL): accounts sized by score, ties as lines. Hovering or focusing an
 * account highlights it and its neighbours on a 2D layer over sigma's canvas (the WebGL scene is not redrawn for
 * a highlight, see HighlightLayer). The keyboard moves the selection: arrow keys go to the neighbour that lies
 * that way, Enter opens the account, Escape clears. The same data is always in the table next to it; the picture
 * is registered for the export dialog.
 */
import Graph from "graphology";
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from "react";
import Sigma, { DEFAULT_STYLES } from "sigma";
import { useCtx } from "./ctx.js";
import { graphCount } from "./Export.js";
import { layout } from "./graph-layout.js";
import { neighbourToward, type Direction, type GraphViewData } from "./graph-model.js";
import { colorOf, COLORS, setCurrentGraph, type LegendVariant } from "./graph-store.js";
import { visible } from "./text.js";

interface Props {
  /** Which legend: a campaign's members, the whole case drawn account by account, or with campaigns grouped. */
  legend?: LegendVariant;
  view: GraphViewData;
  title: string;
  caption: string;
  selected: string | null;
  onSelect: (key: string | null) => void;
  onOpen: (key: string) => void;
}

type Renderer = Sigma;

export default function GraphView({
  legend = "campaign",
  view,
  title,
  caption,
  selected,
  onSelect,
  onOpen,
}: Props) {
  const { t, num } = useCtx();
  const box = useRef<HTMLDivElement>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const pos = useMemo(() => layout(view.nodes, view.edges), [view]);
  const graph = useMemo(() => {
    const g = new Graph({ type: "undirected" });
    for (const n of view.nodes) {
      const p = pos.get(n.key) ?? { x: 0, y: 0 };
      const label = visible(n.label, 60);
      g.addNode(n.key, {
        x: p.x,
        y: p.y,
        size: n.group ? 8 + Math.sqrt(n.group.members) * 1.5 : 3 + n.score * 9,
        color: colorOf(n),
        label,
        // sigma's (unseen) label box on the side where LabelLayer draws the label
        labelPosition: labelDirection(label) === "rtl" ? "left" : "right",
      });
    }
    for (const e of view.edges) {
      if (!g.hasNode(e.a) || !g.hasNode(e.b) || g.hasEdge(e.a, e.b)) continue;
      g.addEdge(e.a, e.b, { size: Math.min(4, 0.5 + Math.log1p(e.weight) / 2), color: COLORS.edge });
    }
    return g;
  }, [view, pos]);
  const selectedRef = useRef(selected);
  selectedRef.current = selected;
  // redraws the highlight for the current selection; set while a renderer is alive
  const redraw = useRef<(() => void) | null>(null);

  useEffect(() => {
    setCurrentGraph({ view, pos, title, caption, legend });
    return () => setCurrentGraph(null);
  }, [view, pos, title, caption, legend]);

  useEffect(() => {
    const el = box.current;
    if (!el || graph.order === 0) return undefined;
    let renderer: Renderer;
    try {
      // the scene itself never changes with hover or selection: the highlight is drawn by HighlightLayer.
      // sigma still picks which labels fit (its label grid) and where they can be clicked, but draws them
      // unseen: its WebGL labels are laid out one code point at a time, so Persian or Arabic would come out
      // unjoined and left to right. LabelLayer draws them with the canvas's own text shaping instead.
      renderer = new Sigma(graph, el, {
        settings: { itemSizesReference: "screen", renderEdgeLabels: false, labelDensity: 0.6 },
        styles: {
          nodes: [
            DEFAULT_STYLES.nodes,
            {
              labelColor: "rgba(0, 0, 0, 0)",
              labelFont: LABEL_FAMILY,
              labelSize: LABEL_SIZE,
              labelPosition: { attribute: "labelPosition", defaultValue: "right" },
            },
          ],
        },
      });
    } catch (err) {
      setFailed((err as Error).message);
      return undefined;
    }
    const labels = new LabelLayer(renderer, el);
    const layer = new HighlightLayer(renderer, el);
    let hovered: string | null = null;
    const show = () => {
      const n = layer.draw(hovered ?? selectedRef.current);
      if (n) el.dataset["highlighted"] = String(n);
      else delete el.dataset["highlighted"];
    };
    redraw.current = show;
    // Hover is found here, from the accounts' places on screen, in the pointer event itself: sigma's own hover
    // reads its picking buffer back from the GPU a frame later and redraws the whole scene, and in software
    // WebGL each such frame costs tens of milliseconds. Clicks still go through sigma's picking.
    renderer.getMouseCaptor().removeAllListeners("mousemove");
    // where the pointer is (client coordinates), while it is over the graph
    let pointer: { x: number; y: number } | null = null;
    const hover = (hit: string | null) => {
      if (hit === hovered) return false;
      hovered = hit;
      show();
      if (hit) el.dataset["hovered"] = hit;
      else delete el.dataset["hovered"];
      return true;
    };
    const underPointer = (): string | null => {
      if (!pointer) return null;
      const r = renderer.getMouseLayer().getBoundingClientRect();
      return layer.nodeAt(pointer.x - r.left, pointer.y - r.top);
    };
    const onMove = (e: PointerEvent) => {
      if (e.pointerType === "touch") return;
      pointer = { x: e.clientX, y: e.clientY };
      hover(underPointer());
    };
    const onLeave = () => {
      pointer = null;
      hover(null);
    };
    el.addEventListener("pointermove", onMove);
    el.addEventListener("pointerleave", onLeave);
    // camera moves and resizes redraw the scene: the highlight follows in the same frame, and what is under a
    // still pointer is found again (a zoom moves the accounts under it)
    renderer.on("afterRender", () => {
      labels.draw();
      layer.invalidate();
      if (!hover(underPointer()) && (hovered ?? selectedRef.current)) show();
    });
    // the labels' font is the page's, loaded from the app's own files: until it is, the canvas would draw
    // the labels in a fallback font, so they are drawn again once it is here
    let alive = true;
    void labelFontReady().then(() => {
      if (!alive) return;
      labels.draw();
      show();
      el.dataset["labels"] = "ready";
    });
    renderer.on("clickNode", ({ node }: { node: string }) => onSelect(node));
    renderer.on("doubleClickNode", ({ node }: { node: string }) => onOpen(node));
    show();
    // a hook for the browser tests and the benchmark: where an account is on screen
    (el as HTMLElement & { chorusViewport?: (k: string) => { x: number; y: number } | null }).chorusViewport =
      (k) =>
        graph.hasNode(k)
          ? renderer.graphToViewport({
              x: graph.getNodeAttribute(k, "x") as number,
              y: graph.getNodeAttribute(k, "y") as number,
            })
          : null;
    // and which labels are drawn, where, in which direction
    (el as HTMLElement & { chorusLabels?: () => DrawnLabel[] }).chorusLabels = () => labels.drawn;
    el.dataset["drawn"] = String(graph.order);
    return () => {
      alive = false;
      el.removeEventListener("pointermove", onMove);
      el.removeEventListener("pointerleave", onLeave);
      redraw.current = null;
      layer.kill();
      labels.kill();
      renderer.kill();
      delete el.dataset["drawn"];
      delete el.dataset["labels"];
      delete el.dataset["hovered"];
      delete el.dataset["highlighted"];
    };
    // onSelect/onOpen change with the route; the renderer reads the selection through a ref
  }, [graph]);

  useEffect(() => {
    redraw.current?.();
  }, [selected, graph]);

  const keys: Record<string, Direction> = {
    ArrowUp: "up",
    ArrowDown: "down",
    ArrowLeft: "left",
    ArrowRight: "right",
  };
  const onKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const dir = keys[e.key];
    if (dir) {
      e.preventDefault();
      const from = selected && graph.hasNode(selected) ? selected : null;
      if (!from) {
        const top = [...view.nodes].sort((a, b) => b.score - a.score || (a.key < b.key ? -1 : 1))[0];
        if (top) onSelect(top.key);
        return;
      }
      const next = neighbourToward(from, graph.neighbors(from), pos, dir);
      if (next) onSelect(next);
    } else if (e.key === "Enter" && selected) {
      e.preventDefault();
      onOpen(selected);
    } else if (e.key === "Escape") onSelect(null);
  };
  const sel = selected ? view.nodes.find((n) => n.key === selected) : undefined;
  return (
    <div className="graph-wrap">
      <p id="graph-help" className="muted small">
        {t("graphHelp")}
      </p>
      {failed ? (
        <p role="alert">{failed}</p>
      ) : view.nodes.length === 0 ? (
        <p>{t("noData")}</p>
      ) : (
        <div
          ref={box}
          className="graph"
          tabIndex={0}
          role="application"
          aria-roledescription={t("graphRole")}
          aria-label={`${title}: ${graphCount(view, t, num)}`}
          aria-describedby="graph-help"
          onKeyDown={onKey}
        />
      )}
      <p className="selected-node" aria-live="polite">
        {sel
          ? `${t("focused")}: ${visible(sel.label, 80)} · ${
              // a grouped node: its campaign's confidence, or that its accounts are in none
              sel.group
                ? `${t("confidence")} ${sel.group.confidence === null ? t("notInCampaign") : num(sel.group.confidence, 2)}`
                : `${t("score")} ${num(sel.score, 2)}`
            } · ${t("neighbours")} ${num(graph.hasNode(sel.key) ? graph.degree(sel.key) : 0)}`
          : ""}
      </p>
      <Legend variant={legend} />
    </div>
  );
}

/** The labels' font: the bundled Vazirmatn first (Latin, Persian and Arabic), as the page's own text. */
const LABEL_FAMILY = "Vazirmatn, system-ui, sans-serif";
const LABEL_SIZE = 12;
/** From the edge of an account's circle to its label, in CSS pixels. */
const LABEL_GAP = 5;
const labelFont = (bold: boolean) => `${bold ? 700 : 400} ${LABEL_SIZE}px ${LABEL_FAMILY}`;

const LETTER = /\p{L}/u;
const RTL_LETTER =
  /[\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}\p{Script=Adlam}]/u;

/**
 * A label's direction from its first letter, as `dir="auto"` decides it: a Persian handle reads right to left
 * (and so stands on the left of its account), a Latin one left to right; a label without letters is LTR.
 */
export function labelDirection(text: string): "ltr" | "rtl" {
  for (const ch of text) if (LETTER.test(ch)) return RTL_LETTER.test(ch) ? "rtl" : "ltr";
  return "ltr";
}

/** Resolves once the labels' font is loaded in both weights, for Latin and Arabic script (never rejects). */
function labelFontReady(): Promise<void> {
  const fonts = typeof document !== "undefined" ? document.fonts : undefined;
  if (!fonts) return Promise.resolve();
  const sample = "Aa@1 سلام ۱";
  return Promise.all([fonts.load(labelFont(false), sample), fonts.load(labelFont(true), sample)]).then(
    () => undefined,
    () => undefined,
  );
}

/** A 2D canvas the size of sigma's own, in CSS pixels; returns its size. */
function fit(
  canvas: HTMLCanvasElement,
  ctx: CanvasRenderingContext2D,
  renderer: Sigma,
): { w: number; h: number } {
  const { width: w, height: h } = renderer.getDimensions();
  const dpr = window.devicePixelRatio || 1;
  if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(h * dpr);
    canvas.style.width = `${w}px`;
    canvas.style.height = `${h}px`;
  }
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  return { w, h };
}

/** Where a label was drawn: its account, direction and box (CSS pixels), for the browser tests. */
export interface DrawnLabel {
  key: string;
  dir: "ltr" | "rtl";
  left: number;
  right: number;
  y: number;
}

/**
 * A label beside an account at (x, y) of radius r: a left-to-right label on its right, a right-to-left one on
 * its left, each laid out and shaped by the canvas in its own direction, with a white halo.
 */
function drawLabel(
  ctx: CanvasRenderingContext2D,
  label: string,
  x: number,
  y: number,
  r: number,
  bold: boolean,
): Omit<DrawnLabel, "key"> {
  const dir = labelDirection(label);
  ctx.font = labelFont(bold);
  ctx.direction = dir;
  ctx.textAlign = dir === "rtl" ? "right" : "left";
  ctx.textBaseline = "middle";
  ctx.lineJoin = "round";
  const at = dir === "rtl" ? x - r - LABEL_GAP : x + r + LABEL_GAP;
  ctx.lineWidth = 4;
  ctx.strokeStyle = "#ffffff";
  ctx.strokeText(label, at, y);
  ctx.fillStyle = "#000000";
  ctx.fillText(label, at, y);
  const width = ctx.measureText(label).width;
  return dir === "rtl" ? { dir, left: at - width, right: at, y } : { dir, left: at, right: at + width, y };
}

/** A 2D canvas laid over sigma's, for what its WebGL scene cannot draw; removed with `kill`. */
class OverlayCanvas {
  protected readonly canvas: HTMLCanvasElement;
  protected readonly ctx: CanvasRenderingContext2D | null;

  constructor(
    protected readonly renderer: Sigma,
    el: HTMLElement,
    className: string,
  ) {
    this.canvas = document.createElement("canvas");
    this.canvas.className = className;
    this.canvas.setAttribute("aria-hidden", "true");
    el.appendChild(this.canvas);
    this.ctx = this.canvas.getContext("2d");
  }

  kill(): void {
    this.canvas.remove();
  }
}

/**
 * The accounts' labels, drawn on a 2D canvas between sigma's and the highlight's: sigma chooses which labels
 * fit (they are drawn unseen in its own scene, so that they can still be clicked), this draws their text,
 * again after every frame of sigma's.
 */
class LabelLayer extends OverlayCanvas {
  /** The labels of the last drawing. */
  drawn: DrawnLabel[] = [];

  constructor(renderer: Sigma, el: HTMLElement) {
    super(renderer, el, "graph-labels");
  }

  draw(): void {
    const { ctx, canvas, renderer: r } = this;
    if (!ctx) return;
    const { w, h } = fit(canvas, ctx, r);
    ctx.clearRect(0, 0, w, h);
    const graph = r.getGraph();
    const drawn: DrawnLabel[] = [];
    for (const key of r.getNodeDisplayedLabels()) {
      const d = r.getNodeDisplayData(key);
      const label = graph.hasNode(key) ? (graph.getNodeAttribute(key, "label") as string) : "";
      if (!d || d.visibility === "hidden" || !label) continue;
      const p = r.framedGraphToViewport(d);
      drawn.push({ key, ...drawLabel(ctx, label, p.x, p.y, r.scaleSize(d.size), false) });
    }
    this.drawn = drawn;
  }
}

/** Where the accounts are on screen (CSS pixels from the corner of sigma's canvas), as of sigma's last frame. */
interface Placed {
  keys: string[];
  /** x, y, radius for each key, in order. */
  at: Float64Array;
  index: Map<string, number>;
}

const VEIL = "rgba(255, 255, 255, 0.74)";
const RING = "#1d2329";
const TIE = "#6f7a86";

/**
 * The highlight, drawn on a 2D canvas over sigma's: a white veil dims the whole graph, then the focused account,
 * its ties and its neighbours are drawn again above it, each with a dark ring (thicker for the focused one) and
 * its label, so that the highlight never rests on colour alone. Nothing moves: no animation to reduce. Drawing
 * it costs a few dozen 2D calls and leaves sigma's WebGL frame untouched.
 */
class HighlightLayer extends OverlayCanvas {
  private placed: Placed | null = null;
  private shown = false;

  constructor(renderer: Sigma, el: HTMLElement) {
    super(renderer, el, "graph-highlight");
  }

  /** Sigma drew a new frame: places may have changed. */
  invalidate(): void {
    this.placed = null;
  }

  private places(): Placed {
    if (this.placed) return this.placed;
    const r = this.renderer;
    const keys: string[] = [];
    const xs: number[] = [];
    r.getGraph().forEachNode((key) => {
      const d = r.getNodeDisplayData(key);
      if (!d || d.visibility === "hidden") return;
      const p = r.framedGraphToViewport(d);
      keys.push(key);
      xs.push(p.x, p.y, r.scaleSize(d.size));
    });
    this.placed = { keys, at: Float64Array.from(xs), index: new Map(keys.map((k, i) => [k, i])) };
    return this.placed;
  }

  /** The account under a point (the nearest centre when circles overlap), or null. */
  nodeAt(x: number, y: number): string | null {
    const { keys, at } = this.places();
    let best: string | null = null;
    let bestD = Infinity;
    for (let i = 0; i < keys.length; i++) {
      const dx = x - at[3 * i]!;
      const dy = y - at[3 * i + 1]!;
      const r = at[3 * i + 2]!;
      const d = dx * dx + dy * dy;
      if (d <= r * r && d < bestD) {
        best = keys[i]!;
        bestD = d;
      }
    }
    return best;
  }

  /** Highlight `focus` and its neighbours (nothing when null); returns how many accounts are highlighted. */
  draw(focus: string | null): number {
    const { ctx, canvas } = this;
    if (!ctx) return 0;
    const graph = this.renderer.getGraph();
    // the size of sigma's own canvases, which sit where this one does
    const { w, h } = fit(canvas, ctx, this.renderer);
    if (this.shown) ctx.clearRect(0, 0, w, h);
    this.shown = false;
    if (!focus || !graph.hasNode(focus)) return 0;
    const { at, index } = this.places();
    const i0 = index.get(focus);
    if (i0 === undefined) return 0;
    this.shown = true;
    const lit = [...graph.neighbors(focus).filter((k) => k !== focus && index.has(k)), focus];
    ctx.fillStyle = VEIL;
    ctx.fillRect(0, 0, w, h);
    const [fx, fy] = [at[3 * i0]!, at[3 * i0 + 1]!];
    ctx.strokeStyle = TIE;
    ctx.lineCap = "round";
    for (const k of lit) {
      if (k === focus) continue;
      const i = index.get(k)!;
      ctx.lineWidth = Math.max(
        1.5,
        this.renderer.scaleSize(graph.getEdgeAttribute(focus, k, "size") as number),
      );
      ctx.beginPath();
      ctx.moveTo(fx, fy);
      ctx.lineTo(at[3 * i]!, at[3 * i + 1]!);
      ctx.stroke();
    }
    for (const k of lit) {
      const i = index.get(k)!;
      const [x, y, r] = [at[3 * i]!, at[3 * i + 1]!, at[3 * i + 2]!];
      const own = k === focus;
      ctx.beginPath();
      ctx.arc(x, y, r, 0, 2 * Math.PI);
      ctx.fillStyle = graph.getNodeAttribute(k, "color") as string;
      ctx.fill();
      ctx.lineWidth = own ? 3 : 1.25;
      ctx.strokeStyle = RING;
      ctx.stroke();
      const label = graph.getNodeAttribute(k, "label") as string;
      if (!label) continue;
      // as LabelLayer draws it, so that a label lies on the one it covers
      drawLabel(ctx, label, x, y, r, own);
    }
    return lit.length;
  }
}

function Legend({ variant = "campaign" }: { variant?: LegendVariant }) {
  const { t } = useCtx();
  const [core, member] =
    variant === "campaign" ? [t("coreMember"), t("peripheral")] : [t("inCampaign"), t("inNoCampaign")];
  return (
    <ul className="legend" aria-label={t("legend")}>
      <li>
        <span className="swatch core" aria-hidden="true" /> {core}
      </li>
      <li>
        <span className="swatch member" aria-hidden="true" /> {member}
      </li>
      {variant === "grouped" && (
        <li>
          <span className="swatch group" aria-hidden="true" /> {t("campaign")}
        </li>
      )}
      <li>{t("nodeSize")}</li>
    </ul>
  );
}

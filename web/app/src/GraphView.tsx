/**
 * An account graph drawn with sigma (WebGL): accounts sized by score, ties as lines. Hovering or focusing an
 * account highlights its neighbours through sigma's node states (no redraw of the data). The keyboard moves the
 * selection: arrow keys go to the neighbour that lies that way, Enter opens the account, Escape clears. The same
 * data is always in the table next to it; the picture is registered for the export dialog.
 */
import Graph from "graphology";
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from "react";
import Sigma, { DEFAULT_STYLES } from "sigma";
import { useCtx } from "./ctx.js";
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
  const sigma = useRef<Renderer | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const pos = useMemo(() => layout(view.nodes, view.edges), [view]);
  const graph = useMemo(() => {
    const g = new Graph({ type: "undirected" });
    for (const n of view.nodes) {
      const p = pos.get(n.key) ?? { x: 0, y: 0 };
      g.addNode(n.key, {
        x: p.x,
        y: p.y,
        size: n.group ? 8 + Math.sqrt(n.group.members) * 1.5 : 3 + n.score * 9,
        color: colorOf(n),
        label: visible(n.label, 60),
      });
    }
    for (const e of view.edges) {
      if (!g.hasNode(e.a) || !g.hasNode(e.b) || g.hasEdge(e.a, e.b)) continue;
      g.addEdge(e.a, e.b, { size: Math.min(4, 0.5 + Math.log1p(e.weight) / 2), color: COLORS.edge });
    }
    return g;
  }, [view, pos]);
  // the accounts highlighted now: a change touches only those that change, not every node
  const lit = useMemo(() => new Set<string>(), []);
  const selectedRef = useRef(selected);
  selectedRef.current = selected;

  useEffect(() => {
    setCurrentGraph({ view, pos, title, caption, legend });
    return () => setCurrentGraph(null);
  }, [view, pos, title, caption, legend]);

  useEffect(() => {
    const el = box.current;
    if (!el || graph.order === 0) return undefined;
    let renderer: Renderer;
    try {
      renderer = new Sigma(graph, el, {
        settings: { itemSizesReference: "screen", renderEdgeLabels: false, labelDensity: 0.6 },
        styles: {
          nodes: [
            DEFAULT_STYLES.nodes,
            {
              color: (attrs, state, gs) =>
                gs.hasHighlighted && !state.isHighlighted && !state.isHovered
                  ? COLORS.dim
                  : (attrs["color"] as string),
              labelVisibility: (_a, state) => (state.isHovered || state.isHighlighted ? "visible" : "auto"),
            },
          ],
        },
      });
    } catch (err) {
      setFailed((err as Error).message);
      return undefined;
    }
    sigma.current = renderer;
    lit.clear();
    const highlight = (key: string | null) => highlightAround(renderer, graph, lit, key);
    renderer.on("enterNode", ({ node }: { node: string }) => {
      highlight(node);
      el.dataset["hovered"] = node;
      el.dataset["highlighted"] = String(graph.neighbors(node).length + 1);
    });
    renderer.on("leaveNode", () => {
      highlight(selectedRef.current);
      delete el.dataset["hovered"];
    });
    renderer.on("clickNode", ({ node }: { node: string }) => onSelect(node));
    renderer.on("doubleClickNode", ({ node }: { node: string }) => onOpen(node));
    highlight(selectedRef.current);
    // a hook for the browser tests and the benchmark: where an account is on screen
    (el as HTMLElement & { chorusViewport?: (k: string) => { x: number; y: number } | null }).chorusViewport =
      (k) =>
        graph.hasNode(k)
          ? renderer.graphToViewport({
              x: graph.getNodeAttribute(k, "x") as number,
              y: graph.getNodeAttribute(k, "y") as number,
            })
          : null;
    el.dataset["drawn"] = String(graph.order);
    return () => {
      renderer.kill();
      sigma.current = null;
      delete el.dataset["drawn"];
    };
    // onSelect/onOpen change with the route; the renderer reads the selection through a ref
  }, [graph]);

  useEffect(() => {
    const r = sigma.current;
    if (r) highlightAround(r, graph, lit, selected);
  }, [selected, graph, lit]);

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
          aria-roledescription="graph"
          aria-label={`${title}: ${t("showing", { n: num(view.nodes.length), m: num(view.totalNodes), what: t("accountsWord") })}`}
          aria-describedby="graph-help"
          onKeyDown={onKey}
        />
      )}
      <p className="selected-node" aria-live="polite">
        {sel
          ? `${t("focused")}: ${visible(sel.label, 80)} · ${t("score")} ${num(sel.score, 2)} · ${t("neighbours")} ${num(graph.hasNode(sel.key) ? graph.degree(sel.key) : 0)}`
          : ""}
      </p>
      <Legend variant={legend} />
    </div>
  );
}

/** Highlight `key` and its neighbours (or nothing), changing the state of only the nodes whose state changes. */
function highlightAround(r: Sigma, graph: Graph, lit: Set<string>, key: string | null): void {
  const want = new Set(key && graph.hasNode(key) ? [key, ...graph.neighbors(key)] : []);
  const off = [...lit].filter((k) => !want.has(k) && graph.hasNode(k));
  const on = [...want].filter((k) => !lit.has(k));
  if (off.length) r.setNodesState(off, { isHighlighted: false });
  if (on.length) r.setNodesState(on, { isHighlighted: true });
  lit.clear();
  want.forEach((k) => lit.add(k));
  r.setGraphState({ hasHighlighted: want.size > 0 });
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

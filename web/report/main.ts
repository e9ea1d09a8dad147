/**
 * The case report's browser script, inlined into report.html. It only adds interaction to a page that is already
 * complete without it: account graphs drawn with sigma from positions computed when the report was written,
 * pagination of long tables and card lists, a filter on accounts. It reads data only from the page itself and
 * never touches the network; user text is only ever set with textContent.
 */
import Graph from "graphology";
import Sigma, { DEFAULT_STYLES } from "sigma";
import { foldText } from "../../src/normalize/text.js";
import { anchorId } from "../../src/report/html/escape.js";

type DrawnGraph = {
  id: string;
  nodes: Array<[string, string, number, number, number, string]>;
  edges: Array<[number, number, number, string]>;
};

/** WebGL contexts are scarce (browsers keep about 16): keep only the graphs near the viewport alive. */
const MAX_LIVE_GRAPHS = 6;
const live = new Map<HTMLElement, Sigma>();
const order: HTMLElement[] = [];

function readGraphs(): Map<string, DrawnGraph> {
  const el = document.getElementById("chorus-graphs");
  const out = new Map<string, DrawnGraph>();
  if (!el?.textContent) return out;
  for (const g of JSON.parse(el.textContent) as DrawnGraph[]) out.set(g.id, g);
  return out;
}

function mount(el: HTMLElement, data: DrawnGraph): void {
  if (live.has(el)) return;
  const graph = new Graph({ type: "undirected", multi: false });
  data.nodes.forEach(([key, label, x, y, size, color]) => graph.addNode(key, { label, x, y, size, color }));
  for (const [a, b, weight, layers] of data.edges) {
    const ka = data.nodes[a]?.[0];
    const kb = data.nodes[b]?.[0];
    if (ka === undefined || kb === undefined || graph.hasEdge(ka, kb)) continue;
    graph.addEdge(ka, kb, {
      size: Math.min(4, 0.5 + Math.log1p(weight) / 2),
      color: "#c5cbd3",
      label: layers,
    });
  }
  const renderer = new Sigma(graph, el, {
    settings: { itemSizesReference: "screen", renderEdgeLabels: false, labelDensity: 0.5 },
    styles: {
      nodes: [
        DEFAULT_STYLES.nodes,
        {
          // a hovered account's neighbours show their handles too
          labelVisibility: (_attrs, state) => (state.isHovered || state.isHighlighted ? "visible" : "auto"),
        },
      ],
    },
  });
  renderer.on("clickNode", ({ node }: { node: string }) => {
    const target = document.getElementById(anchorId("acct", node));
    if (target) {
      revealPageOf(target);
      location.hash = target.id;
    }
  });
  renderer.on("enterNode", ({ node }: { node: string }) => {
    renderer.setNodesState(graph.neighbors(node), { isHighlighted: true });
  });
  renderer.on("leaveNode", ({ node }: { node: string }) => {
    renderer.setNodesState(graph.neighbors(node), { isHighlighted: false });
  });
  live.set(el, renderer);
  order.push(el);
  el.dataset["drawn"] = String(data.nodes.length);
  while (order.length > MAX_LIVE_GRAPHS) {
    const old = order.shift()!;
    live.get(old)?.kill();
    live.delete(old);
    delete old.dataset["drawn"];
  }
}

function setupGraphs(): void {
  const graphs = readGraphs();
  const els = [...document.querySelectorAll<HTMLElement>(".graph[data-graph]")];
  const draw = (el: HTMLElement): void => {
    const g = graphs.get(el.dataset["graph"] ?? "");
    if (!g || g.nodes.length === 0) {
      el.textContent = "No ties to draw.";
      return;
    }
    try {
      mount(el, g);
    } catch (err) {
      el.textContent = `The graph could not be drawn in this browser (${(err as Error).message}); the members table lists the same accounts.`;
    }
  };
  if (!("IntersectionObserver" in window)) {
    els.slice(0, MAX_LIVE_GRAPHS).forEach(draw);
    return;
  }
  const io = new IntersectionObserver(
    (entries) => {
      for (const e of entries) if (e.isIntersecting) draw(e.target as HTMLElement);
    },
    { rootMargin: "200px" },
  );
  els.forEach((el) => io.observe(el));
}

interface Pager {
  items: HTMLElement[];
  size: number;
  page: number;
  info: HTMLElement;
  prev: HTMLButtonElement;
  next: HTMLButtonElement;
}
const pagers = new Map<HTMLElement, Pager>();

function visibleItems(p: Pager): HTMLElement[] {
  return p.items.filter((it) => it.dataset["filtered"] !== "out");
}

function renderPager(p: Pager): void {
  const items = visibleItems(p);
  const pages = Math.max(1, Math.ceil(items.length / p.size));
  p.page = Math.min(p.page, pages - 1);
  const from = p.page * p.size;
  for (const it of p.items) it.hidden = true;
  items.slice(from, from + p.size).forEach((it) => (it.hidden = false));
  p.info.textContent =
    items.length === 0
      ? "Nothing matches."
      : `Showing ${from + 1}–${Math.min(items.length, from + p.size)} of ${items.length}`;
  p.prev.disabled = p.page === 0;
  p.next.disabled = p.page >= pages - 1;
}

function setupPagination(): void {
  for (const container of document.querySelectorAll<HTMLElement>("[data-paginate]")) {
    const size = Number(container.dataset["paginate"]) || 25;
    const body = container.tagName === "TABLE" ? container.querySelector("tbody") : container;
    if (!body) continue;
    const items = [...body.children] as HTMLElement[];
    if (items.length <= size) continue;
    const bar = document.createElement("div");
    bar.className = "pager";
    const prev = document.createElement("button");
    prev.type = "button";
    prev.textContent = "Previous";
    const next = document.createElement("button");
    next.type = "button";
    next.textContent = "Next";
    const info = document.createElement("span");
    info.setAttribute("aria-live", "polite");
    bar.append(prev, next, info);
    container.before(bar);
    const p: Pager = { items, size, page: 0, info, prev, next };
    prev.addEventListener("click", () => {
      p.page--;
      renderPager(p);
    });
    next.addEventListener("click", () => {
      p.page++;
      renderPager(p);
    });
    pagers.set(container, p);
    renderPager(p);
  }
}

/**
 * Printing (or saving as PDF) shows every row and card the pages hold (the print styles do that much even where no
 * print event fires, as in a headless browser's PDF) and opens the folded lists: a copy filed with a court or an
 * editor must not lose the rows past the first page, nor say nothing of them (the pager that says "Showing 1-20 of
 * 300" is not printed). What a filter left out stays out, as the screen shows it. The screen is put back as it was
 * after printing.
 */
function setupPrinting(): void {
  let opened: HTMLDetailsElement[] = [];
  window.addEventListener("beforeprint", () => {
    for (const [, p] of pagers) for (const it of visibleItems(p)) it.hidden = false;
    opened = [...document.querySelectorAll<HTMLDetailsElement>("details:not([open])")];
    for (const d of opened) d.open = true;
  });
  window.addEventListener("afterprint", () => {
    for (const [, p] of pagers) renderPager(p);
    for (const d of opened) d.open = false;
    opened = [];
  });
}

/**
 * Show the page that holds `el` (a card or row reached by a link). A card that the filter above its list hides
 * is shown by clearing that filter: a link followed must lead somewhere.
 */
function revealPageOf(el: HTMLElement): void {
  if (el.dataset["filtered"] === "out") {
    for (const input of document.querySelectorAll<HTMLInputElement>("input[data-filter]")) {
      const list = document.getElementById(input.dataset["filter"] ?? "");
      if (!list?.contains(el) || input.value === "") continue;
      input.value = "";
      input.dispatchEvent(new Event("input"));
    }
  }
  for (const [, p] of pagers) {
    const items = visibleItems(p);
    const i = items.indexOf(el);
    if (i >= 0) {
      p.page = Math.floor(i / p.size);
      renderPager(p);
    }
  }
}

function setupFilters(): void {
  for (const input of document.querySelectorAll<HTMLInputElement>("input[data-filter]")) {
    const container = document.getElementById(input.dataset["filter"] ?? "");
    if (!container) continue;
    const items = [...container.children] as HTMLElement[];
    // handles and names compared in the form ingest matches text in: "علي" (an Arabic keyboard's yeh) finds
    // "علی", "ＢＢＣ" finds "bbc", a zero-width joiner does not hide a name
    const hays = items.map((it) => foldText(it.dataset["search"] ?? it.textContent ?? ""));
    input.addEventListener("input", () => {
      const q = foldText(input.value);
      items.forEach((it, i) => {
        it.dataset["filtered"] = q === "" || hays[i]!.includes(q) ? "in" : "out";
        if (!pagers.has(container)) it.hidden = it.dataset["filtered"] === "out";
      });
      const p = pagers.get(container);
      if (p) {
        p.page = 0;
        renderPager(p);
      }
    });
  }
}

function followHash(): void {
  let id: string;
  try {
    id = decodeURIComponent(location.hash.slice(1));
  } catch {
    return; // a fragment that is no percent-encoding names no card (report.html#%E0%A4%A)
  }
  const el = id ? document.getElementById(id) : null;
  if (el) {
    revealPageOf(el);
    el.scrollIntoView();
  }
}

function start(): void {
  setupPagination();
  setupFilters();
  setupPrinting();
  setupGraphs();
  window.addEventListener("hashchange", followHash);
  followHash();
  document.documentElement.dataset["ready"] = "true";
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
else start();

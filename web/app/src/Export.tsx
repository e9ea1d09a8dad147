/**
 * The export dialog: the case's own exports from the server (findings.json, CSV tables, GEXF and GraphML), and a
 * picture of the graph on screen (SVG, or PNG drawn from it) with its legend and the active filters as a caption.
 * A native <dialog>: focus is kept inside, Escape closes, and the URL says it is open.
 */
import { useEffect, useRef, useState, useSyncExternalStore } from "react";
import { downloadUrl } from "./api.js";
import { useCtx, type Ctx } from "./ctx.js";
import { graphSvg, type GraphViewData } from "./graph-model.js";
import { colorOf, COLORS, currentGraph, watchGraph } from "./graph-store.js";

const CSV = ["accounts", "edges", "campaigns", "campaign_members", "findings"];

function save(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * How much of the case a graph view shows, in words: "Showing N of M accounts", where a campaign drawn as one
 * node counts the accounts it stands for (so a grouped view's N is the accounts in scope, as the server's
 * `shown`, not the nodes drawn), followed, when some are grouped, by how many nodes stand for them. The graph's
 * label for assistive technology and the exported picture's caption both say this.
 */
export function graphCount(view: GraphViewData, t: Ctx["t"], num: Ctx["num"]): string {
  let groups = 0;
  let shown = 0;
  for (const n of view.nodes) {
    if (n.group) groups++;
    shown += n.group ? n.group.members : 1;
  }
  const showing = t("showing", { n: num(shown), m: num(view.totalNodes), what: t("accountsWord") });
  return groups === 0
    ? showing
    : // the sentence's own full stop would stand before the caption's next separator
      `${showing} · ${t("drawnAs", { groups: num(groups), accounts: num(view.nodes.length - groups) }).replace(/[.。]$/u, "")}`;
}

/** The SVG drawn onto a canvas at twice its size, as PNG. */
async function svgToPng(svg: string): Promise<Blob> {
  const url = URL.createObjectURL(new Blob([svg], { type: "image/svg+xml" }));
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    const canvas = document.createElement("canvas");
    canvas.width = img.width * 2;
    canvas.height = img.height * 2;
    const g = canvas.getContext("2d")!;
    g.scale(2, 2);
    g.drawImage(img, 0, 0);
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob((b) => (b ? resolve(b) : reject(new Error("no PNG"))), "image/png"),
    );
  } finally {
    URL.revokeObjectURL(url);
  }
}

export function ExportDialog() {
  const { t, num, route, go } = useCtx();
  const ref = useRef<HTMLDialogElement>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
  }, []);
  const close = () => go({ exportOpen: false }, true);
  const view = useSyncExternalStore(watchGraph, currentGraph);
  const picture = (): string | null => {
    if (!view) return null;
    return graphSvg(view.view, view.pos, {
      title: view.title,
      caption: `${graphCount(view.view, t, num)} · ${t("filters")}: ${view.caption}`,
      legend: [
        { color: COLORS.core, text: view.legend === "campaign" ? t("coreMember") : t("inCampaign") },
        { color: COLORS.member, text: view.legend === "campaign" ? t("peripheral") : t("inNoCampaign") },
        ...(view.legend === "grouped" ? [{ color: COLORS.group, text: t("campaign") }] : []),
        { color: "#ffffff", text: t("nodeSize") },
      ],
      colorOf,
    });
  };
  const name = `chorus-${route.screen}${route.id ? `-${route.id.replace(/[^A-Za-z0-9_-]/g, "_")}` : ""}`;
  return (
    <dialog ref={ref} className="export" aria-labelledby="export-h" onClose={close}>
      <h2 id="export-h">{t("export")}</h2>
      <h3>{t("fromServer")}</h3>
      <ul>
        <li>
          <a href={downloadUrl("/api/export/findings.json")} download="findings.json">
            {t("downloadFindings")}
          </a>
        </li>
        {CSV.map((c) => (
          <li key={c}>
            <a href={downloadUrl(`/api/export/csv/${c}`)} download={`${c}.csv`}>
              {t("downloadCsv")}: {c}.csv
            </a>
          </li>
        ))}
        <li>
          <a href={downloadUrl("/api/export/graph.gexf")} download="graph.gexf">
            {t("downloadGexf")}
          </a>
        </li>
        <li>
          <a href={downloadUrl("/api/export/graph.graphml")} download="graph.graphml">
            {t("downloadGraphml")}
          </a>
        </li>
      </ul>
      <h3>{t("ofView")}</h3>
      {view ? (
        <>
          <p className="muted small">
            {view.title} · {view.caption}
          </p>
          <p className="buttons">
            <button
              type="button"
              onClick={() => {
                const svg = picture();
                if (svg) save(new Blob([svg], { type: "image/svg+xml" }), `${name}.svg`);
              }}
            >
              {t("downloadSvg")}
            </button>
            <button
              type="button"
              onClick={() => {
                const svg = picture();
                if (svg)
                  svgToPng(svg).then(
                    (b) => save(b, `${name}.png`),
                    (e: Error) => setProblem(e.message),
                  );
              }}
            >
              {t("downloadPng")}
            </button>
          </p>
        </>
      ) : (
        <p>{t("noGraphHere")}</p>
      )}
      {problem && <p role="alert">{problem}</p>}
      <p>
        <button type="button" onClick={() => ref.current?.close()}>
          {t("close")}
        </button>
      </p>
    </dialog>
  );
}

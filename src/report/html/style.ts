/** The report's one stylesheet: system fonts (Persian and Arabic included on every desktop), print-friendly. */
export const REPORT_CSS = `
:root { --fg: #1b1b1b; --muted: #5a5a5a; --line: #d0d0d0; --bg: #ffffff; --panel: #f5f6f8; --accent: #0b5cad;
  --strong: #a1260d; --moderate: #8a5a00; --weak: #3d5a80; }
* { box-sizing: border-box; }
html { font-family: system-ui, "Segoe UI", Roboto, "Noto Sans", "Noto Sans Arabic", Tahoma, sans-serif;
  color: var(--fg); background: var(--bg); line-height: 1.5; }
body { margin: 0; }
header.top { padding: 1.25rem 2rem; border-block-end: 1px solid var(--line); background: var(--panel); }
header.top h1 { margin: 0; font-size: 1.5rem; }
nav.toc { display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; margin-block-start: 0.5rem; }
nav.toc a { color: var(--accent); }
main { max-width: 72rem; margin: 0 auto; padding: 1rem 2rem 4rem; overflow-wrap: break-word; }
section { margin-block: 2rem; }
h2 { border-block-end: 2px solid var(--line); padding-block-end: 0.25rem; }
h3 { margin-block: 1.5rem 0.5rem; }
.muted, .none { color: var(--muted); }
.cut { color: var(--muted); font-style: italic; }
mark.hidden-char { background: #ffe08a; color: #000; font-family: ui-monospace, monospace; font-size: 0.8em;
  padding: 0 0.15em; border-radius: 3px; }
.figures { display: grid; grid-template-columns: repeat(auto-fill, minmax(11rem, 1fr)); gap: 0.5rem;
  margin-block: 0.75rem; }
.figure { background: var(--panel); border-radius: 6px; padding: 0.5rem 0.75rem; }
.figure b { display: block; font-size: 1.35rem; }
.figure b.words { font-size: 1rem; }
.note { background: #fff8e6; border-inline-start: 4px solid #e0a800; padding: 0.5rem 1rem; }
.campaign { border: 1px solid var(--line); border-radius: 8px; padding: 0.5rem 1.25rem 1.25rem; }
.confidence { font-weight: 600; }
.graph { width: 100%; height: 420px; border: 1px solid var(--line); border-radius: 6px; background: #fcfcfd;
  position: relative; }
.graph-caption { font-size: 0.9rem; color: var(--muted); }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(20rem, 100%), 1fr)); gap: 1rem; }
.charts > * { min-width: 0; }
.scroll-x { overflow-x: auto; max-width: 100%; }
figure.chart { margin: 0; }
figcaption { font-size: 0.9rem; color: var(--muted); }
svg .bar { fill: var(--accent); }
svg .axis { stroke: var(--line); }
svg .tick { font-size: 10px; fill: var(--muted); }
svg .heat-0 { fill: #f0f1f3; } svg .heat-1 { fill: #c6dbef; } svg .heat-2 { fill: #6baed6; }
svg .heat-3 { fill: #2171b5; } svg .heat-4 { fill: #08306b; } svg .heat-5 { fill: #041a3d; }
table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
th, td { border-block-end: 1px solid var(--line); padding: 0.3rem 0.5rem; text-align: start; vertical-align: top; }
.handle { overflow-wrap: anywhere; }
th { background: var(--panel); }
td.num, th.num { text-align: end; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.obj { max-width: 24rem; overflow-wrap: anywhere; }
.heat-table { font-size: 0.75rem; }
.heat-table td { text-align: end; padding: 0.1rem 0.25rem; }
.strength { display: inline-block; border-radius: 3px; padding: 0 0.4em; color: #fff; font-size: 0.8rem; }
.strength.strong { background: var(--strong); } .strength.moderate { background: var(--moderate); }
.strength.weak { background: var(--weak); }
.verdict { display: inline-block; border-radius: 3px; padding: 0 0.4em; font-size: 0.8rem; border: 1px solid; }
.verdict.malicious { background: var(--strong); color: #fff; } .verdict.suspicious { background: var(--moderate); color: #fff; }
.status-ok { color: #1d6b2f; } .status-skipped { color: var(--moderate); } .status-error { color: var(--strong); }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(22rem, 1fr)); gap: 0.75rem; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 0.5rem 0.75rem; overflow-wrap: anywhere; }
.card h3 { margin: 0; font-size: 1.05rem; }
.card dl { display: grid; grid-template-columns: max-content 1fr; gap: 0 0.75rem; margin: 0.5rem 0; font-size: 0.9rem; }
.card dt { color: var(--muted); }
.card dd { margin: 0; }
.card:target, tr:target { outline: 3px solid var(--accent); }
.pager { display: flex; gap: 0.5rem; align-items: center; margin-block: 0.5rem; }
.pager button { font: inherit; padding: 0.15rem 0.6rem; }
.filter { font: inherit; padding: 0.25rem 0.5rem; min-width: 16rem; }
code, .mono { font-family: ui-monospace, "Cascadia Mono", Menlo, monospace; font-size: 0.85em; overflow-wrap: anywhere; }
pre { background: var(--panel); padding: 0.5rem; overflow-x: auto; white-space: pre-wrap; }
[hidden] { display: none !important; }
@media (max-width: 760px) { main table { display: block; overflow-x: auto; max-width: 100%; } }
@media print {
  .graph, .pager, .filter { display: none; }
  .campaign { break-inside: avoid-page; }
  tbody > tr[hidden]:not([data-filtered="out"]) { display: table-row !important; }
  .cards > [hidden]:not([data-filtered="out"]) { display: block !important; }
}
@media (prefers-reduced-motion: reduce) { * { scroll-behavior: auto !important; } }
`;

import { describe, expect, it } from "vitest";
import { layout } from "./graph-layout.js";
import { escapeXml, filterGraph, graphSvg, mergeTies, neighbourToward, type GNode } from "./graph-model.js";

const node = (key: string, score: number, platform = "twitter"): GNode => ({
  key,
  label: `@${key}`,
  score,
  role: score > 0.5 ? "core" : "member",
  platform,
});

describe("the drawn graph", () => {
  const rows = [
    { a: "b", b: "a", layer: "url", weight: 3, p_value: 0.01 },
    { a: "a", b: "b", layer: "hashtag", weight: 2, p_value: 0.001 },
    { a: "b", b: "c", layer: "url", weight: 1 },
    { a: "c", b: "d", layer: "sync", weight: 5 },
  ];
  const nodes = [node("a", 0.9), node("b", 0.8), node("c", 0.3), node("d", 0.2, "mastodon")];

  it("merges the layers of one pair into one line", () => {
    const e = mergeTies(rows);
    expect(e).toHaveLength(3);
    expect(e[0]).toEqual({ a: "a", b: "b", weight: 5, layers: ["url", "hashtag"], minP: 0.001 });
  });

  it("applies filters in order: layer drops ties and untied accounts, ties counts what is left", () => {
    const edges = mergeTies(rows);
    const byLayer = filterGraph(nodes, edges, [{ name: "layer", value: "url" }]);
    expect(byLayer.nodes.map((n) => n.key)).toEqual(["a", "b", "c"]);
    expect(byLayer.totalNodes).toBe(4);
    const both = filterGraph(nodes, edges, [
      { name: "score", value: "0.25" },
      { name: "ties", value: "2" },
    ]);
    // score leaves a, b, c (d's tie goes with it); of their ties a-b and b-c, only b has two
    expect(both.nodes.map((n) => n.key)).toEqual(["b"]);
    expect(
      filterGraph(nodes, edges, [{ name: "platform", value: "mastodon" }]).nodes.map((n) => n.key),
    ).toEqual(["d"]);
  });

  it("lays out deterministically and finds the neighbour an arrow points to", () => {
    const edges = mergeTies(rows);
    const p1 = layout(nodes, edges);
    const p2 = layout([...nodes].reverse(), edges);
    expect([...p1.entries()].sort()).toEqual([...p2.entries()].sort());
    const pos = new Map([
      ["o", { x: 0, y: 0 }],
      ["r", { x: 1, y: 0.1 }],
      ["u", { x: 0, y: 1 }],
      ["far-r", { x: 5, y: 0 }],
    ]);
    expect(neighbourToward("o", ["r", "u", "far-r"], pos, "right")).toBe("r");
    expect(neighbourToward("o", ["r", "u"], pos, "up")).toBe("u");
    expect(neighbourToward("o", ["r", "u"], pos, "left")).toBe("u"); // u is 90° off; r lies behind
    expect(neighbourToward("o", ["r"], pos, "left")).toBeNull();
  });

  it("writes an SVG whose labels are escaped text, hidden characters shown", () => {
    const hostile = [{ ...node("x", 1), label: '<script>alert(1)</script>"\u202E' }, node("y", 0.1)];
    const view = filterGraph(hostile, mergeTies([{ a: "x", b: "y", layer: "url", weight: 1 }]), []);
    const svg = graphSvg(view, layout(view.nodes, view.edges), {
      title: "C1 & co",
      caption: "1. score ≥ 0.5",
      legend: [{ color: "#b3412e", text: "core <member>" }],
      colorOf: () => "#000",
    });
    expect(svg).not.toContain("<script");
    expect(svg).toContain("&lt;script&gt;alert(1)&lt;/script&gt;&quot;[U+202E]");
    expect(svg).toContain("C1 &amp; co");
    expect(svg).toContain("core &lt;member&gt;");
    expect(escapeXml("a\u0001b")).toBe("ab");
    // the non-characters and lone surrogate halves XML forbids are dropped; a whole pair (an emoji) is kept
    expect(escapeXml("x\ufffey\uffff\ud800z\udc00\ud83d\ude00")).toBe("xyz\ud83d\ude00");
  });
});

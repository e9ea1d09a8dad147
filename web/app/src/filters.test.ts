import { describe, expect, it } from "vitest";
import {
  caption,
  captionLine,
  dateRange,
  inRange,
  overlaps,
  parseFilters,
  removeFilter,
  serializeFilters,
  serverQuery,
  setFilter,
  windowSeconds,
} from "./filters.js";
import { layerName } from "./i18n.js";

const nameOf = (n: string) => n;

describe("filters", () => {
  it("round-trip through the URL in the order they were added, dropping malformed and hostile ones", () => {
    const s = "dates:2024-03-01..2024-03-10~score:0.5~layer:<script>~ties:3~score:0.7~platform:twitter";
    const fs = parseFilters(s);
    expect(fs.map((f) => f.name)).toEqual(["dates", "score", "ties", "platform"]);
    // a repeated name keeps its first place and its last value
    expect(fs[1]).toEqual({ name: "score", value: "0.7" });
    expect(parseFilters(serializeFilters(fs))).toEqual(fs);
    expect(parseFilters("score:2~window:1e9~campaign:C1;drop")).toEqual([]);
    // a layer no detector has, or a score with more decimals than the server reads, is dropped too
    expect(parseFilters("layer:nope~layer:co-share~score:0.12345678901234567")).toEqual([]);
    expect(parseFilters("layer:fast-repost~score:0.1234567890123456").map((f) => f.value)).toEqual([
      "fast-repost",
      "0.1234567890123456",
    ]);
  });

  it("set replaces in place and appends new ones; remove keeps the others' order", () => {
    let fs = parseFilters("score:0.5~layer:url");
    fs = setFilter(fs, { name: "score", value: "0.9" });
    fs = setFilter(fs, { name: "ties", value: "2" });
    expect(serializeFilters(fs)).toBe("score:0.9~layer:url~ties:2");
    expect(serializeFilters(removeFilter(fs, "layer"))).toBe("score:0.9~ties:2");
  });

  it("a date range includes its last day whole", () => {
    const r = dateRange(parseFilters("dates:2024-03-01..2024-03-02"))!;
    expect(inRange("2024-03-02T23:59:59Z", r)).toBe(true);
    expect(inRange("2024-03-03T00:00:00Z", r)).toBe(false);
    expect(inRange("2024-02-29T23:59:59Z", r)).toBe(false);
    expect(overlaps("2024-02-20T00:00:00Z", "2024-03-01T01:00:00Z", r)).toBe(true);
    expect(overlaps("2024-03-05T00:00:00Z", "2024-03-09T00:00:00Z", r)).toBe(false);
    // reversed ends are put in order
    const [from, to] = dateRange(parseFilters("dates:2024-03-02T12:00:00Z..2024-03-01T12:00:00Z"))!;
    expect(from).toBeLessThan(to);
  });

  it("captions say every filter in order and mark the ones a view does not apply", () => {
    const fs = parseFilters("score:0.5~dates:2024-03-01..2024-03-10");
    expect(caption(fs[0]!, nameOf)).toBe("score ≥ 0.5");
    expect(captionLine(fs, nameOf, (n) => n === "score", "not here", "none")).toBe(
      "1. score ≥ 0.5; 2. dates 2024-03-01 – 2024-03-10 (not here)",
    );
    expect(captionLine([], nameOf, () => true, "x", "No filters.")).toBe("No filters.");
  });

  it("captions name a layer in the interface's words, the filter keeping the layer's own name", () => {
    const fs = parseFilters("layer:repost~score:0.5");
    const persian = (l: string) => layerName("fa", l);
    expect(caption(fs[0]!, nameOf, persian)).toBe(`layer = ${persian("repost")}`);
    expect(captionLine(fs, nameOf, () => true, "x", "none", persian)).toContain(persian("repost"));
    expect(persian("repost")).not.toBe("repost");
    expect(serializeFilters(fs)).toBe("layer:repost~score:0.5");
  });

  it("become the server's parameters, leaving out what the server does not take", () => {
    const fs = parseFilters("score:0.5~window:30~layer:sync~dates:2024-03-01..2024-03-02~ties:2");
    const q = serverQuery(fs, { postsOnly: true });
    expect(q.query).toBe("minScore=0.5&from=2024-03-01&to=2024-03-02&minTies=2");
    expect([...q.passed]).toEqual(["score", "dates", "ties"]);
    expect(serverQuery(parseFilters("window:fast")).query).toBe("window=fast");
    expect(windowSeconds(fs)).toBe(30);
    expect(windowSeconds(parseFilters("window:main"))).toBeUndefined();
  });
});

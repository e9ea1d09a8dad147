import { describe, expect, it } from "vitest";
import { DEFAULT_ROUTE, linkTo, parseHash, toHash } from "./route.js";

describe("the URL holds the whole state", () => {
  it("round-trips screen, ids, tab, selection, filters, page, language, calendar, zone and dialog", () => {
    const route = {
      ...DEFAULT_ROUTE,
      screen: "tie" as const,
      id: "twitter:1|2",
      b: "mastodon:@x@example.social",
      tab: "graph" as const,
      sel: "twitter:9",
      page: 3,
      filters: [
        { name: "dates" as const, value: "2024-03-01..2024-03-10" },
        { name: "score" as const, value: "0.5" },
      ],
      lang: "fa" as const,
      calendar: "persian" as const,
      tz: "Asia/Tehran",
      exportOpen: true,
    };
    const hash = toHash(route);
    expect(parseHash(hash)).toEqual(route);
    expect(toHash(parseHash(hash))).toBe(hash);
  });

  it("falls back to defaults for anything unknown, never throwing", () => {
    const r = parseHash("#/planet/x?tab=evil&lang=xx&tz=Mars%2FOlympus&page=-4&f=%E0%A4");
    expect(r.screen).toBe("overview");
    expect(r.tab).toBe("graph");
    expect(r.lang).toBe("en");
    expect(r.tz).toBe("UTC");
    expect(r.page).toBe(0);
    expect(parseHash("#/account/%E0%A4%A")).toMatchObject({ screen: "account" });
    expect(parseHash("")).toEqual(DEFAULT_ROUTE);
  });

  it("a link to another screen keeps filters and display, and drops the selection and the page", () => {
    const here = parseHash("#/campaign/C1?tab=heatmap&sel=twitter%3A1&page=2&f=score%3A0.5&lang=fa");
    const there = parseHash(linkTo(here, { screen: "account", id: "twitter:1" }));
    expect(there).toMatchObject({
      screen: "account",
      id: "twitter:1",
      tab: "graph",
      sel: null,
      page: 0,
      lang: "fa",
    });
    expect(there.filters).toEqual(here.filters);
  });
});

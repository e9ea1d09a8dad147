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

  it("keeps the whole-case graph's grouping and expanded campaigns, on that screen only", () => {
    const hash = "#/explorer?expand=C2,C10&group=1&f=score%3A0.5";
    const r = parseHash(hash);
    expect(r).toMatchObject({ screen: "explorer", group: true, expand: ["C2", "C10"] });
    expect(parseHash(toHash(r))).toEqual(r);
    expect(toHash(parseHash(toHash(r)))).toBe(toHash(r));
    // off is the default and is left out of the link
    expect(parseHash("#/explorer").group).toBe(false);
    expect(toHash({ ...r, group: false })).not.toContain("group");
    expect(parseHash("#/explorer?group=yes").group).toBe(false);
    // another screen neither reads nor writes it
    expect(parseHash("#/account/twitter%3A1?group=1").group).toBe(false);
    expect(toHash({ ...r, screen: "account", id: "twitter:1" })).not.toContain("group");
  });

  it("a link that stays on the whole-case graph keeps the grouping; one that leaves it and comes back does not", () => {
    const here = parseHash("#/explorer?expand=C1&group=1");
    expect(parseHash(linkTo(here, { filters: [{ name: "score", value: "0.5" }] }))).toMatchObject({
      screen: "explorer",
      group: true,
      expand: ["C1"],
    });
    const away = parseHash(linkTo(here, { screen: "account", id: "twitter:1" }));
    expect(away).toMatchObject({ group: false, expand: [] });
    expect(parseHash(linkTo(away, { screen: "explorer", id: null })).group).toBe(false);
  });
});

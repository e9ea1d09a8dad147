import { describe, expect, it } from "vitest";
import type { RuledOut } from "../campaign/index.js";
import { ruledOutLines } from "./analyze.js";

const group = (reason: string, sample: string[], accounts = sample.length): RuledOut => ({
  accounts,
  reason,
  sample,
  members: sample,
  layers: ["repost"],
  participation: 0.5,
  exclusivity: 0.1,
  density: 0.9,
});

describe("the terminal's list of groups ruled out", () => {
  it("states each reason once, names each group by its members and figures, and marks the members left out", () => {
    const fans = (a: string, b: string): string =>
      `one-way amplification: ${a} of the reposts were of accounts that never repost the others, and the members ` +
      `are ${b} of their audience`;
    const feeds = "syndication: every member's links go to one domain";
    const lines = ruledOutLines([
      group(fans("100%", "5%"), ["ali", "sara", "reza"]),
      group(feeds, ["bot_1", "bot_2", "twitter:1234", "bot_4", "bot_5"], 12),
      group(fans("85%", "12.5%"), ["مریم", "neda", "omid"]),
    ]);
    expect(lines).toEqual([
      "  one-way amplification: N% of the reposts were of accounts that never repost the others, and the\n" +
        "  members are N% of their audience",
      "    3 accounts (100%, 5%): @ali, @sara, @reza",
      "    3 accounts (85%, 12.5%): @مریم, @neda, @omid",
      `  ${feeds}`,
      "    12 accounts: @bot_1, @bot_2, twitter:1234, @bot_4, @bot_5, ...",
    ]);
  });
});

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
  it("states each reason once, names each group by its members, and marks the members left out", () => {
    const fans = "one-way amplification: 100% of the reposts were of accounts that never repost the others";
    const feeds = "syndication: 95% of the links go to one domain";
    const lines = ruledOutLines([
      group(fans, ["ali", "sara", "reza"]),
      group(feeds, ["bot_1", "bot_2", "twitter:1234", "bot_4", "bot_5"], 12),
      group(fans, ["مریم", "neda", "omid"]),
    ]);
    expect(lines).toEqual([
      `  ${fans}`,
      "    3 accounts: @ali, @sara, @reza",
      "    3 accounts: @مریم, @neda, @omid",
      `  ${feeds}`,
      "    12 accounts: @bot_1, @bot_2, twitter:1234, @bot_4, @bot_5, ...",
    ]);
  });
});

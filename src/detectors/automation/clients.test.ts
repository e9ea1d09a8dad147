import { describe, expect, it } from "vitest";
import { classifyClient } from "./clients.js";

describe("classifyClient", () => {
  it("knows scheduling tools and self-declared bots, and leaves people's apps alone", () => {
    expect(classifyClient("dlvr.it", "twitter")).toEqual({ kind: "scheduler", tool: "dlvr.it" });
    expect(classifyClient("IFTTT", "twitter")?.tool).toBe("IFTTT");
    expect(classifyClient("Hootsuite Inc.", "twitter")?.tool).toBe("Hootsuite");
    expect(classifyClient("Buffer", "twitter")?.tool).toBe("Buffer");
    expect(classifyClient("my_news_bot", "twitter")?.kind).toBe("declared-automation");
    for (const app of ["Twitter for Android", "Twitter Web App", "Tweetbot for iOS", "Translater", "Web"]) {
      expect(classifyClient(app, "twitter"), app).toBeNull();
    }
    // on Telegram, `via @x_bot` is a person using an inline bot
    expect(classifyClient("@vote_bot", "telegram")).toBeNull();
  });
});

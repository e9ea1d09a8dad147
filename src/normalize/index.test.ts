import { describe, expect, it } from "vitest";
import * as normalize from "./index.js";

describe("normalize public surface", () => {
  it("exports exactly the documented functions and constants", () => {
    expect(Object.keys(normalize).sort()).toEqual([
      "MAX_IMAGE_ID_LENGTH",
      "MAX_TIMESTAMP_MS",
      "MAX_URL_LENGTH",
      "MIN_TIMESTAMP_MS",
      "NormalizeError",
      "SHORTENERS",
      "canonicalUrl",
      "extractHashtags",
      "extractMentions",
      "extractUrls",
      "foldText",
      "hiddenCharacters",
      "imageId",
      "normalizeHashtag",
      "normalizeMention",
      "parseTimestamp",
      "scriptOf",
      "snowflakeToMs",
      "stripHtml",
      "toIsoUtc",
    ]);
  });

  it("tells its error apart by name", () => {
    const e = new normalize.NormalizeError("normalize/x: bad");
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe("NormalizeError");
  });

  it("chains: HTML post → text → folded text, hashtags, mentions and canonical links", () => {
    const html =
      '<p>می&zwnj;خواهم <a href="https://m.example/tags/x">#<span>مهسا_اميني</span></a> ' +
      '<span class="h-card"><a href="https://m.example/@ali">@<span>Ali</span></a></span><br>' +
      '<a href="https://youtu.be/abc?si=1"><span class="invisible">https://</span>youtu.be/abc?si=1</a></p>';
    const text = normalize.stripHtml(html);
    expect(text).toBe("می\u200cخواهم #مهسا_اميني @Ali\nhttps://youtu.be/abc?si=1");
    expect(normalize.foldText(text)).toBe("میخواهم #مهسا_امینی @ali https://youtu.be/abc?si=1");
    expect(normalize.extractHashtags(text)).toEqual(["مهسا_امینی"]);
    expect(normalize.extractMentions(text)).toEqual(["ali"]);
    expect(normalize.extractUrls(text).map((u) => normalize.canonicalUrl(u)?.canonical)).toEqual([
      "https://youtube.com/watch?v=abc",
    ]);
  });
});

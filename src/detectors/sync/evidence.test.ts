/**
 * What a burst was about is read from the posts inside its range, start included and end excluded. Whole-second
 * ranges take an equality join on seconds; other ranges the plain range join: both must draw the same line.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CaseStore } from "../../store/case.js";
import { caseOf, PostLog, T0 } from "../../../test/helpers/posts.js";
import { tempDir } from "../../../test/helpers/tmp.js";
import { burstTopics } from "./evidence.js";

describe("burstTopics at the edges of a burst", () => {
  let tmp: ReturnType<typeof tempDir>;
  let store: CaseStore;
  const start = T0 / 1000 + 100; // epoch seconds
  const end = start + 10;

  beforeAll(async () => {
    tmp = tempDir();
    const log = new PostLog();
    const at = (ms: number, tag: string, i: number): void => {
      log.add(`acc${tag}${i}`, ms, { hashtags: [tag], text: `text ${tag}` });
    };
    for (let i = 0; i < 3; i++) {
      at(start * 1000 - 1, "before", i); // one millisecond before the start: outside
      at(start * 1000, "first", i); // the start itself: inside
      at(end * 1000 - 1, "last", i); // the last millisecond: inside
      at(end * 1000, "after", i); // the end itself: outside
    }
    ({ store } = await caseOf(tmp, log.posts));
  });
  afterAll(() => {
    store.close();
    tmp.cleanup();
  });

  const tags = (t: Awaited<ReturnType<typeof burstTopics>>[number]): string[] =>
    t.objects
      .filter((o) => o.kind === "hashtag")
      .map((o) => `${o.value}:${o.posts}`)
      .sort();

  it("whole seconds: the start is in, the end is out", async () => {
    const [topics] = await burstTopics(store, [{ start, end, posts: 6 }], 10);
    expect(tags(topics!)).toEqual(["first:3", "last:3"]);
    expect(topics!.texts.map((t) => t.text).sort()).toEqual(["text first", "text last"]);
  });

  it("a range that does not start on a whole second reads the same posts by time", async () => {
    const [whole, fractional] = await burstTopics(
      store,
      [
        { start, end, posts: 6 },
        { start: start + 0.5, end, posts: 3 },
      ],
      10,
    );
    expect(tags(whole!)).toEqual(["first:3", "last:3"]);
    // half a second later leaves out the posts at the whole second (a join on seconds would have kept them)
    expect(tags(fractional!)).toEqual(["last:3"]);
  });

  it("overlapping ranges each count their own posts", async () => {
    const topics = await burstTopics(
      store,
      [
        { start, end, posts: 6 },
        { start: start - 1, end: end + 1, posts: 12 },
      ],
      10,
    );
    expect(tags(topics[0]!)).toEqual(["first:3", "last:3"]);
    expect(tags(topics[1]!)).toEqual(["after:3", "before:3", "first:3", "last:3"]);
  });
});

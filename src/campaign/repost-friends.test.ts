/**
 * Friends who repost one another's posts over minutes make ties that beat chance, and act three at a time again and
 * again; what they reposted together was their own posts, as a ring amplifying its members' posts does. What tells
 * them apart is that friends answer one another too: the test sets aside a group whose members replied to one
 * another's posts about as often as they reposted them, and keeps a ring that hardly answers its members and a pod
 * that answers them but reposts them all at once (test/helpers/repost-friends-world.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { analyzeCase, type AnalysisResult } from "../report/pipeline.js";
import type { CaseStore } from "../store/case.js";
import { repostFriendsWorld, type RepostFriendsWorld } from "../../test/helpers/repost-friends-world.js";
import { caseOf, key } from "../../test/helpers/posts.js";
import { tempDir } from "../../test/helpers/tmp.js";
import { DEFAULT_CAMPAIGN_OPTIONS, ownRepostShare } from "./index.js";
import type { SharedObjectFact } from "./facts.js";

let tmp: ReturnType<typeof tempDir>;
let store: CaseStore;
let world: RepostFriendsWorld;
let result: AnalysisResult;
let control: AnalysisResult;

beforeAll(async () => {
  tmp = tempDir();
  world = repostFriendsWorld(7);
  store = (await caseOf(tmp, world.posts)).store;
  const opts = { now: new Date("2024-06-01T00:00:00Z"), only: ["co-share"] };
  result = await analyzeCase(store, { ...opts, outDir: tmp.path("out") });
  // the same case with the bound out of reach: what the test alone sets aside
  control = await analyzeCase(store, { ...opts, outDir: tmp.path("control"), minAnswerRatio: Infinity });
});
afterAll(() => {
  store.close();
  tmp.cleanup();
});

const isFriends = (reason: string): boolean => reason.startsWith("friends who repost one another: ");
const members = (c: AnalysisResult["campaigns"][number]): string[] =>
  c.members.filter((m) => m.role !== "fringe").map((m) => m.key);
const holding = (r: AnalysisResult, account: string) =>
  r.campaigns.find((c) => members(c).includes(key(account)));

describe("friends who repost one another", () => {
  it("would report the circles as campaigns without the test", () => {
    const reported = world.circles.filter((c) => c.some((a) => holding(control, a) !== undefined));
    expect(reported.length).toBeGreaterThan(0);
  });

  it("sets the circles aside, with the members' replies and reposts of one another in the reason", () => {
    for (const c of world.circles) for (const a of c) expect(holding(result, a)).toBeUndefined();
    const friends = result.ruledOut.filter((r) => isFriends(r.reason));
    expect(friends.length).toBeGreaterThan(0);
    for (const r of friends) {
      const circle = world.circles.find((c) => c.map(key).includes(r.members[0]!))!;
      expect(r.members.every((m) => circle.map(key).includes(m))).toBe(true);
      const [, own, replies, reposts] =
        /: (\d+)% of the posts .* replied to one another's posts (\d+) times for the (\d+) times/.exec(
          r.reason,
        )!;
      expect(Number(own)).toBeGreaterThanOrEqual(DEFAULT_CAMPAIGN_OPTIONS.minConversationOwn * 100);
      expect(Number(replies)).toBeGreaterThanOrEqual(
        DEFAULT_CAMPAIGN_OPTIONS.minAnswerRatio * Number(reposts),
      );
    }
  });

  it("counts the replies and reposts of one another that the world holds", () => {
    const circle = world.circles.find((c) =>
      result.ruledOut.some(
        (r) => isFriends(r.reason) && r.members.length === c.length && r.members.includes(key(c[0]!)),
      ),
    );
    expect(circle).toBeDefined();
    const inCircle = new Set(circle);
    const authorOf = new Map(world.posts.map((p) => [p.post_id, p.account_id]));
    let replies = 0;
    let reposts = 0;
    for (const p of world.posts) {
      if (!inCircle.has(p.account_id)) continue;
      const ref = p.repost_of ?? p.reply_to;
      const author = ref === undefined ? undefined : authorOf.get(ref);
      if (author === undefined || author === p.account_id || !inCircle.has(author)) continue;
      if (p.repost_of !== undefined) reposts++;
      else replies++;
    }
    const r = result.ruledOut.find((g) => isFriends(g.reason) && g.members.includes(key(circle![0]!)))!;
    expect(r.reason).toContain(`replied to one another's posts ${replies} times for the ${reposts} times`);
  });

  it("keeps the ring that hardly answers its members, and the pod that reposts them all at once", () => {
    for (const unit of [world.ring, world.pod]) {
      const c = holding(result, unit[0]!);
      expect(c).toBeDefined();
      expect(
        members(c!)
          .filter((k) => unit.map(key).includes(k))
          .sort(),
      ).toEqual(unit.map(key).sort());
    }
  });
});

describe("the share of a group's joint reposts that were its own members' posts", () => {
  const fact = (kind: string, value: string, burst: number): SharedObjectFact =>
    ({ kind, value, burst }) as unknown as SharedObjectFact;
  const authors = new Map([
    ["p1", "twitter:a"],
    ["p2", "twitter:b"],
    ["p3", "twitter:x"],
  ]);
  it("counts posts reposted by two or more members together, whose author the case holds", () => {
    const objects = [
      fact("repost", "p1", 3),
      fact("repost", "p2", 2),
      fact("repost", "p3", 2),
      fact("repost", "p9", 4),
    ];
    expect(ownRepostShare(objects, new Set(["twitter:a", "twitter:b"]), authors)).toBeCloseTo(2 / 3);
  });
  it("leaves out posts one member reposted alone and objects of other kinds", () => {
    const objects = [fact("repost", "p1", 1), fact("reply", "p2", 3), fact("repost", "p3", 2)];
    expect(ownRepostShare(objects, new Set(["twitter:a", "twitter:b"]), authors)).toBe(0);
    expect(ownRepostShare([fact("repost", "p1", 1)], new Set(["twitter:a"]), authors)).toBeNull();
  });
});

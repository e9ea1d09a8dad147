/**
 * Friends answering one another in their threads meet on the same posts and mentions within minutes, again and
 * again: their ties can beat chance, and they act three at a time on more than one occasion. What they reply to and
 * mention together is their own posts and handles, spread over the circle. The conversation test sets them aside; a
 * swarm replying to a journalist, and a pod answering its own posts all at once, are kept
 * (test/helpers/conversation-world.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { analyzeCase, type AnalysisResult } from "../report/pipeline.js";
import type { CaseStore } from "../store/case.js";
import { conversationWorld, type ConversationWorld } from "../../test/helpers/conversation-world.js";
import { caseOf, key } from "../../test/helpers/posts.js";
import { tempDir } from "../../test/helpers/tmp.js";
import { conversation, DEFAULT_CAMPAIGN_OPTIONS } from "./index.js";
import type { SharedObjectFact } from "./facts.js";

let tmp: ReturnType<typeof tempDir>;
let store: CaseStore;
let world: ConversationWorld;
let result: AnalysisResult;
let control: AnalysisResult;

beforeAll(async () => {
  tmp = tempDir();
  world = conversationWorld(5);
  store = (await caseOf(tmp, world.posts)).store;
  const opts = { now: new Date("2024-06-01T00:00:00Z"), only: ["co-share"] };
  result = await analyzeCase(store, { ...opts, outDir: tmp.path("out") });
  // the same case with the bound out of reach: what the test alone sets aside
  control = await analyzeCase(store, { ...opts, outDir: tmp.path("control"), minConversationOwn: 2 });
});
afterAll(() => {
  store.close();
  tmp.cleanup();
});

const keys = (accounts: readonly string[]): string[] => accounts.map(key).sort();
const isConversation = (reason: string): boolean => reason.startsWith("a conversation among the members: ");

describe("a conversation among the members", () => {
  it("would report circles of friends as campaigns without the test", () => {
    const friends = new Set(world.circles.flat().map(key));
    const reported = control.campaigns.filter((c) => c.members.some((m) => friends.has(m.key)));
    expect(reported.length).toBeGreaterThan(0);
  });

  it("sets the circles aside, saying what share of their replies and mentions were their own", () => {
    const friends = new Set(world.circles.flat().map(key));
    expect(result.campaigns.filter((c) => c.members.some((m) => friends.has(m.key)))).toEqual([]);
    const talking = result.ruledOut.filter((r) => isConversation(r.reason));
    expect(talking.length).toBeGreaterThan(0);
    for (const r of talking) {
      // each is one circle, or most of one
      const circle = world.circles.find((c) => c.map(key).includes(r.members[0]!))!;
      expect(r.members.every((m) => circle.map(key).includes(m))).toBe(true);
      expect(r.layers.some((l) => l === "reply" || l === "mention")).toBe(true);
      const own = Number(/: (\d+)% of the posts they replied to/.exec(r.reason)![1]);
      expect(own).toBeGreaterThanOrEqual(DEFAULT_CAMPAIGN_OPTIONS.minConversationOwn * 100);
      const [, owners, members] = /of their circle \((\d+) accounts: (\d+) of the \d+ members/.exec(
        r.reason,
      )!;
      expect(Number(owners)).toBeGreaterThanOrEqual(Math.max(3, r.members.length / 2));
      expect(Number(members)).toBeLessThanOrEqual(Number(owners));
    }
  });

  it("keeps the swarm replying to a journalist who answers some of it, and the pod that answers its own posts all at once", () => {
    const members = (c: AnalysisResult["campaigns"][number]): string[] =>
      c.members.filter((m) => m.role !== "fringe").map((m) => m.key);
    // the campaign that holds every account of `unit`
    const holding = (unit: readonly string[]): AnalysisResult["campaigns"][number] => {
      const c = result.campaigns.find((x) => members(x).includes(key(unit[0]!)));
      expect(c).toBeDefined();
      expect(
        members(c!)
          .filter((k) => keys(unit).includes(k))
          .sort(),
      ).toEqual(keys(unit));
      return c!;
    };
    // not kept for bringing nearly all of it each time: its replies all go to one account, outside it
    expect(holding(world.swarm).facts.participation).toBeLessThan(DEFAULT_CAMPAIGN_OPTIONS.minBloc);
    // nor the swarm on six reporters who each answered it once, naming two of its accounts
    expect(holding(world.swarm2).facts.participation).toBeLessThan(DEFAULT_CAMPAIGN_OPTIONS.minBloc);
    const pod = result.campaigns.find((c) => members(c).includes(key(world.pod[0]!)));
    expect(pod).toBeDefined();
    expect(members(pod!).sort()).toEqual(keys(world.pod));
    // the pod's replies are all to its own posts: kept because nearly all of it answers each one at once
    expect(pod!.facts.participation).toBeGreaterThanOrEqual(DEFAULT_CAMPAIGN_OPTIONS.minBloc);
    expect(pod!.facts.burstShare).toBeGreaterThanOrEqual(DEFAULT_CAMPAIGN_OPTIONS.minBloc);
    expect(
      result.ruledOut.filter((r) => isConversation(r.reason) && r.members.includes(key(world.pod[0]!))),
    ).toEqual([]);
  });
});

describe("whose posts and handles a group replied to and mentioned together", () => {
  const fact = (kind: string, value: string, burst = 2): SharedObjectFact => ({
    kind,
    value,
    shares: burst,
    members: burst,
    total: burst,
    burst,
    together: 0,
  });
  const members = ["x:a", "x:b", "x:c", "x:d"];
  const refs = new Map(
    members.map((k) => [
      k,
      { platform: "x", accountId: k.slice(2), handle: `User_${k.slice(2).toUpperCase()}` },
    ]),
  );
  // posts p1-p3 by members, p4 by a friend outside the group, p5 by a stranger; p6 is not in the case
  const authors = new Map([
    ["p1", "x:a"],
    ["p2", "x:b"],
    ["p3", "x:c"],
    ["p4", "x:e"],
    ["p5", "x:z"],
  ]);
  const objects = [
    fact("reply", "p1"),
    fact("reply", "p2"),
    fact("reply", "p3"),
    fact("reply", "p4"),
    fact("reply", "p5"),
    fact("reply", "p6"),
    // a mention's value is the normalised handle: the members' handles are matched as mentions give them
    fact("mention", "user_d"),
    fact("mention", "friend_e"),
    // one member alone inside any window, and other layers: not what they did together
    fact("mention", "user_a", 1),
    fact("url", "https://example.org/"),
  ];

  it("counts the members' own, and the circle's when it is given", () => {
    expect(conversation(objects, members, refs, authors)).toEqual({
      objects: 7,
      own: 4,
      owners: 4,
      members: 4,
    });
    // the friend answered two members: its post and its handle are the circle's, and it is one owner
    const circle = new Map([
      ["x:e", "x:e"],
      ["@friend_e", "x:e"],
    ]);
    expect(conversation(objects, members, refs, authors, circle)).toEqual({
      objects: 7,
      own: 6,
      owners: 5,
      members: 4,
    });
  });
});

import { writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempDir } from "../../test/helpers/tmp.js";
import { ingestFile } from "../ingest/ingest.js";
import { CaseStore } from "../store/case.js";
import { buildShares } from "../store/shares.js";
import { groupFacts, type GroupFacts } from "./facts.js";

// Two groups: m1-m3 post one link within seconds late on a Sunday (UTC) and act alone at other hours; n1 and n2
// post only links of one site, and n2 reposts n1. An outsider shares the link too. m3 and the outsider repost m1's
// post of the link, copying the link as a retweet does.
interface Post {
  post_id: string;
  account_id: string;
  ts: string;
  urls?: string[];
  repost_of?: string;
}
const POSTS: Post[] = [
  { post_id: "1", account_id: "m1", ts: "2024-06-02T23:30:00Z", urls: ["https://a.example/x"] },
  { post_id: "2", account_id: "m2", ts: "2024-06-02T23:30:04Z", urls: ["https://a.example/x"] },
  { post_id: "3", account_id: "m3", ts: "2024-06-02T23:30:09Z", urls: ["https://a.example/x"] },
  { post_id: "4", account_id: "out", ts: "2024-06-05T10:00:00Z", urls: ["https://a.example/x"] },
  { post_id: "5", account_id: "m1", ts: "2024-06-03T00:10:00Z", urls: ["https://b.example/y"] },
  { post_id: "6", account_id: "m2", ts: "2024-06-05T23:00:00Z" },
  { post_id: "7", account_id: "m3", ts: "2024-06-04T12:59:59Z" },
  {
    post_id: "8",
    account_id: "m3",
    ts: "2024-06-02T23:30:30Z",
    urls: ["https://a.example/x"],
    repost_of: "1",
  },
  {
    post_id: "9",
    account_id: "out",
    ts: "2024-06-03T05:00:00Z",
    urls: ["https://a.example/x"],
    repost_of: "1",
  },
  ...[0, 1, 2, 3, 4].flatMap((i) => [
    {
      post_id: `n1-${i}`,
      account_id: "n1",
      ts: `2024-06-0${i + 1}T08:00:00Z`,
      urls: [`https://news.example/${i}`],
    },
    {
      post_id: `n2-${i}`,
      account_id: "n2",
      ts: `2024-06-0${i + 1}T09:00:00Z`,
      urls: [`https://news.example/${i}`],
    },
  ]),
  { post_id: "n2-r", account_id: "n2", ts: "2024-06-06T09:00:00Z", repost_of: "n1-0" },
];
const GROUPS = new Map([
  ["twitter:m1", 0],
  ["twitter:m2", 0],
  ["twitter:m3", 0],
  ["twitter:n1", 1],
  ["twitter:n2", 1],
]);

/** Monday 00:00 UTC first, as the facts count hours. */
function hourOfWeek(ts: string): number {
  const d = new Date(ts);
  return ((d.getUTCDay() + 6) % 7) * 24 + d.getUTCHours();
}

let tmp: ReturnType<typeof tempDir>;
let store: CaseStore;
let facts: GroupFacts[];

beforeAll(async () => {
  tmp = tempDir();
  const input = tmp.path("posts.jsonl");
  writeFileSync(input, POSTS.map((p) => JSON.stringify({ platform: "twitter", ...p })).join("\n") + "\n");
  store = await CaseStore.open(tmp.path("case.duckdb"));
  await ingestFile(store, input);
  facts = await groupFacts(store, GROUPS, [3, 2], ["domain", "repost", "url"], 60);
});

afterAll(() => {
  store.close();
  tmp.cleanup();
});

describe("groupFacts", () => {
  it("counts each group's posts by UTC hour of the week", () => {
    for (const g of [0, 1]) {
      const expected = new Array<number>(168).fill(0);
      const mine = POSTS.filter((p) => GROUPS.get(`twitter:${p.account_id}`) === g);
      for (const p of mine) expected[hourOfWeek(p.ts)]!++;
      expect(facts[g]!.hourOfWeek).toEqual(expected);
      expect(facts[g]!.posts).toBe(mine.length);
    }
    // the spot checks the arithmetic must pass: Sunday 23:xx is the week's last hour, Monday 00:xx its first
    expect(facts[0]!.hourOfWeek[167]).toBe(4);
    expect(facts[0]!.hourOfWeek[0]).toBe(1);
    expect(facts[0]!.hourOfWeek[2 * 24 + 23]).toBe(1); // 2024-06-05 was a Wednesday
  });

  it("lists the objects members shared inside one window, with everyone's shares of them", () => {
    const link = facts[0]!.objects.find((o) => o.kind === "url" && o.value.includes("a.example/x"));
    expect(link).toMatchObject({ shares: 3, members: 3, burst: 3, total: 4 });
    expect(facts[0]!.firstSeen).toBe("2024-06-02T23:30:00.000Z");
    expect(facts[0]!.lastSeen).toBe("2024-06-02T23:30:09.000Z");
  });

  it("counts a repost's copied link as the repost's, and the original as a share of its own repost object", () => {
    // as co-share counts them: the link's shares above leave out the two reposts' copies of it, and m1's post is
    // met by m3's repost of it 30 s later
    const repost = facts[0]!.objects.find((o) => o.kind === "repost");
    expect(repost).toMatchObject({ value: "1", shares: 2, members: 2, burst: 2, total: 3 });
  });

  it("names the one site every member's links go to, and only then", () => {
    expect(facts[1]!.feedDomain).toBe("news.example");
    expect(facts[1]!.feedSites).toEqual([{ domain: "news.example", members: 2 }]);
    // m1's links go to two sites, and m2 posted none
    expect(facts[0]!.feedDomain).toBeNull();
    expect(facts[0]!.feedSites).toEqual([]);
  });

  it("knows the members who reposted another member", () => {
    expect([...facts[1]!.reposters]).toEqual(["twitter:n2"]);
    expect([...facts[0]!.reposters]).toEqual(["twitter:m3"]);
  });

  it("reads the shares a detector numbered in the run when they hold its layers, and numbers them itself otherwise", async () => {
    const temp = (): Promise<Array<{ name: string }>> =>
      store.all(
        `SELECT table_name AS name FROM duckdb_tables() WHERE temporary AND table_name LIKE 'chorus%' ORDER BY 1`,
      );
    // numbered with more layers than the facts read (as co-share leaves them): read as they are
    const wide = await buildShares(store, ["domain", "hashtag", "mention", "repost", "url"]);
    expect(await groupFacts(store, GROUPS, [3, 2], ["domain", "repost", "url"], 60, wide)).toEqual(facts);
    // read, not numbered again: without their repost shares, the facts have no repost object
    await store.conn.run("DELETE FROM chorus_shares WHERE kind = 'repost'");
    const without = await groupFacts(store, GROUPS, [3, 2], ["domain", "repost", "url"], 60, wide);
    expect(facts[0]!.objects.map((o) => o.kind)).toContain("repost");
    expect(without[0]!.objects).toEqual(facts[0]!.objects.filter((o) => o.kind !== "repost"));
    // numbered without the repost layer: numbered again, with it
    const narrow = await buildShares(store, ["url"]);
    expect(await groupFacts(store, GROUPS, [3, 2], ["domain", "repost", "url"], 60, narrow)).toEqual(facts);
    const kinds = await store.all<{ kind: string }>("SELECT DISTINCT kind FROM chorus_shares ORDER BY 1");
    expect(kinds.map((k) => k.kind)).toEqual(["domain", "repost", "url"]);
    // the facts' own tables are let go; the numbered shares stay for whoever built them
    expect((await temp()).map((t) => t.name)).toEqual([
      "chorus_accounts",
      "chorus_object_ids",
      "chorus_post_rows",
      "chorus_shares",
    ]);
  });
});

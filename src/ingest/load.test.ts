import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { writeFileSync } from "node:fs";
import { source } from "../../test/helpers/adapter.js";
import { tempDir } from "../../test/helpers/tmp.js";
import { BulkLoader } from "../store/bulk.js";
import { CaseStore } from "../store/case.js";
import { chorusJsonlAdapter } from "./adapters/chorus-jsonl.js";
import { dropDuplicatePosts, duplicatesTable } from "./dedup.js";
import { loadAccounts, streamInput } from "./load.js";

let tmp: ReturnType<typeof tempDir>;
let store: CaseStore;

beforeEach(async () => {
  tmp = tempDir();
  store = await CaseStore.open(tmp.path("case.duckdb"));
});
afterEach(() => {
  store.close();
  tmp.cleanup();
});

const row = (fields: Record<string, unknown>): string =>
  JSON.stringify({ platform: "twitter", account_id: "u1", ts: "2024-03-08T09:00:00Z", ...fields });

/** Stream `lines` as input 1 of the case, its accounts loaded into `accounts`; what streaming gave. */
async function stream(lines: string[]) {
  const file = tmp.path("in.jsonl");
  writeFileSync(file, lines.join("\n") + "\n");
  const loader = new BulkLoader(store.conn, store.path);
  try {
    const read = await streamInput(
      file,
      chorusJsonlAdapter,
      source(file),
      { map: {}, maxRecordBytes: 1 << 20 },
      loader,
      1,
    );
    await loadAccounts(loader, read.accounts, 1, "accounts");
    return read;
  } finally {
    await loader.close();
  }
}

const tableExists = async (name: string): Promise<boolean> =>
  (await store.scalar<number>(
    "SELECT count(*)::INTEGER FROM duckdb_tables() WHERE temporary AND table_name = $t",
    { t: name },
  )) === 1;

describe("streaming an input", () => {
  it("counts the profile fields left out of posts that were kept, apart from the rows rejected", async () => {
    const read = await stream([
      row({ post_id: "1", account_created_at: "garbage", followers: "1,234" }),
      row({ post_id: "2", following: -3 }),
      row({ post_id: "3", ts: "yesterday", followers: "1.2K" }),
      row({ post_id: "4", followers: 5 }),
    ]);
    expect(read).toMatchObject({ rowsRead: 4, rowsRejected: 1, postsAppended: 3, fieldsDropped: 3 });
    expect(read.firstFieldReasons).toEqual([
      expect.stringMatching(
        /^line 1: account_created_at 'garbage' is not a timestamp .*: left out, the post is kept$/,
      ),
      "line 1: followers '1,234' is not a number (digits only: no separators or suffixes): left out, the post is kept",
      "line 2: following must be a number from 0 to 9007199254740991, got -3: left out, the post is kept",
    ]);
    expect(await store.all("SELECT account_id, followers::INTEGER AS followers FROM accounts")).toEqual([
      { account_id: "u1", followers: 5 },
    ]);
  });

  it("finds the duplicates before it builds the accounts, and leaves them for dropDuplicatePosts to drop", async () => {
    const read = await stream([
      row({ post_id: "X" }),
      row({ post_id: "X", account_id: "ghost", handle: "ghost" }),
      row({ post_id: "X", handle: "injected" }),
    ]);
    expect(read.accounts.size).toBe(1);
    expect(await store.all("SELECT account_id, handle FROM accounts")).toEqual([
      { account_id: "u1", handle: null },
    ]);
    // the posts are all there until the duplicates found are dropped, which counts them
    expect(await tableExists(duplicatesTable(1))).toBe(true);
    expect(await store.scalar<number>("SELECT count(*)::INTEGER FROM posts")).toBe(3);
    expect(await dropDuplicatePosts(store, 1, read.postsAppended, false)).toBe(2);
    expect(await store.all("SELECT account_id, source_row::INTEGER AS row FROM posts")).toEqual([
      { account_id: "u1", row: 1 },
    ]);
    expect(await tableExists(duplicatesTable(1))).toBe(false);
    expect(await tableExists("stg_profiles_1")).toBe(false);
  });

  it("drops duplicates that were not found beforehand, first row first", async () => {
    await store.conn.run(
      `INSERT INTO posts (platform, post_id, account_id, ts, kind, input_id, source_row)
       VALUES ('x', 'p', 'a', now(), 'post', 1, 2), ('x', 'p', 'b', now(), 'post', 1, 1),
              ('x', 'q', 'a', now(), 'post', 1, 3)`,
    );
    expect(await dropDuplicatePosts(store, 1, 3, false)).toBe(1);
    expect(await store.all("SELECT post_id, account_id FROM posts ORDER BY post_id")).toEqual([
      { post_id: "p", account_id: "b" },
      { post_id: "q", account_id: "a" },
    ]);
  });
});

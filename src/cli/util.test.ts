import { describe, expect, it } from "vitest";
import { describeInput } from "./ingest.js";
import { collectMap, count, INPUT_EXTENSIONS, INPUT_NAMES, noticeOnInterrupt, parseBytes } from "./util.js";

describe("count", () => {
  it("puts the noun in the plural unless the count is one, with thousands separated", () => {
    expect(count(1, "post")).toBe("1 post");
    expect(count(0, "row")).toBe("0 rows");
    expect(count(4802, "new post")).toBe("4,802 new posts");
    expect(count(2, "reply", "replies")).toBe("2 replies");
  });
});

describe("input files of a directory", () => {
  it("are the types named in the help, each optionally gzipped, mbox's .mbx among them", () => {
    for (const name of INPUT_NAMES.split(", ")) {
      expect(INPUT_EXTENSIONS.test(`x${name}`)).toBe(true);
      expect(INPUT_EXTENSIONS.test(`x${name}.gz`)).toBe(true);
    }
    expect(INPUT_NAMES).toContain(".mbx");
    expect(INPUT_EXTENSIONS.test("notes.pdf")).toBe(false);
    expect(INPUT_EXTENSIONS.test("x.jsonl.bak")).toBe(false);
  });
});

describe("sizes (--max-record-bytes)", () => {
  it("reads bytes and binary units, and refuses what is not a size or is no room at all", () => {
    expect(parseBytes("16MB")).toBe(16 * 2 ** 20);
    expect(parseBytes("512 KiB")).toBe(512 * 1024);
    expect(parseBytes("1.5g")).toBe(1.5 * 2 ** 30);
    expect(parseBytes("100")).toBe(100);
    for (const bad of ["0", "0MB", "0.0001b", "-1", "lots", ""]) {
      expect(() => parseBytes(bad), bad).toThrow(/expected a size/);
    }
  });
});

describe("an input's line (describeInput)", () => {
  const summary = {
    id: 1,
    path: "pages.json",
    sha256: "0",
    format: "twitter-v2",
    bytes: 10,
    rowsRead: 3,
    rowsRejected: 4,
    postsStored: 3,
    postsDuplicate: 0,
    accountsStored: 2,
    objectsStored: 1,
    skipped: false,
  };

  it("counts the posts of rows that hold many (pages of an API response) when it warns of rejects", () => {
    // three pages, seven tweets, four of them rejected: not "4 of 3 rows"
    expect(describeInput(summary)).toContain("warning: 4 of 7 posts were rejected");
    expect(describeInput({ ...summary, rowsRead: 100, rowsRejected: 99, postsStored: 1 })).toContain(
      "warning: 99 of 100 rows were rejected",
    );
    expect(describeInput({ ...summary, rowsRejected: 1 })).not.toContain("warning");
  });
});

describe("--map field=column", () => {
  it("collects fields, allows the same mapping twice, and refuses a field mapped to two columns", () => {
    const once = collectMap("post_id=id", undefined);
    expect(collectMap(" account_id = author ", once)).toEqual({ post_id: "id", account_id: "author" });
    expect(collectMap("post_id=id", once)).toEqual({ post_id: "id" });
    expect(() => collectMap("post_id=tweet", once)).toThrow(
      "post_id is mapped twice (to id and to tweet): map each field once",
    );
    for (const bad of ["post_id", "=id", "post_id="])
      expect(() => collectMap(bad, once), bad).toThrow(/field=column/);
  });
});

describe("noticeOnInterrupt", () => {
  it("says what the case holds when the process is interrupted, once, and then lets the signal end it", () => {
    const said: string[] = [];
    let reading = "a.jsonl";
    const before = process.listenerCount("SIGINT");
    const stop = noticeOnInterrupt(
      { err: (l) => said.push(l) },
      () => `interrupted while reading ${reading}`,
    );
    // another listener (as the scratch folders' removal is) keeps this test's process alive: the notice, seeing
    // it, leaves the ending to it rather than raising the signal again
    const other = (): void => {};
    process.on("SIGTERM", other);
    try {
      reading = "b.jsonl";
      process.emit("SIGTERM", "SIGTERM");
      process.emit("SIGTERM", "SIGTERM");
      expect(said).toEqual(["interrupted while reading b.jsonl"]);
      // the notice let go of every signal it listened for
      expect(process.listenerCount("SIGINT")).toBe(before);
    } finally {
      process.off("SIGTERM", other);
      stop();
    }
  });

  it("says nothing once the work is done", () => {
    const said: string[] = [];
    const before = process.listenerCount("SIGINT");
    const stop = noticeOnInterrupt({ err: (l) => said.push(l) }, () => "interrupted");
    expect(process.listenerCount("SIGINT")).toBe(before + 1);
    stop();
    expect(process.listenerCount("SIGINT")).toBe(before);
    const other = (): void => {};
    process.on("SIGINT", other);
    try {
      process.emit("SIGINT", "SIGINT");
    } finally {
      process.off("SIGINT", other);
    }
    expect(said).toEqual([]);
  });
});

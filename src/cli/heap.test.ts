import { describe, expect, it } from "vitest";
import { heapToAsk, type HeapSituation } from "./heap.js";

const GiB = 2 ** 30;
const base: HeapSituation = {
  totalMemBytes: 24 * GiB,
  heapLimitBytes: 4144 * 2 ** 20,
  execArgv: [],
  nodeOptions: "",
  relaunched: false,
  args: ["analyze", "posts.jsonl", "-o", "out/"],
};

describe("heapToAsk", () => {
  it("asks for half the machine's memory for a heavy verb when that is clearly more than the default", () => {
    expect(heapToAsk(base)).toBe(12 * 1024);
    expect(heapToAsk({ ...base, args: ["--quiet", "serve", "case.duckdb"] })).toBe(12 * 1024);
  });

  it("leaves light verbs, help and small machines alone", () => {
    expect(heapToAsk({ ...base, args: ["formats"] })).toBeNull();
    expect(heapToAsk({ ...base, args: ["ingest", "posts.jsonl"] })).toBeNull();
    expect(heapToAsk({ ...base, args: ["--version"] })).toBeNull();
    expect(heapToAsk({ ...base, args: ["analyze", "--help"] })).toBeNull();
    expect(heapToAsk({ ...base, totalMemBytes: 8 * GiB })).toBeNull(); // 4 GiB is what Node has already
  });

  it("obeys a heap size the user set, and never starts a second time", () => {
    expect(heapToAsk({ ...base, execArgv: ["--max-old-space-size=2048"] })).toBeNull();
    expect(heapToAsk({ ...base, nodeOptions: "--max_old_space_size=6000" })).toBeNull();
    expect(heapToAsk({ ...base, relaunched: true })).toBeNull();
  });

  it("caps what it asks for on very large machines", () => {
    expect(heapToAsk({ ...base, totalMemBytes: 1024 * GiB })).toBe(64 * 1024);
  });
});

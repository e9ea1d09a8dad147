import { describe, expect, it } from "vitest";
import { getHeapStatistics } from "node:v8";
import {
  currentSituation,
  heapToAsk,
  relaunchPlan,
  relaunchSettings,
  semiSpaceToAsk,
  type HeapSituation,
} from "./heap.js";

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

describe("semiSpaceToAsk", () => {
  it("asks for 32 MiB semi-spaces unless the user set a size, in flags or NODE_OPTIONS", () => {
    expect(semiSpaceToAsk(base)).toBe(32);
    expect(semiSpaceToAsk({ ...base, execArgv: ["--max-semi-space-size=8"] })).toBeNull();
    expect(semiSpaceToAsk({ ...base, nodeOptions: "--max_semi_space_size=64" })).toBeNull();
    // a heap size the user set says nothing about the young generation
    expect(semiSpaceToAsk({ ...base, nodeOptions: "--max-old-space-size=6000" })).toBe(32);
  });
});

describe("relaunchPlan", () => {
  it("starts a heavy verb with the larger heap and larger semi-spaces", () => {
    const plan = relaunchPlan(base);
    expect(plan).toEqual({ heapMib: 12 * 1024, semiSpaceMib: 32 });
    expect(relaunchSettings(plan!)).toEqual(["--max-old-space-size=12288", "--max-semi-space-size=32"]);
  });

  it("keeps the semi-space size the user set", () => {
    const plan = relaunchPlan({ ...base, execArgv: ["--max-semi-space-size=64"] });
    expect(plan?.semiSpaceMib).toBeNull();
    expect(relaunchSettings(plan!)).toEqual(["--max-old-space-size=12288"]);
  });

  it("runs in this process when the heap needs nothing, for light verbs and help, and never twice", () => {
    // the semi-spaces alone are not worth a second process
    expect(relaunchPlan({ ...base, nodeOptions: "--max-old-space-size=6000" })).toBeNull();
    expect(relaunchPlan({ ...base, totalMemBytes: 8 * GiB })).toBeNull();
    expect(relaunchPlan({ ...base, args: ["ingest", "posts.jsonl"] })).toBeNull();
    expect(relaunchPlan({ ...base, args: ["analyze", "--help"] })).toBeNull();
    expect(relaunchPlan({ ...base, relaunched: true })).toBeNull();
  });
});

describe("currentSituation", () => {
  it("reads this process: its heap, flags, NODE_OPTIONS and arguments", () => {
    const saved = process.env["NODE_OPTIONS"];
    process.env["NODE_OPTIONS"] = "--max-semi-space-size=64";
    try {
      const s = currentSituation(["detect", "--case", "c.duckdb"], true);
      expect(s.heapLimitBytes).toBe(getHeapStatistics().heap_size_limit);
      expect(s.execArgv).toEqual(process.execArgv);
      expect(s.nodeOptions).toBe("--max-semi-space-size=64");
      expect(s.args).toEqual(["detect", "--case", "c.duckdb"]);
      expect(s.relaunched).toBe(true);
      expect(s.totalMemBytes).toBeGreaterThan(0);
    } finally {
      if (saved === undefined) delete process.env["NODE_OPTIONS"];
      else process.env["NODE_OPTIONS"] = saved;
    }
  });
});

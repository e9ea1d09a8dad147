import { describe, expect, it } from "vitest";
import { getHeapStatistics } from "node:v8";
import {
  currentSituation,
  heapToAsk,
  hugePageTunables,
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

describe("hugePageTunables", () => {
  it("adds huge pages for malloc on Linux, after the tunables the user set", () => {
    expect(hugePageTunables(undefined, "linux")).toBe("glibc.malloc.hugetlb=1");
    expect(hugePageTunables("", "linux")).toBe("glibc.malloc.hugetlb=1");
    expect(hugePageTunables("glibc.malloc.arena_max=2", "linux")).toBe(
      "glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1",
    );
  });

  it("keeps the user's own setting of the tunable, and leaves other systems alone", () => {
    expect(hugePageTunables("glibc.malloc.hugetlb=0", "linux")).toBeNull();
    expect(hugePageTunables("glibc.malloc.arena_max=2:glibc.malloc.hugetlb=0", "linux")).toBeNull();
    expect(hugePageTunables(undefined, "darwin")).toBeNull();
    expect(hugePageTunables(undefined, "win32")).toBeNull();
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
  const linux = { ...base, platform: "linux", glibcTunables: undefined };

  it("starts a heavy verb with the larger heap and huge pages", () => {
    const plan = relaunchPlan(linux);
    expect(plan).toEqual({ heapMib: 12 * 1024, semiSpaceMib: 32, glibcTunables: "glibc.malloc.hugetlb=1" });
    expect(relaunchSettings(plan!)).toEqual({
      flags: ["--max-old-space-size=12288", "--max-semi-space-size=32"],
      env: { GLIBC_TUNABLES: "glibc.malloc.hugetlb=1" },
    });
    const none = { heapMib: null, semiSpaceMib: null, glibcTunables: "glibc.malloc.hugetlb=1" };
    expect(relaunchSettings(none).flags).toEqual([]);
    expect(relaunchSettings({ heapMib: 6000, semiSpaceMib: null, glibcTunables: null }).env).toEqual({});
  });

  it("keeps the semi-space size the user set", () => {
    const plan = relaunchPlan({ ...linux, execArgv: ["--max-semi-space-size=64"] });
    expect(plan?.semiSpaceMib).toBeNull();
    expect(relaunchSettings(plan!).flags).toEqual(["--max-old-space-size=12288"]);
  });

  it("still starts a second process for huge pages when the heap needs nothing", () => {
    expect(relaunchPlan({ ...linux, nodeOptions: "--max-old-space-size=6000" })).toEqual({
      heapMib: null,
      semiSpaceMib: 32,
      glibcTunables: "glibc.malloc.hugetlb=1",
    });
    expect(relaunchPlan({ ...linux, totalMemBytes: 8 * GiB })).toEqual({
      heapMib: null,
      semiSpaceMib: 32,
      glibcTunables: "glibc.malloc.hugetlb=1",
    });
  });

  it("runs in this process when there is nothing to change, for light verbs and help, and never twice", () => {
    const set = {
      ...linux,
      nodeOptions: "--max-old-space-size=6000",
      glibcTunables: "glibc.malloc.hugetlb=0",
    };
    expect(relaunchPlan(set)).toBeNull();
    expect(relaunchPlan({ ...linux, platform: "darwin", totalMemBytes: 8 * GiB })).toBeNull();
    expect(relaunchPlan({ ...linux, args: ["ingest", "posts.jsonl"] })).toBeNull();
    expect(relaunchPlan({ ...linux, args: ["analyze", "--help"] })).toBeNull();
    expect(relaunchPlan({ ...linux, relaunched: true })).toBeNull();
  });
});

describe("currentSituation", () => {
  it("reads this process: its heap, platform, flags and GLIBC_TUNABLES", () => {
    const saved = process.env["GLIBC_TUNABLES"];
    process.env["GLIBC_TUNABLES"] = "glibc.malloc.arena_max=2";
    try {
      const s = currentSituation(["detect", "--case", "c.duckdb"], true);
      expect(s.heapLimitBytes).toBe(getHeapStatistics().heap_size_limit);
      expect(s.platform).toBe(process.platform);
      expect(s.execArgv).toEqual(process.execArgv);
      expect(s.glibcTunables).toBe("glibc.malloc.arena_max=2");
      expect(s.args).toEqual(["detect", "--case", "c.duckdb"]);
      expect(s.relaunched).toBe(true);
      expect(s.totalMemBytes).toBeGreaterThan(0);
    } finally {
      if (saved === undefined) delete process.env["GLIBC_TUNABLES"];
      else process.env["GLIBC_TUNABLES"] = saved;
    }
  });
});

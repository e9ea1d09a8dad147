/**
 * The analysis runs with a third of DuckDB's memory limit (at least 1 GiB), co-share's layers (which never query
 * DuckDB) with 256 MiB, the saving of a run's ties with at most 640 MiB, native JSON Lines parsed by DuckDB with two
 * thirds, and each gives the limit before back after, whether it finished or failed.
 */
import { writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestFile } from "../src/ingest/ingest.js";
import { analyzeCase } from "../src/report/pipeline.js";
import { CaseStore } from "../src/store/case.js";
import { SAMPLE } from "./helpers/sample-case.js";
import { tempDir } from "./helpers/tmp.js";

const NOW = new Date("2026-01-01T00:00:00Z");

let tmp: ReturnType<typeof tempDir>;
let store: CaseStore;

const limit = async (): Promise<string> =>
  (await store.scalar<string>("SELECT current_setting('memory_limit')")) ?? "";

beforeAll(async () => {
  tmp = tempDir();
  store = await CaseStore.open(tmp.path("case.duckdb"), { memoryLimit: "6GiB" });
  await ingestFile(store, SAMPLE);
});
afterAll(() => {
  store.close();
  tmp.cleanup();
});

/**
 * DuckDB's memory limit at the first log line of a co-share analysis that matches each of `lines`: asked right away,
 * while the analysis goes on.
 */
async function limitsAt(out: string, lines: Record<string, RegExp>): Promise<Record<string, string>> {
  const at: Record<string, Promise<string>> = {};
  const log = {
    info: (m: string): void => {
      for (const [name, re] of Object.entries(lines))
        if (at[name] === undefined && re.test(m)) at[name] = limit();
    },
    warn: (): void => {},
  };
  await analyzeCase(store, { outDir: tmp.path(out), report: false, now: NOW, only: ["co-share"], log });
  return Object.fromEntries(
    await Promise.all(Object.entries(at).map(async ([k, v]) => [k, await v] as const)),
  );
}

describe("DuckDB's memory during the analysis", () => {
  it("is lowered while the detectors run and given back after", async () => {
    const seen: string[] = [];
    // a detector's log line is written while the analysis runs: what the limit is then is asked right away
    const asked: Array<Promise<void>> = [];
    const log = {
      info: (): void => {
        if (asked.length === 0) asked.push(limit().then((m) => void seen.push(m)));
      },
      warn: (): void => {},
    };
    await analyzeCase(store, { outDir: tmp.path("out"), report: false, now: NOW, only: ["co-share"], log });
    await Promise.all(asked);
    expect(seen).toEqual(["2.0 GiB"]);
    expect(await limit()).toBe("6.0 GiB");
  });

  it("is lowered to 256 MiB while co-share's layers run, and given back to the analysis after them", async () => {
    // a layer's line is written as it finishes, while the others may still run; the false-discovery control comes
    // once they are all done
    const at = await limitsAt("out-layers", {
      layer: /^co-share: \w+: \d+ shares/,
      after: /false-discovery/,
    });
    expect(at).toEqual({ layer: "256.0 MiB", after: "2.0 GiB" });
    expect(await limit()).toBe("6.0 GiB");
  });

  it("is at most 640 MiB while the run's findings and ties are saved, and given back after", async () => {
    // the save logs each part as it is written, and the campaign step comes after it
    const at = await limitsAt("out-save", { saving: /^ {2}saving: /, after: /^campaigns: / });
    expect(at).toEqual({ saving: "640.0 MiB", after: "2.0 GiB" });
    expect(await limit()).toBe("6.0 GiB");
  });

  it("is given back when the analysis fails", async () => {
    const blocked = tmp.path("not-a-dir");
    writeFileSync(blocked, "a file where the output directory should be");
    await expect(
      analyzeCase(store, { outDir: blocked, report: false, now: NOW, only: ["co-share"] }),
    ).rejects.toThrow();
    expect(await limit()).toBe("6.0 GiB");
  });
});

describe("DuckDB's memory while it parses native JSON Lines", () => {
  it("is 256 MiB a thread, at least 512 MiB, until the file is committed, and given back after", async () => {
    const own = await CaseStore.open(tmp.path("jsonl.duckdb"), { memoryLimit: "6GiB" });
    try {
      // the cap follows DuckDB's threads: two here, whatever the machine's cores
      await own.conn.run("SET threads = 2");
      const asked: Array<Promise<string>> = [];
      const onProgress = (): void => {
        if (asked.length === 0) {
          asked.push(own.scalar<string>("SELECT current_setting('memory_limit')").then((m) => m ?? ""));
        }
      };
      const s = await ingestFile(own, SAMPLE, { sqlParse: "always", sqlSliceBytes: 4096, onProgress });
      expect(s.postsStored).toBeGreaterThan(100);
      expect(await Promise.all(asked)).toEqual(["512.0 MiB"]);
      expect(await own.scalar<string>("SELECT current_setting('memory_limit')")).toBe("6.0 GiB");
    } finally {
      own.close();
    }
  });
});

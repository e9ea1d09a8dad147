import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { writeFileSync } from "node:fs";
import { CaseError, CaseStore, defaultMemoryLimit } from "./case.js";
import { MIGRATIONS, SCHEMA_VERSION } from "./schema.js";
import { tempDir } from "../../test/helpers/tmp.js";

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => (tmp = tempDir()));
afterEach(() => tmp.cleanup());

describe("the case store", () => {
  it("creates every table of the evidence model and records the schema version", async () => {
    const store = await CaseStore.open(tmp.path("c.duckdb"));
    expect(await store.schemaVersion()).toBe(SCHEMA_VERSION);
    const tables = await store.all<{ t: string }>(
      "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'main' ORDER BY 1",
    );
    for (const t of [
      "accounts",
      "campaign_members",
      "campaigns",
      "edges",
      "findings",
      "indicators",
      "inputs",
      "meta",
      "notes",
      "objects",
      "posts",
      "rejects",
      "runs",
    ]) {
      expect(tables.map((r) => r.t)).toContain(t);
    }
    store.close();
  });

  it("reopens an existing case without re-running migrations, keeping its rows", async () => {
    const path = tmp.path("c.duckdb");
    const a = await CaseStore.open(path);
    await a.conn.run(
      "INSERT INTO notes VALUES ('n1', 'account', 'x:1', 'unsure', 'check later', now(), now())",
    );
    a.close();
    const b = await CaseStore.open(path);
    expect(await b.scalar<number>("SELECT count(*)::INTEGER FROM notes")).toBe(1);
    expect(await b.scalar<string>("SELECT value FROM meta WHERE key = 'schema_version'")).toBe(
      String(MIGRATIONS.at(-1)!.version),
    );
    b.close();
  });

  it("refuses a case written by a newer Chorus, and a file that is not a case", async () => {
    const path = tmp.path("c.duckdb");
    const a = await CaseStore.open(path);
    await a.conn.run("UPDATE meta SET value = '999' WHERE key = 'schema_version'");
    a.close();
    await expect(CaseStore.open(path)).rejects.toThrow(/schema version 999 was written by a newer Chorus/);
    const junk = tmp.path("junk.duckdb");
    writeFileSync(junk, "this is not a database\n".repeat(100));
    await expect(CaseStore.open(junk)).rejects.toBeInstanceOf(CaseError);
    await expect(CaseStore.open(tmp.path("missing.duckdb"), { mustExist: true })).rejects.toThrow(
      /no such file/,
    );
  });

  it("rolls back a failed transaction as a whole", async () => {
    const store = await CaseStore.open(tmp.path("c.duckdb"));
    await expect(
      store.transaction(async () => {
        await store.conn.run("INSERT INTO notes VALUES ('n1', 'account', 'x:1', NULL, 'a', now(), now())");
        throw new Error("disk full");
      }),
    ).rejects.toThrow("disk full");
    expect(await store.scalar<number>("SELECT count(*)::INTEGER FROM notes")).toBe(0);
    store.close();
  });

  it("gives DuckDB an eighth of the machine's memory (at least 1 GiB) unless told otherwise", async () => {
    expect(defaultMemoryLimit(24 * 2 ** 30)).toBe("3072MiB");
    expect(defaultMemoryLimit(12 * 2 ** 30)).toBe("1536MiB");
    expect(defaultMemoryLimit(4 * 2 ** 30)).toBe("1024MiB");
    const limit = async (store: CaseStore): Promise<string> =>
      (await store.scalar<string>("SELECT current_setting('memory_limit')"))!;
    const store = await CaseStore.open(tmp.path("m.duckdb"));
    const mib = Number(defaultMemoryLimit().replace("MiB", ""));
    const shown = await limit(store);
    // DuckDB shows it rounded to a tenth of its unit
    expect(Math.abs(parseFloat(shown) * (shown.endsWith("GiB") ? 1024 : 1) - mib)).toBeLessThanOrEqual(
      0.1 * 1024,
    );
    store.close();
    const told = await CaseStore.open(tmp.path("m.duckdb"), { memoryLimit: "1536MiB" });
    expect(await limit(told)).toBe("1.5 GiB");
    told.close();
  });
});

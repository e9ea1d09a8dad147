/**
 * DuckDB settings for the duration of a bulk load (see `SettingsLease`), restored afterwards.
 */
import type { DuckDBConnection } from "@duckdb/node-api";

export interface LoadSettings {
  /** Threads DuckDB leaves to the producer (default 1; DuckDB keeps at least one). */
  spareThreads?: number;
  /** Cap on DuckDB's memory_limit while loading, e.g. "512MiB" (a lower limit already set is kept). */
  memoryLimit?: string;
  /**
   * With `memoryLimit`: that cap raised to this much per DuckDB thread (those it runs with under the lease) where
   * that is more, e.g. "256MiB".
   */
  memoryPerThread?: string;
  /**
   * Cap on DuckDB's memory_limit as a share of the limit already set, never below `MIN_SHARED_LIMIT` (applied only
   * where it lowers the limit).
   */
  memoryShare?: number;
  /**
   * false: checkpoints while the lease is held (one at a large transaction's commit) do not vacuum, see
   * `CaseStore.checkpointAppends`. For loads that only append rows.
   */
  vacuum?: false;
}

/** DuckDB's own `max_vacuum_tasks`, restored when the setting cannot be read back as a number. */
const DEFAULT_VACUUM_TASKS = 100;

/** The smallest memory limit that `memoryShare` sets. */
export const MIN_SHARED_LIMIT = 2 ** 30;

/**
 * DuckDB settings for a bulk load, restored afterwards.
 *
 * Threads: while JS parses an input on one core and DuckDB loads what it produced, DuckDB running on every core
 * only makes the two fight; on two cores, loading into a table took four times the CPU with two DuckDB threads than
 * with one. Memory: blocks written by the loads stay in DuckDB's buffer pool as long as the memory limit allows
 * (80% of RAM by default), so the process grew by about 100 MiB per million posts although nothing needed them;
 * a cap makes DuckDB drop them instead.
 *
 * Both are database-wide settings, and DuckDB refuses `SET` inside a failed transaction: take the lease before the
 * transaction and release it after. Releasing twice is a no-op, so it can also be released early, once the loads
 * are done.
 */
export class SettingsLease {
  private constructor(
    private readonly conn: DuckDBConnection,
    private threadsBefore: number | null,
    private memoryBefore: string | null,
    private vacuumBefore: number | null,
    /** DuckDB's memory limit when the lease was taken, as DuckDB showed it ("3.0 GiB"). */
    readonly memoryAtTake: string,
  ) {}

  static async take(conn: DuckDBConnection, settings: LoadSettings = {}): Promise<SettingsLease> {
    const reader = await conn.runAndReadAll(
      "SELECT current_setting('threads')::INTEGER, current_setting('memory_limit')",
    );
    const row = reader.getRowsJS()[0] ?? [];
    const threads = Number(row[0] ?? 1);
    const memory = String(row[1] ?? "");
    const lease = new SettingsLease(conn, null, null, null, memory);
    const lowered = Math.max(1, threads - (settings.spareThreads ?? 1));
    if (lowered !== threads) {
      await conn.run(`SET threads = ${lowered}`);
      lease.threadsBefore = threads;
    }
    const current = parseSize(memory);
    let cap = settings.memoryLimit ? parseSize(settings.memoryLimit) : Infinity;
    if (settings.memoryLimit && settings.memoryPerThread) {
      cap = Math.max(cap, lowered * parseSize(settings.memoryPerThread));
    }
    if (settings.memoryShare !== undefined && Number.isFinite(current)) {
      cap = Math.min(cap, Math.max(MIN_SHARED_LIMIT, current * settings.memoryShare));
    }
    if (cap < current) {
      await conn.run(`SET memory_limit = '${Math.floor(cap / 2 ** 20)}MiB'`);
      lease.memoryBefore = memory;
    }
    if (settings.vacuum === false) {
      const tasks = await conn.runAndReadAll("SELECT current_setting('max_vacuum_tasks')::VARCHAR");
      const before = Number(tasks.getRowsJS()[0]?.[0]);
      await conn.run("SET max_vacuum_tasks = 0");
      lease.vacuumBefore = Number.isInteger(before) ? before : DEFAULT_VACUUM_TASKS;
    }
    return lease;
  }

  /**
   * Runs `fn` with `settings`, restored after it, however it ends. DuckDB may refuse to lower its memory limit when
   * it cannot drop enough of what it holds: `fn` then runs with the settings as they are, and `refused` is told why.
   */
  static async during<T>(
    conn: DuckDBConnection,
    settings: LoadSettings,
    refused: (reason: string) => void,
    fn: () => Promise<T>,
  ): Promise<T> {
    const lease = await SettingsLease.take(conn, settings).catch((err: unknown) => {
      refused((err as Error).message);
      return null;
    });
    try {
      return await fn();
    } finally {
      await lease?.release();
    }
  }

  async release(): Promise<void> {
    if (this.vacuumBefore !== null) {
      const tasks = this.vacuumBefore;
      this.vacuumBefore = null;
      await this.conn.run(`SET max_vacuum_tasks = ${tasks}`);
    }
    if (this.threadsBefore !== null) {
      const threads = this.threadsBefore;
      this.threadsBefore = null;
      await this.conn.run(`SET threads = ${threads}`);
    }
    if (this.memoryBefore !== null) {
      const memory = this.memoryBefore;
      this.memoryBefore = null;
      // set, never RESET: DuckDB 1.5's RESET memory_limit shows the default again but leaves the buffer pool at
      // the lowered limit, so every query after the load ran within 512 MiB (spilling, and failing at 10M posts).
      // The limit read before is rounded ("18.8 GiB"): setting it back loses at most that rounding
      await this.conn.run(`SET memory_limit = '${memory.replaceAll("'", "''")}'`);
    }
  }
}

const SIZE_UNITS: Readonly<Record<string, number>> = {
  b: 1,
  bytes: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40,
};

/** Bytes in a DuckDB size such as "18.8 GiB" or "512MiB"; Infinity when it cannot be read (no limit). */
function parseSize(s: string): number {
  const m = /^\s*([\d.]+)\s*([a-z]*)\s*$/i.exec(s);
  const unit = SIZE_UNITS[(m?.[2] ?? "").toLowerCase() || "b"];
  return m && unit !== undefined ? Number(m[1]) * unit : Infinity;
}

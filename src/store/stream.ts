/**
 * Streaming reads that no other query on the same connection can cut short.
 *
 * DuckDB ends a connection's open stream when another query runs on that connection, and says nothing: the next
 * chunk is empty, as at the end of the rows, and the rows not yet read are lost. An ingest once lost the objects it
 * extracted from texts that way, on some runs only (a load queued before the stream ran while it was read). So the
 * case's connection is guarded (`guardConnection`, by `CaseStore.open`): while a stream read through
 * `streamChunks` is open, every query method of the connection refuses to run, with an error that says why.
 *
 * What the guard does not see: statements prepared or appenders created before the stream and used during it.
 */
import type { DuckDBConnection, DuckDBDataChunk, DuckDBValue } from "@duckdb/node-api";

/** A query ran on a connection while one of its streams was open (it would have ended that stream early). */
export class StreamOpenError extends Error {
  override name = "StreamOpenError";
}

/** Streams open through `streamChunks`, by connection. */
const openStreams = new WeakMap<DuckDBConnection, number>();

/** The connection's methods that run a query (or begin one), each refused while a stream is open. */
const QUERY_METHODS = [
  "run",
  "runAndRead",
  "runAndReadAll",
  "runAndReadUntil",
  "stream",
  "streamAndRead",
  "streamAndReadAll",
  "streamAndReadUntil",
  "start",
  "startThenRead",
  "startThenReadAll",
  "startThenReadUntil",
  "startStream",
  "startStreamThenRead",
  "startStreamThenReadAll",
  "startStreamThenReadUntil",
  "prepare",
  "createPrepared",
  "extractStatements",
  "createAppender",
] as const;

/** Make `conn`'s query methods refuse to run while a stream of `streamChunks` is open on it. */
export function guardConnection(conn: DuckDBConnection): void {
  if (openStreams.has(conn)) return;
  openStreams.set(conn, 0);
  const methods = conn as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  for (const name of QUERY_METHODS) {
    const method = methods[name];
    if (typeof method !== "function") continue;
    Object.defineProperty(conn, name, {
      configurable: true,
      writable: true,
      value: (...args: unknown[]): Promise<unknown> => {
        if ((openStreams.get(conn) ?? 0) > 0) {
          const what = typeof args[0] === "string" ? args[0].replace(/\s+/g, " ").trim().slice(0, 80) : name;
          return Promise.reject(
            new StreamOpenError(
              `store: a query (${what}) ran while a stream was open on the same connection, which would end the ` +
                "stream early; read the stream to its end first",
            ),
          );
        }
        return method.apply(conn, args);
      },
    });
  }
}

/**
 * Read `sql` chunk by chunk; no other query may run on `conn` until the loop ends (by reading every chunk, by
 * `break`, or by a throw). Chunks are never empty. `onColumns` gets the result's column names before the first.
 */
export async function* streamChunks(
  conn: DuckDBConnection,
  sql: string,
  params?: Record<string, DuckDBValue>,
  onColumns?: (names: string[]) => void,
): AsyncGenerator<DuckDBDataChunk> {
  const result = await conn.stream(sql, params);
  onColumns?.(result.columnNames());
  openStreams.set(conn, (openStreams.get(conn) ?? 0) + 1);
  try {
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) return;
      yield chunk;
    }
  } finally {
    openStreams.set(conn, (openStreams.get(conn) ?? 1) - 1);
  }
}

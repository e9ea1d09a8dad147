/**
 * Times written by SQL in the ISO 8601 forms that the rest of Chorus writes in JavaScript: evidence, exports and
 * views compare, quote and parse these strings, so every query writes them the same way. The store's session
 * time zone is UTC (CaseStore.open), so a TIMESTAMPTZ is written in UTC. NULL stays NULL.
 */

/** SQL: a TIMESTAMP or TIMESTAMPTZ expression as JavaScript's toISOString writes it (`2024-05-01T12:00:00.000Z`). */
export function isoMsSql(ts: string): string {
  return `strftime(${ts}, '%Y-%m-%dT%H:%M:%S.%gZ')`;
}

/** SQL: a TIMESTAMP or TIMESTAMPTZ expression to the second (`2024-05-01T12:00:00Z`), as views show times. */
export function isoSecondsSql(ts: string): string {
  return `strftime(${ts}, '%Y-%m-%dT%H:%M:%SZ')`;
}

/** SQL: epoch milliseconds (a DOUBLE expression) as toISOString writes them. */
export function isoFromEpochMsSql(ms: string): string {
  return isoMsSql(`make_timestamp((${ms} * 1000)::BIGINT)`);
}

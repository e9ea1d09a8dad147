/**
 * Opt-in DNS for the authentication checks. Triage is offline by default; `--dns` lets mailauth look up SPF
 * records, DKIM keys and DMARC policies over the network, and `--dns-cache FILE` records every answer to a JSON
 * file and replays it later without the network (a run is then repeatable, and tests never touch the network).
 *
 * The cache file is `{ "schema": "chorus.dns-cache/v1", "answers": { "TXT _dmarc.example.org": {"answer": [...]},
 * "A mail.example.org": {"error": "ENOTFOUND"} } }`, keys sorted. Only definite answers are recorded (records, or
 * "no such name" / "no data"); timeouts and server failures are not, so a replay never fakes them.
 */
import { Resolver as DnsResolver } from "node:dns/promises";
import { readFileSync, writeFileSync } from "node:fs";

/** mailauth's resolver: `(name, type)` resolving like `dns.promises.resolve`, rejecting with a `code`. */
export type Resolver = (name: string, type: string) => Promise<unknown>;

export class DnsCacheError extends Error {
  override name = "DnsCacheError";
}

export interface DnsCache {
  answers: Map<string, { answer?: unknown; error?: string }>;
  /** Lookups the cache could not answer (replay without network). */
  misses: Set<string>;
  /** Whether answers were added since loading. */
  changed: boolean;
}

const DEFINITE = new Set(["ENOTFOUND", "ENODATA", "NXDOMAIN"]);

const keyOf = (name: string, type: string): string =>
  `${type.toUpperCase()} ${name.toLowerCase().replace(/\.$/, "")}`;

/** An empty cache, or the one in `file` (a missing file is an empty cache when `mayBeMissing`). */
export function loadDnsCache(file: string, mayBeMissing: boolean): DnsCache {
  const cache: DnsCache = { answers: new Map(), misses: new Set(), changed: false };
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    if (mayBeMissing && (err as { code?: string }).code === "ENOENT") return cache;
    throw new DnsCacheError(`cannot read the DNS cache ${file}: ${(err as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new DnsCacheError(`the DNS cache ${file} is not valid JSON: ${(err as Error).message}`);
  }
  const answers = (doc as { schema?: unknown; answers?: unknown } | null)?.answers;
  if (
    (doc as { schema?: unknown } | null)?.schema !== "chorus.dns-cache/v1" ||
    typeof answers !== "object" ||
    !answers
  ) {
    throw new DnsCacheError(`the DNS cache ${file} is not a chorus.dns-cache/v1 document`);
  }
  for (const [k, v] of Object.entries(answers as Record<string, unknown>)) {
    if (!/^[A-Z]+ \S+$/.test(k) || typeof v !== "object" || v === null || !("answer" in v || "error" in v)) {
      throw new DnsCacheError(`the DNS cache ${file} has a malformed entry "${k.slice(0, 80)}"`);
    }
    cache.answers.set(k, v as { answer?: unknown; error?: string });
  }
  return cache;
}

/** Write the cache with its keys sorted, so that the file diffs cleanly between runs. */
export function saveDnsCache(file: string, cache: DnsCache): void {
  const answers = Object.fromEntries(
    [...cache.answers.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
  writeFileSync(file, JSON.stringify({ schema: "chorus.dns-cache/v1", answers }, null, 2) + "\n");
}

const failure = (code: string, what: string): Error => Object.assign(new Error(`${code} ${what}`), { code });

/** Network lookups with a short timeout and few retries (a triage should not hang on a dead server). */
export function networkResolver(): Resolver {
  const r = new DnsResolver({ timeout: 4000, tries: 2 });
  return (name, type) => r.resolve(name, type as "TXT") as Promise<unknown>;
}

/**
 * Answers from `cache`; what it lacks comes from `network` (and is recorded) or, without one, is refused with
 * the code `ECACHEMISS`, which mailauth reports as a temporary error.
 */
export function cachedResolver(cache: DnsCache, network?: Resolver): Resolver {
  return async (name, type) => {
    const key = keyOf(name, type);
    const hit = cache.answers.get(key);
    if (hit) {
      if (hit.error) throw failure(hit.error, key);
      return hit.answer;
    }
    if (!network) {
      cache.misses.add(key);
      throw failure("ECACHEMISS", key);
    }
    try {
      const answer = await network(name, type);
      cache.answers.set(key, { answer });
      cache.changed = true;
      return answer;
    } catch (err) {
      const code = (err as { code?: string }).code ?? "";
      if (DEFINITE.has(code)) {
        cache.answers.set(key, { error: code });
        cache.changed = true;
      }
      throw err;
    }
  };
}

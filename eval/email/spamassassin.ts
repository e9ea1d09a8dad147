/**
 * SpamAssassin as a same-set peer: Debian's `spamassassin` 4.0.1 run over the same generated messages, offline
 * (`-L`: no DNS blocklists, no URI reputation, no Razor/Pyzor/DCC), with Bayes off (`use_bayes 0`, so nothing is
 * learned from the test set) and its stock rules as packaged (no `sa-update`). A message counts as caught at
 * SpamAssassin's own default threshold, `required_score` 5.0.
 *
 * Messages are fed as one mbox per worker; each envelope line carries the message's index so that results are
 * matched by index whatever order SpamAssassin writes them in.
 */
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

export interface PeerResult {
  score: number;
  spam: boolean;
  tests: string[];
}

/** The version line, or undefined when spamassassin is not installed. */
export function spamassassinVersion(): string | undefined {
  const r = spawnSync("spamassassin", ["-V"], { encoding: "utf8" });
  if (r.error || r.status !== 0) return undefined;
  return /SpamAssassin version (\S+)/.exec(r.stdout)?.[1];
}

function toMbox(items: Array<{ index: number; raw: Buffer }>): Buffer {
  const parts: Buffer[] = [];
  for (const { index, raw } of items) {
    const text = raw
      .toString("latin1")
      .replace(/\r\n/g, "\n")
      .replace(/^(>*From )/gm, ">$1");
    parts.push(
      Buffer.from(
        `From eval-${index}@localhost Thu Jan  1 00:00:00 2026\n${text}${text.endsWith("\n") ? "" : "\n"}\n`,
        "latin1",
      ),
    );
  }
  return Buffer.concat(parts);
}

function runWorker(items: Array<{ index: number; raw: Buffer }>): Promise<Map<number, PeerResult>> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      "nice",
      [
        "-n",
        "10",
        "spamassassin",
        "-L",
        "--mbox",
        "--cf=use_bayes 0",
        "--cf=bayes_auto_learn 0",
        "--cf=use_auto_whitelist 0",
      ],
      { stdio: ["pipe", "pipe", "ignore"] },
    );
    const chunks: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => chunks.push(b));
    child.on("error", reject);
    child.on("close", () => {
      const out = new Map<number, PeerResult>();
      const text = Buffer.concat(chunks).toString("latin1");
      const re = /^From eval-(\d+)@localhost [^\n]*\n([\s\S]*?)(?=^From eval-\d+@localhost |(?![\s\S]))/gm;
      for (const m of text.matchAll(re)) {
        const head = m[2]!.split(/\n\n/, 1)[0]!.replace(/\n[ \t]+/g, " ");
        const status = /^X-Spam-Status: (Yes|No), score=(-?[\d.]+) required=[\d.]+ tests=(\S*)/m.exec(head);
        if (!status) continue;
        out.set(Number(m[1]), {
          spam: status[1] === "Yes",
          score: Number(status[2]),
          tests: status[3] === "none" ? [] : status[3]!.split(",").filter(Boolean),
        });
      }
      resolve(out);
    });
    child.stdin.end(toMbox(items));
  });
}

interface Cache {
  version: string;
  results: Record<string, PeerResult>;
}

/**
 * Scores for every message, by index; `workers` processes share the list. With `cacheFile`, results are kept by
 * the message's sha256 and SpamAssassin's version, so a re-run scores only messages it has not seen (the ham
 * corpus and a seeded phishing set do not change between runs; SpamAssassin is slow on a shared machine).
 */
export async function runSpamAssassin(
  raws: Buffer[],
  opts: { workers?: number; cacheFile?: string; version: string; cachedOnly?: boolean },
): Promise<{ results: Map<number, PeerResult>; cached: number }> {
  let cache: Cache = { version: opts.version, results: {} };
  if (opts.cacheFile && existsSync(opts.cacheFile)) {
    const c = JSON.parse(readFileSync(opts.cacheFile, "utf8")) as Cache;
    if (c.version === opts.version) cache = c;
  }
  const keys = raws.map((r) => createHash("sha256").update(r).digest("hex"));
  const todo = opts.cachedOnly
    ? []
    : raws.map((raw, index) => ({ index, raw })).filter(({ index }) => !cache.results[keys[index]!]);
  const workers = opts.workers ?? 2;
  const groups: Array<Array<{ index: number; raw: Buffer }>> = Array.from({ length: workers }, () => []);
  todo.forEach((item, i) => groups[i % workers]!.push(item));
  const fresh = await Promise.all(groups.filter((g) => g.length > 0).map(runWorker));
  for (const r of fresh) for (const [index, v] of r) cache.results[keys[index]!] = v;
  if (opts.cacheFile) {
    // another run may have written the file meanwhile: keep its results too
    if (existsSync(opts.cacheFile)) {
      const now = JSON.parse(readFileSync(opts.cacheFile, "utf8")) as Cache;
      if (now.version === opts.version) cache.results = { ...now.results, ...cache.results };
    }
    mkdirSync(dirname(opts.cacheFile), { recursive: true });
    writeFileSync(opts.cacheFile, JSON.stringify(cache));
  }
  const results = new Map<number, PeerResult>();
  keys.forEach((k, index) => {
    const v = cache.results[k];
    if (v) results.set(index, v);
  });
  return {
    results,
    cached: keys.filter((k) => cache.results[k]).length - fresh.reduce((n, r) => n + r.size, 0),
  };
}

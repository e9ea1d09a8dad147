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

/** Scores for every message, by index; `workers` processes share the list. */
export async function runSpamAssassin(raws: Buffer[], workers = 2): Promise<Map<number, PeerResult>> {
  const groups: Array<Array<{ index: number; raw: Buffer }>> = Array.from({ length: workers }, () => []);
  raws.forEach((raw, index) => groups[index % workers]!.push({ index, raw }));
  const results = await Promise.all(groups.map(runWorker));
  const all = new Map<number, PeerResult>();
  for (const r of results) for (const [k, v] of r) all.set(k, v);
  return all;
}

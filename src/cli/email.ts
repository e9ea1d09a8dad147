/** `chorus email`: triage suspicious messages (files, directories, mbox files) offline. */
import { defang, hostsOf } from "../email/defang.js";
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { Command, Option } from "commander";
import { parseProtectCsv, ProtectListError } from "../detectors/impersonation/protect.js";
import {
  cachedResolver,
  DnsCacheError,
  loadDnsCache,
  loadYaraRules,
  networkResolver,
  saveDnsCache,
  triageFile,
  YaraRulesError,
  type TriageOptions,
  type TriageResult,
  type Verdict,
} from "../email/index.js";
import { oneLine } from "./terminal.js";
import { expandInputs, UsageError } from "./util.js";
import type { Io } from "./main.js";

const MESSAGE_FILES = /\.(eml|mbox|mbx|msg)$/i;

function messageFiles(paths: string[]): string[] {
  return expandInputs(paths, {
    extensions: MESSAGE_FILES,
    onMissing: (p) => {
      throw new UsageError(`email: cannot read ${p}: no such file or directory`);
    },
  });
}

/**
 * Line breaks other than CR and LF that terminals and pagers also break lines at (NEL, the Unicode line and
 * paragraph separators, vertical tab, form feed), which `oneLine` leaves: a subject must not start a line of its own.
 */
const LINE_BREAKS = /[\u000b\u000c\u0085\u2028\u2029]/g;
const escapeBreak = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;

function printHuman(io: Io, r: TriageResult): void {
  // each value on its own line: a subject or a file name with a line break in it must not print a line of its own
  // (a forged "verdict:")
  const d = (s: string): string => oneLine(defang(s, hostsOf(r))).replace(LINE_BREAKS, escapeBreak);
  io.out(oneLine(r.source));
  io.out(`  verdict: ${r.verdict.toUpperCase()} (score ${r.score.toFixed(2)})`);
  if (r.from) io.out(`  from:    ${d(r.from)}`);
  if (r.subject) io.out(`  subject: ${d(r.subject)}`);
  const shown = r.reasons.filter((x) => x.weight > 0 || x.code === "message.unreadable");
  if (shown.length === 0)
    io.out("  reasons: none of the checks fired (this is not a guarantee that the message is safe)");
  else io.out("  reasons:");
  shown.forEach((x, i) => {
    const ev = `${x.evidence.kind} ${x.evidence.ref}${x.evidence.value && x.evidence.value !== x.evidence.ref ? `: ${x.evidence.value}` : ""}`;
    io.out(`    ${i + 1}. [${x.severity}] ${d(x.message)}`);
    io.out(`       (${d(ev.slice(0, 300))})`);
  });
  const info = r.reasons.filter((x) => x.weight === 0 && x.code !== "message.unreadable");
  for (const x of info) io.out(`  note: ${d(x.message)}`);
  if (r.firstExternalIp)
    io.out(`  first external IP: ${d(r.firstExternalIp)} (${r.received.length} Received hops)`);
  for (const a of r.attachments) {
    io.out(
      `  attachment: ${d(a.filename)} (${a.detectedType?.mime ?? "type not recognised"}, ${a.size} bytes) sha256 ${a.sha256} md5 ${a.md5}`,
    );
    for (const e of a.entries ?? [])
      io.out(`    - ${d(e.path)} (${e.size} bytes${e.encrypted ? ", encrypted" : ""})`);
  }
  if (r.indicators.urls.length > 0) {
    io.out("  links:");
    for (const u of r.indicators.urls.slice(0, 20)) {
      // a link that a link-protection service wrapped is listed by the address inside, the wrapper named
      const wrappers = r.links.find((l) => l.url === u && l.wrappers)?.wrappers;
      io.out(`    ${d(u.slice(0, 200))}${wrappers ? ` (inside ${wrappers.join(", ")})` : ""}`);
    }
    if (r.indicators.urls.length > 20) io.out(`    … and ${r.indicators.urls.length - 20} more (see --json)`);
  }
  if (r.notChecked.length > 0) {
    io.out("  not checked:");
    for (const n of r.notChecked) io.out(`    - ${d(n)}`);
  }
  io.out("");
}

/** The exit code of `--fail-on` when a message reaches the verdict. */
export const FAIL_ON_EXIT = 3;

interface EmailFlags {
  json?: boolean;
  protect?: string;
  ownDomain: string[];
  failOn?: "malicious" | "suspicious";
  yara: string[];
  yaraEngine?: "yara-x" | "wasm";
  dns?: boolean;
  dnsCache?: string;
}

/** Whether `v` is at least as bad as `threshold` (malicious > suspicious). */
export function reaches(v: Verdict, threshold: "malicious" | "suspicious"): boolean {
  return v === "malicious" || (threshold === "suspicious" && v === "suspicious");
}

/**
 * Whether a result fails `--fail-on threshold`: its verdict reaches it, or, for `suspicious`, the message was built
 * past a parser's bound (`message.over-bounds`), even one left `unknown` because nothing of it could be read.
 */
export function failsOn(r: TriageResult, threshold: "malicious" | "suspicious"): boolean {
  return (
    reaches(r.verdict, threshold) ||
    (threshold === "suspicious" && r.reasons.some((x) => x.code === "message.over-bounds"))
  );
}

export function emailCommand(io: Io): Command {
  return new Command("email")
    .description("triage suspicious emails offline: verdict, score, ranked reasons, indicators")
    .argument("<inputs...>", ".eml and Outlook .msg files, mbox files, or directories of them")
    .option("--json", "print one JSON document (schema chorus.email/v1) instead of text")
    .option(
      "--protect <file>",
      "CSV of protected identities (handle, display_name, optional platform, avatar, domain)",
    )
    .option(
      "--own-domain <domain>",
      "a domain of your organisation (repeatable); lookalikes of it are flagged",
      (v: string, prev: string[]) => [...prev, v.trim().toLowerCase()],
      [] as string[],
    )
    .option(
      "--yara <dir>",
      "also run the YARA rules (.yar, .yara) in this directory or file over the attachments (repeatable)",
      (v: string, prev: string[]) => [...prev, v],
      [] as string[],
    )
    .addOption(
      new Option(
        "--yara-engine <engine>",
        "yara-x (native, where installed: Linux x64) or wasm (YARA 4 in WebAssembly, slower); default: yara-x when installed",
      ).choices(["yara-x", "wasm"]),
    )
    .option("--dns", "look up DKIM keys, SPF and DMARC records over the network (off by default)")
    .option(
      "--dns-cache <file>",
      "with --dns: record DNS answers to this JSON file; alone: replay them from it, without the network",
    )
    .addOption(
      new Option(
        "--fail-on <verdict>",
        `exit with code ${FAIL_ON_EXIT} when any message is this verdict or worse (for scripts)`,
      ).choices(["malicious", "suspicious"]),
    )
    .addHelpText(
      "after",
      `
Verdicts: malicious, suspicious, no-signs-found (no check fired; not a guarantee), unknown (not readable).
No network calls are made unless --dns is given: DNS-dependent checks are read from the receiving provider's
headers. With --dns, DKIM keys, SPF and DMARC records are looked up now (answers from now, not from delivery);
--dns-cache FILE records them, and without --dns replays FILE with no network at all.
Attachments, archive entries and decoded content (macro source, PDF streams, files in disk images) are scanned
with the bundled YARA rules (rules/yara) and those given with --yara, each file on its own with YARA-X where it
is installed (Linux x64), else with YARA 4 in WebAssembly; a rule file that does not compile stops the run with
its file and line.

Exit codes: 0 done (whatever the verdicts, unless --fail-on); ${FAIL_ON_EXIT} a message reached the --fail-on verdict
(suspicious also counts malicious, and a message built past the reader's bounds, even one left unknown); 2 bad
input (a missing file, an unreadable --protect list, a YARA rule that does not compile); 1 an unknown option or a
bad option value.

Examples:
  $ chorus email suspicious.eml
  $ chorus email inbox.mbox --own-domain ngo.example --protect protect.csv
  $ chorus email reported/ --json > triage.json
  $ chorus email report.msg --yara ./my-rules --fail-on suspicious`,
    )
    .action(async (inputs: string[], flags: EmailFlags) => {
      const opts: TriageOptions = { ownDomains: flags.ownDomain };
      if (flags.protect) {
        let text: string;
        try {
          text = readFileSync(flags.protect, "utf8");
        } catch (err) {
          throw new UsageError(`email: cannot read --protect ${flags.protect}: ${(err as Error).message}`);
        }
        try {
          opts.protect = parseProtectCsv(text, flags.protect, dirname(resolve(flags.protect)));
        } catch (err) {
          if (err instanceof ProtectListError) throw new UsageError(`email: ${err.message}`);
          throw err;
        }
      }
      try {
        opts.yara = await loadYaraRules(flags.yara, {
          ...(flags.yaraEngine ? { engine: flags.yaraEngine === "wasm" ? "libyara-wasm" : "yara-x" } : {}),
        });
      } catch (err) {
        if (err instanceof YaraRulesError) throw new UsageError(`email: ${err.message}`);
        throw err;
      }
      for (const w of opts.yara.warnings) io.err(`chorus: email: warning: ${w}`);
      let dnsCache: ReturnType<typeof loadDnsCache> | undefined;
      try {
        if (flags.dnsCache) dnsCache = loadDnsCache(flags.dnsCache, !!flags.dns);
      } catch (err) {
        if (err instanceof DnsCacheError) throw new UsageError(`email: ${err.message}`);
        throw err;
      }
      if (dnsCache) opts.resolver = cachedResolver(dnsCache, flags.dns ? networkResolver() : undefined);
      else if (flags.dns) opts.resolver = networkResolver();
      const files = messageFiles(inputs);
      if (files.length === 0)
        throw new UsageError("email: no message files (.eml, .mbox, .msg) found in the inputs");
      const results: TriageResult[] = [];
      for (const f of files) results.push(...(await triageFile(readFileSync(f), f, opts)));
      if (dnsCache && flags.dnsCache) {
        if (flags.dns && dnsCache.changed) saveDnsCache(flags.dnsCache, dnsCache);
        if (dnsCache.misses.size > 0)
          io.err(
            `chorus: email: ${dnsCache.misses.size} DNS lookup${dnsCache.misses.size === 1 ? " was" : "s were"} not in ${flags.dnsCache}; ` +
              "their checks are listed as not checked (add --dns to look them up and record them)",
          );
      }
      if (flags.failOn && results.some((r) => failsOn(r, flags.failOn!))) io.setExitCode(FAIL_ON_EXIT);
      if (flags.json) {
        io.out(
          JSON.stringify(
            {
              schema: "chorus.email/v1",
              yara: { engine: opts.yara.engine, rules: opts.yara.names.length },
              messages: results,
            },
            null,
            2,
          ),
        );
        return;
      }
      for (const r of results) printHuman(io, r);
      const counts = new Map<string, number>();
      for (const r of results) counts.set(r.verdict, (counts.get(r.verdict) ?? 0) + 1);
      io.out(
        `${results.length} message${results.length === 1 ? "" : "s"}: ` +
          ["malicious", "suspicious", "no-signs-found", "unknown"]
            .filter((v) => counts.has(v))
            .map((v) => `${counts.get(v)} ${v}`)
            .join(", "),
      );
    });
}

/**
 * Scratch folders beside a case: the bulk loader's segments and the ingest's numbered slices, gigabytes at 10M posts.
 * Each is removed when its work ends; when the process is interrupted (SIGINT, SIGTERM, SIGHUP) or exits on the
 * way; and, for a process killed outright (SIGKILL, the kernel's out-of-memory killer), by the next process that
 * makes a scratch folder of the same kind in the same directory, once its owner is known to be gone.
 */
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";

/**
 * The file in a scratch folder that names its owner: `hostname pid namespace`, the namespace being the process's PID
 * namespace where the system says it (`-` elsewhere): two containers with the same host name that share a disk number
 * their processes apart, and a PID that has ended in one may run in the other.
 */
export const SCRATCH_OWNER = "chorus-owner";

function pidNamespace(): string {
  try {
    return readlinkSync("/proc/self/ns/pid").replace(/\s+/g, "") || "-";
  } catch {
    return "-";
  }
}

const OWNER = `${hostname()} ${process.pid} ${pidNamespace()}`;

const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
const live = new Set<string>();

/** Make a scratch folder `base/prefixXXXXXX`, owned by this process, after removing the abandoned ones beside it. */
export function makeScratchDir(base: string, prefix: string): string {
  sweepAbandoned(base, prefix);
  const dir = mkdtempSync(join(base, prefix));
  writeFileSync(join(dir, SCRATCH_OWNER), `${OWNER}\n`);
  if (live.size === 0) arm();
  live.add(dir);
  return dir;
}

/** Remove a scratch folder made by `makeScratchDir` (safe to call twice). */
export function removeScratchDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  if (live.delete(dir) && live.size === 0) disarm();
}

/**
 * Remove the folders `base/prefix*` whose owner ran on this host, in this PID namespace, and is no longer running. A
 * folder without an owner's file (being made at this moment, or by a version before owners were written) and one of
 * another host or namespace (a shared disk) are left alone: this process cannot tell whether their owner still needs
 * them.
 */
export function sweepAbandoned(base: string, prefix: string): string[] {
  let names: string[];
  try {
    names = readdirSync(base).filter((n) => n.startsWith(prefix));
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const dir = join(base, name);
    if (live.has(dir)) continue;
    let owner: string;
    try {
      owner = readFileSync(join(dir, SCRATCH_OWNER), "utf8");
    } catch {
      continue;
    }
    const m = /^(\S+) (\d+) (\S+)\n?$/.exec(owner);
    if (m === null || m[1] !== hostname() || m[3] !== pidNamespace() || isRunning(Number(m[2]))) continue;
    try {
      rmSync(dir, { recursive: true, force: true });
      removed.push(dir);
    } catch {
      // left for a later sweep: a folder this process cannot remove is no reason to fail its own work
    }
  }
  return removed;
}

function isRunning(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it runs, as another user
    return (err as NodeJS.ErrnoException).code !== "ESRCH";
  }
}

function removeAll(): void {
  for (const dir of live) rmSync(dir, { recursive: true, force: true });
  live.clear();
}

function onSignal(signal: NodeJS.Signals): void {
  removeAll();
  disarm();
  // end as the signal would have ended the process, unless something else in it listens for the signal (such as a
  // server that closes on SIGINT). A listener added with `once` has already removed itself when this runs, so a
  // command that makes scratch folders must listen with `on` to keep the process alive for its own shutdown
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

function arm(): void {
  for (const s of SIGNALS) process.on(s, onSignal);
  process.on("exit", removeAll);
}

function disarm(): void {
  for (const s of SIGNALS) process.off(s, onSignal);
  process.off("exit", removeAll);
}

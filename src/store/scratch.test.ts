import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { tempDir } from "../../test/helpers/tmp.js";
import { makeScratchDir, removeScratchDir, SCRATCH_OWNER, sweepAbandoned } from "./scratch.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => (tmp = tempDir()));
afterEach(() => tmp.cleanup());

/** This process's PID namespace as the owner's file names it. */
const ns = (() => {
  try {
    return readlinkSync("/proc/self/ns/pid").replace(/\s+/g, "") || "-";
  } catch {
    return "-";
  }
})();

/** The PID of a process that has ended. */
function endedPid(): number {
  const r = spawnSync(process.execPath, ["-e", "0"]);
  expect(r.status).toBe(0);
  return r.pid;
}

function folder(name: string, owner: string | null): string {
  const dir = tmp.path(name);
  mkdirSync(dir);
  writeFileSync(join(dir, "segment-1.txt"), "rows");
  if (owner !== null) writeFileSync(join(dir, SCRATCH_OWNER), owner);
  return dir;
}

describe("scratch folders beside a case", () => {
  it("names its owner, and is gone once removed; the signal handlers go with the last one", () => {
    const before = process.listenerCount("SIGINT");
    const a = makeScratchDir(tmp.dir, ".chorus-load-");
    const b = makeScratchDir(tmp.dir, ".chorus-slices-");
    expect(readFileSync(join(a, SCRATCH_OWNER), "utf8")).toBe(`${hostname()} ${process.pid} ${ns}\n`);
    expect(process.listenerCount("SIGINT")).toBe(before + 1);
    removeScratchDir(a);
    expect(existsSync(a)).toBe(false);
    expect(process.listenerCount("SIGINT")).toBe(before + 1);
    removeScratchDir(b);
    removeScratchDir(b);
    expect(existsSync(b)).toBe(false);
    expect(process.listenerCount("SIGINT")).toBe(before);
  });

  it("removes a folder whose owner on this host has ended, and leaves every other one", () => {
    const ended = folder(".chorus-load-ended", `${hostname()} ${endedPid()} ${ns}\n`);
    const mine = folder(".chorus-load-mine", `${hostname()} ${process.pid} ${ns}\n`);
    const parent = folder(".chorus-load-parent", `${hostname()} ${process.ppid} ${ns}\n`);
    const remote = folder(".chorus-load-remote", `another-host-${hostname()} ${endedPid()} ${ns}\n`);
    // another container of the same name on a shared disk: its PIDs are not this one's
    const otherNs = folder(".chorus-load-other-ns", `${hostname()} ${endedPid()} pid:[1]-elsewhere\n`);
    const unowned = folder(".chorus-load-unowned", null);
    const garbled = folder(".chorus-load-garbled", "not an owner");
    const otherKind = folder(".chorus-slices-ended", `${hostname()} ${endedPid()} ${ns}\n`);
    expect(sweepAbandoned(tmp.dir, ".chorus-load-")).toEqual([ended]);
    for (const kept of [mine, parent, remote, otherNs, unowned, garbled, otherKind]) {
      expect(existsSync(kept)).toBe(true);
    }
    // making a folder sweeps its kind first
    const made = makeScratchDir(tmp.dir, ".chorus-slices-");
    expect(existsSync(otherKind)).toBe(false);
    removeScratchDir(made);
    expect(sweepAbandoned(tmp.path("no-such-dir"), ".chorus-load-")).toEqual([]);
  });

  it("removes its folders when interrupted, and ends by the signal", async () => {
    const code =
      `const { makeScratchDir } = await import(${JSON.stringify(join(ROOT, "src/store/scratch.ts"))});` +
      `const dir = makeScratchDir(process.argv[1], ".chorus-load-");` +
      `console.log(dir); setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", code, tmp.dir], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "inherit"],
    });
    const ended = new Promise<NodeJS.Signals | null>((resolve) => child.once("exit", (_c, s) => resolve(s)));
    const dir = await new Promise<string>((resolve, reject) => {
      child.stdout.once("data", (d: Buffer) => resolve(d.toString().trim()));
      child.once("exit", (c) => reject(new Error(`the child exited with ${c}`)));
    });
    expect(existsSync(dir)).toBe(true);
    child.kill("SIGINT");
    expect(await ended).toBe("SIGINT");
    expect(existsSync(dir)).toBe(false);
    expect(readdirSync(tmp.dir)).toEqual([]);
  });
});

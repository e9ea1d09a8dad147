#!/usr/bin/env node
// Entry point of the `chorus` command: runs the compiled CLI (npm install builds it into dist/).
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { currentSituation, relaunchPlan, relaunchSettings } from "../dist/cli/heap.js";

const RELAUNCHED = "CHORUS_HEAP_RELAUNCHED";
const args = process.argv.slice(2);
const plan = relaunchPlan(currentSituation(args, process.env[RELAUNCHED] === "1"));

if (plan !== null) {
  // the heavy verbs run in a Node with a larger heap (see src/cli/heap.ts); this process only waits for it
  const flags = relaunchSettings(plan);
  const child = spawn(
    process.execPath,
    [...process.execArgv, ...flags, fileURLToPath(import.meta.url), ...args],
    {
      stdio: "inherit",
      env: { ...process.env, [RELAUNCHED]: "1" },
    },
  );
  child.on("error", (err) => {
    process.stderr.write(`chorus: could not start a second Node process for this command: ${err.message}\n`);
    process.exitCode = 70;
  });
  const forward = (signal) => child.kill(signal);
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, forward);
  child.on("exit", (code, signal) => {
    if (signal) {
      for (const s of ["SIGINT", "SIGTERM", "SIGHUP"]) process.removeAllListeners(s);
      process.kill(process.pid, signal);
    } else process.exitCode = code ?? 1;
  });
} else {
  const { main } = await import("../dist/cli/main.js");

  // Output piped into a reader that stops early (`chorus formats | head`) is not an error.
  process.stdout.on("error", (err) => {
    if (err && err.code === "EPIPE") process.exit(0);
    throw err;
  });

  main(args).then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      process.stderr.write(`chorus: internal error: ${err && err.stack ? err.stack : String(err)}\n`);
      process.exitCode = 70;
    },
  );
}

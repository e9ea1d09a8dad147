#!/usr/bin/env node
// Entry point of the `chorus` command: runs the compiled CLI (npm install builds it into dist/).
import { main } from "../dist/cli/main.js";

// Output piped into a reader that stops early (`chorus formats | head`) is not an error.
process.stdout.on("error", (err) => {
  if (err && err.code === "EPIPE") process.exit(0);
  throw err;
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`chorus: internal error: ${err && err.stack ? err.stack : String(err)}\n`);
    process.exitCode = 70;
  },
);

/** `chorus formats`: the input formats, how each is recognised, and how to force one. */
import { Command } from "commander";
import { ADAPTERS } from "../ingest/registry.js";
import type { Io } from "./main.js";

export function formatsCommand(io: Io): Command {
  return new Command("formats")
    .summary("list the input formats Chorus reads")
    .description(
      "List the input formats. Each is sniffed from a file's first 64 KiB (or its first line, when longer); force one " +
        "with --format NAME.",
    )
    .option("--json", "print the list as JSON")
    .addHelpText("after", "\nExamples:\n  $ chorus formats\n  $ chorus formats --json")
    .action((flags: { json?: boolean }) => {
      const list = ADAPTERS.map((a) => ({ id: a.id, summary: a.summary, files: a.files }));
      if (flags.json) {
        io.out(JSON.stringify(list, null, 2));
        return;
      }
      const w = Math.max(...list.map((a) => a.id.length));
      for (const a of list) io.out(`${a.id.padEnd(w)}  ${a.summary}\n${" ".repeat(w)}  files: ${a.files}`);
      io.out("\nForce a format with --format NAME; see docs/formats.md for the fields each one maps.");
    });
}

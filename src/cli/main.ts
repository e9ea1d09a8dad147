/**
 * The `chorus` command line. Commands parse flags and call the layers below; they hold no analysis logic.
 */
import { Command, CommanderError } from "commander";
import { TOOL_VERSION } from "../version.js";
import { IngestError } from "../ingest/types.js";
import { CaseError } from "../store/case.js";
import { ParamError } from "../detectors/run.js";
import { analyzeCommand, detectCommand, detectorsCommand } from "./analyze.js";
import { emailCommand } from "./email.js";
import { formatsCommand } from "./formats.js";
import { ingestCommand } from "./ingest.js";
import { exportCommand, reportCommand } from "./report.js";
import { rejectsCommand } from "./rejects.js";
import { serveCommand } from "./serve.js";
import { ReportError } from "../report/html/data.js";
import { UsageError } from "./util.js";
import { terminalSafe } from "./terminal.js";

/** Where commands write; injected so that tests run the CLI in-process. */
export interface Io {
  out(line: string): void;
  err(line: string): void;
  setExitCode(code: number): void;
}

export function buildProgram(io: Io): Command {
  const program = new Command("chorus")
    .description(
      "Find accounts acting in chorus: detect, explain and document coordinated influence and harassment campaigns.",
    )
    .version(TOOL_VERSION, "-V, --version", "print the version")
    .showHelpAfterError("(run with --help for usage)")
    .configureOutput({
      writeOut: (s) => io.out(s.replace(/\n$/, "")),
      writeErr: (s) => io.err(s.replace(/\n$/, "")),
    })
    .exitOverride();
  program.addCommand(analyzeCommand(io));
  program.addCommand(ingestCommand(io));
  program.addCommand(detectCommand(io));
  program.addCommand(reportCommand(io));
  program.addCommand(exportCommand(io));
  program.addCommand(serveCommand(io));
  program.addCommand(rejectsCommand(io));
  program.addCommand(formatsCommand(io));
  program.addCommand(detectorsCommand(io));
  program.addCommand(emailCommand(io));
  program.addHelpText(
    "after",
    `
Examples:
  $ chorus analyze sample/posts.jsonl -o out/
  $ chorus ingest --case iran.duckdb exports/
  $ chorus report --case out/case.duckdb -o out/report.html
  $ chorus export --case out/case.duckdb --format gexf -o out/graph.gexf
  $ chorus serve out/case.duckdb
  $ chorus rejects --case out/case.duckdb
  $ chorus formats
  $ chorus email suspicious.eml --own-domain ngo.example
  $ chorus ingest --help

Exit status: 0 done; 1 done, but some inputs were refused (the others were read);
2 nothing done: a wrong option, or every input or the case refused; 3 chorus
email --fail-on met; 70 an internal error (a defect: please report it).`,
  );
  for (const c of program.commands) c.exitOverride().configureOutput(program.configureOutput());
  return program;
}

/** Run the CLI with `argv` (without node and script); resolves to the exit code. */
export async function main(argv: string[], io: Io = processIo()): Promise<number> {
  let code = 0;
  const wrapped: Io = { ...io, setExitCode: (c) => (code = Math.max(code, c)) };
  const program = buildProgram(wrapped);
  try {
    await program.parseAsync(argv, { from: "user" });
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.exitCode;
    }
    if (
      err instanceof IngestError ||
      err instanceof CaseError ||
      err instanceof UsageError ||
      err instanceof ParamError ||
      err instanceof ReportError
    ) {
      wrapped.err(`chorus: ${err.message}`);
      return 2;
    }
    throw err;
  }
  return code;
}

export function processIo(): Io {
  return {
    out: (line) => process.stdout.write(terminalSafe(line) + "\n"),
    err: (line) => process.stderr.write(terminalSafe(line) + "\n"),
    setExitCode: (c) => (process.exitCode = c),
  };
}

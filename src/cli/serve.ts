/** `chorus serve`: the case's HTTP API on a local address, until interrupted. */
import { Command, InvalidArgumentError } from "commander";
import { startServer } from "../server/listen.js";
import { isLoopback } from "../server/security.js";
import { CaseStore } from "../store/case.js";
import { intOption, UsageError } from "./util.js";
import type { Io } from "./main.js";

const MAX_PORT = 65535;

function parsePort(value: string): number {
  const n = intOption("--port", 0)(value);
  if (n > MAX_PORT) throw new InvalidArgumentError(`--port must be at most ${MAX_PORT}, got ${n}`);
  return n;
}

/** The socket's refusal to listen, said as what to do about it; anything else goes on as it was. */
function listenError(err: unknown, host: string, port: number): unknown {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (code === "EADDRINUSE") {
    return new UsageError(
      `port ${port} on ${host} is in use (another chorus serve?); pick another with --port, or 0 for any free port`,
    );
  }
  if (code === "EACCES") {
    return new UsageError(
      `port ${port} on ${host} needs privileges this user lacks (ports below 1024 often do); pick another with --port, or 0 for any free port`,
    );
  }
  if (code === "EADDRNOTAVAIL" || code === "ENOTFOUND" || code === "EAI_AGAIN") {
    return new UsageError(`cannot listen on ${host}: not an address of this machine; see --host`);
  }
  return err;
}

export function serveCommand(io: Io): Command {
  return new Command("serve")
    .summary("investigate a case in the browser: the web app and its HTTP API on 127.0.0.1")
    .description(
      "Serve a case on a local address: a JSON API over the latest analysis (overview, campaigns with filters, " +
        "accounts, ties with their post pairs, timelines, hour-of-week heat maps, the whole-case graph, exports) " +
        "and the analyst's labels and notes, stored in the case with undo (a campaign's label carries over to a " +
        "re-analysed campaign with most of the same members; see docs/serve.md).\n\n" +
        "The investigation screens are at / (open the printed address in a browser; built by npm run build). " +
        "Binds 127.0.0.1 unless --host says otherwise; any other address needs the token printed at start. " +
        "Makes no network calls of its own. The case stays open for writing until the server stops, and other " +
        "commands on the same case refuse it until then (they do not wait): stop the server, or work on a copy.",
    )
    .argument("<case>", "the case file (e.g. out/case.duckdb)")
    .option("--port <n>", "the port (0: any free port)", parsePort, 0)
    .option("--host <address>", "the address to bind (other than loopback: needs the token)", "127.0.0.1")
    .addHelpText(
      "after",
      "\nExamples:\n  $ chorus serve out/case.duckdb\n  $ chorus serve out/case.duckdb --port 8123\n" +
        "  $ chorus serve out/case.duckdb --host 0.0.0.0   # prints a token; send it as Authorization: Bearer",
    )
    .action(async (casePath: string, flags: { port: number; host: string }) => {
      const store = await CaseStore.open(casePath, { mustExist: true });
      try {
        const s = await startServer(store, {
          host: flags.host,
          port: flags.port,
          casePath,
          // through the CLI's own output, which escapes what a terminal would act on (an engine's message may quote
          // the case's data)
          onInternalError: (err) => io.err(`chorus serve: internal error: ${err.stack ?? err.message}`),
        }).catch((err: unknown) => {
          throw listenError(err, flags.host, flags.port);
        });
        io.out(`Serving ${casePath} at ${s.url}`);
        if (s.token) {
          io.out(`${flags.host} is not loopback: every request needs the token ${s.token}`);
          io.out(`(header Authorization: Bearer ${s.token}, or ?token= in the URL)`);
        } else if (!isLoopback(flags.host)) io.out("warning: no token");
        io.out("Open that address in a browser; press Ctrl+C to stop.");
        await new Promise<void>((resolve) => {
          process.once("SIGINT", resolve);
          process.once("SIGTERM", resolve);
        });
        await s.close();
        io.out("Stopped.");
      } finally {
        store.close();
      }
    });
}

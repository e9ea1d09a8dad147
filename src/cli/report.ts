/** `chorus report` and `chorus export`: the case report and the graph and tables, rebuilt from a case. */
import { Command, Option } from "commander";
import { mkdirSync } from "node:fs";
import { writeWhole, writeWholeBy } from "../report/write-whole.js";
import { dirname } from "node:path";
import { writeGexf } from "../report/export/gexf.js";
import { writeGraphml } from "../report/export/graphml.js";
import { writeCsvTables } from "../report/export/csv.js";
import { toMisp } from "../report/export/misp.js";
import { loadSharing } from "../report/export/sharing.js";
import { TLP_LEVELS, toStix, type Tlp } from "../report/export/stix.js";
import { loadExportGraph } from "../report/export/graph.js";
import { writeReport } from "../report/html/index.js";
import { CaseStore } from "../store/case.js";
import { caseFiles, checkNotOverwriting, checkOutDir, checkOutFile, fmt, intOption } from "./util.js";
import type { Io } from "./main.js";

const plural = (n: number, what: string): string => `${fmt(n)} ${what}${n === 1 ? "" : "s"}`;

export function reportCommand(io: Io): Command {
  return new Command("report")
    .summary("write the HTML case report from a case")
    .description(
      "Write the self-contained case report (one HTML file: no network, scripts and data inlined) for the " +
        "latest analysis of a case, or the one given with --run. 'analyze' and 'detect' write it already; " +
        "this rebuilds it, e.g. with other caps for a large case.",
    )
    .requiredOption("--case <path>", "the case file")
    .requiredOption("-o, --out <file>", "the HTML file to write")
    .option("--run <id>", "the analysis run (default: the latest)", intOption("--run", 1))
    .option(
      "--max-accounts <n>",
      "account cards embedded, highest scores first (default 2000)",
      intOption("--max-accounts", 1),
    )
    .addHelpText(
      "after",
      "\nExamples:\n  $ chorus report --case out/case.duckdb -o out/report.html\n  $ chorus report --case big.duckdb --max-accounts 500 -o big-report.html",
    )
    .action(async (flags: { case: string; out: string; run?: number; maxAccounts?: number }) => {
      checkOutFile(flags.out, "report.html");
      checkNotOverwriting(flags.out, caseFiles(flags.case));
      const store = await CaseStore.open(flags.case, { readOnly: true });
      try {
        mkdirSync(dirname(flags.out), { recursive: true });
        await writeReport(store, flags.out, {
          casePath: flags.case,
          ...(flags.run !== undefined ? { runId: flags.run } : {}),
          ...(flags.maxAccounts !== undefined ? { limits: { accounts: flags.maxAccounts } } : {}),
        });
        io.out(`Wrote ${flags.out}`);
      } finally {
        store.close();
      }
    });
}

/** A file name to suggest when `-o` names a folder. */
const EXAMPLE_FILE = {
  gexf: "graph.gexf",
  graphml: "graph.graphml",
  stix: "bundle.json",
  misp: "misp-event.json",
} as const;

export function exportCommand(io: Io): Command {
  return new Command("export")
    .summary("export the account graph and tables (GEXF, GraphML, CSV), or share it (STIX 2.1, MISP)")
    .description(
      "Export an analysis of a case so work can go on in Gephi (gexf), R, Python or Cytoscape (graphml), or a " +
        "spreadsheet (csv: a folder with accounts, edges, campaigns, campaign_members and findings tables). " +
        "Accounts carry handle, name, score, campaign and role; edges carry layer, weight, co-shared objects, " +
        "lift, p-value and an example post pair. Only ties that bind campaigns (significant or candidate) are " +
        "exported unless --all-edges is given.\n\n" +
        "stix (a STIX 2.1 bundle) and misp (a MISP event) share the analysis with the security community: the " +
        "campaigns (social C1..., email E1...), the hostile messages and their indicators (URLs, domains, IPs, " +
        "addresses, file hashes), marked with --tlp. Messages triaged no-signs-found stay out unless they belong " +
        "to a hostile email group; big providers' domains are never indicators; local file paths are never " +
        "written. Nothing is defanged. The same run always gives the same bytes (see docs/sharing.md).",
    )
    .requiredOption("--case <path>", "the case file")
    .addOption(
      new Option("--format <format>", "what to write")
        .choices(["gexf", "graphml", "csv", "stix", "misp"])
        .makeOptionMandatory(),
    )
    .requiredOption("-o, --out <path>", "the file to write (for csv: a folder)")
    .option("--run <id>", "the analysis run (default: the latest)", intOption("--run", 1))
    .option("--all-edges", "also export chance-level ties kept in the case as context")
    .addOption(
      new Option("--tlp <level>", "stix, misp: the Traffic Light Protocol marking of what is shared")
        .choices([...TLP_LEVELS])
        .default("amber"),
    )
    .addHelpText(
      "after",
      "\nExamples:\n  $ chorus export --case out/case.duckdb --format gexf -o out/graph.gexf\n" +
        "  $ chorus export --case out/case.duckdb --format graphml -o out/graph.graphml\n" +
        "  $ chorus export --case out/case.duckdb --format csv -o out/tables/\n" +
        "  $ chorus export --case out/case.duckdb --format stix -o out/bundle.json\n" +
        "  $ chorus export --case out/case.duckdb --format misp --tlp green -o out/misp-event.json",
    )
    .action(
      async (flags: {
        case: string;
        format: "gexf" | "graphml" | "csv" | "stix" | "misp";
        out: string;
        run?: number;
        allEdges?: boolean;
        tlp: Tlp;
      }) => {
        if (flags.format === "csv") checkOutDir(flags.out, "csv writes one file per table there");
        else checkOutFile(flags.out, EXAMPLE_FILE[flags.format]);
        checkNotOverwriting(flags.out, caseFiles(flags.case));
        const store = await CaseStore.open(flags.case, { readOnly: true });
        try {
          if (flags.format === "stix" || flags.format === "misp") {
            const data = await loadSharing(store, flags.run);
            const text = flags.format === "stix" ? toStix(data, flags) : toMisp(data, flags);
            mkdirSync(dirname(flags.out), { recursive: true });
            writeWhole(flags.out, text);
            io.out(
              `Wrote ${plural(data.campaigns.length, "campaign")}, ${plural(data.messages.length, "hostile message")} and ` +
                `${plural(data.indicators.length, "indicator")} (run ${data.runId}, TLP:${flags.tlp.toUpperCase()}) to ${flags.out}`,
            );
            return;
          }
          const g = await loadExportGraph(store, {
            ...(flags.run !== undefined ? { runId: flags.run } : {}),
            all: Boolean(flags.allEdges),
          });
          const what = `${fmt(g.nodes.length)} accounts, ${fmt(g.edges.length)} ties (run ${g.run.id})`;
          if (flags.format === "csv") {
            const files = writeCsvTables(g, flags.out, (path) =>
              checkNotOverwriting(path, caseFiles(flags.case)),
            );
            io.out(`Wrote ${what} to ${files.join(", ")}`);
            return;
          }
          mkdirSync(dirname(flags.out), { recursive: true });
          // written piece by piece (a large case's graph would not fit in one string), then renamed into place
          await writeWholeBy(flags.out, (sink) =>
            flags.format === "gexf" ? writeGexf(g, sink) : writeGraphml(g, sink),
          );
          io.out(`Wrote ${what} to ${flags.out}`);
        } finally {
          store.close();
        }
      },
    );
}

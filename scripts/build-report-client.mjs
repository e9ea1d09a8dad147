// Bundles the case report's browser script (web/report/main.ts, with sigma and graphology) into one file that
// the report inlines: dist/report-client.js. Run by `npm run build`.
import { build } from "esbuild";
import { mkdirSync, readFileSync } from "node:fs";

mkdirSync("dist", { recursive: true });
await build({
  entryPoints: ["web/report/main.ts"],
  bundle: true,
  format: "iife",
  platform: "browser",
  target: ["es2020"],
  minify: true,
  legalComments: "none",
  charset: "utf8",
  outfile: "dist/report-client.js",
  logLevel: "warning",
});
const out = readFileSync("dist/report-client.js", "utf8");
if (/<\/script/i.test(out) || /<!--/.test(out)) {
  throw new Error("report client: the bundle contains '</script' or '<!--' and cannot be inlined");
}

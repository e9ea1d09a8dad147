import { main } from "../../src/cli/main.js";

/** Run the CLI in-process and capture what it prints. */
export async function runCli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l), setExitCode: () => {} });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

/** `chorus serve` as a command: honest help, and a missing case refused before anything listens. */
import { describe, expect, it } from "vitest";
import { runCli } from "../../test/helpers/cli.js";

describe("chorus serve", () => {
  it("says in its help that the investigation screens are at /, and that other hosts need a token", async () => {
    const r = await runCli(["serve", "--help"]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/investigation screens are at \//);
    expect(r.out).toMatch(/127\.0\.0\.1/);
    expect(r.out).toMatch(/token/);
  });

  it("refuses a case file that does not exist instead of creating one", async () => {
    const r = await runCli(["serve", "/nonexistent/case.duckdb"]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/no such file/);
  });

  it("rejects a port that is not a number", async () => {
    const r = await runCli(["serve", "x.duckdb", "--port", "http"]);
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/--port/);
  });
});

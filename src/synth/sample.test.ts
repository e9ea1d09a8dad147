import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  generatePosts,
  generateTruth,
  planWorld,
  toJsonLine,
  truthToJson,
  type SynthTruth,
} from "./generate.js";
import { sampleConfig } from "./sample.js";
import { sortedByTime } from "./write.js";

const dir = fileURLToPath(new URL("../../sample/", import.meta.url));
const postsFile = `${dir}posts.jsonl`;

describe.skipIf(!existsSync(postsFile))("the bundled sample", () => {
  it("is small and still exactly what scripts/make-sample.ts generates (regenerate it if this fails)", () => {
    const bytes = readFileSync(postsFile);
    expect(bytes.length).toBeLessThan(2_000_000);
    const cfg = sampleConfig();
    const plan = planWorld(cfg);
    const text = sortedByTime(generatePosts(cfg, plan))
      .map((p) => toJsonLine(p, { omitEmpty: true }) + "\n")
      .join("");
    const sha = (b: Buffer | string): string => createHash("sha256").update(b).digest("hex");
    expect(sha(text)).toBe(sha(bytes));
    // Compared as data: the script lets Prettier lay the file out.
    const written = JSON.parse(readFileSync(`${dir}truth.json`, "utf8")) as unknown;
    expect(written).toEqual(JSON.parse(truthToJson(generateTruth(cfg, plan))));
  });

  it("has what its README promises: three kinds of campaigns, fandoms, viral events, weeks of data", () => {
    const truth = JSON.parse(readFileSync(`${dir}truth.json`, "utf8")) as SynthTruth;
    expect(truth.campaigns.map((c) => c.kind).sort()).toEqual(["hashtag-flood", "link-burst", "repost-ring"]);
    const kinds = truth.organicTraps.map((t) => t.kind);
    expect(kinds).toContain("fandom");
    expect(kinds).toContain("viral");
    expect(truth.generator.days).toBeGreaterThanOrEqual(14);
    const readme = readFileSync(`${dir}README.md`, "utf8");
    expect(readme).toContain(`seed ${truth.generator.seed}`);
    expect(readme).toContain("CC0");
  });
});

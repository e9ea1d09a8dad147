/**
 * Synthetic social-media data with planted coordination: the public surface of `src/synth/` for the sample
 * script, the evaluation harness and the benchmarks.
 *
 * @example
 * const cfg = defaultConfig(1_000_000, 7);
 * const plan = planWorld(cfg);
 * await writePostsJsonl(generatePosts(cfg, plan), createWriteStream("posts.jsonl"));
 * writeFileSync("truth.json", truthToJson(generateTruth(cfg, plan)));
 */
export * from "./generate.js";
export type { JsonLineOptions } from "./jsonl.js";
export { datasetReadme, type ReadmeInput } from "./readme.js";
export { SAMPLE_POSTS, SAMPLE_SEED, SORT_LIMIT, sampleConfig } from "./sample.js";
export { sortedByTime, writePostsJsonl, type SynthStats, type WritePostsOptions } from "./write.js";

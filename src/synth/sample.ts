/**
 * The bundled sample's settings, shared by `scripts/make-sample.ts` (which writes `sample/`) and the test that
 * checks the committed sample is still what the generator produces.
 */
import { defaultConfig, type SynthConfig } from "./config.js";

/** Organic posts (planted campaigns add about 700, for about 5,000 in all: under 2 MB). */
export const SAMPLE_POSTS = 4200;
export const SAMPLE_SEED = 2024;
/** Outputs up to this many organic posts are sorted by time before writing. */
export const SORT_LIMIT = 200_000;

export function sampleConfig(): SynthConfig {
  return defaultConfig(SAMPLE_POSTS, SAMPLE_SEED);
}

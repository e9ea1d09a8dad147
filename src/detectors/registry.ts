/** Every detector Chorus runs, in the order it runs them. */
import type { Detector } from "./detector.js";
import { coShareDetector } from "./co-share/index.js";
import { rhythmDetector } from "./rhythm/index.js";

export const DETECTORS: ReadonlyArray<Detector<never>> = [
  coShareDetector as unknown as Detector<never>,
  rhythmDetector as unknown as Detector<never>,
];

export function detectorById(id: string): Detector<never> | undefined {
  return DETECTORS.find((d) => d.id === id);
}

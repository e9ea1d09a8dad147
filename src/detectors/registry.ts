/**
 * Every detector Chorus runs, in the order they are listed, saved and reported; the runner runs the two that hold
 * millions of ties (co-share, sync) after the others (`runOrder`, run.ts).
 */
import type { Detector } from "./detector.js";
import { coShareDetector } from "./co-share/index.js";
import { impersonationDetector } from "./impersonation/index.js";
import { rhythmDetector } from "./rhythm/index.js";
import { creationBurstDetector } from "./creation-burst/index.js";
import { syncDetector } from "./sync/index.js";
import { automationDetector } from "./automation/index.js";
import { nearDuplicateDetector } from "./near-duplicate/index.js";
import { emailInfrastructureDetector } from "./email-infrastructure/index.js";

export const DETECTORS: ReadonlyArray<Detector<never>> = [
  // before co-share, which compares the text objects it derives
  nearDuplicateDetector as unknown as Detector<never>,
  coShareDetector as unknown as Detector<never>,
  impersonationDetector as unknown as Detector<never>,
  rhythmDetector as unknown as Detector<never>,
  creationBurstDetector as unknown as Detector<never>,
  syncDetector as unknown as Detector<never>,
  automationDetector as unknown as Detector<never>,
  emailInfrastructureDetector as unknown as Detector<never>,
];

export function detectorById(id: string): Detector<never> | undefined {
  return DETECTORS.find((d) => d.id === id);
}

/** Which layers of the account graph come from shared objects (co-share) rather than from behaviour. */
import { OBJECT_KINDS } from "../model/index.js";

const OBJECT_LAYERS: ReadonlySet<string> = new Set(OBJECT_KINDS);

/** Layers whose ties come from shared objects (co-share), as opposed to behaviour (sync, rhythm, ...). */
export function isObjectLayer(layer: string): boolean {
  return OBJECT_LAYERS.has(layer);
}

/**
 * The layers of behaviour: sync's same-second bursts and fast reposts, rhythm's shared shifts, creation-burst's
 * accounts made together, and email infrastructure. With the object kinds, every layer a tie may be on.
 */
export const BEHAVIOUR_LAYERS: readonly string[] = [
  "sync",
  "fast-repost",
  "rhythm",
  "creation",
  "email-infrastructure",
];

/** Every layer a detector's ties may be on (a filter naming another is a mistake, not an empty answer). */
export const ALL_LAYERS: readonly string[] = [...OBJECT_KINDS, ...BEHAVIOUR_LAYERS];

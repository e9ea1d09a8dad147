/** Which layers of the account graph come from shared objects (co-share) rather than from behaviour. */
import { OBJECT_KINDS } from "../model/index.js";

const OBJECT_LAYERS: ReadonlySet<string> = new Set(OBJECT_KINDS);

/** Layers whose ties come from shared objects (co-share), as opposed to behaviour (sync, rhythm, ...). */
export function isObjectLayer(layer: string): boolean {
  return OBJECT_LAYERS.has(layer);
}

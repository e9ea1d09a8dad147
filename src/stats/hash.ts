/** FNV-1a (32 bits) over the UTF-16 units of a string: a stable, seed-free hash for ordering and sampling. */
export function fnv1a(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

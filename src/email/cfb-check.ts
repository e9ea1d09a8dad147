/**
 * A check of a compound file's sector chains (MS-CFB) before a reader follows them. The .msg reader follows a
 * stream's chain of sectors through the file allocation table until the chain ends; a damaged or hostile file whose
 * table points a sector back into its own chain keeps it following forever, growing its output without bound (one
 * sector pointing to itself hung `chorus email` at 2.9 GB within 40 s). A sound file's tables are forests of chains
 * that each end: this finds a cycle, or a pointer past the file, in the allocation table and the mini table, in
 * time and memory proportional to the file.
 */

const ENDOFCHAIN = 0xfffffffe;
const FREESECT = 0xffffffff;
const FATSECT = 0xfffffffd;
const DIFSECT = 0xfffffffc;
/** Entries of the DIFAT held in the header itself. */
const HEADER_DIFAT = 109;

/** Whether `v` is one of the table's special values rather than a sector number. */
const special = (v: number): boolean => v === ENDOFCHAIN || v === FREESECT || v === FATSECT || v === DIFSECT;

/**
 * Why the compound file `b` cannot be read safely (a cycle in one of its sector chains, a chain that leaves the
 * file, a table that lies about its size), or null when its chains are sound. Only the chains are checked: the
 * reader's own checks cover the rest.
 */
export function compoundFileProblem(b: Buffer): string | null {
  if (b.length < 512) return "the compound file is shorter than its header";
  const shift = b.readUInt16LE(0x1e);
  if (shift !== 9 && shift !== 12) return `the compound file's sector size (2^${shift}) is not 512 or 4096`;
  const size = 1 << shift;
  const sectors = Math.floor((b.length - size) / size) + ((b.length - size) % size > 0 ? 1 : 0);
  const sectorAt = (s: number): number => (s + 1) * size;
  const perSector = size / 4;

  // the allocation table's sectors: 109 in the header, then the DIFAT sectors' chain, each ending with the next
  const fatCount = b.readUInt32LE(0x2c);
  if (fatCount > sectors) return "the compound file claims more allocation sectors than it has";
  const fatSectors: number[] = [];
  for (let i = 0; i < HEADER_DIFAT && fatSectors.length < fatCount; i++)
    fatSectors.push(b.readUInt32LE(0x4c + 4 * i));
  let difat = b.readUInt32LE(0x44);
  const seenDifat = new Set<number>();
  while (fatSectors.length < fatCount && !special(difat)) {
    if (difat >= sectors || seenDifat.has(difat))
      return "the compound file's DIFAT chain loops or leaves the file";
    seenDifat.add(difat);
    const at = sectorAt(difat);
    for (let i = 0; i < perSector - 1 && fatSectors.length < fatCount; i++)
      fatSectors.push(b.readUInt32LE(at + 4 * i));
    difat = b.readUInt32LE(at + size - 4);
  }
  if (fatSectors.length < fatCount) return "the compound file's allocation table is incomplete";
  const fat = new Uint32Array(fatCount * perSector);
  let k = 0;
  for (const s of fatSectors) {
    if (special(s) || s >= sectors) return "the compound file's allocation table points past the file";
    const at = sectorAt(s);
    for (let i = 0; i < perSector; i++)
      fat[k++] = at + 4 * i + 4 <= b.length ? b.readUInt32LE(at + 4 * i) : FREESECT;
  }
  const fatProblem = chainsProblem(fat, Math.min(fat.length, sectors));
  if (fatProblem) return `the compound file's allocation table ${fatProblem}`;

  // the mini table, itself stored in a chain of the allocation table (sound by now)
  const miniCount = b.readUInt32LE(0x40);
  const mini: number[] = [];
  let m = b.readUInt32LE(0x3c);
  for (let n = 0; n < miniCount && !special(m); n++) {
    if (m >= sectors) return "the compound file's mini table leaves the file";
    const at = sectorAt(m);
    for (let i = 0; i < perSector && at + 4 * i + 4 <= b.length; i++) mini.push(b.readUInt32LE(at + 4 * i));
    m = m < fat.length ? fat[m]! : ENDOFCHAIN;
  }
  const miniProblem = chainsProblem(Uint32Array.from(mini), mini.length);
  if (miniProblem) return `the compound file's mini table ${miniProblem}`;
  return null;
}

/**
 * A cycle or an out-of-range pointer among the chains of `next` (each entry the next sector of its chain, or a
 * special value), over its first `count` entries, which are the sectors that exist; null when every chain ends.
 */
function chainsProblem(next: Uint32Array, count: number): string | null {
  // 0: not seen; 1: on the walk under way; 2: known to end
  const state = new Uint8Array(count);
  const path: number[] = [];
  for (let start = 0; start < count; start++) {
    let s = start;
    path.length = 0;
    while (s < count && state[s] === 0) {
      state[s] = 1;
      path.push(s);
      const n = next[s]!;
      if (special(n)) break;
      if (n >= count) return `points past the file (sector ${s} to ${n})`;
      if (state[n] === 1) return `loops (sector ${n} leads back to itself)`;
      s = n;
    }
    for (const p of path) state[p] = 2;
  }
  return null;
}

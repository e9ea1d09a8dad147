/**
 * The input formats Chorus reads, and the choice of one for a file: forced with --format, else the adapter whose
 * sniffer is most confident about the file's first 64 KiB.
 */
import { blueskyAdapter } from "./adapters/bluesky.js";
import { chorusJsonlAdapter } from "./adapters/chorus-jsonl.js";
import { coortweetAdapter } from "./adapters/coortweet.js";
import { csvAdapter, unmappedCsvColumns } from "./adapters/csv.js";
import { emailAdapter } from "./adapters/email.js";
import { mastodonAdapter } from "./adapters/mastodon.js";
import { telegramAdapter } from "./adapters/telegram.js";
import { twitterIoArchiveAdapter } from "./adapters/twitter-io-archive.js";
import { twitterV2Adapter } from "./adapters/twitter-v2.js";
import { SNIFF_LINE_BYTES } from "./source.js";
import { IngestError, type IngestAdapter, type SniffSample } from "./types.js";

/** Ordered: on a tie, the earlier (more specific) format wins. */
export const ADAPTERS: readonly IngestAdapter[] = [
  chorusJsonlAdapter,
  twitterV2Adapter,
  twitterIoArchiveAdapter,
  telegramAdapter,
  blueskyAdapter,
  mastodonAdapter,
  coortweetAdapter,
  emailAdapter,
  csvAdapter,
];

export function adapterById(id: string): IngestAdapter | undefined {
  return ADAPTERS.find((a) => a.id === id);
}

function formatList(): string {
  return ADAPTERS.map((a) => a.id).join(", ");
}

/** Formats read line by line (or row by row), which a file whose lines end with a carriage return alone defeats. */
const LINE_FORMATS: ReadonlySet<string> = new Set(["chorus-jsonl", "csv", "twitter-io-archive", "coortweet"]);

const CR_HINT =
  `its lines end with a carriage return alone, as classic Mac OS wrote them; convert them first, ` +
  `e.g. tr '\\r' '\\n' < FILE > FILE.unix`;

/** Pick the adapter for a file, or explain why none fits. */
export function chooseAdapter(sample: SniffSample, forced: string | undefined, path: string): IngestAdapter {
  const lineCheck = (a: IngestAdapter): IngestAdapter => {
    // a CSV header read to its first line feed would be the whole file, and its columns misnamed without a word
    if (sample.crLines && LINE_FORMATS.has(a.id)) throw new IngestError(`${path}: ${CR_HINT}`);
    return a;
  };
  if (forced) {
    const a = adapterById(forced);
    if (!a) throw new IngestError(`${path}: unknown format '${forced}' (formats: ${formatList()})`);
    return lineCheck(a);
  }
  let best: IngestAdapter | null = null;
  let bestScore = 0;
  for (const a of ADAPTERS) {
    let s: number;
    try {
      s = a.sniff(sample);
    } catch {
      s = 0;
    }
    if (s > bestScore) {
      best = a;
      bestScore = s;
    }
  }
  if ((!best || bestScore < 0.5) && sample.gzipDamage !== undefined) {
    throw new IngestError(
      `${path}: the gzip data is truncated or corrupt (${sample.gzipDamage}); what could be read of it is no ` +
        `format Chorus knows`,
    );
  }
  if (!best || bestScore < 0.5) {
    // a table whose columns are not named as ours: --map reads it (and implies --format csv)
    const unmapped = unmappedCsvColumns(sample);
    if (unmapped) {
      throw new IngestError(
        `${path}: the format was not recognised; it looks like CSV/TSV, but ${unmapped}. ` +
          `Or force another format with --format NAME (see 'chorus formats').`,
      );
    }
    throw new IngestError(
      `${path}: the format was not recognised` +
        (sample.longFirstLine ? ` (its first line is longer than ${SNIFF_LINE_BYTES >> 20} MiB)` : "") +
        (sample.crLines ? ` (${CR_HINT})` : "") +
        `. Formats: ${formatList()}. ` +
        `Force one with --format NAME (see 'chorus formats').`,
    );
  }
  return lineCheck(best);
}

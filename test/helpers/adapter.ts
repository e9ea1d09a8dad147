import { createReadStream, readFileSync } from "node:fs";
import type { IngestAdapter, IngestItem, SniffSample, SourceFile } from "../../src/ingest/types.js";

/** A SourceFile over a plain (not gzipped) file. */
export const source = (path: string): SourceFile => ({ path, open: () => createReadStream(path) });

/** Every item an adapter yields for a file, batches flattened. */
export async function collectItems(
  adapter: IngestAdapter,
  path: string,
  maxRecordBytes = 1 << 20,
): Promise<IngestItem[]> {
  const out: IngestItem[] = [];
  for await (const item of adapter.read(source(path), { map: {}, maxRecordBytes })) {
    if (Array.isArray(item)) out.push(...item);
    else out.push(item);
  }
  return out;
}

/** What sniffing sees of a file: its first 64 KiB, with a cut last line dropped. */
export function sampleOf(path: string): SniffSample {
  const bytes = readFileSync(path);
  const head = bytes.subarray(0, 65536).toString("utf8");
  const lines = head.split("\n");
  if (bytes.length > 65536 || !head.endsWith("\n")) lines.pop();
  return { name: path.split("/").pop()!, head, lines };
}

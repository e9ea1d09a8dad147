/** Writing an output file so that a failed write leaves neither a partial file nor a torn one. */
import { closeSync, openSync, renameSync, rmSync, writeFileSync, writeSync } from "node:fs";

/** `text` written beside `path`, then renamed into place; on failure the partial file is removed. */
export function writeWhole(path: string, text: string): void {
  const partial = `${path}.partial-${process.pid}`;
  try {
    writeFileSync(partial, text);
    renameSync(partial, path);
  } catch (err) {
    rmSync(partial, { force: true });
    throw err;
  }
}

/**
 * The file `fill` writes piece by piece through `write`, beside `path`, then renamed into place; on failure the
 * partial file is removed. For outputs too large for one string (a large case's graph, millions of rejects).
 */
export async function writeWholeBy(
  path: string,
  fill: (write: (chunk: string) => void) => void | Promise<void>,
): Promise<void> {
  const partial = `${path}.partial-${process.pid}`;
  try {
    const fd = openSync(partial, "w");
    try {
      await fill((chunk) => void writeSync(fd, chunk));
    } finally {
      closeSync(fd);
    }
    renameSync(partial, path);
  } catch (err) {
    rmSync(partial, { force: true });
    throw err;
  }
}

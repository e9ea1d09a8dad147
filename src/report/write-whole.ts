/** Writing an output file so that a failed write leaves neither a partial file nor a torn one. */
import { renameSync, rmSync, writeFileSync } from "node:fs";

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

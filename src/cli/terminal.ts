/**
 * What Chorus prints is full of the data's own text (handles, client names, summaries quoting posts, file names in
 * refusals), and that text is hostile: escape sequences that clear the screen or retitle the window, and bidi
 * controls that reorder the rest of the line. Every line the CLI prints goes through `terminalSafe`.
 */

// C0 controls but tab and newline, DEL, C1 controls; the line and paragraph separators (U+2028, U+2029), which
// editors and log viewers break lines at; the bidi embeddings, overrides and isolates (U+202A-U+202E,
// U+2066-U+2069). Letters of right-to-left scripts, ZWNJ and the directional marks (LRM, RLM, ALM) are text.
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028-\u202e\u2066-\u2069]/g;

/**
 * `line` with each control character written as its `\uXXXX` escape. Inside a JSON string the escape reads as the
 * same character, so machine-readable output keeps its values.
 *
 * @example
 * terminalSafe("@evil\u001b[2J"); // "@evil\\u001b[2J"
 */
export function terminalSafe(line: string): string {
  return line.replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/**
 * `s` (a file name, or a one-line message that holds one) with its line breaks written as the two characters `\n`
 * and `\r`: a file named with a line break in it would otherwise print a line of its own that reads as another
 * file's.
 *
 * @example
 * oneLine("x\n+ y.jsonl"); // the 14 characters x\n+ y.jsonl, on one line
 */
export function oneLine(s: string): string {
  return s.replace(/\r/g, "\\r").replace(/\n/g, "\\n");
}

/**
 * The one error the normalisation layer throws, and only for misuse (a caller passing a value no data could
 * produce). Bad data is never an exception here: every parser returns `null` instead.
 */

/** Thrown for a programming error in a call into `normalize/`; told apart from other errors by `name`. */
export class NormalizeError extends Error {
  override name = "NormalizeError";
}

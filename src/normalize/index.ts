/**
 * The normalisation layer: pure functions that turn what sources write (timestamps, text, HTML, URLs, hashtags,
 * mentions) into the forms Chorus compares. No I/O, no clock, no state beyond compiled tables.
 */
export { NormalizeError } from "./errors.js";
export { imageId, MAX_IMAGE_ID_LENGTH } from "./image.js";
export {
  MAX_TIMESTAMP_MS,
  MIN_TIMESTAMP_MS,
  parseTimestamp,
  snowflakeToMs,
  toIsoUtc,
  type ParseTimestampOptions,
} from "./time.js";
export {
  foldText,
  hiddenCharacters,
  scriptOf,
  stripHtml,
  type HiddenCharacter,
  type Script,
} from "./text.js";
export { canonicalUrl, extractUrls, MAX_URL_LENGTH, SHORTENERS, type CanonicalUrl } from "./url.js";
export { extractHashtags, extractMentions, normalizeHashtag, normalizeMention } from "./entities.js";

/**
 * Profile fields' caps. The accounts an input reveals are built in SQL once its duplicates are known (load.ts): one
 * row per (platform, account id), each profile field from the first stored post's row that has it.
 */

/**
 * Longest profile fields kept, in characters (UTF-16 units); a longer one is cut, and the cut recorded in the field
 * itself, as a post's text is (records.ts). Real profiles are far shorter (handles of 15-30 characters, bios of 160-
 * 500); the caps keep a hostile profile from costing every step that reads accounts (lookalike comparison, reports).
 */
export const PROFILE_CAPS = {
  handle: 256,
  displayName: 1024,
  bio: 10_000,
  avatarUrl: 4096,
  location: 1024,
} as const;

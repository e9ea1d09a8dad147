/**
 * The campaign world (campaign-world.ts) as a Bluesky case in Persian, for the report's and the app's browser tests:
 *
 * - every account is named by a DID (`did:plc:ring1`) and a handle that is a domain, as Bluesky's handles are
 *   (`ring1.bsky.social`); the first account of the repost ring has its own domain, `news.example.org`
 *   (DOMAIN_HANDLE), the first of the planted link unit `daily.example.net`;
 * - the repost ring's posts, originals and reposts, are Persian sentences that end in punctuation (PERSIAN_POSTS),
 *   so the campaign's most shared objects quote them;
 * - the planted unit's posts are Persian too, and each of its links goes with a Persian hashtag of its own
 *   (PERSIAN_TAGS), so that the evidence of its ties names Persian objects.
 *
 * A handle here is an identity, not a hostile indicator: shown as written, never defanged, and never a link.
 */
import { campaignWorld } from "./campaign-world.js";
import type { JsonlPost } from "./posts.js";

/** The repost ring's first account: a handle that is a domain with a site of its own. */
export const DOMAIN_HANDLE = "news.example.org";
/** The planted link unit's first account. */
export const UNIT_HANDLE = "daily.example.net";

/** What the ring posts: Persian, each sentence ending in its punctuation (! ? . and the Persian question mark). */
export const PERSIAN_POSTS = [
  "امروز ساعت پنج در میدان آزادی جمع شوید!",
  "چرا هیچ‌کس از این خبر حرف نمی‌زند؟",
  "این ویدیو را همه باید ببینند.",
  "حقیقت را بازنشر کنید!",
] as const;

/** One hashtag for each of the planted unit's links. */
export const PERSIAN_TAGS = ["آزادی", "عدالت", "حقیقت", "اعتراض", "همبستگی", "صدا", "امید", "میهن"] as const;

export interface BlueskyWorld {
  posts: JsonlPost[];
  ring: string[];
  planted: string[];
  /** Account id (a DID) -> handle. */
  handles: Map<string, string>;
}

export function blueskyWorld(seed = 7): BlueskyWorld {
  const world = campaignWorld(seed);
  const did = (id: string): string => `did:plc:${id}`;
  const handleOf = (id: string): string =>
    id === world.ring[0] ? DOMAIN_HANDLE : id === world.planted[0] ? UNIT_HANDLE : `${id}.bsky.social`;
  const ring = new Set(world.ring);
  const planted = new Set(world.planted);
  const handles = new Map<string, string>();
  // the ring's originals say the sentences in turn; a repost quotes what it reposts
  const said = new Map<string, string>();
  for (const p of world.posts)
    if (ring.has(p.account_id) && p.repost_of === undefined)
      said.set(p.post_id, PERSIAN_POSTS[said.size % PERSIAN_POSTS.length]!);
  const posts = world.posts.map((p): JsonlPost => {
    handles.set(did(p.account_id), handleOf(p.account_id));
    const post: JsonlPost = {
      ...p,
      platform: "bluesky",
      account_id: did(p.account_id),
      handle: handleOf(p.account_id),
    };
    const text = said.get(p.repost_of ?? p.post_id);
    if (ring.has(p.account_id) && text !== undefined) {
      post.text = text;
    } else if (planted.has(p.account_id)) {
      const link = world.plantedUrls.findIndex((u) => p.urls.includes(u));
      post.text = `${PERSIAN_POSTS[0]} ${p.urls.join(" ")}`;
      if (link >= 0) post.hashtags = [PERSIAN_TAGS[link % PERSIAN_TAGS.length]!];
    }
    return post;
  });
  return { posts, ring: world.ring.map(did), planted: world.planted.map(did), handles };
}

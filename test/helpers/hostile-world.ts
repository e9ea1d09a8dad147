/**
 * The campaign world (campaign-world.ts) with hostile profiles and posts: every planted account's handle, name,
 * bio and post text carries markup, script, event handlers, `javascript:` links, bidi overrides, spreadsheet
 * formulas or a huge string. A report or export of it must show all of that as text and run none of it.
 */
import { campaignWorld } from "./campaign-world.js";
import type { JsonlPost } from "./posts.js";

/** Each payload sets `window.__pwned` to its number if it ever runs. */
export const PAYLOADS = [
  `<script>window.__pwned=1</script>`,
  `<img src=x onerror="window.__pwned=2">`,
  `"><svg onload=window.__pwned=3>`,
  `javascript:window.__pwned=4`,
  `</script><script>window.__pwned=5</script>`,
  `'><iframe src="javascript:window.parent.__pwned=6"></iframe>`,
  `<a href="javascript:window.__pwned=7">click</a>`,
  `=HYPERLINK("http://evil.example/","open me")`,
] as const;

/** A formula after a carriage return: a spreadsheet that ends the row at the CR would run it. */
export const CR_FORMULA = "news\r=cmd|' /C calc'!A0";

/** Right-to-left override: "invoice\u202Efdp.exe" reads as "invoiceexe.pdf". */
export const BIDI = "invoice\u202Efdp.exe";
export const HUGE_CHARS = 200_000;

export interface HostileWorld {
  posts: Array<JsonlPost & { display_name?: string; bio?: string }>;
  planted: string[];
}

export function hostileWorld(seed = 7): HostileWorld {
  const world = campaignWorld(seed);
  const planted = new Set(world.planted);
  const index = new Map(world.planted.map((a, i) => [a, i]));
  const posts = world.posts.map((p) => {
    if (!planted.has(p.account_id)) return p;
    const i = index.get(p.account_id)!;
    const payload = PAYLOADS[i % PAYLOADS.length]!;
    return {
      ...p,
      // one handle is a long run without a space, which must wrap rather than widen the page
      handle: i === 5 ? `${payload}${"w".repeat(300)}${i}` : `${payload}${i}`,
      display_name:
        i === 0
          ? BIDI
          : i === 2
            ? PAYLOADS[7]
            : i === 4
              ? CR_FORMULA
              : `${PAYLOADS[(i + 1) % PAYLOADS.length]} ${i}`,
      bio: i === 1 ? "A".repeat(HUGE_CHARS) : `${PAYLOADS[(i + 2) % PAYLOADS.length]}`,
      text: `${payload} ${p.text}`,
    };
  });
  return { posts, planted: world.planted };
}

/**
 * The plain-language paragraph of a campaign, generated from its facts alone (no language model): who, how many,
 * what they shared, how tightly in time, when, and how sure we are. Every number in it is in findings.json.
 */
import type { Campaign } from "./index.js";

const LAYER_WORDS: Record<string, string> = {
  url: "links",
  domain: "websites",
  hashtag: "hashtags",
  mention: "mentions of the same accounts",
  repost: "reposts of the same posts",
  reply: "replies to the same posts",
  text: "near-identical texts",
  image: "the same images",
};

function list(items: string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

function day(iso: string | null): string {
  return iso ? iso.slice(0, 10) : "unknown";
}

function level(score: number): string {
  return score >= 0.75 ? "high" : score >= 0.5 ? "moderate" : "low";
}

export function summarise(c: Campaign, windowSec: number): string {
  const n = c.members.length;
  const named = c.members
    .slice(0, 3)
    .map((m) => (m.handle ? `@${m.handle}` : m.accountId))
    .join(", ");
  const what = list(c.layers.map((l) => LAYER_WORDS[l] ?? l));
  const top = c.topObjects[0];
  const burst = c.facts.burstObjects;
  const parts = [
    `${n} accounts (among them ${named}) repeatedly shared ${what || "the same objects"} within ${windowSec} seconds of one another` +
      ` between ${day(c.facts.firstSeen)} and ${day(c.facts.lastSeen)}.`,
    `They are tied by ${c.ties} pairwise links that each beat chance (density ${Math.round(c.density * 100)}% of all possible pairs),` +
      ` and on ${burst} object${burst === 1 ? "" : "s"} several of them acted inside the same ${windowSec}-second burst` +
      ` (on average ${Math.round(c.facts.participation * 100)}% of the group per shared object).`,
  ];
  if (top) {
    parts.push(
      `The most shared object was the ${top.kind} "${top.value.slice(0, 120)}", posted ${top.shares} times by ${top.members} members.`,
    );
  }
  if (c.fastCoreShare > 0) {
    parts.push(`${Math.round(c.fastCoreShare * 100)}% of the ties hold even in a much narrower window.`);
  }
  parts.push(
    `Confidence ${c.score.toFixed(2)} (${level(c.score)}). This is evidence of coordination, not of who runs it or why: ` +
      `check the example post pairs before drawing conclusions.`,
  );
  return parts.join(" ");
}

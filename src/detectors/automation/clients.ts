/**
 * Client (source) names of known automation and scheduling tools. Posting through one is automation, not
 * inauthenticity: newsrooms, NGOs and shops schedule posts. The list is of tools whose purpose is posting without
 * a person at the keyboard (feeds, recipes, queues); apps people type into are not on it.
 */

const SCHEDULERS: ReadonlyArray<[string, RegExp]> = [
  ["IFTTT", /\bifttt\b/i],
  ["dlvr.it", /\bdlvr\.?it\b/i],
  ["Buffer", /^buffer\b/i],
  ["Hootsuite", /\bhootsuite\b/i],
  ["Zapier", /\bzapier\b/i],
  ["SocialFlow", /\bsocialflow\b/i],
  ["Sprout Social", /\bsprout ?social\b/i],
  ["Later", /^later(\.com)?$/i],
  ["Echobox", /\bechobox\b/i],
  ["Make / Integromat", /\bintegromat\b|^make(\.com)?$/i],
  ["Power Automate", /\bpower (automate|platform)\b/i],
  ["n8n", /\bn8n\b/i],
  ["WordPress", /\bwordpress\b|\bjetpack\b/i],
  ["Revive Social", /\brevive (old )?(post|social)\b/i],
  ["SocialOomph", /\bsocialoomph\b/i],
  ["Sendible", /\bsendible\b/i],
  ["CoSchedule", /\bcoschedule\b/i],
  ["Publer", /\bpubler\b/i],
  ["SocialPilot", /\bsocialpilot\b/i],
  ["Agorapulse", /\bagorapulse\b/i],
  ["Postcron", /\bpostcron\b/i],
  ["Botize", /\bbotize\b/i],
  ["Cheap Bots, Done Quick!", /\bcheap bots\b/i],
  ["twittbot.net", /\btwittbot\b/i],
  ["RSS feed", /\brss\b|\bfeed ?(burner|poster)\b/i],
];

/** A self-declared bot or auto-poster in the client's own name (not on Telegram, where `via @x_bot` is a person using an inline bot). */
const DECLARED = /\bbot\b|bot$|\bauto ?(post|poster|tweet|share)\w*\b|\bschedul/i;

export interface ClientClass {
  kind: "scheduler" | "declared-automation";
  tool: string;
}

export function classifyClient(name: string, platform: string): ClientClass | null {
  for (const [tool, re] of SCHEDULERS) if (re.test(name)) return { kind: "scheduler", tool };
  if (platform !== "telegram" && DECLARED.test(name)) return { kind: "declared-automation", tool: name };
  return null;
}

/**
 * The plain-language paragraph of a campaign, generated from its facts alone (no language model): who, how many,
 * what they shared, how tightly in time, when, and how sure we are. Every number in it is in findings.json.
 */
import type { Campaign } from "./index.js";
import { isObjectLayer } from "./layers.js";
import { clipText } from "../normalize/text.js";

const LAYER_WORDS: Record<string, string> = {
  url: "links",
  domain: "websites",
  hashtag: "hashtags",
  mention: "mentions of the same accounts",
  repost: "reposts of the same posts",
  reply: "replies to the same posts",
  quote: "quotes of the same posts",
  text: "near-identical texts",
  image: "the same images",
  sync: "posts in the same few seconds, again and again",
  "fast-repost": "reposts of the same posts within seconds of their publication",
  rhythm: "fixed working shifts",
};

function list(items: string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

function day(iso: string | null): string {
  return iso ? iso.slice(0, 10) : "unknown";
}

/**
 * A window in words, as a length ("90 seconds", "5 minutes") and as an adjective ("90-second"): seconds up to two
 * minutes, then minutes, hours and days, in whole units where the window is one.
 */
export function windowWords(sec: number): { length: string; adjective: string } {
  const units: Array<[number, string]> = [
    [86400, "day"],
    [3600, "hour"],
    [60, "minute"],
  ];
  for (const [size, name] of units) {
    if (sec >= 2 * size && Number.isInteger(sec / size)) {
      const n = sec / size;
      return { length: `${n} ${name}s`, adjective: `${n}-${name}` };
    }
  }
  const n = Number(sec.toFixed(3));
  return { length: `${n} second${n === 1 ? "" : "s"}`, adjective: `${n}-second` };
}

function level(score: number): string {
  return score >= 0.75 ? "high" : score >= 0.5 ? "moderate" : "low";
}

function behaviourSummary(c: Campaign, named: string, texts: ReadonlyMap<string, string>): string {
  const n = c.members.length;
  const parts: string[] = [];
  const acts: string[] = [];
  if (c.layers.includes("sync"))
    acts.push("posted in the same few seconds, again and again, beyond the background rate");
  if (c.layers.includes("fast-repost"))
    acts.push("reposted the same posts within seconds of their publication, repeatedly");
  if (c.layers.includes("rhythm")) {
    acts.push(
      "worked fixed shifts with sharp edges that together cover the day, with the same weekly day off",
    );
  }
  parts.push(
    `${n} accounts${named} ${list(acts) || "acted together"} between ${day(c.facts.firstSeen)} and ` +
      `${day(c.facts.lastSeen)}.`,
  );
  parts.push(
    `They are tied by ${c.ties} pairwise link${c.ties === 1 ? "" : "s"} (density ${Math.round(c.density * 100)}% of all possible pairs) ` +
      `drawn from their timing, not from shared links or texts.`,
  );
  const top = c.topObjects[0];
  if (top) {
    parts.push(`Their most shared object was the ${objectShown(top, texts)} (${top.shares} posts).`);
  }
  parts.push(
    `Confidence ${c.score.toFixed(2)} (${level(c.score)}). Timing alone shows organised work, not who runs it or ` +
      `whether the accounts are inauthentic (a newsroom's social desk also works shifts): read the accounts' posts ` +
      `and the ties before drawing conclusions.`,
  );
  return parts.join(" ");
}

/**
 * An object as a summary names it: its kind and value, quoted and cut; a near-duplicate text by the text of its
 * first post (`texts`), its object's name after it, since the name (t:twitter:...) says nothing to a reader.
 */
function objectShown(
  top: { kind: string; value: string; text?: string; author?: string },
  texts: ReadonlyMap<string, string>,
): string {
  if (top.author !== undefined) {
    // a post reposted, replied to or quoted: whose, and what it said
    const said = top.text === undefined ? "" : top.text.replace(/\s+/g, " ").trim();
    const cut = clipText(said, 120);
    const quoted = said === "" ? "" : ` "${cut}${cut.length < said.length ? "…" : ""}"`;
    return `${top.kind} of ${top.author}'s post${quoted} (post ${top.value})`;
  }
  const text = top.kind === "text" ? texts.get(top.value) : undefined;
  const shown = text === undefined ? top.value : text.replace(/\s+/g, " ").trim();
  const cut = clipText(shown, 120);
  return (
    `${top.kind} "${cut}${cut.length < shown.length ? "…" : ""}"` +
    `${text === undefined ? "" : ` (as first posted, ${top.value})`}`
  );
}

/**
 * `texts`: the text of the first post of a near-duplicate cluster, by the text object's name, quoted in place of
 * the name when the campaign's most shared object is one.
 */
export function summarise(
  c: Campaign,
  windowSec: number,
  texts: ReadonlyMap<string, string> = new Map(),
  compat?: string,
): string {
  const fringe = c.members.filter((m) => m.role === "fringe");
  const n = c.members.length - fringe.length;
  const core = c.members.filter((m) => m.role !== "fringe");
  const names = core
    .slice(0, 3)
    .map((m) =>
      m.handle
        ? `@${m.handle}`
        : m.displayName
          ? `${clipText(m.displayName, 60)} (${m.accountId})`
          : m.accountId,
    );
  // "3 accounts (among them @a, @b, @c)" reads as if there were more: a group named whole is "@a, @b and @c"
  const named = names.length === core.length ? `, ${list(names)},` : ` (among them ${names.join(", ")})`;
  if (c.basis === "behaviour") return behaviourSummary(c, named, texts);
  const win = windowWords(windowSec);
  const what = list(c.layers.filter((l) => isObjectLayer(l)).map((l) => LAYER_WORDS[l] ?? l));
  const top = c.topObjects[0];
  const burst = c.facts.burstObjects;
  const occasions = c.facts.groupBursts;
  const parts = [
    `${n} accounts${named} repeatedly shared ${what || "the same objects"} within ${win.length} of one another` +
      ` between ${day(c.facts.firstSeen)} and ${day(c.facts.lastSeen)}.`,
    `They are tied by ${c.ties} pairwise link${c.ties === 1 ? "" : "s"} ${compat === "coortweet" ? "over CooRTweet's edge-weight quantile (raw co-share counts, not tested against chance)" : "that each beat chance"} (density ${Math.round(c.density * 100)}% of all possible pairs),` +
      ` and ${occasions} time${occasions === 1 ? "" : "s"} ${n >= 3 ? "three or more" : "all"} of them acted inside the same ` +
      `${win.adjective} burst, on ${burst} object${burst === 1 ? "" : "s"} (on average ` +
      `${Math.round(c.facts.participation * 100)}% of the group per shared object).`,
  ];
  if (fringe.length > 0) {
    const posts = new Set(fringe.flatMap((m) => (m.joined ?? []).map((j) => j.post_id))).size;
    parts.push(
      `${fringe.length} more account${fringe.length === 1 ? "" : "s"} in no campaign, listed as fringe, ` +
        `joined their bursts on separate occasions (${posts} posts, each within ${win.length} ` +
        `of at least three members' shares of an object the members made at least half the shares of): too few posts to ` +
        `tie ${fringe.length === 1 ? "it" : "them"} to anyone${compat === "coortweet" ? "" : " beyond chance"}, but each landed inside the group's ` +
        `bursts.`,
    );
  }
  if (c.split.length > 1) {
    parts.push(
      `The clustering had cut them into ${c.split.length} groups (of ${list(c.split.map(String))} accounts), ` +
        `tested again as one because together they made most of the shares of the same objects ` +
        `(${Math.round(c.facts.exclusivity * 100)}% of the shares of what they posted in bursts): the pattern of a ` +
        `unit that posts over minutes rather than seconds, so that few of its pairs meet inside one window.`,
    );
  }
  if (c.client !== null) {
    const { name, share, outside, named, posts, namingOutside } = c.client;
    const of = named === posts ? "their posts" : `the ${named} of their ${posts} posts that name an app`;
    parts.push(
      `${Math.round(share * 100)}% of ${of} were sent from the client "${clipText(name, 80)}", which ` +
        `${outside === 0 ? "no account outside them uses" : `only ${outside} account${outside === 1 ? "" : "s"} outside them use${outside === 1 ? "s" : ""}`} ` +
        `(of the ${namingOutside} others whose posts name an app): an app that posts for its users, or a tool of ` +
        `the group's own (which of the two, the data cannot tell).`,
    );
  }
  if (c.facts.audienceShare !== null && c.facts.amplified.length > 0) {
    const handles = new Map(c.members.map((m) => [m.key, m.handle ? `@${m.handle}` : m.accountId]));
    const amplifiedNames = c.facts.amplified.slice(0, 3).map((a) => handles.get(a.account) ?? a.account);
    const more = c.facts.amplified.length - amplifiedNames.length;
    const them = c.facts.amplified.length === 1 ? "it" : "those accounts";
    const share = `${Math.round(c.facts.audienceShare * 100)}% of everyone who reposted ${them} in the data`;
    parts.push(
      `Most of their joint reposts amplify ${list(amplifiedNames)}${more > 0 ? ` and ${more} more` : ""}, ` +
        `${c.facts.amplified.length === 1 ? "an account that never reposts" : "accounts that never repost"} them, ` +
        (!c.facts.bloc
          ? `and they are ${share}: an amplification network, not the fastest slice of a larger audience as fans ` +
            `are.`
          : c.facts.slowBloc === null
            ? `and they are ${share}, but they act as a bloc: ${Math.round(c.facts.burstShare * 100)}% of the ` +
              `members who reposted each post did so inside one burst, and they made ` +
              `${Math.round(c.facts.exclusivity * 100)}% of those posts' shares: an amplification network, not ` +
              `fans, who come over minutes, each a different slice, among a larger crowd.`
            : `and they are ${share}, but they act as a bloc over minutes: on average ` +
              `${Math.round(c.facts.slowBloc.participation * 100)}% of the members reposted each of the posts ` +
              `they reposted together inside one window (${Math.round(c.facts.slowBloc.burstShare * 100)}% of ` +
              `those who reposted it), and they made ${Math.round(c.facts.exclusivity * 100)}% of those posts' ` +
              `shares: an amplification network working slowly, not fans, who are either a small part of each ` +
              `post's reposts or each come to only a few of the posts.`),
    );
  }
  const behaviour = c.layers.filter((l) => !isObjectLayer(l)).map((l) => LAYER_WORDS[l] ?? l);
  if (behaviour.length > 0) parts.push(`Their ties also come from ${list(behaviour)}.`);
  if (top) {
    parts.push(
      `The most shared object was the ${objectShown(top, texts)}, posted ${top.shares} times by ${top.members} members.`,
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

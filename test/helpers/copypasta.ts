/**
 * Copypasta for near-duplicate tests: messages in English, Persian and Arabic, and the small edits accounts make
 * when they paste one (an emoji inserted, a word dropped, two words swapped, punctuation changed, a ZWNJ written
 * as a space or left out, Arabic letter forms typed on a Persian keyboard).
 */
import { seededRng } from "../../src/detectors/detector.js";
import type { JsonlPost } from "./posts.js";

const ZWNJ = "\u200c";

/** Campaign messages, written for these tests. Persian uses ZWNJ where the orthography wants it (`~`). */
export const TEMPLATES: Readonly<Record<"en" | "fa" | "ar", readonly string[]>> = {
  en: [
    "They are lying to you about the water prices, share this before it gets deleted and tell everyone you know",
    "The council sold the old park to its friends, we will not stay silent while our children lose their playground",
    "Do not trust the journalists of that channel, every report they publish about the strike is paid propaganda",
  ],
  fa: [
    "دولت دوباره درباره قیمت آب به مردم دروغ گفت، این پیام را قبل از حذف شدن برای همه دوستان خود بفرستید",
    "شورای شهر پارک قدیمی را به دوستان خودش فروخت و ما ساکت نمی~مانیم تا بچه~هایمان زمین بازی را از دست بدهند",
    "به خبرنگاران آن شبکه اعتماد نکنید، همه گزارش~هایی که درباره اعتصاب منتشر می~کنند تبلیغات پولی است",
  ].map((t) => t.replaceAll("~", ZWNJ)),
  ar: [
    "الحكومة كذبت على الشعب مرة أخرى بشأن أسعار المياه، انشروا هذه الرسالة قبل أن تحذف وأخبروا كل من تعرفون",
    "باع المجلس الحديقة القديمة لأصدقائه ولن نسكت بينما يفقد أطفالنا مكان لعبهم الوحيد في الحي",
  ],
};

/** Different texts on the same topics as the templates: a near-duplicate detector must keep them apart. */
export const SAME_TOPIC: readonly string[] = [
  "Water prices went up again this month and nobody at the ministry will explain why, this is unacceptable",
  "I walked past the old park today, the council says the sale was legal but many neighbours are upset",
  "قیمت آب این ماه دوباره بالا رفت و هیچ مسئولی در وزارتخانه توضیح نمی\u200cدهد که چرا، این قابل قبول نیست",
  "امروز از کنار پارک قدیمی رد شدم، شورای شهر می\u200cگوید فروش قانونی بود اما خیلی از همسایه\u200cها ناراحت هستند",
];

const EMOJI = ["🔥", "😡", "🙏", "‼️", "👇", "💔"];
const ARABIC_FORMS: ReadonlyArray<[string, string]> = [
  ["ی", "ي"],
  ["ک", "ك"],
];

/**
 * One edit of the kinds pasted copies show: emoji inserted, a word dropped, two neighbouring words swapped,
 * punctuation added or removed, ZWNJ replaced by a space or removed, Persian letters typed in Arabic forms.
 */
export function editOnce(text: string, rng: () => number): string {
  const words = text.split(" ");
  const at = Math.floor(rng() * words.length);
  switch (Math.floor(rng() * 6)) {
    case 0:
      words.splice(at, 0, EMOJI[Math.floor(rng() * EMOJI.length)]!);
      return words.join(" ");
    case 1:
      if (words.length > 6) words.splice(at, 1);
      return words.join(" ");
    case 2:
      if (at + 1 < words.length) [words[at], words[at + 1]] = [words[at + 1]!, words[at]!];
      return words.join(" ");
    case 3:
      return text.includes(",") || text.includes("،") ? text.replace(/[,،]/u, "") : `${text}!!`;
    case 4:
      return text.includes(ZWNJ) ? text.replace(ZWNJ, rng() < 0.5 ? "" : " ") : `${text} ...`;
    default: {
      const [fa, ar] = ARABIC_FORMS[Math.floor(rng() * ARABIC_FORMS.length)]!;
      return text.includes(fa) ? text.replaceAll(fa, ar) : `${EMOJI[0]} ${text}`;
    }
  }
}

export function edited(text: string, edits: number, rng: () => number): string {
  let t = text;
  for (let e = 0; e < edits; e++) t = editOnce(t, rng);
  return t;
}

export interface CopypastaSpec {
  /** Post ids are `<prefix><n>`; they must not collide with other posts of the case. */
  prefix: string;
  accounts: string[];
  text: string;
  startMs: number;
  /** Time between two accounts' copies. */
  spacingMs: number;
  /** Edits per copy, drawn uniformly from 0..maxEdits. */
  maxEdits: number;
  rng: () => number;
  urls?: string[];
  hashtags?: string[];
}

/** One copy of `text` per account, each with its own random edits. */
export function copypasta(spec: CopypastaSpec): JsonlPost[] {
  return spec.accounts.map((account, i) => ({
    platform: "twitter",
    post_id: `${spec.prefix}${i + 1}`,
    account_id: account,
    handle: `h_${account}`,
    ts: new Date(spec.startMs + i * spec.spacingMs).toISOString(),
    text: edited(spec.text, Math.floor(spec.rng() * (spec.maxEdits + 1)), spec.rng),
    urls: spec.urls ?? [],
    hashtags: spec.hashtags ?? [],
    mentions: [],
  }));
}

export interface CopypastaWorld {
  posts: JsonlPost[];
  /** The unit: accounts that paste the campaign's messages. */
  unit: string[];
  /** Post ids of each pasted message's copies (message 4 is pasted verbatim only). */
  copies: string[][];
  /** Posts that must stay out of every cluster: same-topic texts, short texts, link or hashtag only, reposts. */
  outside: string[];
  reposts: string[];
  /** A long text one account posted twice, and nobody else. */
  selfCopies: string[];
}

/**
 * A small case for near-duplicate and its co-share integration: a unit of 10 accounts pastes five messages
 * (English, Persian, Arabic; four with 0-3 edits per copy, one verbatim), 8 members per message within 40
 * seconds; ordinary accounts post different texts on the same topics, short replies, bare links and hashtags
 * (many of them identical), and repost one of the unit's copies.
 */
export function copypastaWorld(seed = 1, startMs = Date.UTC(2024, 4, 1)): CopypastaWorld {
  const rng = seededRng(seed);
  const unit = Array.from({ length: 10 }, (_, i) => `unit${i + 1}`);
  const messages = [TEMPLATES.en[0]!, TEMPLATES.fa[1]!, TEMPLATES.ar[0]!, TEMPLATES.en[1]!, TEMPLATES.fa[2]!];
  const posts: JsonlPost[] = [];
  const copies: string[][] = [];
  messages.forEach((text, k) => {
    const members = [...unit].sort(() => rng() - 0.5).slice(0, 8);
    const pasted = copypasta({
      prefix: `m${k}-`,
      accounts: members,
      text,
      startMs: startMs + (k + 1) * 3 * 3_600_000,
      spacingMs: 5_000,
      maxEdits: k === 4 ? 0 : 3,
      rng,
    });
    posts.push(...pasted);
    copies.push(pasted.map((p) => p.post_id));
  });
  const outside: string[] = [];
  const post = (id: string, account: string, atMs: number, text: string, extra: Partial<JsonlPost> = {}) => {
    posts.push({
      platform: "twitter",
      post_id: id,
      account_id: account,
      handle: `h_${account}`,
      ts: new Date(atMs).toISOString(),
      text,
      urls: [],
      hashtags: [],
      mentions: [],
      ...extra,
    });
    outside.push(id);
  };
  SAME_TOPIC.forEach((text, k) =>
    post(`topic${k}`, `citizen${k}`, startMs + (k + 1) * 3 * 3_600_000 + 9_000, text),
  );
  for (let i = 0; i < 12; i++) {
    const at = startMs + 3 * 3_600_000 + i * 2_000;
    post(`short${i}`, `citizen${i}`, at, i % 2 ? "ok 👍" : "so true!!");
    post(`link${i}`, `citizen${i}`, at + 500, "https://example.com/news/water-prices", {
      urls: ["https://example.com/news/water-prices"],
    });
    post(`tag${i}`, `citizen${i}`, at + 700, "#SaveThePark #پارک_شهر", {
      hashtags: ["SaveThePark", "پارک_شهر"],
    });
  }
  const reposts: string[] = [];
  const original = posts.find((p) => p.post_id === copies[0]![0])!;
  for (let i = 0; i < 5; i++) {
    const id = `rp${i}`;
    post(id, `fan${i}`, Date.parse(original.ts) + (i + 1) * 1_000, original.text, {
      repost_of: original.post_id,
    });
    reposts.push(id);
  }
  const lonely =
    "I keep posting this same long complaint about my internet provider because nobody answers me";
  post("self1", "loner", startMs + 1_000, lonely);
  post("self2", "loner", startMs + 86_400_000, lonely);
  return { posts, unit, copies, outside, reposts, selfCopies: ["self1", "self2"] };
}

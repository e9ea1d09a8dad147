/**
 * `telegram`: the JSON export of one channel or group made by Telegram Desktop ("Export chat history", format
 * JSON): `result.json` = `{name, type, id, messages: [...]}`, or the export of a whole account ("Export Telegram
 * data"), whose chats are in `chats.list` and `left_chats.list`, each as one chat's export. Exports of big channels
 * run to gigabytes, so the messages are streamed one at a time.
 *
 * Ids: message ids are per chat, so a post is `${chatId}/${messageId}`, with the chat id as the export writes it.
 * Authors are `from_id` as written ("user123", "channel123"); channel posts without one belong to
 * `channel${chatId}`. Rows are the 1-based index of the message in `messages`.
 *
 * Forwards: the export names the origin (`forwarded_from`, a display name, and in recent versions
 * `forwarded_from_id`) but not the original message, so a forward is a repost of `forwarded:${origin}`, the id
 * when there is one, else the name. Two forwards of the same channel thus share a repost object even when they
 * forward different messages of it; their texts (near-duplicates) tell the messages apart.
 *
 * Time: `date_unixtime` (epoch seconds) when present. Older exports only have `date`, the local time of the
 * exporting computer without a zone; it is read in the zone `--time-zone` names, else as UTC, which may shift every
 * post of the file by that computer's offset (the shift is the same for all posts, so intervals and co-timing stay
 * right).
 *
 * Service messages (joins, pins, title changes) are not posts: they are skipped, not rejected.
 */
import type { PostInput } from "../../model/index.js";
import { parseTimestamp, wallTimeToUtc, type TimeZone } from "../../normalize/time.js";
import { RecordError, asId, asObject, asText, readJsonRecords, shown } from "../json-stream.js";
import { IngestError, rawExcerpt, type IngestAdapter, type IngestItem, type SniffSample } from "../types.js";

const PLATFORM = "telegram";

/** Most post id -> author pairs remembered to name the author a reply answers. */
const AUTHOR_MAP_LIMIT = 1_000_000;

interface Chat {
  id: string;
  name: string | null;
  type: string | null;
}

type Obj = Record<string, unknown>;

interface TextEntity {
  type: string;
  text: string;
  href: string | null;
  userId: string | null;
}

/** The message's text as entities: `text_entities` when present, else `text` when it is an array of parts. */
function entitiesOf(m: Obj): TextEntity[] | null {
  const source = Array.isArray(m.text_entities) ? m.text_entities : Array.isArray(m.text) ? m.text : null;
  if (!source) return null;
  const out: TextEntity[] = [];
  for (const part of source) {
    if (typeof part === "string") {
      out.push({ type: "plain", text: part, href: null, userId: null });
      continue;
    }
    const e = asObject(part);
    if (!e) continue;
    out.push({
      type: typeof e.type === "string" ? e.type : "plain",
      text: typeof e.text === "string" ? e.text : "",
      href: asText(e.href),
      userId: asId(e.user_id, "text_entities.user_id"),
    });
  }
  return out;
}

function messageTime(m: Obj, zone: TimeZone | undefined): number {
  if (m.date_unixtime !== undefined && m.date_unixtime !== null && m.date_unixtime !== "") {
    const ms = parseTimestamp(m.date_unixtime);
    if (ms === null) throw new RecordError(`unparseable date_unixtime ${shown(m.date_unixtime)}`);
    return ms;
  }
  if (m.date === undefined || m.date === null || m.date === "") throw new RecordError("missing date");
  const wall = parseTimestamp(m.date, { assumeUtc: true });
  if (wall === null) throw new RecordError(`unparseable date ${shown(m.date)}`);
  // the exporting computer's local time: in the zone the user names (--time-zone), else read as UTC
  return zone === undefined ? wall : wallTimeToUtc(wall, zone);
}

function authorOf(m: Obj, chat: Chat): string {
  const from = m.from_id;
  if (typeof from === "string" && from !== "") return from;
  // Exports before 2021 wrote user ids as bare numbers.
  if (typeof from === "number") {
    const id = asId(from, "from_id");
    if (id !== null) return `user${id}`;
  }
  // Only a message without an author is the channel's: one whose author cannot be read is not.
  if (from !== undefined && from !== null && from !== "") {
    throw new RecordError(
      `from_id must be a string or a number, got ${Array.isArray(from) ? "array" : typeof from}`,
    );
  }
  // a channel's posts name no author; a group's messages always do (an anonymous admin's, the group's own id). The
  // chat's type may come after its messages (keys sorted by a tool, as `jq -S` writes them): unknown, a message
  // without an author is a channel's post too
  if (chat.type === null || chat.type.includes("channel")) return `channel${chat.id}`;
  throw new RecordError("missing from_id");
}

/** Map one message; null for service messages, which are not posts. */
function messageToPost(m: Obj, chat: Chat, zone?: TimeZone): PostInput | null {
  if (m.type === "service") return null;
  if (m.type !== undefined && m.type !== "message")
    throw new RecordError(`unknown message type ${shown(m.type)}`);
  const messageId = asId(m.id, "id");
  if (!messageId) throw new RecordError("missing id");
  const accountId = authorOf(m, chat);
  const post: PostInput = {
    platform: PLATFORM,
    postId: `${chat.id}/${messageId}`,
    accountId,
    tsMs: messageTime(m, zone),
    kind: "post",
    displayName: asText(m.from) ?? (accountId === `channel${chat.id}` ? chat.name : null),
    client: asText(m.via_bot),
  };

  const entities = entitiesOf(m);
  if (entities) {
    post.text = entities.map((e) => e.text).join("") || null;
    const urls: string[] = [];
    const hashtags: string[] = [];
    const mentions: string[] = [];
    for (const e of entities) {
      if (e.type === "link" && e.text) urls.push(e.text);
      else if (e.type === "text_link" && e.href) urls.push(e.href);
      else if (e.type === "hashtag" && e.text) hashtags.push(e.text.replace(/^[#＃]/, ""));
      else if (e.type === "mention" && e.text) mentions.push(e.text.replace(/^@/, ""));
      // A mention of a user without a public username: the export gives the name shown and the user id.
      else if (e.type === "mention_name" && e.userId) mentions.push(`user${e.userId}`);
    }
    post.urls = urls;
    post.hashtags = hashtags;
    post.mentions = mentions;
  } else {
    post.text = typeof m.text === "string" ? m.text : null;
  }

  if ("forwarded_from" in m || "forwarded_from_id" in m) {
    post.kind = "repost";
    const originId = asId(m.forwarded_from_id, "forwarded_from_id");
    const origin = originId ?? asText(m.forwarded_from);
    // A forward from a user who hides their account has neither: it is a repost of nothing we can name.
    post.repostOf = origin ? `forwarded:${origin}` : null;
    post.refAccountId = originId;
  }
  const replyId = asId(m.reply_to_message_id, "reply_to_message_id");
  if (replyId) {
    // a reply to a message of another chat names that chat (`reply_to_peer_id`, "channel555"): its message 77 is
    // not this chat's message 77
    const peer = asId(m.reply_to_peer_id, "reply_to_peer_id");
    const peerChat = peer === null ? chat.id : peer.replace(/^(?:channel|chat|user)/, "");
    post.replyTo = `${peerChat}/${replyId}`;
    if (post.kind === "post") post.kind = "reply";
  }
  return post;
}

/** The chat's id, on which every post id is built: one whose digits were lost refuses the file. */
function chatId(v: unknown, path: string): string {
  try {
    return asId(v, "id") ?? "";
  } catch (err) {
    if (!(err instanceof RecordError)) throw err;
    throw new IngestError(`${path}: the chat's ${err.message}`);
  }
}

/**
 * Where the chats of an export are: one chat's `result.json` holds its id, name, type and messages at the top; a
 * full account export ("Export Telegram data") holds every chat in `chats.list` (and those the account left in
 * `left_chats.list`), each with its own.
 */
const CHAT_PATHS: ReadonlyArray<readonly string[]> = [
  [],
  ["chats", "list", "*"],
  ["left_chats", "list", "*"],
];
const CHAT_SPEC = {
  arrays: CHAT_PATHS.map((p) => [...p, "messages"]),
  values: CHAT_PATHS.flatMap((p) => ["id", "name", "type"].map((k) => [...p, k])),
};

function sniffTelegram(sample: SniffSample): number {
  const head = sample.head.replace(/^\uFEFF/, "").trimStart();
  if (!head.startsWith("{")) return 0;
  // a full account export starts with what it holds and the account's own details, its chats far below
  if (/"personal_information"\s*:\s*\{/.test(head) && /"(about|chats|contacts)"\s*:/.test(head)) return 0.9;
  if (!/"messages"\s*:\s*\[/.test(head)) return 0;
  if (/"(date_unixtime|text_entities)"\s*:/.test(head)) return 0.95;
  if (/"from_id"\s*:\s*"(user|channel)\d+"/.test(head)) return 0.95;
  const chatType =
    /"type"\s*:\s*"(personal_chat|bot_chat|saved_messages|private_group|private_supergroup|public_supergroup|private_channel|public_channel)"/;
  if (chatType.test(head)) return 0.85;
  return /(^|[\\/])result\.json$/i.test(sample.name) ? 0.6 : 0;
}

export const telegramAdapter: IngestAdapter = {
  id: "telegram",
  summary: "Telegram Desktop export (result.json of a channel or group, or of a whole account), JSON format",
  files: "result.json (Telegram Desktop: Export chat history, or Export Telegram data; format JSON)",
  sniff: sniffTelegram,
  async *read(src, opts): AsyncGenerator<IngestItem[]> {
    let chat: Chat = { id: "", name: null, type: null };
    const authors = new Map<string, string>();
    let sawId = false;
    let sawMessages = false;
    let sawChats = false;
    const read = { maxRecordBytes: opts.maxRecordBytes, documentOnly: true };
    for await (const batch of readJsonRecords(src, CHAT_SPEC, read)) {
      const out: IngestItem[] = [];
      for (const rec of batch) {
        if (rec.type === "enter") {
          // the next chat of a full account export: its own id, name and type
          chat = { id: "", name: null, type: null };
          sawId = false;
        } else if (rec.type === "value") {
          const field = rec.path.slice(rec.path.lastIndexOf(".") + 1);
          if (field === "id") {
            chat = { ...chat, id: chatId(rec.value, src.path) };
            sawId = chat.id !== "";
          } else if (field === "name") chat = { ...chat, name: asText(rec.value) };
          else if (field === "type") chat = { ...chat, type: asText(rec.value) };
        } else if (rec.type === "key") {
          if (rec.path === "chats") sawChats = true;
        } else if (rec.type === "array") {
          sawMessages = true;
          if (!sawId) {
            throw new IngestError(`${src.path}: not a Telegram chat export: no chat 'id' before 'messages'`);
          }
        } else if (rec.type === "reject") out.push(rec);
        else {
          try {
            const m = asObject(rec.value);
            if (!m) throw new RecordError("message is not a JSON object");
            const post = messageToPost(m, chat, opts.timeZone);
            if (post) {
              // the author a reply answers, when the message it answers came earlier in the file (exports run
              // oldest first)
              if (post.kind === "reply" && post.replyTo)
                post.refAccountId = authors.get(post.replyTo) ?? null;
              if (authors.size < AUTHOR_MAP_LIMIT) authors.set(post.postId, post.accountId);
              out.push({ type: "post", row: rec.row, post });
            }
          } catch (err) {
            if (!(err instanceof RecordError)) throw err;
            out.push({
              type: "reject",
              row: rec.row,
              reason: err.message,
              raw: rawExcerpt(rec.text),
            });
          }
        }
      }
      if (out.length > 0) yield out;
    }
    if (!sawMessages) {
      throw new IngestError(
        sawChats
          ? `${src.path}: a full Telegram account export without messages: export it again with the chats' ` +
              "messages (Settings > Advanced > Export Telegram data: personal chats, groups, channels)"
          : `${src.path}: not a Telegram chat export: no 'messages' array`,
      );
    }
  },
};

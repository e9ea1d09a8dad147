import { describe, expect, it } from "vitest";
import { extractHashtags, extractMentions, normalizeHashtag, normalizeMention } from "./entities.js";

const MB = 1 << 20;

describe("normalizeHashtag", () => {
  it.each([
    ["#Iran", "iran"],
    ["#iran", "iran"],
    ["IRAN", "iran"],
    ["＃Iran", "iran"],
    ["##Iran", "iran"],
    ["  #Iran  ", "iran"],
    ["#Mahsa_Amini", "mahsa_amini"],
    ["#مهسا_امینی", "مهسا_امینی"],
    ["#مهسا_اميني", "مهسا_امینی"],
    ["#زن_زندگی_آزادی", "زن_زندگی_ازادی"],
    ["#زن_زندگي_آزادي", "زن_زندگی_ازادی"],
    ["#اعتراضات_۱۴۰۱", "اعتراضات_1401"],
    ["#می‌خواهم", "میخواهم"],
    ["#كرونا", "کرونا"],
    ["#Ｉｒａｎ", "iran"],
    ["#Straße", "strasse"],
    ["#Iran\u202E", "iran"],
    ["#Iran🇮🇷", "iran"],
    ["#Россия", "россия"],
    ["#ΕΛΛΑΣ", "ελλασ"],
    ["#2024", "2024"],
    ["#café", "café"],
  ])("%j → %j", (input, expected) => {
    expect(normalizeHashtag(input)).toBe(expected);
  });

  it("makes the Arabic-keyboard and Persian-keyboard spellings of one tag equal", () => {
    expect(normalizeHashtag("#مهسا_اميني")).toBe(normalizeHashtag("#مهسا_امینی"));
    expect(normalizeHashtag("#IRAN")).toBe(normalizeHashtag("#iran"));
  });

  it.each(["", "#", "＃", "   ", "#\u200c", "#🔥", "#!!!", "\u202E"])("returns null for %j", (input) => {
    expect(normalizeHashtag(input)).toBeNull();
  });
});

describe("normalizeMention", () => {
  it.each([
    ["@Alice", "alice"],
    ["alice", "alice"],
    ["＠Alice", "alice"],
    ["@ALICE_01", "alice_01"],
    [" @alice ", "alice"],
    ["@alice.bsky.social", "alice.bsky.social"],
    ["@Carol@Mastodon.Social", "carol@mastodon.social"],
    ["@ｆｕｌｌ", "full"],
    ["@علی", "علی"],
  ])("%j → %j", (input, expected) => {
    expect(normalizeMention(input)).toBe(expected);
  });

  it.each(["", "@", "＠", "   ", " @ ", "\u202E", "@\u200B\u200F"])("returns null for %j", (input) => {
    expect(normalizeMention(input)).toBeNull();
  });

  it.each([
    ["\u202Ealice", "alice"],
    ["al\u200Bice", "alice"],
    ["alice\u200F", "alice"],
    ["@\u202Ealice", "alice"],
    ["\u202E@alice", "alice"],
    ["\u2066@Alice\u2069", "alice"],
    ["al\u200Cice\uFEFF", "alice"],
    ["@carol\u200B@mastodon.social", "carol@mastodon.social"],
  ])("drops the invisible characters hashtags drop: %j → %j", (input, expected) => {
    expect(normalizeMention(input)).toBe(expected);
    expect(normalizeHashtag(input)).toBe(normalizeHashtag(expected));
  });
});

describe("extractHashtags", () => {
  it.each([
    ["#Iran #iran #IRAN", ["iran"]],
    ["Free #Iran now", ["iran"]],
    ["#one,#two.#three!", ["one", "two", "three"]],
    ['(#paren) [#bracket] "#quoted"', ["paren", "bracket", "quoted"]],
    ["#snake_case_tag", ["snake_case_tag"]],
    ["#tag2024 #2024tag", ["tag2024", "2024tag"]],
    ["＃fullwidth", ["fullwidth"]],
    ["🔥#fire🔥", ["fire"]],
    ["line\n#next", ["next"]],
    ["#مهسا_امینی #مهسا_اميني", ["مهسا_امینی"]],
    ["سلام #ایران، #آزادی؛ #زن_زندگی_آزادی", ["ایران", "ازادی", "زن_زندگی_ازادی"]],
    ["#می‌خواهم و #میخواهم", ["میخواهم"]],
    // a zero-width joiner typed in place of the non-joiner: the whole tag, as Twitter reads it
    ["#ایران\u200dزمین #ایران\u200cزمین #ایرانزمین", ["ایرانزمین"]],
    ["#اعتراضات_۱۴۰۱", ["اعتراضات_1401"]],
    ["\u200f#ایران\u200f", ["ایران"]],
    ["#Iran #ایران", ["iran", "ایران"]],
    ["#Россия #Україна", ["россия", "україна"]],
    ["#日本", ["日本"]],
  ])("%j → %j", (text, expected) => {
    expect(extractHashtags(text)).toEqual(expected);
  });

  it.each([
    ["a#b", "preceded by a letter"],
    ["5#b", "preceded by a digit"],
    ["x_#b", "preceded by an underscore"],
    ["&#39; &#x27;", "HTML entities"],
    ["https://example.com/page#section", "URL fragment after a letter"],
    ["https://example.com/#about", "URL fragment after a slash"],
    ["#1 #2024 #۱۴۰۱ #12_34", "all digits (and underscores)"],
    ["# space", "no tag after #"],
    ["#", "lone #"],
    ["", "empty"],
    ["سلام#ایران", "glued to a Persian word"],
    ["C# and F#", "language names"],
  ])("finds nothing in %j (%s)", (text) => {
    expect(extractHashtags(text)).toEqual([]);
  });

  it("keeps order of first appearance", () => {
    expect(extractHashtags("#b #a #b #c #a")).toEqual(["b", "a", "c"]);
  });

  it("stops a tag at punctuation, emoji and a second #", () => {
    expect(extractHashtags("#a-b #c'd #e🔥f #g#h")).toEqual(["a", "c", "e", "g"]);
  });

  it("handles 1 MB inputs", () => {
    expect(extractHashtags("#a ".repeat(MB / 3))).toEqual(["a"]);
    expect(extractHashtags("#".repeat(MB))).toEqual([]);
    expect(extractHashtags("#" + "x".repeat(MB))).toEqual(["x".repeat(MB)]);
    expect(extractHashtags("a#".repeat(MB / 2))).toEqual([]);
  });
});

describe("extractMentions", () => {
  it.each([
    ["hi @Alice and @bob", ["alice", "bob"]],
    ["@alice @ALICE @Alice", ["alice"]],
    ['(@paren) "@quoted" @end.', ["paren", "quoted", "end"]],
    [".@alice reply trick", ["alice"]],
    ["@alice's post", ["alice"]],
    ["@alice: hello", ["alice"]],
    ["@alice.bsky.social says", ["alice.bsky.social"]],
    ["@alice-smith.bsky.social", ["alice-smith.bsky.social"]],
    ["@carol@mastodon.social hi", ["carol@mastodon.social"]],
    ["@Carol@Mastodon.Social.", ["carol@mastodon.social"]],
    ["@dave@sub.instance.example.org,", ["dave@sub.instance.example.org"]],
    ["@eve@localhost", ["eve"]],
    ["＠fullwidth", ["fullwidth"]],
    ["🔥@fire", ["fire"]],
    ["سلام @Ali_Karimi خوبی؟", ["ali_karimi"]],
    ["سلام @علی_کریمی", ["علی_کریمی"]],
    ["\u200f@alice\u200f", ["alice"]],
    ["@user_01 @user__02", ["user_01", "user__02"]],
  ])("%j → %j", (text, expected) => {
    expect(extractMentions(text)).toEqual(expected);
  });

  it.each([
    ["mail alice@example.com", "email"],
    ["x@y.com", "short email"],
    ["https://medium.com/@alice/post", "handle inside a URL"],
    ["https://mastodon.social/@alice", "profile URL"],
    ["@", "lone @"],
    ["@ alice", "space after @"],
    ["@@alice", "double @"],
    ["@.alice", "dot first"],
    ["", "empty"],
    ["سلام@علی", "glued to a Persian word"],
  ])("finds nothing in %j (%s)", (text) => {
    expect(extractMentions(text)).toEqual([]);
  });

  it("does not take a trailing dot or hyphen", () => {
    expect(extractMentions("@alice. @bob- @carol.-x")).toEqual(["alice", "bob", "carol"]);
  });

  it("keeps order of first appearance", () => {
    expect(extractMentions("@b @a @b @c")).toEqual(["b", "a", "c"]);
  });

  it("handles 1 MB inputs", () => {
    expect(extractMentions("@a ".repeat(MB / 3))).toEqual(["a"]);
    expect(extractMentions("@".repeat(MB))).toEqual([]);
    expect(extractMentions("@u@" + "a-".repeat(MB / 2))).toEqual(["u"]);
    expect(extractMentions("@u@" + "a.".repeat(MB / 2))[0]?.startsWith("u@a.a.a")).toBe(true);
    expect(extractMentions("@" + "a-".repeat(MB / 2))[0]?.length).toBe(MB - 1);
  });
});

import { describe, expect, it } from "vitest";
import { defaultFields, handleShape, leadingWord, wordAndDigits } from "./handles.js";

describe("handle templates", () => {
  it("reduces handles to shapes: letter runs, digit runs with their length, separators", () => {
    expect(handleShape("ali_reza84721")).toBe("L_LD5");
    expect(handleShape("daniel1974")).toBe("LD4");
    expect(handleShape("Mina.K")).toBe("L.L");
    expect(handleShape("مریم۱۳۶۰")).toBe("LD4");
    expect(handleShape("x_1_y")).toBe("L_D1_L");
  });

  it("finds the leading word and the word-plus-digits pattern", () => {
    expect(leadingWord("Vatan48213")).toBe("vatan");
    expect(leadingWord("ab123")).toBeNull();
    expect(wordAndDigits("vatan48213")).toBe(true);
    expect(wordAndDigits("ali_reza84721")).toBe(true);
    expect(wordAndDigits("daniel74")).toBe(false);
    expect(wordAndDigits("sara_ahmadi")).toBe(false);
    expect(wordAndDigits("sara.ahmadi_1360")).toBe(true);
    expect(wordAndDigits("sara__ahmadi1360")).toBe(false);
    expect(wordAndDigits("sara.ahmadi.reza1360")).toBe(false);
    expect(wordAndDigits("مریم_رضایی۱۳۶۰")).toBe(false);
  });

  it("answers the word-plus-digits question as the pattern with two optional words did, in a pass", () => {
    // the former pattern, with its second word joined by an optional separator, on short handles of every kind
    const former = /^\p{L}+(?:[_.]?\p{L}+)?[_.]?\d{4,}$/u;
    const parts = ["a", "bc", "_", ".", "12", "3456", "x9", "-", "ی"];
    const handles: string[] = [];
    const grow = (h: string, depth: number): void => {
      handles.push(h);
      if (depth < 4) for (const p of parts) grow(h + p, depth + 1);
    };
    grow("", 0);
    for (const h of handles) expect(wordAndDigits(h), h).toBe(former.test(h));
    // a handle of 200,000 letters (and one ending in three digits) no longer tries every split of its letters
    expect(wordAndDigits("a".repeat(200_000))).toBe(false);
    expect(wordAndDigits("a".repeat(200_000) + "123")).toBe(false);
    expect(wordAndDigits("a".repeat(200_000) + "1234")).toBe(true);
  });
});

describe("default profiles", () => {
  const all = { displayName: true, bio: true, avatar: true };

  it("names the fields left at their defaults", () => {
    expect(defaultFields({ handle: "vatan1", displayName: "vatan1", bio: " ", avatar: null }, all)).toEqual([
      "no bio",
      "no avatar",
      "display name is the handle",
    ]);
    expect(
      defaultFields(
        {
          handle: "x",
          displayName: null,
          bio: "hi",
          avatar: "https://abs.example/default_profile_normal.png",
        },
        all,
      ),
    ).toEqual(["no avatar", "no display name"]);
    expect(
      defaultFields({ handle: "sara", displayName: "Sara", bio: "hi", avatar: "https://a/b.jpg" }, all),
    ).toEqual([]);
  });

  it("says nothing about fields the case does not carry", () => {
    const none = { displayName: false, bio: false, avatar: false };
    expect(defaultFields({ handle: "vatan1", displayName: null, bio: null, avatar: null }, none)).toEqual([]);
  });
});

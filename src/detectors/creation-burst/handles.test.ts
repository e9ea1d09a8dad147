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

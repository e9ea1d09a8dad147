import { describe, expect, it } from "vitest";
import { caseOf, PostLog, SECOND, T0 } from "../../../test/helpers/posts.js";
import { tempDir } from "../../../test/helpers/tmp.js";
import { permuteRecords, readAndSketch } from "./read.js";
import { MatchingCodes } from "./shingle.js";

describe("permuteRecords", () => {
  it("moves each record to its new position in place, across cycles and fixed points", () => {
    const to = Int32Array.from([3, 1, 0, 4, 2, 5]); // cycle 0 -> 3 -> 4 -> 2 -> 0, fixed points 1 and 5
    const a = Uint32Array.from([0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
    permuteRecords(a, 2, to);
    const want = new Uint32Array(12);
    to.forEach((p, t) => want.set([t, t], p * 2));
    expect([...a]).toEqual([...want]);
  });
});

describe("readAndSketch", () => {
  const OPTS = { shingle: 4, bands: 8, rows: 4, seed: 1, minChars: 5, includeReposts: false } as const;

  it("reads every post's text across packs, Persian, Arabic and emoji included, one id per matching text", async () => {
    const tmp = tempDir();
    const log = new PostLog();
    const bases = [
      "سلام دوستان، امروز هوا خیلی خوب است 🌞",
      "مرحبا بالجميع، هذا نص عربي طويل بما يكفي",
      "Plain English text, long enough to sketch",
      "emoji 🤔🔥 and ASCII mixed in one longer line",
      "x",
    ];
    // more posts than one pack holds; every seventh a variant of its own
    for (let i = 0; i < 5000; i++) {
      const base = bases[i % bases.length]!;
      log.add(`a${i % 300}`, T0 + i * SECOND, { text: i % 7 === 0 ? `${base} ${i}` : base });
    }
    const { store } = await caseOf(tmp, log.posts, "texts");
    try {
      const read = await readAndSketch(store, OPTS);
      expect(read.posts).toBe(5000);
      // each post's matching form, from its text read on its own
      const stored = await store.all<{ r: number; text: string }>(
        "SELECT rowid::INTEGER AS r, text FROM posts",
      );
      const textOfRow = new Map(stored.map((p) => [p.r, p.text]));
      const matching = new MatchingCodes();
      const formOf = (text: string): string => {
        const n = matching.fill(text);
        return String.fromCharCode(...matching.codes.subarray(0, n));
      };
      const idOfForm = new Map<string, number>();
      let short = 0;
      for (let i = 0; i < read.posts; i++) {
        const form = formOf(textOfRow.get(read.row[i]!)!);
        const id = read.text[i]!;
        if (form.length < 5) {
          expect(id).toBe(-1);
          short++;
          continue;
        }
        expect(read.chars[id]).toBe(form.length);
        const seen = idOfForm.get(form);
        if (seen === undefined) idOfForm.set(form, id);
        else expect(id, form).toBe(seen);
      }
      expect(short).toBeGreaterThan(800);
      expect(read.tooShort).toBe(short);
      expect(new Set(idOfForm.values()).size).toBe(idOfForm.size);
      expect(read.sketches.count).toBe(idOfForm.size);
      expect(idOfForm.size).toBeGreaterThan(500);
      // read a few hundred rows at a time (packs cut across the slices), the same ids and sketches
      const sliced = await readAndSketch(store, { ...OPTS, sliceRows: 700 });
      expect([...sliced.text]).toEqual([...read.text]);
      expect([...sliced.row]).toEqual([...read.row]);
      expect([...sliced.sketches.keys]).toEqual([...read.sketches.keys]);
      expect(sliced.tooShort).toBe(read.tooShort);
    } finally {
      store.close();
      tmp.cleanup();
    }
  });

  it("gives the sketching's own error when it fails with a slice still being read, and the case answers next", async () => {
    const tmp = tempDir();
    const log = new PostLog();
    for (let i = 0; i < 3000; i++)
      log.add(`a${i % 50}`, T0 + i * SECOND, { text: `a text long enough ${i}` });
    const { store } = await caseOf(tmp, log.posts, "texts");
    try {
      await expect(readAndSketch(store, { ...OPTS, sliceRows: 0 })).rejects.toThrow(
        /sliceRows must be 1 or more/,
      );
      // the progress of the first slice throws while the second is being read
      await expect(
        readAndSketch(store, {
          ...OPTS,
          sliceRows: 500,
          progress: () => {
            throw new Error("stopped");
          },
        }),
      ).rejects.toThrow("stopped");
      // nothing of it is still running on the connection: the next query answers
      expect(await store.scalar<number>("SELECT count(*)::INTEGER FROM posts")).toBe(3000);
    } finally {
      store.close();
      tmp.cleanup();
    }
  });
});

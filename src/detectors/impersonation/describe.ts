/**
 * The character differences of a finding in words an investigator reads at a glance. `describeDiff` names every
 * edit on its own, which buries the one that matters: an appended year reads "an added DIGIT TWO; an added DIGIT
 * ZERO; …", a name typed on an Arabic keyboard repeats the same yeh line three times. Here a run of added or
 * dropped digits is one number ("the digits 2024 added"), and an edit repeated is named once with its count.
 */
import type { CharDiff } from "../../normalize/confusables.js";

const isDigit = (ch: string | undefined): boolean => ch !== undefined && /^\p{Nd}$/u.test(ch);

/** "EXTENDED ARABIC-INDIC" of "EXTENDED ARABIC-INDIC DIGIT TWO"; "" for ASCII digits. */
const digitFamily = (name: string): string => name.replace(/\s*DIGIT\b.*$/, "");

function digitRun(chars: string[], names: string[], what: "added" | "dropped"): string {
  const families = [...new Set(names.map(digitFamily).filter((f) => f !== ""))];
  const script = families.length ? ` (${families.join(" and ")} digits)` : "";
  return `the digits ${chars.join("")} ${what}${script}`;
}

function one(x: CharDiff): string {
  return x.op === "substitute"
    ? `${x.suspect!.codePoint} ${x.suspect!.name} in place of ${x.original!.codePoint} ${x.original!.name}`
    : x.op === "insert"
      ? `an added ${x.suspect!.codePoint} ${x.suspect!.name}`
      : `a dropped ${x.original!.codePoint} ${x.original!.name}`;
}

/**
 * A diff in words: each edit as `describeDiff` names it, except that two or more digits added side by side (or
 * dropped from one place) are one number, and an edit that recurs is named once, with how many times.
 *
 * @example
 * describeDifferences(charDiff("bbcpersian2024", "bbcpersian")); // "the digits 2024 added"
 */
export function describeDifferences(diff: CharDiff[]): string {
  const parts: string[] = [];
  for (let i = 0; i < diff.length;) {
    const x = diff[i]!;
    const ch = x.op === "insert" ? x.suspect?.char : x.op === "delete" ? x.original?.char : undefined;
    if (isDigit(ch)) {
      // inserted digits side by side are at consecutive positions; dropped ones all sit before one position
      let j = i + 1;
      while (j < diff.length) {
        const y = diff[j]!;
        const next = y.op === "insert" ? y.suspect?.char : y.op === "delete" ? y.original?.char : undefined;
        const adjacent = x.op === "insert" ? y.at === x.at + (j - i) : y.at === x.at;
        if (y.op !== x.op || !isDigit(next) || !adjacent) break;
        j++;
      }
      if (j - i >= 2) {
        const run = diff.slice(i, j).map((y) => (x.op === "insert" ? y.suspect! : y.original!));
        parts.push(
          digitRun(
            run.map((c) => c.char),
            run.map((c) => c.name),
            x.op === "insert" ? "added" : "dropped",
          ),
        );
        i = j;
        continue;
      }
    }
    parts.push(one(x));
    i++;
  }
  // the same edit more than once: named once, in the place it first appears
  const counts = new Map<string, number>();
  for (const p of parts) counts.set(p, (counts.get(p) ?? 0) + 1);
  return [...counts].map(([p, n]) => (n > 1 ? `${p}, ${n} times` : p)).join("; ");
}

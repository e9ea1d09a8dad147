import { describe, expect, it } from "vitest";
import { level, shiftHourOfWeek, zoneOffsetMinutes } from "./heatmap.js";

describe("heat map in a time zone", () => {
  it("knows half-hour zones and summer time", () => {
    expect(zoneOffsetMinutes("Asia/Tehran", Date.parse("2024-03-10T00:00:00Z"))).toBe(210);
    expect(zoneOffsetMinutes("Europe/Berlin", Date.parse("2024-01-10T00:00:00Z"))).toBe(60);
    expect(zoneOffsetMinutes("Europe/Berlin", Date.parse("2024-07-10T00:00:00Z"))).toBe(120);
    expect(zoneOffsetMinutes("America/New_York", Date.parse("2024-01-10T00:00:00Z"))).toBe(-300);
  });

  it("moves each UTC hour by the offset, across the week's end, keeping every post", () => {
    const utc = new Array<number>(168).fill(0);
    utc[0] = 5; // Monday 00:00 UTC
    utc[167] = 7; // Sunday 23:00 UTC
    const east = shiftHourOfWeek(utc, 210);
    expect(east.startMinute).toBe(30);
    expect(east.cells[3]).toBe(5); // Monday 03:30 Tehran
    expect(east.cells[2]).toBe(7); // Monday 02:30 Tehran
    const west = shiftHourOfWeek(utc, -300);
    expect(west.startMinute).toBe(0);
    expect(west.cells[163]).toBe(5); // Sunday 19:00 in New York
    expect(west.cells.reduce((a, b) => a + b, 0)).toBe(12);
  });

  it("shades on a square-root scale with zero kept apart", () => {
    expect(level(0, 100)).toBe(0);
    expect(level(1, 100)).toBe(1);
    expect(level(100, 100)).toBe(5);
    expect(level(25, 100)).toBe(3);
  });
});

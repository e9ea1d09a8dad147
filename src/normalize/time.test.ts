import { describe, expect, it } from "vitest";
import { NormalizeError } from "./errors.js";
import {
  dateWithoutTime,
  MAX_TIMESTAMP_MS,
  MIN_TIMESTAMP_MS,
  parseTimestamp,
  parseTimestampIn,
  snowflakeToMs,
  timeZone,
  timeFromSnowflake,
  toIsoUtc,
} from "./time.js";

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

describe("parseTimestamp: ISO 8601 with a zone", () => {
  it.each([
    ["2018-10-10T20:19:24Z", "2018-10-10T20:19:24.000Z"],
    ["2018-10-10T20:19:24z", "2018-10-10T20:19:24.000Z"],
    ["2018-10-10t20:19:24Z", "2018-10-10T20:19:24.000Z"],
    ["2018-10-10T20:19Z", "2018-10-10T20:19:00.000Z"],
    ["2018-10-10T20:19:24.123Z", "2018-10-10T20:19:24.123Z"],
    ["2018-10-10T20:19:24.5Z", "2018-10-10T20:19:24.500Z"],
    ["2018-10-10T20:19:24.05Z", "2018-10-10T20:19:24.050Z"],
    ["2018-10-10T20:19:24,25Z", "2018-10-10T20:19:24.250Z"],
    ["2018-10-10T20:19:24.123456Z", "2018-10-10T20:19:24.123Z"],
    ["2018-10-10T20:19:24.999999999Z", "2018-10-10T20:19:24.999Z"],
    ["2018-10-10T20:19:24+00:00", "2018-10-10T20:19:24.000Z"],
    ["2018-10-10T20:19:24-00:00", "2018-10-10T20:19:24.000Z"],
    ["2018-10-10T20:19:24+03:30", "2018-10-10T16:49:24.000Z"],
    ["2018-10-10T20:19:24+0330", "2018-10-10T16:49:24.000Z"],
    ["2018-10-10T20:19:24+03", "2018-10-10T17:19:24.000Z"],
    ["2018-10-10T20:19:24-05:00", "2018-10-11T01:19:24.000Z"],
    ["2018-10-10T20:19:24.5+03:30", "2018-10-10T16:49:24.500Z"],
    ["2018-10-10T00:30:00+04:30", "2018-10-09T20:00:00.000Z"],
    ["2018-10-10 20:19:24Z", "2018-10-10T20:19:24.000Z"],
    ["2018-10-10 20:19:24 +0000", "2018-10-10T20:19:24.000Z"],
    ["2018-10-10 20:19:24 UTC", "2018-10-10T20:19:24.000Z"],
    ["2018-10-10 20:19:24 GMT", "2018-10-10T20:19:24.000Z"],
    ["2018-10-10 20:19:24.123 UTC", "2018-10-10T20:19:24.123Z"],
    ["  2018-10-10T20:19:24Z\n", "2018-10-10T20:19:24.000Z"],
    ["2020-02-29T12:00:00Z", "2020-02-29T12:00:00.000Z"],
    ["2000-02-29T00:00:00Z", "2000-02-29T00:00:00.000Z"],
    ["2023-12-31T23:59:59.999Z", "2023-12-31T23:59:59.999Z"],
    ["2024-01-01T02:00:00+03:30", "2023-12-31T22:30:00.000Z"],
  ])("%s", (input, expected) => {
    expect(iso(parseTimestamp(input))).toBe(expected);
  });

  it("gives the same instant for the same moment written in different zones", () => {
    const a = parseTimestamp("2022-09-16T19:30:00+03:30");
    expect(a).not.toBeNull();
    expect(parseTimestamp("2022-09-16T16:00:00Z")).toBe(a);
    expect(parseTimestamp("2022-09-16T12:00:00-04:00")).toBe(a);
  });
});

describe("parseTimestamp: zone-less datetimes", () => {
  it.each(["2018-01-01 12:34", "2018-01-01 12:34:56", "2018-01-01T12:34:56.789", "2018-01-01T12:34"])(
    "refuses %s without assumeUtc",
    (input) => {
      expect(parseTimestamp(input)).toBeNull();
      expect(parseTimestamp(input, {})).toBeNull();
      expect(parseTimestamp(input, { assumeUtc: false })).toBeNull();
    },
  );

  it.each([
    ["2018-01-01 12:34", "2018-01-01T12:34:00.000Z"],
    ["2018-01-01 12:34:56", "2018-01-01T12:34:56.000Z"],
    ["2018-01-01 12:34:56.7", "2018-01-01T12:34:56.700Z"],
    ["2018-01-01T12:34:56.789", "2018-01-01T12:34:56.789Z"],
    ["2018-01-01T12:34", "2018-01-01T12:34:00.000Z"],
  ])("reads %s as UTC with assumeUtc (Twitter info-ops archives)", (input, expected) => {
    expect(iso(parseTimestamp(input, { assumeUtc: true }))).toBe(expected);
  });

  it("does not let assumeUtc override an explicit zone", () => {
    expect(iso(parseTimestamp("2018-01-01T12:00:00+03:30", { assumeUtc: true }))).toBe(
      "2018-01-01T08:30:00.000Z",
    );
  });
});

describe("parseTimestamp: date only", () => {
  it("reads YYYY-MM-DD as midnight UTC, with or without assumeUtc", () => {
    expect(iso(parseTimestamp("2022-09-16"))).toBe("2022-09-16T00:00:00.000Z");
    expect(iso(parseTimestamp("2022-09-16", { assumeUtc: true }))).toBe("2022-09-16T00:00:00.000Z");
  });
});

describe("parseTimestamp: Twitter v1 created_at", () => {
  it.each([
    ["Wed Oct 10 20:19:24 +0000 2018", "2018-10-10T20:19:24.000Z"],
    ["Fri Sep 16 19:30:00 +0330 2022", "2022-09-16T16:00:00.000Z"],
    ["Mon Jan 01 00:00:00 -0500 2018", "2018-01-01T05:00:00.000Z"],
    ["Thu Feb 29 12:00:00 +0000 2024", "2024-02-29T12:00:00.000Z"],
    ["wed oct 10 20:19:24 +0000 2018", "2018-10-10T20:19:24.000Z"],
  ])("%s", (input, expected) => {
    expect(iso(parseTimestamp(input))).toBe(expected);
  });

  it.each([
    "Wed Oct 10 20:19:24 2018",
    "Wed Foo 10 20:19:24 +0000 2018",
    "Xyz Oct 10 20:19:24 +0000 2018",
    "Wed Oct 32 20:19:24 +0000 2018",
    "Wed Feb 29 20:19:24 +0000 2019",
    "Wed Oct 10 25:19:24 +0000 2018",
    "Wed Oct 10 20:19:24 *0000 2018",
    "Wed Oct 10 20:19:24 +0000 1969",
    "Wed, 10 Oct 2018 20:19:24 GMT",
  ])("refuses %s", (input) => {
    expect(parseTimestamp(input)).toBeNull();
  });
});

describe("parseTimestamp: epoch numbers", () => {
  it("reads seconds, milliseconds and microseconds by magnitude", () => {
    expect(iso(parseTimestamp(1539202764))).toBe("2018-10-10T20:19:24.000Z");
    expect(iso(parseTimestamp(1539202764123))).toBe("2018-10-10T20:19:24.123Z");
    expect(iso(parseTimestamp(1539202764123456))).toBe("2018-10-10T20:19:24.123Z");
  });

  it("rounds fractional seconds to the millisecond despite binary floating point", () => {
    expect(parseTimestamp(1629589836.123)).toBe(1629589836123);
    expect(parseTimestamp(1629589836.1)).toBe(1629589836100);
    expect(parseTimestamp(1629589836.9999)).toBe(1629589837000);
  });

  it("reads numeric strings exactly, including fractional seconds", () => {
    expect(parseTimestamp("1629589836")).toBe(1629589836000);
    expect(parseTimestamp("1629589836.123")).toBe(1629589836123);
    expect(parseTimestamp("1629589836.1")).toBe(1629589836100);
    expect(parseTimestamp("1629589836.123999")).toBe(1629589836123);
    expect(parseTimestamp("1629589836123")).toBe(1629589836123);
    expect(parseTimestamp("1629589836123456")).toBe(1629589836123);
    expect(parseTimestamp(" 1629589836 ")).toBe(1629589836000);
  });

  it("refuses values above the microsecond range: a snowflake id is not a nanosecond time", () => {
    expect(parseTimestamp(1.539202764e18)).toBeNull();
    expect(parseTimestamp("1050118621198921728")).toBeNull();
    expect(parseTimestamp(1e17)).toBeNull();
  });

  it("accepts bigint within range", () => {
    expect(parseTimestamp(1539202764123n)).toBe(1539202764123);
    expect(parseTimestamp(10n ** 20n)).toBeNull();
  });

  it.each([NaN, Infinity, -Infinity, 0, -1539202764, 12, 631151999, 5e9, 1e11 - 1, 5e13])(
    "refuses %s",
    (input) => {
      expect(parseTimestamp(input)).toBeNull();
    },
  );

  it.each([
    "1629589836.",
    ".5",
    "1629589836.12a",
    "+1629589836",
    "-1629589836",
    "1.6e9",
    "0x61",
    "1 629 589 836",
  ])("refuses the string %s", (input) => {
    expect(parseTimestamp(input)).toBeNull();
  });

  it("accepts Date objects in range", () => {
    expect(parseTimestamp(new Date(Date.UTC(2020, 0, 1)))).toBe(Date.UTC(2020, 0, 1));
    expect(parseTimestamp(new Date(NaN))).toBeNull();
    expect(parseTimestamp(new Date(0))).toBeNull();
  });
});

describe("parseTimestamp: refusals", () => {
  it.each([
    "",
    "   ",
    "2021-02-30",
    "2021-02-29",
    "1900-02-29",
    "2021-13-01",
    "2021-00-10",
    "2021-04-31",
    "2021-4-3",
    "2021/04/03",
    "21-04-03",
    "2021-04-03T",
    "2021-04-03T25:00:00Z",
    "2021-04-03T24:00:00Z",
    "2021-04-03T12:60:00Z",
    "2021-04-03T12:00:60Z",
    "2021-04-03T12:00:00.Z",
    "2021-04-03T12:00:00+2400",
    "2021-04-03T12:00:00+05:60",
    "2021-04-03T12:00:00+5",
    "2021-04-03T12:00:00+05:00:00",
    "2021-04-03T12:00:00Zjunk",
    "2021-04-03T12:00:00 EST",
    "2021-04-03X12:00:00Z",
    "2021-04-03T1200Z",
    "1969-12-31T23:59:59Z",
    "1970-01-01T00:00:00Z",
    "1989-12-31T23:59:59.999Z",
    "2101-01-01T00:00:00Z",
    "9999-12-31T00:00:00Z",
    "0050-01-01T00:00:00Z",
    "yesterday",
    "20180101",
    "2018",
    "1",
    "۲۰۲۱-۰۴",
  ])("returns null for %j", (input) => {
    expect(parseTimestamp(input, { assumeUtc: true })).toBeNull();
  });

  it.each([null, undefined, true, {}, [], Symbol("x"), () => 1])("returns null for %s", (input) => {
    expect(parseTimestamp(input)).toBeNull();
  });

  it("accepts the edges of the 1990–2100 window, measured on the instant", () => {
    expect(parseTimestamp("1990-01-01T00:00:00Z")).toBe(MIN_TIMESTAMP_MS);
    expect(parseTimestamp("2100-12-31T23:59:59.999Z")).toBe(MAX_TIMESTAMP_MS);
    expect(parseTimestamp("1989-12-31T23:00:00-02:00")).toBe(Date.UTC(1990, 0, 1, 1));
    expect(parseTimestamp("1990-01-01T01:00:00+02:00")).toBeNull();
  });

  it("throws NormalizeError for an unknown option (a typo would silently change meaning)", () => {
    expect(() => parseTimestamp("2018-01-01 12:34", { assumeUTC: true } as never)).toThrow(NormalizeError);
    expect(() => parseTimestamp("2018-01-01 12:34", { assumeUTC: true } as never)).toThrow(/normalize\/time/);
  });
});

describe("parseTimestamp: calendar arithmetic", () => {
  it("matches Date.UTC for every day from 1989 to 2101 at several times of day", () => {
    let mismatches = 0;
    let checked = 0;
    for (let t = Date.UTC(1989, 0, 1); t < Date.UTC(2102, 0, 1); t += 86_400_000) {
      const d = new Date(t);
      const date = d.toISOString().slice(0, 10);
      for (const time of ["00:00:00.000", "13:37:59.999"]) {
        const expected = Date.parse(`${date}T${time}Z`);
        const got = parseTimestamp(`${date}T${time}Z`);
        const want = expected >= MIN_TIMESTAMP_MS && expected <= MAX_TIMESTAMP_MS ? expected : null;
        if (got !== want) mismatches++;
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(80_000);
    expect(mismatches).toBe(0);
  });

  it("agrees between the ISO, Twitter and epoch forms of one instant", () => {
    const ms = parseTimestamp("2018-10-10T20:19:24Z");
    expect(ms).toBe(1539202764000);
    expect(parseTimestamp("Wed Oct 10 20:19:24 +0000 2018")).toBe(ms);
    expect(parseTimestamp(1539202764)).toBe(ms);
    expect(parseTimestamp("1539202764000")).toBe(ms);
  });
});

describe("timeFromSnowflake", () => {
  it("takes the id's millisecond within the tolerance of the given time, and the given time otherwise", () => {
    const id = "1050118621198921728"; // 2018-10-10T20:19:24.211Z
    const second = Date.parse("2018-10-10T20:19:24Z");
    expect(timeFromSnowflake(id, second, 2000)).toBe(second + 211);
    expect(timeFromSnowflake(id, second + 3000, 2000)).toBe(second + 3000);
    expect(timeFromSnowflake("12345", second, 2000)).toBe(second);
  });
});

describe("snowflakeToMs", () => {
  it("decodes the creation time of a tweet id", () => {
    expect(toIsoUtc(snowflakeToMs("1050118621198921728") ?? 0)).toBe("2018-10-10T20:19:24.211Z");
    // 2022-09-16: ((id >> 22) + epoch) computed independently
    const id = 1570823458402938880n;
    expect(snowflakeToMs(id.toString())).toBe(Number(id >> 22n) + 1288834974657);
  });

  it("tolerates surrounding whitespace", () => {
    expect(snowflakeToMs(" 1050118621198921728 ")).toBe(1539202764211);
  });

  it("decodes the smallest 15-digit ids to just after the snowflake epoch", () => {
    const ms = snowflakeToMs("100000000000000");
    expect(ms).not.toBeNull();
    expect(ms!).toBeGreaterThanOrEqual(1288834974657);
    expect(ms! - 1288834974657).toBeLessThan(86_400_000);
  });

  it.each([
    ["", "empty"],
    ["20", "pre-snowflake sequential id"],
    ["29700859247", "last pre-snowflake era id"],
    ["99999999999999", "14 digits"],
    ["000000000000000123", "leading zeros"],
    ["10501186211989217a8", "not all digits"],
    ["-1050118621198921728", "negative"],
    ["1050118621198921728.0", "decimal"],
    ["123456789012345678901", "21 digits, beyond 64 bits"],
    ["18446744073709551615", "2^64-1: time beyond 2100"],
    ["١٠٥٠١١٨٦٢١١٩٨٩٢١٧٢٨", "Arabic-Indic digits"],
  ])("returns null for %j (%s)", (input) => {
    expect(snowflakeToMs(input)).toBeNull();
  });
});

describe("toIsoUtc", () => {
  it("formats with milliseconds and Z", () => {
    expect(toIsoUtc(1539202764000)).toBe("2018-10-10T20:19:24.000Z");
    expect(toIsoUtc(1539202764123)).toBe("2018-10-10T20:19:24.123Z");
    expect(toIsoUtc(0)).toBe("1970-01-01T00:00:00.000Z");
  });

  it("round-trips with parseTimestamp", () => {
    for (const ms of [MIN_TIMESTAMP_MS, 1539202764123, 1663356600000, MAX_TIMESTAMP_MS]) {
      expect(parseTimestamp(toIsoUtc(ms))).toBe(ms);
    }
  });

  it.each([NaN, Infinity, -Infinity, 9e15])("throws NormalizeError for %s", (ms) => {
    expect(() => toIsoUtc(ms)).toThrow(NormalizeError);
  });
});

describe("dateWithoutTime", () => {
  it("names a post time given as a date alone, and nothing else", () => {
    expect(dateWithoutTime("created_at", " 2024-05-01 ")).toMatch(
      /created_at '2024-05-01' is a date without a time of day/,
    );
    for (const v of ["2024-05-01T10:00:00Z", "2024-05-01 10:00", 1714557600, null, undefined, "20240501"])
      expect(dateWithoutTime("ts", v), String(v)).toBeNull();
  });
});

describe("times written without a zone, read in the zone the user names", () => {
  it("reads fixed offsets, UTC, and IANA zones with their summer time; a time with a zone keeps its own", () => {
    const at = (v: string, z: string): string | null => iso(parseTimestampIn(v, timeZone(z)!));
    expect(at("2024-03-08 09:00", "+03:30")).toBe("2024-03-08T05:30:00.000Z");
    expect(at("2024-03-08 09:00", "UTC")).toBe("2024-03-08T09:00:00.000Z");
    expect(at("2024-03-08 09:00", "Asia/Tehran")).toBe("2024-03-08T05:30:00.000Z");
    // Berlin: +01:00 in winter, +02:00 in summer
    expect(at("2024-01-15 12:00:00", "Europe/Berlin")).toBe("2024-01-15T11:00:00.000Z");
    expect(at("2024-07-15 12:00:00", "Europe/Berlin")).toBe("2024-07-15T10:00:00.000Z");
    // the autumn hour that happens twice: its first time
    expect(at("2024-10-27 02:30", "Europe/Berlin")).toBe("2024-10-27T00:30:00.000Z");
    expect(at("2024-03-08T09:00:00Z", "Asia/Tehran")).toBe("2024-03-08T09:00:00.000Z");
    expect(iso(parseTimestampIn(1709888400, timeZone("Asia/Tehran")!))).toBe("2024-03-08T09:00:00.000Z");
    // without a zone named, refused as before
    expect(parseTimestampIn("2024-03-08 09:00", undefined)).toBeNull();
  });

  it("names no zone for what is none", () => {
    for (const bad of ["Mars/Olympus", "+25:00", "3:30", ""]) expect(timeZone(bad), bad).toBeNull();
    expect(timeZone("-05:00")?.offsetMs).toBe(-5 * 3_600_000);
    expect(timeZone("utc+0330")?.offsetMs).toBe(3.5 * 3_600_000);
  });

  it("reads Persian and Arabic-Indic digits as digits, a date alone as one still", () => {
    expect(dateWithoutTime("ts", "۲۰۲۱-۰۴-۰۳")).toMatch(/is a date without a time of day/);
    expect(iso(parseTimestamp("۲۰۲۴-۰۵-۰۸T۱۴:۰۳:۰۰Z"))).toBe("2024-05-08T14:03:00.000Z");
    expect(iso(parseTimestamp("٢٠٢٤-٠٥-٠٨T١٤:٠٣:٠٠+03:30"))).toBe("2024-05-08T10:33:00.000Z");
  });
});

import { describe, expect, it } from "vitest";
import { CronError, parseCron } from "../../../runtime/cron.ts";

const at = (iso: string) => Date.parse(`${iso}Z`);
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 16);

/** The next `count` runs of `expression` after `from`. */
function runs(expression: string, from: string, count = 1): string[] {
  const schedule = parseCron(expression);
  const out: string[] = [];
  let after = at(from);
  for (let i = 0; i < count; i++) out.push(iso((after = schedule.next(after))));
  return out;
}

describe("parseCron: next run", () => {
  it("steps through minutes, strictly after the given time", () => {
    expect(runs("*/5 * * * *", "2030-01-01T12:03", 3)).toEqual(["2030-01-01T12:05", "2030-01-01T12:10", "2030-01-01T12:15"]);
    // A time exactly on a match is not its own next run.
    expect(runs("*/5 * * * *", "2030-01-01T12:05")).toEqual(["2030-01-01T12:10"]);
    // Seconds within the matching minute are past it too.
    expect(parseCron("* * * * *").next(at("2030-01-01T12:05") + 30_000)).toBe(at("2030-01-01T12:06"));
  });

  it("reads every field in UTC, rolling over hours, days, months and years", () => {
    expect(runs("0 0 * * *", "2030-12-31T23:59")).toEqual(["2031-01-01T00:00"]);
    expect(runs("30 9 1 * *", "2030-01-31T10:00", 2)).toEqual(["2030-02-01T09:30", "2030-03-01T09:30"]);
    expect(runs("15 14 1 7 *", "2030-07-02T00:00")).toEqual(["2031-07-01T14:15"]);
  });

  it("takes ranges, steps, lists and ranges with steps", () => {
    expect(runs("0 9-11 * * *", "2030-01-01T00:00", 4)).toEqual(["2030-01-01T09:00", "2030-01-01T10:00", "2030-01-01T11:00", "2030-01-02T09:00"]);
    expect(runs("10-50/20 * * * *", "2030-01-01T00:00", 4)).toEqual(["2030-01-01T00:10", "2030-01-01T00:30", "2030-01-01T00:50", "2030-01-01T01:10"]);
    expect(runs("0 0 1,15 * *", "2030-01-02T00:00", 3)).toEqual(["2030-01-15T00:00", "2030-02-01T00:00", "2030-02-15T00:00"]);
    expect(runs("5/20 * * * *", "2030-01-01T00:00", 3)).toEqual(["2030-01-01T00:05", "2030-01-01T00:25", "2030-01-01T00:45"]);
    expect(runs("0 */6 * * *", "2030-01-01T01:00", 2)).toEqual(["2030-01-01T06:00", "2030-01-01T12:00"]);
  });

  it("takes month and day names, in any case, and Sunday as 0 or 7", () => {
    // 2030-01-04 is a Friday.
    expect(runs("0 8 * * mon-fri", "2030-01-04T09:00", 2)).toEqual(["2030-01-07T08:00", "2030-01-08T08:00"]);
    expect(runs("0 0 1 JUN,dec *", "2030-01-01T00:00", 2)).toEqual(["2030-06-01T00:00", "2030-12-01T00:00"]);
    expect(runs("0 0 * * 7", "2030-01-01T00:00")).toEqual(["2030-01-06T00:00"]);
    expect(runs("0 0 * * 0", "2030-01-01T00:00")).toEqual(["2030-01-06T00:00"]);
    expect(runs("0 0 * * 5-7", "2030-01-05T01:00", 2)).toEqual(["2030-01-06T00:00", "2030-01-11T00:00"]);
  });

  it("matches either day field when both are restricted, both when one starts with *", () => {
    // The 13th, or any Friday (2030-09-13 is both).
    expect(runs("0 0 13 * fri", "2030-09-01T00:00", 3)).toEqual(["2030-09-06T00:00", "2030-09-13T00:00", "2030-09-20T00:00"]);
    // Every other day of the month that is also a Monday.
    expect(runs("0 0 */2 * mon", "2030-01-01T00:00", 2)).toEqual(["2030-01-07T00:00", "2030-01-21T00:00"]);
  });

  it("finds 29 February, even across 2100, which has none", () => {
    expect(runs("0 0 29 2 *", "2030-01-01T00:00")).toEqual(["2032-02-29T00:00"]);
    expect(runs("0 0 29 2 *", "2097-01-01T00:00")).toEqual(["2104-02-29T00:00"]);
  });

  it("expands the @ macros", () => {
    expect(runs("@hourly", "2030-01-01T10:30")).toEqual(["2030-01-01T11:00"]);
    expect(runs("@daily", "2030-01-01T10:30")).toEqual(["2030-01-02T00:00"]);
    expect(runs("@weekly", "2030-01-01T10:30")).toEqual(["2030-01-06T00:00"]);
    expect(runs("@monthly", "2030-01-01T10:30")).toEqual(["2030-02-01T00:00"]);
    expect(runs("@yearly", "2030-01-01T10:30")).toEqual(["2031-01-01T00:00"]);
  });

  it("keeps the expression as written", () => {
    expect(parseCron(" */5 * * * * ").expression).toBe(" */5 * * * * ");
  });
});

describe("parseCron: refusals", () => {
  it.each([
    ["* * * *", /has 4 fields/],
    ["* * * * * *", /has 6 fields/],
    ["60 * * * *", /minute 60 is outside 0-59/],
    ["* 24 * * *", /hour 24 is outside 0-23/],
    ["* * 0 * *", /day of month 0 is outside 1-31/],
    ["* * * 13 *", /month 13 is outside 1-12/],
    ["* * * * 8", /day of week 8 is outside 0-7/],
    ["*/0 * * * *", /step "0" in the minute/],
    ["*/x * * * *", /step "x" in the minute/],
    ["5-1 * * * *", /range 5-1 runs backwards/],
    ["1-2-3 * * * *", /not a valid minute range/],
    ["a * * * *", /"a" is not a valid minute/],
    ["1,,2 * * * *", /"" is not a valid minute/],
    ["* * * foo *", /"foo" is not a valid month/],
    ["* * * * 1/2/3", /not a valid day of week/],
    ["0 0 31 2 *", /never matches/],
    ["0 0 30 feb *", /never matches/],
    ["@reboot", /has 1 field;/],
  ])("refuses %s", (expression, message) => {
    expect(() => parseCron(expression)).toThrow(CronError);
    expect(() => parseCron(expression)).toThrow(message);
  });
});

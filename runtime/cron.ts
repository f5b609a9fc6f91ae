// Cron expressions for `c.schedule.cron`: the five standard fields, read in UTC. Written
// here rather than taken from a library because the job is small and exact — parse once,
// then find the next matching minute — and the libraries that do it carry time-zone
// machinery a Worker (always UTC) does not need.

/** One field of an expression: its name in messages, its range, and the names it accepts. */
interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
}

const MONTH_NAMES = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const DAY_NAMES = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

const FIELDS: readonly FieldSpec[] = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day of month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12, names: MONTH_NAMES },
  // 7 is Sunday too, as in every cron; it is folded onto 0 after parsing.
  { name: "day of week", min: 0, max: 7, names: DAY_NAMES },
];

const MACROS: Record<string, string> = {
  "@yearly": "0 0 1 1 *",
  "@annually": "0 0 1 1 *",
  "@monthly": "0 0 1 * *",
  "@weekly": "0 0 * * 0",
  "@daily": "0 0 * * *",
  "@midnight": "0 0 * * *",
  "@hourly": "0 * * * *",
};

const MINUTE_MS = 60_000;
/**
 * How far ahead to look for the next run. Any satisfiable expression matches within eight
 * years (a 29 February can be that far away, across 2100); one that does not within that
 * never will (`0 0 31 2 *`).
 */
const SEARCH_YEARS = 9;

/** A cron expression that cannot be parsed, or that never matches. */
export class CronError extends Error {
  override readonly name = "CronError";
}

/** A parsed cron expression: which values each field allows. */
export interface CronSchedule {
  /** The expression as written. */
  readonly expression: string;
  /** The first matching minute strictly after `after` (epoch ms), in epoch ms. */
  next(after: number): number;
}

function parseValue(text: string, spec: FieldSpec, expression: string): number {
  const named = spec.names?.indexOf(text.toLowerCase()) ?? -1;
  if (named >= 0) return named + (spec.min === 1 ? 1 : 0);
  if (!/^\d+$/.test(text)) throw new CronError(`Cron "${expression}": "${text}" is not a valid ${spec.name}.`);
  const value = Number(text);
  if (value < spec.min || value > spec.max) {
    throw new CronError(`Cron "${expression}": ${spec.name} ${value} is outside ${spec.min}-${spec.max}.`);
  }
  return value;
}

/** The values one field allows, from `*`, `5`, `1-5`, `*\/15`, `10-50/10`, `5/15`, `mon-fri`, or a list of them. */
function parseField(text: string, spec: FieldSpec, expression: string): Set<number> {
  const allowed = new Set<number>();
  for (const part of text.split(",")) {
    const [range = "", stepText, ...extra] = part.split("/");
    if (extra.length || range === "") throw new CronError(`Cron "${expression}": "${part}" is not a valid ${spec.name}.`);
    let step = 1;
    if (stepText !== undefined) {
      if (!/^\d+$/.test(stepText) || Number(stepText) === 0) throw new CronError(`Cron "${expression}": step "${stepText}" in the ${spec.name} must be a positive integer.`);
      step = Number(stepText);
    }
    let from: number;
    let to: number;
    if (range === "*") {
      from = spec.min;
      to = spec.max;
    } else if (range.includes("-")) {
      const [low = "", high = "", ...more] = range.split("-");
      if (more.length) throw new CronError(`Cron "${expression}": "${range}" is not a valid ${spec.name} range.`);
      from = parseValue(low, spec, expression);
      to = parseValue(high, spec, expression);
      if (from > to) throw new CronError(`Cron "${expression}": the ${spec.name} range ${range} runs backwards.`);
    } else {
      from = parseValue(range, spec, expression);
      // `5/15` means from 5 to the end in steps of 15; a lone `5` is just 5.
      to = stepText === undefined ? from : spec.max;
    }
    for (let value = from; value <= to; value += step) allowed.add(value);
  }
  return allowed;
}

/**
 * Parse a five-field cron expression (minute, hour, day of month, month, day of week), or
 * one of `@yearly`, `@monthly`, `@weekly`, `@daily`, `@hourly`. Fields take `*`, numbers,
 * ranges (`1-5`), steps (`*\/15`, `0-30/10`), lists (`1,15`), and month and day names
 * (`jan`, `mon-fri`); Sunday is 0 or 7. As in Vixie cron, when both day fields are
 * restricted (neither starts with `*`) a day matches if either does. Throws
 * {@link CronError} with a message that names the problem.
 *
 * @example
 * ```ts
 * parseCron("*\/5 * * * *").next(Date.UTC(2030, 0, 1, 12, 3)); // Date.UTC(2030, 0, 1, 12, 5)
 * ```
 */
export function parseCron(expression: string): CronSchedule {
  const trimmed = expression.trim();
  const expanded = MACROS[trimmed.toLowerCase()] ?? trimmed;
  const fields = expanded.split(/\s+/);
  if (fields.length !== 5) {
    throw new CronError(`Cron "${expression}" has ${fields.length} field${fields.length === 1 ? "" : "s"}; use five: minute hour day-of-month month day-of-week.`);
  }
  const [minutes, hours, days, months, weekdays] = FIELDS.map((spec, i) => parseField(fields[i] ?? "", spec, expression)) as [
    Set<number>,
    Set<number>,
    Set<number>,
    Set<number>,
    Set<number>,
  ];
  if (weekdays.delete(7)) weekdays.add(0);
  const anyDay = (fields[2] ?? "").startsWith("*");
  const anyWeekday = (fields[4] ?? "").startsWith("*");
  const dayMatches = (date: Date): boolean => {
    const byDay = days.has(date.getUTCDate());
    const byWeekday = weekdays.has(date.getUTCDay());
    return anyDay || anyWeekday ? byDay && byWeekday : byDay || byWeekday;
  };
  const schedule: CronSchedule = {
    expression,
    next(after) {
      const date = new Date(Math.floor(after / MINUTE_MS) * MINUTE_MS + MINUTE_MS);
      const limit = date.getUTCFullYear() + SEARCH_YEARS;
      // Each miss moves to the start of the next month, day, hour or minute: a few hundred
      // steps at most, even for a yearly expression.
      while (date.getUTCFullYear() <= limit) {
        if (!months.has(date.getUTCMonth() + 1)) {
          date.setUTCMonth(date.getUTCMonth() + 1, 1);
          date.setUTCHours(0, 0, 0, 0);
        } else if (!dayMatches(date)) {
          date.setUTCDate(date.getUTCDate() + 1);
          date.setUTCHours(0, 0, 0, 0);
        } else if (!hours.has(date.getUTCHours())) {
          date.setUTCHours(date.getUTCHours() + 1, 0, 0, 0);
        } else if (!minutes.has(date.getUTCMinutes())) {
          date.setUTCMinutes(date.getUTCMinutes() + 1, 0, 0);
        } else {
          return date.getTime();
        }
      }
      throw new CronError(`Cron "${expression}" never matches a date.`);
    },
  };
  // An expression that can never run is refused when it is made, not when it is due.
  schedule.next(Date.UTC(2000, 0, 1));
  return schedule;
}

// `c.schedule`: actions that run later, on the object's alarm.
import type { ScheduledAction } from "./kv.ts";

/**
 * The arguments `c.schedule` takes for an action: those of its schema for a validated
 * action; for a plain function action TypeScript cannot know them inside the definition
 * that is still being inferred, so any.
 */
export type ScheduleArgs<Args> = [Args] extends [unknown[]] ? Args : unknown[];

/**
 * `c.schedule`: actions that run later, kept in the actor's storage and run in order on the
 * object's single alarm. `after` and `at` run once, `cron` on every match; a destroy cancels
 * them all. Action names are checked by TypeScript (and arguments, for validated actions);
 * an unknown name at run time is `action/not_found`.
 *
 * @example
 * ```ts
 * const id = c.schedule.after(60_000, "remind", "stand up");
 * c.schedule.cancel(id);
 * c.schedule.cron("0 9 * * mon-fri", "standup"); // 09:00 UTC on weekdays
 * ```
 */
export interface ActorSchedule<Args = Record<string, unknown>> {
  /** Run `action(...args)` in `ms` milliseconds. Returns the schedule's id. */
  after<K extends keyof Args & string>(ms: number, action: K, ...args: ScheduleArgs<Args[K]>): string;
  /** Run `action(...args)` at `epochMs`. Returns the schedule's id. */
  at<K extends keyof Args & string>(epochMs: number, action: K, ...args: ScheduleArgs<Args[K]>): string;
  /**
   * Run `action(...args)` on every minute that the five-field cron `expression` matches, in
   * UTC (`"*\/5 * * * *"`, `"0 9 * * mon-fri"`, `"@daily"`), until cancelled or destroyed.
   * The next run is computed after each run, from the time it ran: runs missed while the
   * object could not run are skipped, never replayed. Returns the schedule's id.
   */
  cron<K extends keyof Args & string>(expression: string, action: K, ...args: ScheduleArgs<Args[K]>): string;
  /** Pending schedules, earliest first. */
  list(): ScheduledAction[];
  /**
   * Whether the schedule will now never run: `false` if there is none, or if a one-off
   * schedule has already started. A cron schedule stops for good, even from its own run.
   */
  cancel(id: string): boolean;
}

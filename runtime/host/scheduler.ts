import { parseCron } from "../cron.ts";
import { toActorError, type ActorErrorShape } from "../errors.ts";
import type { ActorLogger } from "../types/actor.ts";
import { syncAlarm } from "../storage/alarm.ts";
import { deleteSchedule, dueSchedules, rescheduleSchedule, scheduleExists } from "../storage/schedules.ts";
import { hasSchema, migrate } from "../storage/schema.ts";
import type { ActionOptions } from "./actions.ts";
import { realClock, TestClock, type ScheduleClock } from "./schedule-clock.ts";

/** Scheduled actions one alarm runs at most; the alarm fires again at once for the rest. */
export const SCHEDULE_BATCH = 100;

/**
 * Scheduled actions one `advanceTime` runs at one instant at most: a schedule that
 * schedules itself again at once, for ever, must fail the test rather than hang it.
 */
export const MAX_RUNS_AT_ONE_TIME = 1_000;

/** One due schedule, with the generation that made it. */
interface DueSchedule {
  id: string;
  generation: number;
  action: string;
  args: unknown[];
  cron?: string;
}

/** One scheduled action that ran (or started and failed), as `advanceTime` reports it. */
export interface ScheduleRun {
  /** The schedule's id, as `c.schedule` returned it. */
  id: string;
  action: string;
  args: unknown[];
  /** When it ran, on the actor's clock (epoch ms). */
  at: number;
  /** The expression of a cron schedule. */
  cron?: string;
  /** What the action threw, as a caller would have received it. */
  error?: ActorErrorShape;
}

/** What running schedules needs from the host. */
export interface SchedulerHost {
  storage: DurableObjectStorage;
  /** Run `action` as generation `generation` (refused once that generation is gone). */
  invoke(generation: number, action: string, args: unknown[], options: ActionOptions): Promise<unknown>;
  log: ActorLogger;
}

/**
 * Runs `c.schedule` actions on the object's alarm, in order, a bounded batch per alarm.
 * Each runs once: its state and the removal of its row are one transaction, so an alarm
 * delivered again after a crash finds the row only if the action's writes were lost too.
 * A cron schedule's row is moved to its next run in that transaction instead, computed
 * from the time the run ended, so runs missed while the object was away are skipped. A
 * cancel means "will not run": it is refused (`false`) once a one-off action has started;
 * a cron schedule can always be stopped.
 *
 * Time comes from a {@link ScheduleClock}: real time, or a test's clock, under which the
 * alarm runs nothing and only {@link Scheduler.advanceTime} does.
 */
export class Scheduler {
  readonly #host: SchedulerHost;
  /** Schedules whose action is running now, and whether each is a cron schedule. */
  readonly #running = new Map<string, boolean>();
  /** Read from storage on first use: most objects never schedule anything. */
  #clock: ScheduleClock | undefined;

  constructor(host: SchedulerHost) {
    this.#host = host;
  }

  /** Now on the schedules' clock: what `c.schedule.after` and `cron` count from. */
  now(): number {
    return this.#currentClock().now();
  }

  /** Run the schedules due now, at most one batch; the alarm is synced for what is left. */
  async runDue(): Promise<void> {
    // Real time reached a schedule the test's clock has not: the test runs it, not the
    // alarm. Re-arming here would only wake the object again at once, for nothing.
    if (this.#currentClock() instanceof TestClock) return;
    const { storage } = this.#host;
    for (const schedule of dueSchedules(storage, this.now(), SCHEDULE_BATCH)) await this.#run(schedule);
    await syncAlarm(storage);
  }

  /** `c.schedule.cancel(id)` for `generation`: whether the schedule will now never run. */
  cancel(generation: number, id: string): boolean {
    if (this.#running.get(id) === false) return false;
    const cancelled = deleteSchedule(this.#host.storage, id, generation);
    if (cancelled) syncAlarm(this.#host.storage).catch((error: unknown) => this.#host.log.error("could not set the alarm", { error: String(error) }));
    return cancelled;
  }

  /** Put this object's schedules on a test's clock, for good: from then on only {@link advanceTime} runs them. */
  holdClock(): TestClock {
    const clock = this.#currentClock();
    if (clock instanceof TestClock) return clock;
    return (this.#clock = TestClock.take(this.#host.storage));
  }

  /**
   * Move the test's clock `ms` forward and run every schedule due by then, in order, each
   * with the clock at its own time — cron runs, and schedules the runs make, included.
   * Resolves with the runs that started, in order.
   */
  async advanceTime(ms: number): Promise<ScheduleRun[]> {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`advanceTime needs a non-negative number of milliseconds, not ${ms}.`);
    const clock = this.holdClock();
    const until = clock.now() + ms;
    const { storage } = this.#host;
    const runs: ScheduleRun[] = [];
    // An object where no actor was ever stored has no schedules (nor their table).
    if (hasSchema(storage)) {
      migrate(storage);
      let atOneTime = 0;
      for (let [next] = dueSchedules(storage, until, 1); next; [next] = dueSchedules(storage, until, 1)) {
        if (next.runAt > clock.now()) {
          clock.moveTo(next.runAt);
          atOneTime = 0;
        }
        if (++atOneTime > MAX_RUNS_AT_ONE_TIME) {
          throw new Error(`More than ${MAX_RUNS_AT_ONE_TIME} scheduled actions ran at one time in advanceTime(); "${next.action}" keeps scheduling itself at once.`);
        }
        const run = await this.#run(next);
        if (run) runs.push(run);
      }
      await syncAlarm(storage);
    }
    clock.moveTo(until);
    return runs;
  }

  #currentClock(): ScheduleClock {
    return (this.#clock ??= TestClock.stored(this.#host.storage) ?? realClock);
  }

  /** Run one schedule: what ran, or `undefined` when it never started (cancelled, refused). */
  async #run(schedule: DueSchedule): Promise<ScheduleRun | undefined> {
    const { storage } = this.#host;
    const { id, cron } = schedule;
    const ran: ScheduleRun = { id, action: schedule.action, args: schedule.args, at: this.now(), ...(cron === undefined ? {} : { cron }) };
    let claimed = false;
    const outcome = await this.#host
      .invoke(schedule.generation, schedule.action, schedule.args, {
        via: "schedule",
        claim: () => {
          // An earlier action of this batch may have cancelled it.
          if (!scheduleExists(storage, id)) return false;
          claimed = true;
          this.#running.set(id, cron !== undefined);
          return true;
        },
        afterSave: () => (cron === undefined ? deleteSchedule(storage, id) : rescheduleSchedule(storage, id, this.#nextRun(cron))),
      })
      .then(
        () => undefined,
        (error: unknown) => error,
      )
      .finally(() => this.#running.delete(id));
    if (outcome === undefined) return claimed ? ran : undefined;
    // Refused before it started (a destroyed generation's leftovers, an action that no
    // longer exists) or failed: a one-off must not run again; a cron schedule that started
    // goes on to its next run.
    if (claimed && cron !== undefined) rescheduleSchedule(storage, id, this.#nextRun(cron));
    else deleteSchedule(storage, id);
    const shown = toActorError(outcome, { schedule: schedule.id, action: schedule.action }, { log: (message, fields) => this.#host.log.error(message, fields) });
    if (shown.group !== "actor") this.#host.log.warn("a scheduled action failed", { schedule: schedule.id, action: schedule.action, error: shown.toJSON() });
    return claimed ? { ...ran, error: shown.toJSON() } : undefined;
  }

  /** A cron schedule's next run after one that ends now. */
  #nextRun(cron: string): number {
    return parseCron(cron).next(this.now());
  }
}

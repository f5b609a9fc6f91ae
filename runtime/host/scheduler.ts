import { parseCron } from "../cron.ts";
import { toActorError } from "../errors.ts";
import type { ActorLogger } from "../actor-types.ts";
import { syncAlarm } from "../storage/alarm.ts";
import { deleteSchedule, dueSchedules, rescheduleSchedule, scheduleExists } from "../storage/schedules.ts";
import type { ActionOptions } from "./actions.ts";

/** Scheduled actions one alarm runs at most; the alarm fires again at once for the rest. */
export const SCHEDULE_BATCH = 100;

/** One due schedule, with the generation that made it. */
interface DueSchedule {
  id: string;
  generation: number;
  action: string;
  args: unknown[];
  cron?: string;
}

/** A cron schedule's next run after one that ends now. */
function nextRun(cron: string): number {
  return parseCron(cron).next(Date.now());
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
 */
export class Scheduler {
  readonly #host: SchedulerHost;
  /** Schedules whose action is running now, and whether each is a cron schedule. */
  readonly #running = new Map<string, boolean>();

  constructor(host: SchedulerHost) {
    this.#host = host;
  }

  /** Run the schedules due now, at most one batch; the alarm is synced for what is left. */
  async runDue(): Promise<void> {
    const { storage } = this.#host;
    for (const schedule of dueSchedules(storage, Date.now(), SCHEDULE_BATCH)) await this.#run(schedule);
    await syncAlarm(storage);
  }

  /** `c.schedule.cancel(id)` for `generation`: whether the schedule will now never run. */
  cancel(generation: number, id: string): boolean {
    if (this.#running.get(id) === false) return false;
    const cancelled = deleteSchedule(this.#host.storage, id, generation);
    if (cancelled) syncAlarm(this.#host.storage).catch((error: unknown) => this.#host.log.error("could not set the alarm", { error: String(error) }));
    return cancelled;
  }

  async #run(schedule: DueSchedule): Promise<void> {
    const { storage } = this.#host;
    const { id, cron } = schedule;
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
        afterSave: () => (cron === undefined ? deleteSchedule(storage, id) : rescheduleSchedule(storage, id, nextRun(cron))),
      })
      .then(
        () => undefined,
        (error: unknown) => error,
      )
      .finally(() => this.#running.delete(id));
    if (outcome === undefined) return;
    // Refused before it started (a destroyed generation's leftovers, an action that no
    // longer exists) or failed: a one-off must not run again; a cron schedule that started
    // goes on to its next run.
    if (claimed && cron !== undefined) rescheduleSchedule(storage, id, nextRun(cron));
    else deleteSchedule(storage, id);
    const shown = toActorError(outcome, { schedule: schedule.id, action: schedule.action }, { log: (message, fields) => this.#host.log.error(message, fields) });
    if (shown.group !== "actor") this.#host.log.warn("a scheduled action failed", { schedule: schedule.id, action: schedule.action, error: shown.toJSON() });
  }
}

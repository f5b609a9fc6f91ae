import { toActorError } from "../errors.ts";
import type { ActorLogger } from "../actor-types.ts";
import { syncAlarm } from "../storage/alarm.ts";
import { deleteSchedule, dueSchedules, scheduleExists } from "../storage/schedules.ts";
import type { ActionOptions } from "./actions.ts";

/** Scheduled actions one alarm runs at most; the alarm fires again at once for the rest. */
export const SCHEDULE_BATCH = 100;

/** One due schedule, with the generation that made it. */
interface DueSchedule {
  id: string;
  generation: number;
  action: string;
  args: unknown[];
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
 * A cancel means "will not run": it is refused (`false`) once the action has started.
 */
export class Scheduler {
  readonly #host: SchedulerHost;
  /** Schedules whose action is running now. */
  readonly #running = new Set<string>();

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
    if (this.#running.has(id)) return false;
    const cancelled = deleteSchedule(this.#host.storage, id, generation);
    if (cancelled) syncAlarm(this.#host.storage).catch((error: unknown) => this.#host.log.error("could not set the alarm", { error: String(error) }));
    return cancelled;
  }

  async #run(schedule: DueSchedule): Promise<void> {
    const { storage } = this.#host;
    const outcome = await this.#host
      .invoke(schedule.generation, schedule.action, schedule.args, {
        claim: () => {
          // An earlier action of this batch may have cancelled it.
          if (!scheduleExists(storage, schedule.id)) return false;
          this.#running.add(schedule.id);
          return true;
        },
        afterSave: () => deleteSchedule(storage, schedule.id),
      })
      .then(
        () => undefined,
        (error: unknown) => error,
      )
      .finally(() => this.#running.delete(schedule.id));
    if (outcome === undefined) return;
    // Refused (a destroyed generation's leftovers) or failed: it must not run again.
    deleteSchedule(storage, schedule.id);
    const shown = toActorError(outcome, { schedule: schedule.id, action: schedule.action }, (message, fields) => this.#host.log.error(message, fields));
    if (shown.group !== "actor") this.#host.log.warn("a scheduled action failed", { schedule: schedule.id, action: schedule.action, error: shown.toJSON() });
  }
}

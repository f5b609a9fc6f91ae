// What the object's alarm does, in order: the directory's pending update goes out beside the
// actor's own due work, the lifecycle admits ALARM (resuming a creation or destroy a crash
// interrupted), then dropped connections whose grace ran out end, a workflow's due timers
// fire and one batch of due schedules runs.
import type { Lifecycle } from "../../machines/lifecycle/lifecycle.ts";
import { ActorError } from "../errors.ts";
import { hasSchema, migrate } from "../storage/schema.ts";

/** What the alarm needs from the object's host. */
export interface AlarmPort {
  storage: DurableObjectStorage;
  deliverDirectory(): Promise<void>;
  /** Admit `ALARM` with the lifecycle; throws its refusal. */
  admit(): Promise<void> | undefined;
  lifecycle: Lifecycle;
  isWorkflow(): boolean;
  fireWorkflowTimers(generation: number): Promise<void>;
  runDueSchedules(): Promise<void>;
  /** Connections whose socket dropped and whose grace ran out end. */
  endDroppedConnections(): Promise<void>;
}

/** One alarm invocation. */
export async function runAlarm(port: AlarmPort): Promise<void> {
  // Directory updates go out alongside (even for a destroyed actor), never ahead of the
  // actor's own due work: a slow shard must not make a workflow's timer late.
  const delivered = hasSchema(port.storage) ? (migrate(port.storage), port.deliverDirectory()) : undefined;
  try {
    await dueWork(port);
  } finally {
    await delivered;
  }
}

async function dueWork(port: AlarmPort): Promise<void> {
  try {
    await port.admit();
  } catch (error) {
    // A destroyed, absent or older-generation actor ignores its alarm; one being destroyed
    // finishes that first. Throwing would only make the platform retry. Anything else (a
    // failed load) is worth the retry.
    if (error instanceof ActorError && error.group === "actor") return port.lifecycle.settled();
    throw error;
  }
  // The alarm may have restarted lifecycle work (a stalled destroy): it finishes first.
  if (port.lifecycle.lifecycle !== "running") return port.lifecycle.settled();
  await port.endDroppedConnections();
  if (port.isWorkflow()) await port.fireWorkflowTimers(port.lifecycle.context.generation ?? 0);
  await port.runDueSchedules();
}

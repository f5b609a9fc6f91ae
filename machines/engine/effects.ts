import type { EventObject } from "xstate";

/**
 * What one step of a machine asks its host to carry out once the step is stored. Effects
 * are plain data, so a host can write them down before acting on them.
 */
export type Effect =
  /** Start a piece of work (an invoked or spawned actor); its outcome comes back as `xstate.done.actor.<id>` or `xstate.error.actor.<id>`. */
  | { type: "invoke"; id: string; src: string; input: unknown }
  /** The work `id` is no longer wanted: its outcome, when it comes, must not be fed back. */
  | { type: "stop"; id: string }
  /** An event the machine emits to its host (`emit(...)` in the machine). */
  | { type: "emit"; event: EventObject }
  /** Any other action the machine names: its meaning is the host's. */
  | { type: "action"; name: string; params: unknown };

/** One of XState's executable actions, as `transition()` hands them out. */
export interface ExecutableAction {
  type: string;
  params?: unknown;
}

/**
 * Turn XState's executable actions into effects. Built-in actions that only change the
 * snapshot (`assign`, undelayed `raise`) never reach here: `transition()` has already
 * applied them.
 */
export function effectsOf(actions: readonly ExecutableAction[]): Effect[] {
  return actions.map((action): Effect => {
    const params = action.params as Record<string, unknown> | undefined;
    switch (action.type) {
      case "xstate.spawnChild":
        return { type: "invoke", id: String(params?.id), src: String(params?.src), input: params?.input };
      case "xstate.stopChild": {
        // Its params are the child's (never started) actor ref, or its id.
        const child = action.params as { id?: string } | string | undefined;
        return { type: "stop", id: typeof child === "string" ? child : String(child?.id) };
      }
      case "xstate.emit":
        return { type: "emit", event: params?.event as EventObject };
      default:
        return { type: "action", name: action.type, params: action.params };
    }
  });
}

import { getNextTransitions, type AnyMachineSnapshot, type EventObject } from "xstate";
import { guardLabel } from "./state-tree.ts";

/**
 * Why a machine did not take an event: no transition of its current states is for that
 * event (`not_handled`), or some are and every guard refused (`guards_refused`, with the
 * guards' names).
 */
export type EventRefusal = { reason: "not_handled" } | { reason: "guards_refused"; guards: string[] };

/** XState's event descriptor rule: the exact type, `*`, or a prefix wildcard such as `mouse.*`. */
function matches(type: string, descriptor: string): boolean {
  if (descriptor === type || descriptor === "*") return true;
  if (!descriptor.endsWith(".*")) return false;
  const prefix = descriptor.slice(0, -2);
  return type === prefix || type.startsWith(`${prefix}.`);
}

/**
 * Why `snapshot` does not accept `event` (call it once `snapshot.can(event)` said no): a
 * caller who is told "not accepted" needs to know whether to send something else or to
 * satisfy a guard.
 */
export function whyRefused(snapshot: AnyMachineSnapshot, event: EventObject): EventRefusal {
  // A transition without a guard that still was not taken does nothing (`on: { X: {} }`):
  // the state ignores the event, as if it had no transition for it.
  const guarded = getNextTransitions(snapshot).filter((transition) => transition.guard !== undefined && matches(event.type, transition.eventType));
  if (!guarded.length) return { reason: "not_handled" };
  return { reason: "guards_refused", guards: [...new Set(guarded.map((transition) => guardLabel(transition.guard) ?? "guard"))] };
}

import { getNextTransitions, type AnyMachineSnapshot, type EventObject } from "xstate";

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

/** How far an inline guard's source is shown. */
const INLINE_SOURCE_LENGTH = 40;

/**
 * A guard as a person reads it: its name (`isReviewer`), a combinator with its parts
 * (`and(isReviewer, not(isOwner))`), or for an inline function its name, else its body cut
 * short (`context.amount > 100`).
 */
export function guardLabel(guard: unknown): string {
  if (typeof guard === "string") return guard;
  if (typeof guard === "object" && guard !== null && typeof (guard as { type?: unknown }).type === "string") return (guard as { type: string }).type;
  if (typeof guard !== "function") return "guard";
  const combined = guard as { name: string; check?: unknown; guards?: unknown[]; stateValue?: unknown };
  if (typeof combined.check === "function") {
    if (Array.isArray(combined.guards)) return `${combined.name}(${combined.guards.map(guardLabel).join(", ")})`;
    if (combined.stateValue !== undefined) return `stateIn(${JSON.stringify(combined.stateValue)})`;
  }
  // XState names inline guards nothing useful; an arrow function given in place is "guard".
  if (combined.name && combined.name !== "guard") return combined.name;
  const body = Function.prototype.toString.call(guard).replace(/^[^=]*=>\s*/, "").replace(/^\{\s*return\s+/, "").replace(/;?\s*\}?\s*$/, "").replace(/\s+/g, " ");
  return body.length > INLINE_SOURCE_LENGTH ? `${body.slice(0, INLINE_SOURCE_LENGTH - 1)}…` : body || "inline guard";
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
  return { reason: "guards_refused", guards: [...new Set(guarded.map((transition) => guardLabel(transition.guard)))] };
}

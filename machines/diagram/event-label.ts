/**
 * An event's type as a person reads it: the events XState makes up for invoked work and
 * delays get the names they have on the diagram (`create done`, `create failed`,
 * `after 500 ms`); every other type is the machine's own name for it and stays as it is.
 * `""` is an eventless (`always`) transition. Pure, so the inspector's Worker code can
 * use it without the layout engine.
 *
 * @example
 * ```ts
 * eventLabel("xstate.done.actor.create"); // "create done"
 * eventLabel("xstate.error.actor.load"); // "load failed"
 * eventLabel("xstate.after.500.checkout.paying"); // "after 500 ms"
 * eventLabel("DESTROY"); // "DESTROY"
 * ```
 */
export function eventLabel(eventType: string): string {
  const work = /^xstate\.(done|error)\.actor\.(.+)$/.exec(eventType);
  if (work) return `${work[2]} ${work[1] === "done" ? "done" : "failed"}`;
  // xstate.after.<delay>.<state node id>: a number of milliseconds or a named delay.
  const delay = /^xstate\.after\.([^.]+)\./.exec(eventType);
  if (delay) return /^\d+$/.test(delay[1] ?? "") ? `after ${delay[1]} ms` : `after ${delay[1]}`;
  return eventType === "" ? "always" : eventType;
}

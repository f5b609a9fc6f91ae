import { useEffect, useRef } from "react";
import type { ActorConnection, AnyActorDefinition, EventArgsOf, EventNameOf, EventsOf } from "../types/actor.ts";

/**
 * Listen for an actor's event while the component is mounted: `connection.on(event, …)` on
 * mount (or when `connection` or `event` change), unsubscribed on cleanup. The newest
 * `listener` is the one called, so an inline function does not resubscribe on every render.
 * The name and the listener's arguments are typed from the actor's declared `events`.
 *
 * `connection` may be `undefined` (as {@link useActor} returns it before its first effect):
 * nothing is subscribed until it is there.
 *
 * @example
 * ```tsx
 * const { connection } = useActor(handle);
 * const [count, setCount] = useState(0);
 * useEvent(connection, "changed", (next) => setCount(next)); // next: number
 * ```
 */
export function useEvent<D extends AnyActorDefinition, K extends EventNameOf<EventsOf<D>>>(
  connection: ActorConnection<D> | undefined,
  event: K,
  listener: (...args: EventArgsOf<EventsOf<D>, K>) => void,
): void {
  const latest = useRef(listener);
  // Declared before the subscription, so it runs first: the subscription always calls the
  // listener of the last committed render.
  useEffect(() => {
    latest.current = listener;
  });
  useEffect(() => {
    if (!connection) return;
    return connection.on(event, (...args: EventArgsOf<EventsOf<D>, K>) => latest.current(...args));
  }, [connection, event]);
}

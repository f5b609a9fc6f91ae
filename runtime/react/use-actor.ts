import { useEffect, useMemo, useRef, useState } from "react";
import type { ActionArgs, ActionReturn, ActionsOf, ActorConnection, ActorHandle, AnyActorDefinition, ConnStatus, ParamsOf } from "../types/actor.ts";
import { ActorError } from "../errors.ts";

/**
 * Where a {@link useActor} connection is: waiting for the actor to accept it (`onBeforeConnect`
 * runs first), accepted, or in error (see `error`). A dropped socket is reconnected by the
 * client without leaving `"open"`.
 */
export type ActorStatus = "connecting" | "open" | "error";

/** An actor's actions as methods that call it over the component's connection. */
export type ActorActions<D extends AnyActorDefinition> = {
  [K in keyof ActionsOf<D> & string]: (...args: ActionArgs<ActionsOf<D>[K]>) => Promise<ActionReturn<ActionsOf<D>[K]>>;
};

/** What {@link useActor} returns on every render. */
export interface UseActorResult<D extends AnyActorDefinition> {
  status: ActorStatus;
  /**
   * The connection's own status (RivetKit's `connStatus`): `idle` before it starts,
   * `connecting`, `connected`, or `disconnected` — while a dropped socket waits to reconnect,
   * and once it ended. Re-renders on every change.
   */
  connStatus: ConnStatus;
  /**
   * What the actor reported on the connection (`status: "error"`): why it ended (refused by
   * `onBeforeConnect`, destroyed, unreachable) or, rarely, a request it refused while
   * staying open (a subscription over the limit).
   */
  error: ActorError | undefined;
  /**
   * The actor's actions, over the connection. The object is the same on every render for
   * one handle, so it can go in dependency lists. Calls made while connecting wait for the
   * actor to accept; calls made before the first connection or after unmount reject with
   * `request/invalid`.
   */
  actions: ActorActions<D>;
  /** The live connection, for {@link useEvent}; `undefined` before the first effect ran. */
  connection: ActorConnection<D> | undefined;
}

interface ConnectionState<D extends AnyActorDefinition> {
  connection: ActorConnection<D> | undefined;
  status: ActorStatus;
  connStatus: ConnStatus;
  error: ActorError | undefined;
}

/**
 * Keep a connection to an actor open while the component is mounted: `handle.connect(params)`
 * when it mounts (or when `handle` or `params` change), `dispose()` when it unmounts. Typed
 * from the registry: `actions` has the actor's actions, `connection.on` its declared events.
 *
 * `handle` is compared by identity, and `client.counter.getOrCreate(key)` makes a new handle
 * on every call: make it outside the component, or with `useMemo`, or every render would
 * reconnect. `params` are compared by value (their JSON).
 *
 * @example
 * ```tsx
 * import { useMemo, useState } from "react";
 * import { createClient } from "actorstate/client";
 * import { useActor, useEvent } from "actorstate/react";
 * import type { registry } from "./actors";
 *
 * const client = createClient<typeof registry>("https://counter.example.workers.dev");
 *
 * function Counter({ id }: { id: string }) {
 *   const handle = useMemo(() => client.counter.getOrCreate(id), [id]);
 *   const { status, error, actions, connection } = useActor(handle);
 *   const [count, setCount] = useState<number>();
 *   useEvent(connection, "changed", setCount); // count: number, from `events`
 *   if (status === "error") return <p>{error?.message}</p>;
 *   return <button disabled={status !== "open"} onClick={() => actions.increment(1)}>{count ?? "?"}</button>;
 * }
 * ```
 */
export function useActor<D extends AnyActorDefinition>(handle: ActorHandle<D> | undefined, params?: ParamsOf<D>): UseActorResult<D> {
  const [state, setState] = useState<ConnectionState<D>>({ connection: undefined, status: "connecting", connStatus: "idle", error: undefined });
  const current = useRef<ActorConnection<D> | undefined>(undefined);
  const paramsKey = params === undefined ? undefined : JSON.stringify(params);
  // The params of the render that changed paramsKey: the effect must not depend on the object itself.
  const latestParams = useRef(params);
  latestParams.current = params;

  useEffect(() => {
    if (!handle) {
      setState({ connection: undefined, status: "connecting", connStatus: "idle", error: undefined });
      return;
    }
    const connection = latestParams.current === undefined ? handle.connect() : handle.connect(latestParams.current);
    let live = true;
    current.current = connection;
    setState({ connection, status: "connecting", connStatus: connection.connStatus, error: undefined });
    const offStatus = connection.onStatusChange((connStatus) => {
      if (live) setState((previous) => (previous.connection === connection ? { ...previous, connStatus } : previous));
    });
    // Errors that end the connection (refused, destroyed, unreachable) come here, as do the
    // rare ones it survives (a refused subscription): both are shown, neither retried.
    const offError = connection.onError((error) => {
      if (live) setState((previous) => (previous.connection === connection ? { ...previous, status: "error", error } : previous));
    });
    connection.ready().then(
      () => {
        if (live) setState((previous) => (previous.connection === connection && previous.status === "connecting" ? { ...previous, status: "open" } : previous));
      },
      // A connection that never opens reports why through onError too.
      () => undefined,
    );
    return () => {
      live = false;
      offError();
      offStatus();
      if (current.current === connection) current.current = undefined;
      void connection.dispose();
    };
  }, [handle, paramsKey]);

  const actions = useMemo(() => actionsOver(() => current.current), [handle]);
  return { status: state.status, connStatus: state.connStatus, error: state.error, actions, connection: state.connection };
}

/** Actions that call whichever connection is current when they are called. */
function actionsOver<D extends AnyActorDefinition>(connection: () => ActorConnection<D> | undefined): ActorActions<D> {
  return new Proxy({} as ActorActions<D>, {
    get(_, property) {
      // Not a thenable, and no symbol-named actions (React dev tools probe objects).
      if (typeof property !== "string" || property === "then") return undefined;
      return (...args: unknown[]) => {
        const open = connection() as Record<string, (...args: unknown[]) => Promise<unknown>> | undefined;
        if (!open) return Promise.reject(new ActorError("request/invalid", `No open connection to call "${property}" on: the component is not mounted.`));
        return open[property]!(...args);
      };
    },
  });
}

// actorstate/inspector: the inspector's page, statechart and data routes at /__actorstate/.
// Opt-in: a Worker that does not pass it to createHandler does not carry them.
import { inspectorRoutes } from "./routes.ts";
import type { Inspector } from "./types.ts";

export type { ActionCall, Inspector, InspectorConnection, InspectorContext, InspectorKvEntry, InspectorKvPage, InspectorRoutes, InspectorSnapshot } from "./types.ts";

/**
 * The inspector, served by the Worker at `/__actorstate/`: every actor, each one's
 * statechart, transition log, action calls, state, KV, connections and schedules, and
 * controls. Who may read its data is decided by the Worker's variables (an inspector token,
 * or `ACTORSTATE_INSPECTOR=open` for local development), never by the request.
 *
 * @example
 * ```ts
 * import { createHandler } from "actorstate";
 * import { inspector } from "actorstate/inspector";
 *
 * const { handler, ActorObject } = createHandler(registry, { inspector });
 * ```
 */
export const inspector: Inspector = inspectorRoutes;

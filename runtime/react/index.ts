// actorstate/react: hooks over actorstate/client for React 18 and 19 (an optional peer
// dependency). Nothing else in the package imports this module, so React reaches only
// the bundles that import it.
export { useActor, type ActorActions, type ActorStatus, type UseActorResult } from "./use-actor.ts";
export { useEvent } from "./use-event.ts";
export { useWorkflowSnapshot } from "./use-workflow-snapshot.ts";

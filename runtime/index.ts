// actorstate: define actors and serve them from a Worker.
export {
  actor,
  setup,
  type ActionEntry,
  type ActionFunction,
  type ActorConfig,
  type ActorDefinition,
  type ActorOptions,
  type AnyActorDefinition,
  type Registry,
  type StandardSchemaV1,
  type ValidatedAction,
} from "./definition.ts";
export { createHandler, type ActorHandler, type ActorObjectClass, type HandlerOptions } from "./handler.ts";
export { ActorError, UserError, type ActorErrorShape, type ErrorCode } from "./errors.ts";
export type { ActorKeyInput } from "./identity.ts";
export type {
  ActorContext,
  ActorIdentity,
  ActorKv,
  ActorLogger,
  ActorSchedule,
  Connection,
  CreateContext,
  KvKey,
  KvListOptions,
  ScheduledAction,
} from "./context.ts";
export type { ActorInspection } from "./requests.ts";
export type { DirectoryEntry, ListOptions, ListPage } from "./directory/entry.ts";

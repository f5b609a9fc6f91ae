// actorstate: define actors and serve them from a Worker.
export {
  actor,
  setup,
  type ActionEntry,
  type ActionFunction,
  type ActorConfig,
  type ActorContext,
  type ActorDefinition,
  type ActorIdentity,
  type ActorLogger,
  type ActorOptions,
  type AnyActorDefinition,
  type CreateContext,
  type Registry,
  type StandardSchemaV1,
  type ValidatedAction,
} from "./definition.ts";
export { createHandler, type ActorHandler, type ActorObjectClass, type HandlerOptions } from "./handler.ts";
export { ActorError, UserError, type ActorErrorShape, type ErrorCode } from "./errors.ts";
export type { ActorKeyInput } from "./identity.ts";
export type { ActorKv, KvKey, KvListOptions } from "./storage/kv.ts";
export type { ActorInspection } from "./requests.ts";

// actorstate: define actors and serve them from a Worker.
export { actor, event, setup } from "./actor.ts";
export { workflow, type WorkflowActions, type WorkflowConfig, type WorkflowDefinition, type WorkflowView } from "./workflow/workflow.ts";
export type { InterruptedPolicy, WorkflowState } from "./types/workflow.ts";
export { durablePromise, type DurablePromiseArgs } from "./workflow/durable-promise.ts";
export type { SnapshotView, WorkflowStatus } from "../machines/workflow/types.ts";
export { createHandler, type ActorHandler, type ActorObjectClass, type ActorObjectInstance, type HandlerOptions } from "./handler.ts";
export type { Authorize, AuthorizeOp, AuthorizeTarget } from "./auth/authorize.ts";
export type { CorsOptions } from "./auth/cors.ts";
export { ActorError, UserError, type ActorErrorShape, type ErrorCode } from "./errors.ts";
export type { ActorKeyInput } from "./identity.ts";
export type {
  ActionArgsMap,
  ActionEntry,
  ActionFunction,
  ActorConfig,
  ActorDefinition,
  ActorTypes,
  AnyActorTypes,
  DefaultActorTypes,
  EventArgs,
  EventDeclaration,
  EventDeclarations,
  EventPayload,
  ActorOptions,
  AnyActorDefinition,
  Registry,
  StandardSchemaV1,
  ValidatedAction,
  ActorContext,
  ActorEnv,
  ActorIdentity,
  BeforeConnectDetails,
  ConnStateDetails,
  Caller,
  ActorKv,
  ActorLogger,
  ActorSchedule,
  Connection,
  CreateContext,
  KvKey,
  KvListOptions,
  ActorSql,
  SqlCursor,
  SqlValue,
  ActorWebSocket,
  ActorWebSocketEvents,
  WebSocketDetails,
  ConnStatus,
  ScheduleArgs,
  ScheduledAction,
} from "./types/actor.ts";
export type { ActorInspection } from "./protocol/requests.ts";
export type { DirectoryEntry, ListOptions, ListPage } from "./types/directory.ts";

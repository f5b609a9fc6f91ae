import type { RefusalReason } from "../machines/lifecycle/types.ts";

/** Every error group/code a caller can see, as listed in the contract. */
export type ErrorCode =
  | "actor/not_found"
  | "actor/already_exists"
  | "actor/destroying"
  | "actor/invalid_id"
  | "actor/invalid_key"
  | "actor/unknown_name"
  | "action/not_found"
  | "action/timed_out"
  | "action/invalid_args"
  | "request/invalid"
  | "request/too_large"
  | "auth/forbidden"
  | "machine/event_not_accepted"
  | "machine/invalid_event"
  | "machine/finished"
  | "machine/version_mismatch"
  | "machine/wait_timed_out"
  | "internal/error"
  | `user/${string}`;

/** The shape an error has on every transport (RPC, HTTP, WebSocket), JSON- and CBOR-safe. */
export interface ActorErrorShape {
  group: string;
  code: string;
  message: string;
  metadata?: unknown;
}

/**
 * The one error type callers see. It carries a `group` and `code` from the contract's table
 * (or `user/<code>` for a {@link UserError}), a message that says what to do, and optional
 * metadata. Stack traces never travel with it.
 *
 * @example
 * ```ts
 * try {
 *   await client.counter.get("missing").get();
 * } catch (error) {
 *   if (error instanceof ActorError && error.is("actor/not_found")) console.log("no such counter");
 * }
 * ```
 */
export class ActorError extends Error {
  override readonly name = "ActorError";
  readonly group: string;
  readonly code: string;
  readonly metadata: unknown;

  constructor(code: ErrorCode, message: string, options: { metadata?: unknown; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    const slash = code.indexOf("/");
    this.group = code.slice(0, slash);
    this.code = code.slice(slash + 1);
    this.metadata = options.metadata;
  }

  /** `group/code`, e.g. `actor/not_found`. */
  get fullCode(): ErrorCode {
    return `${this.group}/${this.code}` as ErrorCode;
  }

  /** Whether this error has the given `group/code`. */
  is(code: ErrorCode): boolean {
    return this.fullCode === code;
  }

  /** The wire shape: no stack, no cause. */
  toJSON(): ActorErrorShape {
    return {
      group: this.group,
      code: this.code,
      message: this.message,
      ...(this.metadata === undefined ? {} : { metadata: this.metadata }),
    };
  }

  /** Rebuild an error received from a transport. */
  static fromShape(shape: ActorErrorShape): ActorError {
    return new ActorError(`${shape.group}/${shape.code}` as ErrorCode, shape.message, { metadata: shape.metadata });
  }
}

/**
 * Throw from an action or hook to give the caller a meaningful error: it arrives as
 * `user/<code>` with your message and metadata intact.
 *
 * @example
 * ```ts
 * throw new UserError("Not enough credit", { code: "insufficient_credit", metadata: { needed: 5 } });
 * ```
 */
export class UserError extends Error {
  override readonly name = "UserError";
  readonly code: string;
  readonly metadata: unknown;

  constructor(message: string, options: { code?: string; metadata?: unknown } = {}) {
    super(message);
    this.code = options.code ?? "error";
    this.metadata = options.metadata;
  }
}

/** One validation issue as errors carry them (`metadata.issues`): what is wrong, and where. */
export interface IssueShape {
  message: string;
  /** Dotted path into the value; absent for the value itself. */
  path?: string;
}

/**
 * Validation issues from any Standard Schema (zod's included) in the shape callers see:
 * the one place issues are turned into error metadata.
 */
export function describeIssues(issues: ReadonlyArray<{ message: string; path?: ReadonlyArray<PropertyKey | { key: PropertyKey }> | undefined }>): IssueShape[] {
  return issues.map((issue) => ({
    message: issue.message,
    ...(issue.path?.length ? { path: issue.path.map((segment) => String(typeof segment === "object" ? segment.key : segment)).join(".") } : {}),
  }));
}

/** Where an unexpected error is logged: with its stack, never shown to the caller. */
export type ErrorLogger = (message: string, fields: Record<string, unknown>) => void;

const consoleErrorLogger: ErrorLogger = (message, fields) => console.error(JSON.stringify({ level: "error", message, ...fields }));

/** Anything thrown, as log fields: name, message and stack for errors. */
export function describeError(error: unknown): unknown {
  return error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : String(error);
}

/**
 * Turn anything thrown into the error a caller may see. `ActorError`s pass through,
 * `UserError`s become `user/<code>`, and everything else becomes `internal/error` with a
 * message that hides the details — which go to the log, stack included.
 */
export function toActorError(error: unknown, context: Record<string, unknown> = {}, log: ErrorLogger = consoleErrorLogger): ActorError {
  if (error instanceof ActorError) return error;
  if (error instanceof UserError) {
    return new ActorError(`user/${error.code}`, error.message, { metadata: error.metadata });
  }
  const id = crypto.randomUUID();
  log("unexpected error", {
    errorId: id,
    error: describeError(error),
    ...context,
  });
  return new ActorError("internal/error", `Internal error (id ${id}); the actor's log has the details.`, {
    metadata: { errorId: id },
  });
}

/** The caller-facing error for a lifecycle refusal, or `undefined` when the host should wait and retry. */
export function errorForRefusal(reason: RefusalReason, target: string): ActorError | undefined {
  switch (reason) {
    case "not_loaded":
    case "not_ready":
      return undefined;
    case "not_found":
      return new ActorError("actor/not_found", `No live actor ${target}.`);
    case "stale_generation":
      return new ActorError("actor/not_found", `Actor ${target} no longer exists: that generation was destroyed.`);
    case "already_exists":
      return new ActorError("actor/already_exists", `Actor ${target} already exists; use getOrCreate() to reuse it.`);
    case "destroying":
      return new ActorError("actor/destroying", `Actor ${target} is being destroyed and takes no new work.`);
    case "no_action_in_flight":
    case "unexpected":
      return toActorError(new Error(`lifecycle refused an event with ${reason}`), { target });
  }
}

import type { RefusalReason } from "../machines/lifecycle/types.ts";
import { LOCAL_OPT_IN_VAR } from "./local-opt-in.ts";

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
  | "action/state_too_large"
  | "action/message_too_large"
  | "action/reserved_table"
  | "request/invalid"
  | "request/too_large"
  | "auth/forbidden"
  | "machine/event_not_accepted"
  | "machine/invalid_event"
  | "machine/finished"
  | "machine/version_mismatch"
  | "machine/invalid_delay"
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

/** How many characters of a caller's own input an error message repeats. */
export const QUOTED_INPUT_LENGTH = 100;

/**
 * A string the caller sent (an event type, an action name), as an error message quotes it:
 * in double quotes, and cut short past {@link QUOTED_INPUT_LENGTH} characters, so a huge
 * input is never echoed back whole.
 */
export function quoteInput(text: string): string {
  if (text.length <= QUOTED_INPUT_LENGTH) return JSON.stringify(text);
  return `${JSON.stringify(text.slice(0, QUOTED_INPUT_LENGTH)).slice(0, -1)}…" (${text.length} characters)`;
}

/** One validation issue as errors carry them (`metadata.issues`): what is wrong, and where. */
export interface IssueShape {
  /** What was expected and what came, e.g. `expected number, received string`. */
  message: string;
  /** Dotted path into the value; absent for the value itself. */
  path?: string;
}

/** An issue as any Standard Schema reports it, with the fields zod adds where it has them. */
type SchemaIssue = {
  message: string;
  path?: ReadonlyArray<PropertyKey | { key: PropertyKey }> | undefined;
  code?: unknown;
  expected?: unknown;
  origin?: unknown;
  minimum?: unknown;
  maximum?: unknown;
  inclusive?: unknown;
  values?: unknown;
  keys?: unknown;
  format?: unknown;
  divisor?: unknown;
  errors?: unknown;
};

/** What a value is, in the words zod's own messages use: `string`, `array`, `null`… */
function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (value instanceof Date) return "date";
  if (value instanceof Uint8Array) return "bytes";
  if (typeof value === "number" && Number.isNaN(value)) return "NaN";
  return typeof value;
}

const segmentOf = (segment: PropertyKey | { key: PropertyKey }) => (typeof segment === "object" ? segment.key : segment);

/** The part of `input` an issue points at (`undefined` where the path leads nowhere). */
function valueAt(input: unknown, path: ReadonlyArray<PropertyKey | { key: PropertyKey }>): unknown {
  let value = input;
  for (const segment of path) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<PropertyKey, unknown>)[segmentOf(segment)];
  }
  return value;
}

const list = (values: unknown) => (Array.isArray(values) ? values.map((value) => JSON.stringify(value)).join(", ") : "");

/** The bound of a too_small/too_big issue, in words: `at least 3 items`, `more than 0`. */
function bound(issue: SchemaIssue, atLeast: string, moreThan: string): string {
  const limit = String(issue.code === "too_small" ? issue.minimum : issue.maximum);
  const unit = issue.origin === "string" ? " characters" : issue.origin === "array" || issue.origin === "set" ? " items" : "";
  return `${issue.inclusive === false ? moreThan : atLeast} ${limit}${unit}`;
}

/**
 * What a schema wanted, said from the fields zod puts on its issues. zod/mini's messages
 * are all "Invalid input" (it ships no locale), which tells a caller nothing; other
 * libraries, and messages a schema author wrote, are kept as they are.
 */
function explain(issue: SchemaIssue, input: unknown): string {
  if (issue.message && issue.message !== "Invalid input") return issue.message;
  const received = typeOf(valueAt(input, issue.path ?? []));
  switch (issue.code) {
    case "invalid_type":
      return `expected ${String(issue.expected)}, received ${received}`;
    case "too_small":
      return `expected ${bound(issue, "at least", "more than")}`;
    case "too_big":
      return `expected ${bound(issue, "at most", "less than")}`;
    case "invalid_value":
      return `expected one of ${list(issue.values)}`;
    case "unrecognized_keys":
      return `unexpected ${list(issue.keys)}`;
    case "invalid_format":
      return `expected ${String(issue.format)} format`;
    case "not_multiple_of":
      return `expected a multiple of ${String(issue.divisor)}`;
    case "invalid_union": {
      // Each branch's own first complaint, where it was about the type: "expected string or number".
      const branches = Array.isArray(issue.errors) ? (issue.errors as SchemaIssue[][]) : [];
      const expected = branches.map((branch) => branch[0]?.expected).filter((value) => typeof value === "string");
      return expected.length ? `expected ${[...new Set(expected)].join(" or ")}, received ${received}` : "matches none of the allowed shapes";
    }
    default:
      return issue.message || "invalid";
  }
}

/**
 * Validation issues from any Standard Schema (zod's included) in the shape callers see:
 * the one place issues are turned into error metadata. `input` is the value that was
 * checked, so a message can say what was received.
 */
export function describeIssues(issues: ReadonlyArray<SchemaIssue>, input?: unknown): IssueShape[] {
  return issues.map((issue) => ({
    message: explain(issue, input),
    ...(issue.path?.length ? { path: issue.path.map((segment) => String(segmentOf(segment))).join(".") } : {}),
  }));
}

/** How many issues an error's message spells out; `metadata.issues` has them all. */
const ISSUES_IN_MESSAGE = 3;

/**
 * Issues as one line for an error's message, each under its path from `root`:
 * `args[1]: expected int, received string; args[0].name: expected string, received number`.
 */
export function summarizeIssues(issues: readonly IssueShape[], root: string): string {
  const shown = issues.slice(0, ISSUES_IN_MESSAGE).map(({ path, message }) => {
    const where = (path ?? "").split(".").filter(Boolean).map((segment) => (/^\d+$/.test(segment) ? `[${segment}]` : `.${segment}`)).join("");
    return `${root}${where}: ${message}`;
  });
  const more = issues.length - shown.length;
  return `${shown.join("; ")}${more > 0 ? ` (and ${more} more)` : ""}`;
}

/** Where an unexpected error is logged: with its stack, never shown to the caller. */
export type ErrorLogger = (message: string, fields: Record<string, unknown>) => void;

const consoleErrorLogger: ErrorLogger = (message, fields) => console.error(JSON.stringify({ level: "error", message, ...fields }));

/** Anything thrown, as log fields: name, message and stack for errors. */
export function describeError(error: unknown): unknown {
  return error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : String(error);
}

/** The longest real message an `internal/error` carries under the local opt-in. */
const REVEALED_MESSAGE_LENGTH = 1000;

/** How an unexpected error is turned into what the caller sees. */
export interface ToActorErrorOptions {
  /** Where the error, with its stack, is logged. Default: one JSON line on `console.error`. */
  log?: ErrorLogger;
  /**
   * Put the real message (never the stack) into `internal/error`'s message: only under the
   * local opt-in `ACTORSTATE_INSPECTOR=open` (`optedInLocally` in local-opt-in.ts).
   */
  reveal?: boolean;
}

/**
 * Turn anything thrown into the error a caller may see. `ActorError`s pass through,
 * `UserError`s become `user/<code>`, and everything else becomes `internal/error` with a
 * message that hides the details — which go to the log, stack included. Under the local
 * opt-in (`reveal`), the message carries the error's own message too, never its stack.
 */
export function toActorError(error: unknown, context: Record<string, unknown> = {}, options: ToActorErrorOptions = {}): ActorError {
  if (error instanceof ActorError) return error;
  if (error instanceof UserError) {
    return new ActorError(`user/${error.code}`, error.message, { metadata: error.metadata });
  }
  const id = crypto.randomUUID();
  (options.log ?? consoleErrorLogger)("unexpected error", {
    errorId: id,
    error: describeError(error),
    ...context,
  });
  if (options.reveal) {
    const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return new ActorError("internal/error", `${detail.slice(0, REVEALED_MESSAGE_LENGTH)} (internal error ${id}; shown because ${LOCAL_OPT_IN_VAR}=open)`, {
      metadata: { errorId: id },
    });
  }
  return new ActorError("internal/error", `Internal error (id ${id}); the actor's log has the details.`, {
    metadata: { errorId: id },
  });
}

/** Error types that mean the code that threw them has a bug, not a refusal it meant to give. */
const BUG_TYPES = [TypeError, ReferenceError, RangeError, SyntaxError, EvalError, URIError];

/**
 * An auth hook (`onBeforeConnect`, `authorize`) threw: the call is refused with
 * `auth/forbidden`, keeping the message of what the hook meant to throw — a `UserError`,
 * an `ActorError`, any `Error` of yours. A bug in the hook (a `TypeError`, …) refuses too,
 * but its message is handled like an internal error's: logged, and shown only under the
 * local opt-in.
 */
export function toForbidden(error: unknown, refused: string, context: Record<string, unknown> = {}, options: ToActorErrorOptions = {}): ActorError {
  const meant = error instanceof UserError || error instanceof ActorError || (error instanceof Error && !BUG_TYPES.some((type) => error instanceof type));
  if (meant) return new ActorError("auth/forbidden", error.message);
  const internal = toActorError(error, context, options);
  return new ActorError("auth/forbidden", `${refused} ${internal.message}`, { metadata: internal.metadata });
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

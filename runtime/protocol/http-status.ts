import type { ActorError } from "../errors.ts";

const statusByCode: Record<string, number> = {
  "actor/not_found": 404,
  "actor/already_exists": 409,
  "actor/destroying": 409,
  "actor/invalid_id": 400,
  "actor/invalid_key": 400,
  "actor/unknown_name": 404,
  "action/not_found": 404,
  "action/timed_out": 504,
  "action/invalid_args": 400,
  "action/state_too_large": 413,
  "action/message_too_large": 413,
  "action/reserved_table": 500,
  "request/invalid": 400,
  "request/too_large": 413,
  "auth/forbidden": 403,
  "machine/event_not_accepted": 409,
  "machine/invalid_event": 400,
  "machine/finished": 409,
  "machine/version_mismatch": 409,
  "machine/invalid_delay": 400,
  "machine/wait_timed_out": 504,
  "internal/error": 500,
};

/** The HTTP status for an error; `user/*` errors are the caller's business: 400. */
export function httpStatus(error: ActorError): number {
  return statusByCode[error.fullCode] ?? (error.group === "user" ? 400 : 500);
}

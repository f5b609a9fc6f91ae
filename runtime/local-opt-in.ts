// The one switch for local development, read from the Worker's env and never from a
// request: a request's Host header says whatever the client wants.

/**
 * `ACTORSTATE_INSPECTOR=open` opens the inspector without a token and puts real messages
 * into `internal/error`. `npm start` passes it with `wrangler dev --var`; put it in
 * `.dev.vars` for your own project. Neither is deployed: never set it in `wrangler.json`.
 */
export const LOCAL_OPT_IN_VAR = "ACTORSTATE_INSPECTOR";

/** Whether the developer opted in to the local conveniences; anything but `open` is no. */
export function optedInLocally(env: Record<string, unknown>): boolean {
  return env[LOCAL_OPT_IN_VAR] === "open";
}

// The client connection's reconnect machine: when a connection opens a socket, when it
// waits and tries again, when it gives up. Written as data in XState's config shape, so that
// `npm run diagram` draws it and a test runs it through XState itself, while the client
// (in browsers, where every kilobyte counts) steps it without XState.

/** Where a client's connection is. */
export type ReconnectState = "idle" | "connecting" | "connected" | "waiting" | "ended";

/** What happens to it: the client's calls and what its socket does. */
export type ReconnectEvent = "CONNECT" | "WELCOMED" | "DROPPED" | "FAILED" | "RETRY" | "DISPOSE";

/** The work a transition asks of the client, in order. */
export type ReconnectAction = "openSocket" | "markOpen" | "failSentCalls" | "scheduleRetry" | "cancelRetry" | "finish" | "closeSocket";

/** The one question the machine asks the client. */
export type ReconnectGuard = "reachedBefore";

interface Transition {
  readonly target: ReconnectState;
  readonly guard?: ReconnectGuard;
  readonly actions?: readonly ReconnectAction[];
}

type StateNode = { readonly on?: Partial<Record<ReconnectEvent, Transition | readonly Transition[]>>; readonly type?: "final" };

/**
 * The machine. `connStatus` is a state's name, except that `waiting` (a retry is due) and
 * `ended` (disposed, or the actor destroyed, refused or gone) both show as `disconnected`.
 */
export const reconnectMachineConfig = {
  id: "connection",
  initial: "idle",
  states: {
    idle: {
      on: {
        CONNECT: { target: "connecting", actions: ["openSocket"] },
        DISPOSE: { target: "ended", actions: ["closeSocket"] },
      },
    },
    connecting: {
      on: {
        WELCOMED: { target: "connected", actions: ["markOpen"] },
        // A socket that never reached the actor is an answer (a bad key, nothing there); one
        // that did before is worth another try.
        DROPPED: [
          { guard: "reachedBefore", target: "waiting", actions: ["failSentCalls", "scheduleRetry"] },
          { target: "ended", actions: ["finish"] },
        ],
        FAILED: { target: "ended", actions: ["finish"] },
        DISPOSE: { target: "ended", actions: ["closeSocket"] },
      },
    },
    connected: {
      on: {
        DROPPED: { target: "waiting", actions: ["failSentCalls", "scheduleRetry"] },
        FAILED: { target: "ended", actions: ["finish"] },
        DISPOSE: { target: "ended", actions: ["closeSocket"] },
      },
    },
    waiting: {
      on: {
        RETRY: { target: "connecting", actions: ["openSocket"] },
        DISPOSE: { target: "ended", actions: ["cancelRetry", "closeSocket"] },
      },
    },
    ended: { type: "final" },
  },
} as const satisfies { id: string; initial: ReconnectState; states: Record<ReconnectState, StateNode> };

/** The status a connection shows (`conn.connStatus`, RivetKit's values). */
export type ConnStatus = "idle" | "connecting" | "connected" | "disconnected";

/** The status of a machine state. */
export function connStatusOf(state: ReconnectState): ConnStatus {
  return state === "waiting" || state === "ended" ? "disconnected" : state;
}

/**
 * One step: the state `event` leads to from `state` and the actions to run, or `undefined`
 * when the state takes no such event (a socket's late close after a dispose, say).
 */
export function reconnectStep(
  state: ReconnectState,
  event: ReconnectEvent,
  guards: Record<ReconnectGuard, () => boolean>,
): { state: ReconnectState; actions: readonly ReconnectAction[] } | undefined {
  const node: StateNode = reconnectMachineConfig.states[state];
  const candidates = node.on?.[event];
  if (!candidates) return undefined;
  const taken = (Array.isArray(candidates) ? candidates : [candidates]).find((transition: Transition) => !transition.guard || guards[transition.guard]());
  return taken && { state: taken.target, actions: taken.actions ?? [] };
}

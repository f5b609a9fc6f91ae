// The client's reconnect machine, stepped by the client without XState, is the machine
// XState runs: every state, every event, the guard either way — same target, same actions.
import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { setup, transition } from "xstate";
import { connectionSvg } from "../../../../scripts/lifecycle-docs.ts";
import { connStatusOf, reconnectMachineConfig, reconnectStep, type ReconnectEvent, type ReconnectState } from "../../../../machines/connection/reconnect.ts";

const states = Object.keys(reconnectMachineConfig.states) as ReconnectState[];
const events: ReconnectEvent[] = ["CONNECT", "WELCOMED", "DROPPED", "FAILED", "RETRY", "DISPOSE"];
const actionNames = ["openSocket", "markOpen", "failSentCalls", "scheduleRetry", "cancelRetry", "finish", "closeSocket"] as const;

function xstateMachine(reachedBefore: boolean) {
  return setup({
    types: { events: {} as { type: ReconnectEvent } },
    guards: { reachedBefore: () => reachedBefore },
    actions: Object.fromEntries(actionNames.map((name) => [name, () => undefined])),
  }).createMachine(reconnectMachineConfig);
}

describe("the reconnect machine", () => {
  for (const reachedBefore of [false, true]) {
    it(`steps as XState does, in every state on every event (reached before: ${reachedBefore})`, () => {
      const machine = xstateMachine(reachedBefore);
      for (const state of states) {
        for (const event of events) {
          const [next, actions] = transition(machine, machine.resolveState({ value: state }), { type: event });
          const ours = reconnectStep(state, event, { reachedBefore: () => reachedBefore });
          const theirs = next.value === state && actions.length === 0 ? undefined : { state: next.value, actions: actions.map((action) => action.type) };
          expect(ours && { state: ours.state, actions: [...ours.actions] }, `${state} on ${event}`).toEqual(theirs);
        }
      }
    });
  }

  it("retries a dropped socket only if it reached the actor before, and gives up on a final close", () => {
    expect(reconnectStep("connecting", "DROPPED", { reachedBefore: () => false })?.state).toBe("ended");
    expect(reconnectStep("connecting", "DROPPED", { reachedBefore: () => true })?.state).toBe("waiting");
    expect(reconnectStep("connected", "FAILED", { reachedBefore: () => true })?.state).toBe("ended");
    expect(reconnectStep("ended", "RETRY", { reachedBefore: () => true })).toBeUndefined();
  });

  it("shows waiting and ended as disconnected, RivetKit's four statuses", () => {
    expect(states.map(connStatusOf)).toEqual(["idle", "connecting", "connected", "disconnected", "disconnected"]);
  });

  it("is drawn, as it is now, in docs/client.md (run `npm run diagram` after changing it)", async () => {
    expect(await readFile(new URL("../../../../docs/connection.svg", import.meta.url), "utf8")).toBe(await connectionSvg());
    expect(await readFile(new URL("../../../../docs/client.md", import.meta.url), "utf8")).toContain("![The client connection's reconnect machine](connection.svg)");
  });
});

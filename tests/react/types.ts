// Type tests for actorstate/react, checked by `npm run typecheck` (tsconfig.react.json):
// each @ts-expect-error must stay an error, or the typecheck (and CI) fails. Nothing here runs.
import { createClient } from "actorstate/client";
import { useActor, useEvent, useWorkflowSnapshot } from "actorstate/react";
import type { registry } from "../workers/fixtures/actors.ts";
import type { registry as exampleRegistry } from "../../examples/counter/actors.ts";

declare const endpoint: string;

export function hookTypes(): void {
  const client = createClient<typeof registry>(endpoint);
  const { status, error, actions, connection } = useActor(client.counter.getOrCreate("k"));

  const state: "connecting" | "open" | "error" = status;
  const code: string | undefined = error?.code;
  const count: Promise<number> = actions.increment(1);
  // @ts-expect-error no such action
  void actions.incremnt(1);
  // @ts-expect-error wrong argument type
  void actions.increment("one");

  // Events are typed from the actor's declared `events`.
  useEvent(connection, "changed", (next) => {
    const value: number = next;
    // @ts-expect-error the payload is a number
    const wrong: string = next;
  });
  // @ts-expect-error the counter declares no such event
  useEvent(connection, "chnaged", () => {});

  // Params are typed from onBeforeConnect.
  useActor(client.chat.getOrCreate("k"), { name: "ada", token: "t" });
  // @ts-expect-error the token is a string
  useActor(client.chat.getOrCreate("k"), { name: "ada", token: 1 });

  // A workflow actor's view is typed from its machine.
  const expense = createClient<typeof exampleRegistry>(endpoint).expense.getOrCreate("e");
  const view = useWorkflowSnapshot(expense);
  const amount: number | undefined = view?.context.amount;
  // @ts-expect-error not a workflow actor: its handle has no snapshot()
  useWorkflowSnapshot(client.counter.getOrCreate("k"));
  void [state, code, count, amount];
}

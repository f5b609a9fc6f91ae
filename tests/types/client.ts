// Type tests for the client, checked by `npm run typecheck`: each @ts-expect-error must
// stay an error, or the typecheck (and CI) fails. Nothing here runs.
import { createClient } from "actorstate/client";
import type { registry } from "../workers/fixtures/actors.ts";

declare const endpoint: string;
declare const env: { ACTORS: DurableObjectNamespace };

export async function clientTypes(): Promise<void> {
  const client = createClient<typeof registry>(endpoint);
  const counter = client.counter.getOrCreate("k");

  const count: number = await counter.increment(1);
  const text: string = await counter.selfDestruct();
  // @ts-expect-error no such action
  await counter.incremnt(1);
  // @ts-expect-error wrong argument type
  await counter.increment("one");
  // @ts-expect-error missing argument
  await counter.increment();
  // @ts-expect-error the return type is a number
  const wrong: string = await counter.get();

  // @ts-expect-error no such actor type
  client.nobody.getOrCreate("k");

  client.counter.getOrCreate("k", { input: { start: 1 } });
  // @ts-expect-error the input schema wants a number
  client.counter.getOrCreate("k", { input: { start: "1" } });

  // Arguments of validated actions come from their schema.
  const strict = client.strict.getOrCreate("k", { input: { owner: "ada" } });
  const size: number = await strict.add("apple", 2);
  // @ts-expect-error the schema wants [string, int]
  await strict.add("apple", "2");

  // Connections are typed the same way.
  const conn = counter.connect();
  const viaConnection: number = await conn.increment(1);
  // @ts-expect-error wrong argument type over a connection too
  await conn.increment("x");
  const off: () => void = conn.on("changed", (value) => value);

  // The in-Worker client has the same surface.
  const inWorker = createClient<typeof registry>({ binding: env.ACTORS });
  const again: number = await inWorker.counter.get("k").increment(2);
  // @ts-expect-error no such action
  await inWorker.counter.get("k").decrement(2);

  void [count, text, wrong, size, viaConnection, off, again];
}

import { actor, event, setup, UserError } from "actorstate";
import * as z from "zod/mini";
import { expense } from "../expense/actors.ts";

/** A counter per key: the example `npm start` serves. */
export const counter = actor({
  input: z.optional(z.object({ start: z.int() })),
  createState: (c, input) => ({ count: input?.start ?? 0 }),
  // Clients' conn.on("changed", (count) => …) is typed from this.
  events: { changed: event<number>() },
  actions: {
    increment: (c, by: number) => {
      c.state.count += by;
      c.broadcast("changed", c.state.count);
      return c.state.count;
    },
    get: (c) => c.state.count,
    fail: () => {
      throw new UserError("nope", { code: "bad_thing", metadata: { x: 1 } });
    },
    selfDestruct: (c) => {
      c.destroy();
      return "bye";
    },
  },
});

/** What `npm start` serves: the counter, and the expense-approval workflow (examples/expense). */
export const registry = setup({ actors: { counter, expense } });

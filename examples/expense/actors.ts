// The expense-approval workflow actor: the machine in ./machine.ts, run durably — its 24 h
// review timeout and payment backoff on the object's alarm, its payment promise re-run with
// the same idempotency key if a restart cuts it short.
import { workflow } from "actorstate";
import * as z from "zod/mini";
import { expenseMachine } from "./machine.ts";

export const expense = workflow({
  machine: expenseMachine,
  input: z.optional(z.object({ owner: z.string() })),
  events: {
    SUBMIT: z.object({ type: z.literal("SUBMIT"), amount: z.number().check(z.positive()), description: z.string() }),
    APPROVE: z.object({ type: z.literal("APPROVE"), by: z.string() }),
    REJECT: z.object({ type: z.literal("REJECT"), by: z.string(), reason: z.string() }),
  },
});

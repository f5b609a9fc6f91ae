// The expense-approval machine: a plain XState v5 machine, testable anywhere. Run durably
// as a workflow actor in ./actors.ts.
import { assign, setup } from "xstate";
import { durablePromise } from "actorstate";

/** How long a reviewer has before the expense goes to their manager. */
export const REVIEW_TIMEOUT_MS = 24 * 60 * 60 * 1_000;
/** Payment attempts before giving up; waits double between them from the first. */
export const PAYMENT_ATTEMPTS = 3;
export const FIRST_RETRY_MS = 1_000;

export interface ExpenseContext {
  owner: string;
  amount: number;
  description: string;
  approvedBy: string | null;
  /** Payment attempts made so far. */
  attempts: number;
  lastError: string | null;
  paymentId: string | null;
}

export type ExpenseEvent =
  | { type: "SUBMIT"; amount: number; description: string }
  | { type: "APPROVE"; by: string }
  | { type: "REJECT"; by: string; reason: string };

export type ExpenseOutput = { outcome: "paid"; paymentId: string; approvedBy: string } | { outcome: "rejected"; reason: string } | { outcome: "payment_failed"; error: string };

/**
 * The payment provider, simulated: it fails the first two attempts of every expense (a
 * flaky network), then succeeds. The idempotency key is the same for a retry after a
 * restart, so a real provider would charge once.
 */
export const pay = durablePromise(async ({ input, idempotencyKey }: { input: { amount: number; attempt: number }; idempotencyKey: string }) => {
  if (input.attempt < 2) throw new Error(`The payment provider timed out (attempt ${input.attempt + 1}).`);
  return { paymentId: `pay_${idempotencyKey.slice(-12)}` };
});

export const expenseMachine = setup({
  types: {
    context: {} as ExpenseContext,
    events: {} as ExpenseEvent,
    input: {} as { owner: string } | undefined,
    output: {} as ExpenseOutput,
  },
  actors: { pay },
  actions: {
    recordSubmission: assign(({ event }) => (event.type === "SUBMIT" ? { amount: event.amount, description: event.description } : {})),
    recordApproval: assign(({ event }) => (event.type === "APPROVE" ? { approvedBy: event.by } : {})),
    recordRejection: assign(({ event }) => (event.type === "REJECT" ? { lastError: event.reason } : {})),
    recordPayment: assign({ paymentId: (_, params: { paymentId: string }) => params.paymentId }),
    recordPaymentFailure: assign({
      attempts: ({ context }) => context.attempts + 1,
      lastError: (_, params: { message: string }) => params.message,
    }),
  },
  guards: {
    outOfAttempts: ({ context }) => context.attempts >= PAYMENT_ATTEMPTS,
  },
  delays: {
    reviewTimeout: REVIEW_TIMEOUT_MS,
    backoff: ({ context }) => FIRST_RETRY_MS * 2 ** (context.attempts - 1),
  },
}).createMachine({
  id: "expense",
  context: ({ input }) => ({
    owner: input?.owner ?? "anonymous",
    amount: 0,
    description: "",
    approvedBy: null,
    attempts: 0,
    lastError: null,
    paymentId: null,
  }),
  initial: "draft",
  states: {
    draft: {
      on: { SUBMIT: { target: "review", actions: "recordSubmission" } },
    },
    review: {
      after: { reviewTimeout: "escalated" },
      on: {
        APPROVE: { target: "paying", actions: "recordApproval" },
        REJECT: { target: "rejected", actions: "recordRejection" },
      },
    },
    escalated: {
      on: {
        APPROVE: { target: "paying", actions: "recordApproval" },
        REJECT: { target: "rejected", actions: "recordRejection" },
      },
    },
    paying: {
      invoke: {
        id: "payment",
        src: "pay",
        input: ({ context }) => ({ amount: context.amount, attempt: context.attempts }),
        onDone: { target: "paid", actions: { type: "recordPayment", params: ({ event }) => ({ paymentId: event.output.paymentId }) } },
        onError: {
          target: "retrying",
          actions: { type: "recordPaymentFailure", params: ({ event }) => ({ message: (event.error as { message?: string }).message ?? String(event.error) }) },
        },
      },
    },
    retrying: {
      always: { target: "paymentFailed", guard: "outOfAttempts" },
      after: { backoff: "paying" },
    },
    paid: { type: "final" },
    rejected: { type: "final" },
    paymentFailed: { type: "final" },
  },
  output: ({ context }): ExpenseOutput => {
    if (context.paymentId) return { outcome: "paid", paymentId: context.paymentId, approvedBy: context.approvedBy ?? "" };
    if (context.attempts >= PAYMENT_ATTEMPTS) return { outcome: "payment_failed", error: context.lastError ?? "" };
    return { outcome: "rejected", reason: context.lastError ?? "" };
  },
});

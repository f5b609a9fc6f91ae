import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { getShortestPaths } from "xstate/graph";
import { replayPath, startWorkflow } from "actorstate/testing";
import { expenseMachine, FIRST_RETRY_MS, REVIEW_TIMEOUT_MS, type ExpenseEvent } from "../../examples/expense/machine.ts";

// The example workflow, as its docs walk through it (docs/workflows.md).
describe("the expense-approval example", () => {
  it("escalates after 24 h without a review, retries the flaky payment with backoff, and pays", async () => {
    const run = await startWorkflow<typeof expenseMachine>(env.ACTORS, "expense", { input: { owner: "ada" } });
    await run.send({ type: "SUBMIT", amount: 120, description: "Train to Lyon" });
    await run.evict();
    expect((await run.advanceTime(REVIEW_TIMEOUT_MS - 1)).value).toBe("review");
    expect((await run.advanceTime(1)).value).toBe("escalated");
    await run.send({ type: "APPROVE", by: "grace" });
    // The provider fails twice: 1 s, then 2 s of backoff before the third attempt.
    await expect.poll(async () => (await run.getSnapshot()).value).toBe("retrying");
    await run.evict();
    await run.advanceTime(FIRST_RETRY_MS);
    await expect.poll(async () => (await run.getSnapshot()).context.attempts).toBe(2);
    await run.advanceTime(2 * FIRST_RETRY_MS);
    await expect(run.result).resolves.toMatchObject({ outcome: "paid", approvedBy: "grace" });
  });

  it("ends rejected with the reason as output", async () => {
    const run = await startWorkflow<typeof expenseMachine>(env.ACTORS, "expense");
    await run.send({ type: "SUBMIT", amount: 5, description: "Coffee" });
    const view = await run.send({ type: "REJECT", by: "grace", reason: "not a business expense" });
    expect(view).toMatchObject({ status: "done", output: { outcome: "rejected", reason: "not a business expense" } });
  });
});

describe("the expense-approval example, model-based", () => {
  // Every shortest path through the human steps and the review timeout, replayed durably
  // with an eviction after each step. (Payment outcomes come from the real promise.)
  const events: ExpenseEvent[] = [
    { type: "SUBMIT", amount: 120, description: "Train to Lyon" },
    { type: "APPROVE", by: "grace" },
    { type: "REJECT", by: "grace", reason: "no receipt" },
  ];
  const paths = getShortestPaths(expenseMachine, {
    events: [...events, { type: "xstate.after.reviewTimeout.expense.review" } as never],
    input: { owner: "ada" },
  }).filter((path) => !path.state.matches("paying")); // from there the payment promise decides; the test above follows it

  it("covers every state a person decides", () => {
    expect(new Set(paths.map((path) => path.state.value))).toEqual(new Set(["draft", "review", "escalated", "rejected"]));
  });

  for (const path of paths) {
    it(`reaches ${JSON.stringify(path.state.value)} through ${path.steps.map((step) => step.event.type).join(" → ")}`, async () => {
      await replayPath(env.ACTORS, "expense", expenseMachine, path, { input: { owner: "ada" } });
    });
  }
});

import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { startWorkflow } from "actorstate/testing";
import { FIRST_RETRY_MS, REVIEW_TIMEOUT_MS, type expenseMachine } from "../../examples/expense/machine.ts";

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

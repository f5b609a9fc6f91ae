import { env, evictDurableObject, runDurableObjectAlarm } from "cloudflare:test";
import { actorClock } from "actorstate/testing";
import { describe, expect, it } from "vitest";
import { parseCron } from "../../runtime/cron.ts";
import { client, objectOf, uniqueKey } from "./helpers.ts";

const MINUTE = 60_000;
const EVERY_FIVE_MINUTES = "*/5 * * * *";

/** A reminder actor whose schedules run on a test clock, and that clock. */
async function onTestClock(label: string) {
  const key = uniqueKey(label);
  const clock = await actorClock(env.ACTORS, "reminder", key);
  return { key, clock, reminder: client.reminder.getOrCreate(key) };
}

describe("actorClock", () => {
  it("runs every schedule due, in order, each at its own time: after, at, cron, one made by a run; never a cancelled one", async () => {
    const { clock, reminder } = await onTestClock("clock-all");
    // Onto a five-minute boundary first, so that no one-off below falls on a cron run.
    const taken = await clock.now();
    await clock.advanceTime(parseCron(EVERY_FIVE_MINUTES).next(taken) - taken);
    const start = await clock.now();

    const cancelled = await reminder.after(4 * MINUTE, "cancelled");
    const once = await reminder.after(MINUTE, "after");
    const at = await reminder.at(start + 90_000, "at");
    const cron = await reminder.cron(EVERY_FIVE_MINUTES, "cron");
    const chain = await reminder.afterThen(2 * MINUTE, "first", 30_000, "follow-up");
    expect(await reminder.cancel(cancelled)).toBe(true);

    const runs = await clock.advanceTime(15 * MINUTE);
    expect(runs).toEqual([
      { id: once, action: "remind", args: ["after"], at: start + MINUTE },
      { id: at, action: "remind", args: ["at"], at: start + 90_000 },
      { id: chain, action: "remindThen", args: ["first", 30_000, "follow-up"], at: start + 2 * MINUTE },
      { id: expect.any(String), action: "remind", args: ["follow-up"], at: start + 150_000 },
      { id: cron, action: "remind", args: ["cron"], at: start + 5 * MINUTE, cron: EVERY_FIVE_MINUTES },
      { id: cron, action: "remind", args: ["cron"], at: start + 10 * MINUTE, cron: EVERY_FIVE_MINUTES },
      { id: cron, action: "remind", args: ["cron"], at: start + 15 * MINUTE, cron: EVERY_FIVE_MINUTES },
    ]);
    // Each ran as an action: its state is saved.
    expect(await reminder.ran()).toEqual(["after", "at", "first", "follow-up", "cron", "cron", "cron"]);
    expect(await clock.now()).toBe(start + 15 * MINUTE);
    expect(await reminder.list()).toEqual([{ id: cron, runAt: start + 20 * MINUTE, action: "remind", args: ["cron"], cron: EVERY_FIVE_MINUTES }]);
  });

  it("runs a schedule when the clock reaches its time exactly, not a millisecond before", async () => {
    const { clock, reminder } = await onTestClock("clock-edge");
    await reminder.after(MINUTE, "on time");
    expect(await clock.advanceTime(MINUTE - 1)).toEqual([]);
    expect(await reminder.ran()).toEqual([]);
    expect(await clock.advanceTime(1)).toMatchObject([{ args: ["on time"] }]);
    expect(await reminder.ran()).toEqual(["on time"]);
  });

  it("leaves the schedules to the test: the object's alarm runs none of them", async () => {
    const { key, clock, reminder } = await onTestClock("clock-alarm");
    // Due long ago on any clock: real time would run it at once.
    await reminder.at(1, "overdue");
    await runDurableObjectAlarm(objectOf("reminder", key));
    expect(await reminder.ran()).toEqual([]);
    expect(await clock.advanceTime(0)).toMatchObject([{ args: ["overdue"] }]);
    expect(await reminder.ran()).toEqual(["overdue"]);
  });

  it("keeps the actor on the test's clock across an eviction", async () => {
    const { key, clock, reminder } = await onTestClock("clock-evict");
    const start = await clock.now();
    await reminder.after(60 * MINUTE, "later");
    await clock.advanceTime(30 * MINUTE);
    await evictDurableObject(objectOf("reminder", key));

    expect(await clock.now()).toBe(start + 30 * MINUTE);
    // Counted from the test's clock, not from real time.
    await reminder.after(MINUTE, "soon");
    expect((await reminder.list()).map(({ args, runAt }) => [args[0], runAt])).toEqual([
      ["soon", start + 31 * MINUTE],
      ["later", start + 60 * MINUTE],
    ]);
    await runDurableObjectAlarm(objectOf("reminder", key));
    expect(await reminder.ran()).toEqual([]);
    expect((await clock.advanceTime(30 * MINUTE)).map((run) => [run.args[0], run.at])).toEqual([
      ["soon", start + 31 * MINUTE],
      ["later", start + 60 * MINUTE],
    ]);
  });

  it("reports what a failed run threw, and runs nothing a destroy cleared", async () => {
    const { clock, reminder } = await onTestClock("clock-fail");
    const failing = await reminder.failAfter(MINUTE);
    expect(await clock.advanceTime(MINUTE)).toEqual([
      { id: failing, action: "fail", args: [], at: expect.any(Number), error: expect.objectContaining({ group: "user", code: "not_now" }) },
    ]);
    await reminder.after(MINUTE, "never");
    await reminder.destroy();
    expect(await clock.advanceTime(MINUTE)).toEqual([]);
    expect(await reminder.ran()).toEqual([]);
  });

  it("fails, rather than hangs, on a schedule that schedules itself again at once for ever", async () => {
    const { clock, reminder } = await onTestClock("clock-spin");
    await reminder.spin();
    await expect(clock.advanceTime(0)).rejects.toThrow(/More than 1000 scheduled actions ran at one time in advanceTime\(\); "spin"/);
  });

  it("refuses to move the clock back", async () => {
    const { clock } = await onTestClock("clock-back");
    await expect(clock.advanceTime(-1)).rejects.toThrow(RangeError);
  });
});

import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { encodeValue, toBlob } from "../../runtime/codec.ts";
import { parseCron } from "../../runtime/cron.ts";
import { client, expectActorError, objectOf, uniqueKey } from "./helpers.ts";

// A yearly expression: its next run is months away, so the platform's own alarm never fires
// it during a test. Each test makes it due by moving its time back in storage.
const NEW_YEAR = "0 0 1 1 *";

function storageOf<T>(key: string, work: (storage: DurableObjectStorage) => T): Promise<T> {
  return runInDurableObject(objectOf("timer", key), (_, state) => work(state.storage));
}

/** Make every pending schedule due `agoMs` ago, then run the alarm as the platform would. */
async function runDue(key: string, agoMs = 1_000): Promise<void> {
  await storageOf(key, (storage) => {
    storage.sql.exec("UPDATE actorstate_schedule SET run_at = ?", Date.now() - agoMs);
    return storage.setAlarm(Date.now());
  });
  expect(await runDurableObjectAlarm(objectOf("timer", key))).toBe(true);
}

describe("cron schedules", () => {
  it("schedules the next matching minute in UTC, listed with its expression, kept across eviction", async () => {
    const key = uniqueKey("cron");
    const timer = client.timer.getOrCreate(key);
    const before = Date.now();
    const id = await timer.cron(NEW_YEAR, "new year");
    const nextYear = new Date(before).getUTCFullYear() + 1;
    const expected = [{ id, runAt: Date.UTC(nextYear, 0, 1), action: "fire", args: ["new year"], cron: NEW_YEAR }];
    expect(await timer.list()).toEqual(expected);
    await evictDurableObject(objectOf("timer", key));
    expect(await timer.list()).toEqual(expected);
  });

  it("runs once when due, however many runs were missed, then moves to the next match after the run", async () => {
    const key = uniqueKey("cron-due");
    const timer = client.timer.getOrCreate(key);
    const id = await timer.cron(NEW_YEAR, "tick");
    // Three years' worth of missed runs: one run, no backlog.
    await runDue(key, 3 * 366 * 86_400_000);
    expect(await timer.fired()).toEqual(["tick@0"]);
    const [next] = await timer.list();
    expect(next).toMatchObject({ id, cron: NEW_YEAR });
    // Computed from when it ran, not from the missed time it was due.
    expect(next?.runAt).toBe(parseCron(NEW_YEAR).next(Date.now()));
    await runDue(key);
    expect(await timer.fired()).toEqual(["tick@0", "tick@0"]);
    expect((await timer.list()).map((schedule) => schedule.id)).toEqual([id]);
  });

  it("keeps a cron schedule whose action throws, for its next run", async () => {
    const key = uniqueKey("cron-failing");
    const timer = client.timer.getOrCreate(key);
    const id = await timer.cronFailing(NEW_YEAR, "boom");
    await runDue(key);
    await runDue(key);
    // Each run's state was saved although the action threw.
    expect(await timer.fired()).toEqual(["boom@0", "boom@0"]);
    expect(await timer.list()).toEqual([expect.objectContaining({ id, action: "failing", cron: NEW_YEAR })]);
  });

  it("cancels like any schedule, and stops for good when cancelled from its own run", async () => {
    const key = uniqueKey("cron-cancel");
    const timer = client.timer.getOrCreate(key);
    const id = await timer.cron(NEW_YEAR, "never");
    expect(await timer.cancel(id)).toBe(true);
    expect(await timer.cancel(id)).toBe(false);
    expect(await timer.list()).toEqual([]);

    await timer.cronStopping(NEW_YEAR, "self");
    await runDue(key);
    expect(await timer.fired()).toEqual(["stop:true"]);
    expect(await timer.list()).toEqual([]);
  });

  it("is cleared by a destroy, and an older generation's cron never runs on the newer one", async () => {
    const key = uniqueKey("cron-fenced");
    const timer = client.timer.getOrCreate(key);
    await timer.cron(NEW_YEAR, "old");
    await timer.destroy();
    expect(await timer.list()).toEqual([]);
    expect(await timer.fired()).toEqual([]);
    // A generation-0 cron row left behind (as a crash mid-wipe could), due now.
    await storageOf(key, (storage) =>
      storage.sql.exec(
        "INSERT INTO actorstate_schedule (id, generation, run_at, action, args, created_at, cron) VALUES ('stale', 0, 0, 'fire', ?, 0, ?)",
        toBlob(encodeValue(["old"])),
        "* * * * *",
      ),
    );
    await runDue(key);
    expect(await timer.fired()).toEqual([]);
    expect(await storageOf(key, (storage) => storage.sql.exec("SELECT count(*) AS n FROM actorstate_schedule").one().n)).toBe(0);
  });

  it("refuses a malformed expression, and one that never matches", async () => {
    const timer = client.timer.getOrCreate(uniqueKey("cron-invalid"));
    await expectActorError(timer.cron("61 * * * *", "bad"), "internal/error");
    await expectActorError(timer.cron("0 0 31 2 *", "bad"), "internal/error");
    expect(await timer.list()).toEqual([]);
  });
});

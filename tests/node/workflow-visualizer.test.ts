import { mkdir } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { launchChromium, skipBrowserSuites } from "./browser.ts";
import { createClient } from "actorstate/client";
import type { registry } from "../workers/fixtures/actors.ts";

const endpoint = inject("endpoint");
const shots = "test-artifacts/visualizer";

/** A state box of the workflow's machine, by its id. */
const state = (id: string) => `#wf-machine [data-state-id="${id}"]`;

// Each test opens a new actor from the list, which on a busy 2-core machine can take many
// seconds to list it: hence their own 60 s bound.
describe.skipIf(skipBrowserSuites)("a workflow actor in the inspector, in a real browser", () => {
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    await mkdir(shots, { recursive: true });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1500, height: 1050 } });
    page.on("pageerror", (error) => errors.push(error.message));
    await page.addInitScript(() => sessionStorage.setItem("actorstate.inspector.token", "test-token"));
  });
  afterAll(() => browser?.close());

  async function open(name: string, key: string) {
    await page.goto(`${endpoint}/__actorstate/`);
    await page.selectOption("#filter-name", name);
    await page.locator("tbody tr", { hasText: key }).click();
  }

  it("draws the machine, sends events from the form and travels back through its history", async () => {
    const key = `wf-${crypto.randomUUID().slice(0, 8)}`;
    await createClient<typeof registry>(endpoint).order.getOrCreate(key).snapshot();
    await open("order", key);

    // The machine beside the lifecycle: every state, its transitions as chips, draft active.
    await page.locator(`${state("order.draft")}.innermost`).waitFor();
    expect(await page.locator("#wf-machine .wf-state").count()).toBe(7);
    expect(await page.locator(`${state("order.draft")} .wf-chip`).allTextContents()).toEqual(["SUBMIT → charging", "CANCEL → cancelled"]);
    expect(await page.locator(`${state("order.charging")} .wf-chip`).allTextContents()).toEqual(["charge done → waiting", "invokes charge"]);
    expect(await page.locator(`${state("order.paid")} .wf-mark`).textContent()).toBe("final");
    expect(await page.locator(`${state("order.waiting")}.active`).count()).toBe(0);
    // The user's machine first, across the page; the lifecycle below it, smaller.
    const lifecycle = (await page.locator("#diagram").boundingBox())!;
    const machine = (await page.locator("#wf-machine").boundingBox())!;
    expect(lifecycle.y).toBeGreaterThanOrEqual(machine.y + machine.height);
    expect(machine.width).toBeGreaterThanOrEqual(lifecycle.width);
    expect((await page.locator("#diagram .diagram-viewport").boundingBox())!.height).toBeLessThan(1050 * 0.3);

    // The form offers what draft accepts; a button sets the type, keeping the rest.
    expect(await page.locator("#wf-events button").allTextContents()).toEqual(["SUBMIT", "CANCEL"]);
    expect(await page.inputValue("#wf-event")).toBe('{"type": ""}');
    await page.fill("#wf-event", '{"type":"","amount":5}');
    await page.click("#wf-events button:text-is('SUBMIT')");
    expect(JSON.parse(await page.inputValue("#wf-event"))).toEqual({ type: "SUBMIT", amount: 5 });
    await page.click("#wf-send");

    // charge resolves at once, then hold hangs: waiting is active, its work under way.
    await page.locator(`${state("order.waiting")}.active`).waitFor();
    await page.locator("#wf-result", { hasText: '"value": "charging"' }).waitFor();
    await page.locator("#wf-work li", { hasText: "hang (hold), under way since" }).waitFor();
    await page.locator("#wf-context", { hasText: "charged: 5" }).waitFor();
    await page.locator("#wf-history li", { hasText: 'charge done → "waiting"' }).waitFor();
    expect(await page.locator("#wf-events").textContent()).toContain("takes no events");

    // An event the state does not take: the error, as the call returned it.
    await page.fill("#wf-event", '{"type":"CANCEL"}');
    await page.click("#wf-send");
    await page.locator("#wf-result.error", { hasText: "machine/event_not_accepted" }).waitFor();

    // Time travel: the first step puts the machine back in draft, with that step's context.
    await page.locator("#wf-history li", { hasText: "start" }).click();
    await page.locator(`${state("order.draft")}.active`).waitFor();
    expect(await page.locator(`${state("order.waiting")}.active`).count()).toBe(0);
    await page.locator("#wf-moment.past", { hasText: "viewing the past" }).waitFor();
    await page.locator("#wf-context", { hasText: "amount: 0" }).waitFor();
    await page.screenshot({ path: `${shots}/5-workflow-time-travel.png` });
    await page.click("#wf-now");
    await page.locator(`${state("order.waiting")}.active`).waitFor();
    expect(await page.locator("#wf-now").isVisible()).toBe(false);
    expect(errors).toEqual([]);
  }, 60_000);

  it("lists a workflow's own status beside its lifecycle: a finished one is done, not just running", async () => {
    const key = `wf-${crypto.randomUUID().slice(0, 8)}`;
    const finishing = createClient<typeof registry>(endpoint).finishing.getOrCreate(key);
    await finishing.snapshot();
    await page.goto(`${endpoint}/__actorstate/`);
    await page.selectOption("#filter-name", "finishing");
    const status = page.locator("tbody tr", { hasText: key }).locator("td.lc");
    await status.filter({ hasText: /^running · active$/ }).waitFor();
    await finishing.send({ type: "FINISH", result: "ok" });
    // The list refreshes every 2 s; the directory hears of the change just after it.
    await status.filter({ hasText: /^running · done$/ }).waitFor({ timeout: 30_000 });
  }, 60_000);

  it("counts a timer down and follows it firing, live", async () => {
    const key = `wf-${crypto.randomUUID().slice(0, 8)}`;
    await createClient<typeof registry>(endpoint).countdown.getOrCreate(key).snapshot();
    await open("countdown", key);
    // Nested states in parallel regions: the state in each region is highlighted.
    await page.locator(`${state("countdown.waiting.clock.ticking")}.innermost`).waitFor();
    await page.locator(`${state("countdown.waiting.light.off")}.innermost`).waitFor();
    expect(await page.locator(`${state("countdown.waiting")} > .wf-head .wf-mark`).allTextContents()).toEqual(["initial", "parallel"]);
    expect(await page.locator(`${state("countdown.waiting")}.active`).count()).toBe(1);
    expect(await page.locator(`${state("countdown.waiting.light.on")}.active`).count()).toBe(0);
    expect(await page.locator(`${state("countdown.waiting.clock.ticking")} .wf-chip`).textContent()).toBe("after 20 s → done");
    // An event from a button: the other region's state changes; the clock's does not.
    expect(await page.locator("#wf-events button").allTextContents()).toEqual(["TOGGLE"]);
    await page.click("#wf-events button:text-is('TOGGLE')");
    await page.click("#wf-send");
    await page.locator(`${state("countdown.waiting.light.on")}.innermost`).waitFor();
    await page.locator(`${state("countdown.waiting.clock.ticking")}.innermost`).waitFor();
    // The countdown ticks in the page; the timer fires on the object's alarm and the page,
    // which nothing here reloads, follows it to done.
    const countdown = page.locator("#wf-timers .countdown");
    await countdown.filter({ hasText: /^in \d+ s$/ }).waitFor();
    const first = await countdown.textContent();
    await countdown.filter({ hasNotText: first! }).waitFor();
    await page.locator(`${state("countdown.done")}.innermost`).waitFor({ timeout: 25_000 });
    await page.locator("#wf-history li", { hasText: 'after 20 s → "done"' }).waitFor();
    await page.locator("#wf-timers li", { hasText: "none" }).waitFor();
    expect(errors).toEqual([]);
  }, 60_000);
});

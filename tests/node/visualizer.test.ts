import { mkdir } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { launchChromium, skipBrowserSuites } from "./browser.ts";
import { createClient } from "actorstate/client";
import type { registry } from "../workers/fixtures/actors.ts";

const endpoint = inject("endpoint");
const shots = "test-artifacts/visualizer";

// Tests that open an actor from the list have their own 60 s bound: on a busy 2-core machine
// the directory can take many seconds to list a new actor.
describe.skipIf(skipBrowserSuites)("the visualizer in a real browser", () => {
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    await mkdir(shots, { recursive: true });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1500, height: 1050 } });
    // The test Worker has an inspector token (tests/workers/wrangler.json): the page keeps it
    // in session storage once asked, as here.
    await page.addInitScript(() => sessionStorage.setItem("actorstate.inspector.token", "test-token"));
  });
  afterAll(() => browser?.close());

  it("follows an actor through its life and travels back in its log", async () => {
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(`${endpoint}/__actorstate/`);
    await page.selectOption("#filter-name", "counter");

    // Created from the client, the actor appears in the list (it refreshes every 2 s).
    const key = `visual-${crypto.randomUUID().slice(0, 8)}`;
    const client = createClient<typeof registry>(endpoint);
    await client.counter.getOrCreate(key, { input: { start: 5 } }).increment(1);
    const row = page.locator("tbody tr", { hasText: key });
    await row.waitFor();
    expect(await row.locator("td.lc").textContent()).toBe("running");

    // The list says its rows open actors, and its last-transition column is whole, event included.
    await page.locator("#list-hint", { hasText: "Click an actor" }).waitFor();
    const last = row.locator("td.last");
    expect(await last.textContent()).toMatch(/creating → running\s*create done · /);
    expect(await last.evaluate((cell) => cell.scrollWidth <= cell.clientWidth)).toBe(true);

    await row.click();
    await page.locator('#diagram .current[data-state="running"]').waitFor();
    await page.locator("#diagram g.last[data-from=creating][data-to=running]").waitFor();
    await page.locator("#state", { hasText: "count: 6" }).waitFor();
    // Events as a person names them, in the log and the moment line; the hint says entries open a moment.
    await page.locator("#log li.transition", { hasText: "create done" }).waitFor();
    expect(await page.locator("#log").textContent()).not.toContain("xstate.");
    expect(await page.locator("#moment").textContent()).toContain("on create done");
    await page.locator("#log-hint", { hasText: "Click an entry" }).waitFor();
    // No Stately bridge in the test Worker: no button that would do nothing.
    expect(await page.locator("#stately").isVisible()).toBe(false);

    // An action from the page's controls: the state follows, live, and the call is in the
    // log with its outcome, duration and how it was called. (The client's own call may be
    // gone by now: calls are kept in memory, and an idle object is evicted after ~10 s.)
    await page.selectOption("#action", "increment");
    await page.fill("#args", "[10]");
    await page.click("#call");
    await page.locator("#state", { hasText: "count: 16" }).waitFor();
    await page.locator("#result", { hasText: '"value": 16' }).waitFor();
    await page.locator("#log li.call", { hasText: /increment ok · \d+ ms · by request/ }).first().waitFor();
    await page.screenshot({ path: `${shots}/1-running.png` });

    // Destroyed from the page: the diagram moves to destroyed, the list follows.
    await page.click("#destroy");
    await page.locator('#diagram .current[data-state="destroyed"]').waitFor();
    await page.locator("#diagram g.last[data-from=destroying\\.finalizing][data-to=destroyed]").waitFor();
    await row.locator("td.lc", { hasText: "destroyed" }).waitFor();
    await page.locator("#state", { hasText: "no state (destroyed)" }).waitFor();
    await page.screenshot({ path: `${shots}/2-destroyed.png` });

    // Time travel: the entry where the actor started running puts the diagram back there.
    const started = page.locator("#log li", { hasText: "creating → running" });
    await started.click();
    await page.locator('#diagram .current[data-state="running"]').waitFor();
    await page.locator("#moment.past", { hasText: "creating → running" }).waitFor();
    await page.screenshot({ path: `${shots}/3-time-travel.png` });
    await page.click("#now");
    await page.locator('#diagram .current[data-state="destroyed"]').waitFor();

    // And it comes back: "create again" resurrects generation 1.
    await page.click("#recreate");
    await page.locator('#diagram .current[data-state="running"]').waitFor();
    await page.locator("#ids", { hasText: "generation 1" }).waitFor();
    expect(errors).toEqual([]);
  }, 60_000);

  it("says plainly when the inspector token is refused, and opens once the right one is typed", async () => {
    const fresh = await browser.newPage({ viewport: { width: 1500, height: 1050 } });
    try {
      await fresh.addInitScript(() => sessionStorage.setItem("actorstate.inspector.token", "a-stale-token"));
      await fresh.goto(`${endpoint}/__actorstate/`);
      const access = fresh.locator("#access");
      await access.filter({ hasText: "The inspector token was refused" }).waitFor();
      // It names the variable to check, says what to do, and never repeats the token.
      expect(await access.textContent()).toMatch(/ACTORSTATE_INSPECTOR_TOKEN.*type it in the field at the top/);
      expect(await access.textContent()).not.toContain("a-stale-token");
      expect(await fresh.locator("#token").isVisible()).toBe(true);
      expect(await fresh.locator("#actors tbody tr").count()).toBe(0);

      await fresh.fill("#token", "test-token");
      await fresh.click("#token-form button");
      await access.waitFor({ state: "hidden" });
      // The data comes: the registry's types fill the filter (the list of every type is slower).
      await fresh.locator("#filter-name option", { hasText: "counter" }).waitFor({ state: "attached" });
      expect(await fresh.locator("#token").isVisible()).toBe(false);
    } finally {
      await fresh.close();
    }
  }, 60_000);

  it("asks for the token when the page has none", async () => {
    const fresh = await browser.newPage();
    try {
      await fresh.goto(`${endpoint}/__actorstate/`);
      await fresh.locator("#access", { hasText: "This inspector needs its token (the Worker's ACTORSTATE_INSPECTOR_TOKEN)" }).waitFor();
      expect(await fresh.locator("#token").isVisible()).toBe(true);
    } finally {
      await fresh.close();
    }
  });

  it("shows a connection's param names and sign-in result, never the values", async () => {
    const key = `conn-${crypto.randomUUID().slice(0, 8)}`;
    const token = `s3cret-${crypto.randomUUID()}`;
    const conn = createClient<typeof registry>(endpoint).signedIn.getOrCreate(key, { params: { token } }).connect();
    try {
      await conn.ready();
      await page.goto(`${endpoint}/__actorstate/`);
      await page.selectOption("#filter-name", "signedIn");
      await page.locator("tbody tr", { hasText: key }).click();
      await page.locator("#conns li", { hasText: 'params: token · auth: {"user":"ada"}' }).waitFor();
      expect(await page.content()).not.toContain(token);
    } finally {
      await conn.dispose();
    }
  }, 60_000);

  it("draws the statechart with readable labels, and zooms and pans", async () => {
    const key = `zoom-${crypto.randomUUID().slice(0, 8)}`;
    await createClient<typeof registry>(endpoint).counter.getOrCreate(key).increment(1);
    await page.goto(`${endpoint}/__actorstate/`);
    await page.selectOption("#filter-name", "counter");
    await page.locator("tbody tr", { hasText: key }).click();
    const running = page.locator('#diagram .current[data-state="running"]');
    await running.waitFor();

    // At the default zoom every label is drawn at 11 px or more on screen, and the current
    // state is in view.
    // A label's size on screen: its font size in diagram units times the diagram's scale.
    type Text = { getScreenCTM(): { a: number } | null };
    type Window = { getComputedStyle(node: unknown): { fontSize: string } };
    const smallest = await page.locator("#diagram svg").evaluate((svg) => {
      const window = globalThis as unknown as Window;
      const sizes = [...svg.querySelectorAll("text")].map((text) => parseFloat(window.getComputedStyle(text).fontSize) * ((text as unknown as Text).getScreenCTM()?.a ?? 0));
      return Math.min(...sizes);
    });
    expect(smallest).toBeGreaterThanOrEqual(11);
    const viewport = (await page.locator("#diagram .diagram-viewport").boundingBox())!;
    const box = (await running.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(viewport.x);
    expect(box.x + box.width).toBeLessThanOrEqual(viewport.x + viewport.width);
    expect(box.y).toBeGreaterThanOrEqual(viewport.y);
    expect(box.y + box.height).toBeLessThanOrEqual(viewport.y + viewport.height);

    // Zoom in with the button: the box grows by the step.
    await page.click("#diagram button[title='Zoom in']");
    expect(await page.locator("#diagram .zoom").textContent()).toBe("125%");
    const zoomed = (await running.boundingBox())!;
    expect(zoomed.width / box.width).toBeCloseTo(1.25, 1);

    // Drag to pan: the box follows the pointer.
    const start = { x: viewport.x + viewport.width / 2, y: viewport.y + viewport.height / 2 };
    await page.mouse.move(start.x, start.y);
    await page.mouse.down();
    await page.mouse.move(start.x - 80, start.y - 40, { steps: 4 });
    await page.mouse.up();
    const panned = (await running.boundingBox())!;
    expect(panned.x - zoomed.x).toBeCloseTo(-80, 0);
    expect(panned.y - zoomed.y).toBeCloseTo(-40, 0);
    // And from the keyboard: an arrow moves the view 60 px.
    await page.focus("#diagram .diagram-viewport");
    await page.keyboard.press("ArrowRight");
    expect((await running.boundingBox())!.x - panned.x).toBeCloseTo(-60, 0);

    // Ctrl + scroll zooms out around the pointer; "fit" shows the whole machine; "1:1" goes back.
    await page.mouse.move(start.x, start.y);
    await page.keyboard.down("Control");
    await page.mouse.wheel(0, 100);
    await page.keyboard.up("Control");
    expect(await page.locator("#diagram .zoom").textContent()).toBe("100%");
    await page.click("#diagram button[title='Show the whole diagram']");
    const whole = (await page.locator("#diagram svg").evaluate((svg) => {
      const states = [...svg.querySelectorAll("[data-state] > rect")].map((rect) => rect.getBoundingClientRect());
      const view = svg.getBoundingClientRect();
      return states.every((r) => r.left >= view.left - 0.5 && r.right <= view.right + 0.5 && r.top >= view.top - 0.5 && r.bottom <= view.bottom + 0.5);
    }));
    expect(whole).toBe(true);
    await page.click("#diagram button[title^='Labels at their real size']");
    expect(await page.locator("#diagram .zoom").textContent()).toBe("100%");
  }, 60_000);

  it("shows an actor's KV store, decoded, a page at a time", async () => {
    const key = `kv-${crypto.randomUUID().slice(0, 8)}`;
    const store = createClient<typeof registry>(endpoint).store.getOrCreate(key);
    await store.putMany(Array.from({ length: 55 }, (_, i) => [`item:${String(i).padStart(2, "0")}`, { n: i }] as [string, unknown]));
    await page.goto(`${endpoint}/__actorstate/`);
    await page.selectOption("#filter-name", "store");
    await page.locator("tbody tr", { hasText: key }).click();
    await page.locator("#kv tbody tr", { hasText: "item:00" }).waitFor();
    expect(await page.locator("#kv tbody tr").count()).toBe(50);
    await page.locator("#kv tbody tr", { hasText: "item:00" }).locator("summary").click();
    await page.locator("#kv tbody tr", { hasText: "item:00" }).locator(".tree", { hasText: "n: 0" }).last().waitFor();
    await page.click("#kv-next");
    await page.locator("#kv tbody tr", { hasText: "item:54" }).waitFor();
    expect(await page.locator("#kv tbody tr").count()).toBe(5);
    expect(await page.locator("#kv-next").isDisabled()).toBe(true);
    await page.click("#kv-prev");
    await page.locator("#kv tbody tr", { hasText: "item:00" }).waitFor();
    await page.screenshot({ path: `${shots}/4-kv.png` });
  }, 60_000);

  it("stays usable with 1,000 actors in the list and 1,000 entries in a log", async () => {
    const client = createClient<typeof registry>({ endpoint, encoding: "cbor" });
    const run = crypto.randomUUID().slice(0, 8);
    const keys = Array.from({ length: 1000 }, (_, i) => `scale-${run}-${String(i).padStart(4, "0")}`);
    // Created from inside the Worker: a thousand round trips through wrangler dev's proxy
    // would take most of this test's time on a small machine.
    const seeded = await fetch(`${endpoint}/__fixtures/recorders`, { method: "POST", body: JSON.stringify({ keys }) });
    expect(await seeded.json()).toEqual({ created: 1000 });
    // 1,000 log entries: every call through a stale id is refused, and refusals are logged.
    const busy = client.ledger.getOrCreate(`scale-${run}-log`);
    const staleId = (await busy.resolve()).replace(/:0$/, ":7");
    for (let i = 0; i < 1000; i += 50) {
      await Promise.all(Array.from({ length: 50 }, () => client.ledger.getForId(staleId).read().catch(() => undefined)));
    }

    await page.goto(`${endpoint}/__actorstate/`);
    let started = performance.now();
    await page.selectOption("#filter-name", "recorder");
    await page.fill("#filter-key", `scale-${run}`);
    await page.locator("tbody tr").nth(999).waitFor();
    const listMs = performance.now() - started;
    expect(await page.locator("tbody tr").count()).toBe(1000);

    await page.fill("#filter-key", `scale-${run}-log`);
    await page.selectOption("#filter-name", "ledger");
    await page.locator("tbody tr", { hasText: `scale-${run}-log` }).click();
    started = performance.now();
    await page.locator("#log li.transition").nth(999).waitFor();
    const logMs = performance.now() - started;
    expect(await page.locator("#log li.transition").count()).toBe(1000);
    await page.locator("#log li.transition").nth(500).click();
    await page.locator("#moment.past").waitFor();
    console.log(`visualizer at scale: 1,000 actors listed in ${Math.round(listMs)} ms, a 1,000-entry log shown in ${Math.round(logMs)} ms`);
  }, 120_000);
});

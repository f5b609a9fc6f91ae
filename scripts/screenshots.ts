// Retakes the inspector screenshots in docs/ (visualizer-running.png, visualizer-time-travel.png,
// workflow-inspector.png, workflow-time-travel.png):
// the example Worker under wrangler dev as `npm start` runs it, driven by Debian's chromium.
// Run: node scripts/screenshots.ts
import { chromium } from "playwright-core";
import { createClient } from "../runtime/client/index.ts";
import { startWranglerDev } from "./wrangler-dev.ts";

const server = await startWranglerDev("wrangler.json", { quiet: true, vars: { ACTORSTATE_INSPECTOR: "open" } });
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu"] });
try {
  // What `npm run example:client` does, plus a call that fails.
  // Untyped, as in bench.ts: the registry's type needs the Workers types this script is not checked with.
  const client = createClient<any>(server.url) as any;
  const counter = client.counter.getOrCreate("demo");
  const conn = counter.connect();
  await conn.ready();
  await counter.increment(1);
  await conn.increment(10);
  await counter.fail().catch(() => undefined);
  await conn.dispose();

  const page = await browser.newPage({ viewport: { width: 1440, height: 1300 } });
  await page.goto(`${server.url}/__actorstate/`);
  await page.locator("tbody tr", { hasText: "demo" }).click();
  await page.locator('#diagram .current[data-state="running"]').waitFor();
  await page.locator("#log li.call", { hasText: "fail" }).waitFor();
  await page.screenshot({ path: "docs/visualizer-running.png" });

  // Destroyed from the page, then back to the moment it started running.
  await page.click("#destroy");
  await page.locator('#diagram .current[data-state="destroyed"]').waitFor();
  await page.locator("#log li.transition", { hasText: "create done" }).click();
  await page.locator("#moment.past").waitFor();
  await page.evaluate(() => globalThis.scrollTo(0, 0));
  await page.screenshot({ path: "docs/visualizer-time-travel.png" });

  // The expense workflow, submitted as the README's curl does: in review, its 24 h timer counting down.
  await fetch(`${server.url}/expense/e-42`, { method: "POST", body: JSON.stringify({ type: "SUBMIT", amount: 120, description: "Train" }) });
  await page.goto(`${server.url}/__actorstate/`);
  await page.selectOption("#filter-name", "expense");
  await page.locator("tbody tr", { hasText: "e-42" }).click();
  await page.locator('#wf-machine [data-state-id="expense.review"].active').waitFor();
  await page.locator("#wf-timers .countdown", { hasText: /^in 2[34] h/ }).waitFor();
  await page.screenshot({ path: "docs/workflow-inspector.png" });

  // Approved from the page's form: paid after two failed attempts; then back to review.
  await page.fill("#wf-event", JSON.stringify({ type: "APPROVE", by: "ana" }));
  await page.click("#wf-send");
  await page.locator('#wf-machine [data-state-id="expense.paid"].active').waitFor();
  await page.locator("#wf-history li", { hasText: "SUBMIT" }).click();
  await page.locator("#wf-moment.past").waitFor();
  await page.evaluate(() => globalThis.scrollTo(0, 0));
  await page.screenshot({ path: "docs/workflow-time-travel.png" });
  console.log("wrote docs/visualizer-running.png, docs/visualizer-time-travel.png, docs/workflow-inspector.png and docs/workflow-time-travel.png");
} finally {
  await browser.close();
  await server.stop();
}

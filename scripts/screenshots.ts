// Retakes the inspector screenshots in docs/ (visualizer-running.png, visualizer-time-travel.png,
// workflow-inspector.png, workflow-time-travel.png):
// the example Worker under wrangler dev as `npm start` runs it, driven by Debian's chromium.
// Each image is then quantized with pngquant (apt-get install -y pngquant; the script stops
// first without it) to 64 colours, fewer if that is still too heavy: tests/package/links.test.ts
// allows a shipped image 60,000 bytes at most.
// Run: node scripts/screenshots.ts
import { spawnSync } from "node:child_process";
import { statSync } from "node:fs";
import { chromium, type Page } from "playwright-core";
import { createClient } from "../runtime/client/index.ts";
import { startWranglerDev } from "./wrangler-dev.ts";

/** As IMAGE_BUDGET in tests/package/links.test.ts. */
const IMAGE_BUDGET = 60_000;
if (spawnSync("pngquant", ["--version"]).error) throw new Error("pngquant is needed to keep the images under 60 KB: apt-get install -y pngquant");

/** A screenshot of the page at path, quantized until it weighs IMAGE_BUDGET bytes or less. */
async function shoot(page: Page, path: string): Promise<void> {
  await page.screenshot({ path });
  for (const colours of [64, 48, 32]) {
    const quantized = spawnSync("pngquant", ["--strip", "--speed", "1", String(colours), "--force", "--output", path, path], { stdio: "inherit" });
    if (quantized.status !== 0) throw new Error(`pngquant failed on ${path}`);
    const bytes = statSync(path).size;
    if (bytes <= IMAGE_BUDGET) {
      console.log(`${path}: ${bytes} bytes, ${colours} colours`);
      return;
    }
  }
  throw new Error(`${path} weighs ${statSync(path).size} bytes at 32 colours, over ${IMAGE_BUDGET}: capture less of the page`);
}

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
  await shoot(page, "docs/visualizer-running.png");

  // Destroyed from the page, then back to the moment it started running.
  await page.click("#destroy");
  await page.locator('#diagram .current[data-state="destroyed"]').waitFor();
  await page.locator("#log li.transition", { hasText: "create done" }).click();
  await page.locator("#moment.past").waitFor();
  await page.evaluate(() => globalThis.scrollTo(0, 0));
  await shoot(page, "docs/visualizer-time-travel.png");

  // The expense workflow, submitted as the README's curl does: in review, its 24 h timer counting down.
  await fetch(`${server.url}/expense/e-42`, { method: "POST", body: JSON.stringify({ type: "SUBMIT", amount: 120, description: "Train" }) });
  await page.goto(`${server.url}/__actorstate/`);
  await page.selectOption("#filter-name", "expense");
  await page.locator("tbody tr", { hasText: "e-42" }).click();
  await page.locator('#wf-machine [data-state-id="expense.review"].active').waitFor();
  await page.locator("#wf-timers .countdown", { hasText: /^in 2[34] h/ }).waitFor();
  await shoot(page, "docs/workflow-inspector.png");

  // Approved from the page's form: paid after two failed attempts; then back to review.
  await page.fill("#wf-event", JSON.stringify({ type: "APPROVE", by: "ana" }));
  await page.click("#wf-send");
  // Two failed attempts wait 1 s and 2 s before the next (examples/expense/machine.ts).
  await page.locator('#wf-machine [data-state-id="expense.paid"].active').waitFor({ timeout: 60_000 });
  await page.locator("#wf-history li", { hasText: "SUBMIT" }).click();
  await page.locator("#wf-moment.past").waitFor();
  await page.evaluate(() => globalThis.scrollTo(0, 0));
  await shoot(page, "docs/workflow-time-travel.png");
  console.log("wrote docs/visualizer-running.png, docs/visualizer-time-travel.png, docs/workflow-inspector.png and docs/workflow-time-travel.png");
} finally {
  await browser.close();
  await server.stop();
}

// The browser suites' Chromium: Debian's (installed by .ci/run with apt); browsers are never
// downloaded.
import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";

const CHROMIUM = "/usr/bin/chromium";

/**
 * Whether the browser suites skip: only off CI, on a machine without Chromium. Under CI
 * (`CI=true`, as `.ci/run` sets) they always run, so a missing browser fails them instead of
 * hiding them.
 */
export const skipBrowserSuites = !existsSync(CHROMIUM) && process.env.CI !== "true";

/** Start headless Chromium; `args` adds flags to the usual ones. */
export function launchChromium(args: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [...args, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
}

// Writes docs/lifecycle.svg from the lifecycle machine. `--check` exits 1 if the committed
// file differs, so a stale diagram fails CI.
import { readFile, writeFile } from "node:fs/promises";
import { lifecycleMachine } from "../machines/lifecycle/machine.ts";
import { toSvg } from "../machines/diagram/index.ts";

const target = new URL("../docs/lifecycle.svg", import.meta.url);
const svg = await toSvg(lifecycleMachine);
if (process.argv.includes("--check")) {
  const committed = await readFile(target, "utf8").catch(() => "");
  if (committed !== svg) {
    console.error("docs/lifecycle.svg is stale: run `npm run diagram` and commit it.");
    process.exit(1);
  }
  console.log("docs/lifecycle.svg is up to date.");
} else {
  await writeFile(target, svg);
  console.log(`wrote docs/lifecycle.svg (${svg.length} bytes)`);
}

// npm start: wrangler dev on the example Worker, offline, then the addresses to open.
import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";

const config = JSON.parse(await readFile(new URL("../wrangler.json", import.meta.url), "utf8")) as { dev?: { ip?: string; port?: number } };
const origin = `http://${config.dev?.ip ?? "127.0.0.1"}:${config.dev?.port ?? 8787}`;

// The inspector opens without a token only for a variable `wrangler deploy` never ships:
// passed here on the command line, for this local run alone.
const wrangler = spawn("wrangler", ["dev", "--var", "ACTORSTATE_INSPECTOR:open", ...process.argv.slice(2)], {
  env: { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_HIDE_BANNER: "true" },
  stdio: "inherit",
});
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => wrangler.kill(signal));
wrangler.on("exit", (code) => process.exit(code ?? 0));

for (let attempt = 0; attempt < 240 && wrangler.exitCode === null; attempt++) {
  if (await fetch(origin).then(() => true, () => false)) {
    console.log(`\n  actorstate example   ${origin}/counter/demo`);
    console.log(`  inspector            ${origin}/__actorstate/\n`);
    break;
  }
  await new Promise((resolve) => setTimeout(resolve, 250));
}

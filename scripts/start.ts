// npm start: wrangler dev on the example Worker, offline, then the addresses to open.
//
// wrangler dev is several processes (the wrangler wrapper, wrangler itself, esbuild, workerd),
// so it runs in a process group of its own and is stopped as a group: on Ctrl-C, on a signal
// to this script, when npm is killed (npm hands its SIGTERM to the shell that runs this
// script, which dies without passing it on) and when this script exits for any reason.
import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";

const config = JSON.parse(await readFile(new URL("../wrangler.json", import.meta.url), "utf8")) as { dev?: { ip?: string; port?: number } };
const args = process.argv.slice(2);
/** A `--name value` passed through to wrangler dev, which wins over wrangler.json. */
const passed = (name: string) => {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? args[index + 1] : undefined;
};
const origin = `http://${passed("ip") ?? config.dev?.ip ?? "127.0.0.1"}:${passed("port") ?? config.dev?.port ?? 8787}`;

// The inspector opens without a token only for a variable `wrangler deploy` never ships:
// passed here on the command line, for this local run alone.
const wrangler = spawn("wrangler", ["dev", "--var", "ACTORSTATE_INSPECTOR:open", ...args], {
  env: { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_HIDE_BANNER: "true" },
  stdio: "inherit",
  detached: true,
});
const group = wrangler.pid;

/** Sends `signal` to every process of wrangler dev's group, if any is left. */
function signalGroup(signal: NodeJS.Signals): void {
  if (group === undefined) return;
  try {
    process.kill(-group, signal);
  } catch (error) {
    if ((error as { code?: string }).code !== "ESRCH") throw error;
  }
}

/** Asks wrangler dev to stop, and kills what is left of it after a grace period. */
function stop(signal: NodeJS.Signals): void {
  signalGroup(signal);
  setTimeout(() => process.exit(1), 10_000).unref();
}

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, () => stop(signal));
// Whatever ends this script, wrangler dev ends with it.
process.on("exit", () => signalGroup("SIGKILL"));
wrangler.on("exit", (code) => process.exit(code ?? 0));

// When npm is killed, its shell dies and this script is handed to another parent, with no
// signal: that change of parent is the only news of it.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) stop("SIGTERM");
}, 500).unref();

for (let attempt = 0; attempt < 240 && wrangler.exitCode === null; attempt++) {
  if (await fetch(origin).then(() => true, () => false)) {
    console.log(`\n  actorstate example   ${origin}/counter/demo`);
    console.log(`  inspector            ${origin}/__actorstate/\n`);
    break;
  }
  await new Promise((resolve) => setTimeout(resolve, 250));
}

// npm run chaos: a mixed workload against the chaos Worker under wrangler dev, with workerd
// killed by SIGKILL at random moments and wrangler restarted on the same persist directory;
// after each restart, the invariants of scripts/chaos/invariants.ts are checked through the
// public API. Exits non-zero if any invariant was violated. See tests/README.md.
import { mkdir, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { seededRandom } from "../tests/support/random.ts";
import { parseFlags } from "./chaos/flags.ts";
import { Findings, INVARIANTS, type Invariant } from "./chaos/findings.ts";
import { checkAfterRestart } from "./chaos/invariants.ts";
import { Ledger, type OpKind } from "./chaos/ledger.ts";
import { describeProcesses, type ProcessInfo } from "./chaos/process-tree.ts";
import { MAX_JOB_MS, startWorkload, WORK_WATCH_MS } from "./chaos/workload.ts";
import { startWrangler, type WranglerProcess } from "./chaos/wrangler-process.ts";

const CONFIG = fileURLToPath(new URL("../tests/chaos/wrangler.json", import.meta.url));
const WRANGLER_TMP = fileURLToPath(new URL("../tests/chaos/.wrangler/tmp", import.meta.url));

const flags = parseFlags(
  process.argv.slice(2),
  {
    kills: { default: 3, help: "how many times workerd is killed with SIGKILL" },
    seconds: { default: 60, help: "seconds of workload in all, split at random between the kills" },
    seed: { default: Math.floor(Math.random() * 2 ** 31), help: "seed of the random choices (printed, to replay a run's choices)" },
    concurrency: { default: 12, help: "operations in flight at once" },
    trigger: {
      default: "any",
      help: "kill right after which operation: destroy, re-create, schedule, work (a workflow's promise work), doom (a destroy right after a workflow's timer), none (after the phase's time), or any (chosen at random per kill)",
    },
    bound: {
      default: 20,
      help: "seconds each convergence may take after a restart (settling, due schedules and timers, the directory; interrupted promise work gets this plus the alarm's 10 s watch and a job's length)",
    },
    keep: { default: false, help: "keep the work directory (persisted state and wrangler logs) even when every check passes" },
  },
  "npm run chaos -- [--kills N] [--seconds S] [--seed X] [--trigger T] [--concurrency C] [--bound S] [--keep]",
);

const random = seededRandom(flags.seed);
const ledger = new Ledger();
const findings = new Findings();
const work = await mkdtemp(join(tmpdir(), "actorstate-chaos-"));
const persistTo = join(work, "state");
await mkdir(persistTo);
const tmpBefore = new Set(await readdir(WRANGLER_TMP).catch(() => [] as string[]));
const started = Date.now();
const killed: ProcessInfo[] = [];
let restarts = 0;
/** Workflow promise jobs storage held as under way after a restart, and how many of them ran again. */
let jobsInterrupted = 0;
let jobsRerun = 0;
let server: WranglerProcess | undefined;
let starting: Promise<WranglerProcess> | undefined;
let failure: unknown;
let interrupted = false;

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
/** Start wrangler dev on the persist directory; returns how long it took. */
const start = async () => {
  const before = Date.now();
  // wrangler picks some ports of its own; on a shared machine one can be taken in the
  // meantime ("Address already in use"). That is the harness's problem, not a finding: retry.
  for (let attempt = 1; ; attempt++) {
    starting = startWrangler({ config: CONFIG, persistTo, logFile: join(work, `wrangler-${restarts}-${attempt}.log`) });
    try {
      server = await starting;
      return Date.now() - before;
    } catch (error) {
      if (attempt === 3 || interrupted) throw error;
      console.log(`wrangler dev did not start (attempt ${attempt}); trying again`);
    }
  }
};

/** Stop the server this run started (by PID, checking every process is gone) and remove its leftovers. */
async function stopAndClean(keepWork: boolean): Promise<void> {
  // A server still starting is stopped once it is up (or has failed to start).
  await starting?.catch(() => undefined);
  await server?.stop().catch((error: unknown) => (failure ??= error));
  // wrangler removes its bundle directory on a clean exit only; the killed ones leave theirs.
  for (const entry of await readdir(WRANGLER_TMP).catch(() => [] as string[])) {
    if (!tmpBefore.has(entry)) await rm(join(WRANGLER_TMP, entry), { recursive: true, force: true });
  }
  if (!keepWork) await rm(work, { recursive: true, force: true });
}

// Ctrl-C (or a CI timeout's SIGTERM): stop what this run started, by PID, then leave.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (interrupted) return;
    interrupted = true;
    console.log(`\n${signal}: stopping the processes this run started`);
    void stopAndClean(flags.keep).finally(() => process.exit(130));
  });
}

console.log(`actorstate chaos: seed ${flags.seed}, ${flags.kills} kill(s), ${flags.seconds} s of workload, work directory ${work}`);
try {
  console.log(`wrangler dev started in ${seconds(await start())}`);
  // Phase lengths: random shares of the workload time, at least a second each.
  const shares = Array.from({ length: flags.kills }, () => 0.5 + random.next());
  const total = shares.reduce((a, b) => a + b, 0);
  for (let cycle = 1; cycle <= flags.kills && !interrupted; cycle++) {
    const phaseMs = Math.max(1_000, ((shares[cycle - 1] as number) / total) * flags.seconds * 1000);
    const trigger = killTrigger();
    let waitingFor: ((kind: OpKind) => void) | undefined;
    const live = server as WranglerProcess;
    const workload = startWorkload({
      endpoint: live.url,
      ledger,
      findings,
      random,
      concurrency: flags.concurrency,
      cycle,
      onSend: (kind) => waitingFor?.(kind),
    });
    await new Promise((resolve) => setTimeout(resolve, phaseMs));
    // Kill right after a chosen kind of operation went out, to catch it half done.
    if (trigger) {
      await new Promise<void>((resolve) => {
        const giveUp = setTimeout(resolve, 2_000);
        waitingFor = (kind) => {
          if (kind !== trigger) return;
          waitingFor = undefined;
          clearTimeout(giveUp);
          setTimeout(resolve, random.int(20));
        };
      });
    }
    workload.stop();
    const victims = await live.crash();
    const killedAt = Date.now();
    killed.push(...victims);
    await workload.settled();
    restarts++;
    const restartMs = await start();
    const violationsBefore = findings.violations.length;
    const timings = await checkAfterRestart({
      endpoint: (server as WranglerProcess).url,
      ledger,
      findings,
      cycle,
      killedAt,
      bounds: {
        settleMs: flags.bound * 1000,
        scheduleMs: flags.bound * 1000,
        directoryMs: flags.bound * 1000,
        // Nobody calls: the alarm that watches promise work may be up to its period away, then the job runs again.
        workMs: flags.bound * 1000 + WORK_WATCH_MS + MAX_JOB_MS,
      },
    });
    jobsInterrupted += timings.work.interrupted;
    jobsRerun += timings.work.rerun;
    console.log(
      `cycle ${cycle}: ${seconds(phaseMs)} of workload, SIGKILL to workerd ${describeProcesses(victims)}${trigger ? ` right after a ${trigger}` : ""}; ` +
        `restarted in ${seconds(restartMs)}; settled in ${seconds(timings.settleMs)}, schedules ${seconds(timings.schedulesMs)}, ` +
        `${timings.work.interrupted} interrupted promise job(s) resumed unattended in ${seconds(timings.work.ms)}, workflows ${seconds(timings.workflowsMs)}, directory ${seconds(timings.directoryMs)}; ` +
        `${findings.violations.length - violationsBefore} violation(s)`,
    );
  }
} catch (error) {
  failure = error;
}
if (interrupted) await new Promise(() => {}); // the signal handler finishes the run
const violated = findings.violations.length > 0;
await stopAndClean(flags.keep || violated || failure !== undefined);
printSummary();
if (flags.keep || violated || failure) console.log(`work directory kept: ${work} (persisted state in state/, wrangler logs wrangler-*.log)`);
process.exit(failure || violated ? 1 : 0);

/** Which operation the next kill follows, from --trigger. */
function killTrigger(): OpKind | undefined {
  const triggers = {
    destroy: "destroy",
    "re-create": "re-create",
    schedule: "schedule",
    work: "workflow promise work",
    doom: "workflow timer, then destroy",
    none: undefined,
  } as const;
  if (flags.trigger === "any") return random.pick(Object.values(triggers));
  if (!Object.hasOwn(triggers, flags.trigger)) throw new Error(`--trigger takes ${Object.keys(triggers).join(", ")} or any, not "${flags.trigger}".`);
  return triggers[flags.trigger as keyof typeof triggers];
}

function printSummary(): void {
  const totals = ledger.totals();
  console.log(`\nchaos summary (seed ${flags.seed}, ${seconds(Date.now() - started)} in all)`);
  console.log(`kills: ${killed.length ? `${restarts} (SIGKILL to ${killed.length} workerd process(es))` : "0"}; every process started was stopped and is gone${failure ? " (see the error below)" : ""}`);
  console.log(`operations: ${totals.sent} sent, ${totals.acknowledged} acknowledged, ${totals.failed} failed`);
  console.log("| operation | sent | acknowledged | failed |\n| --- | ---: | ---: | ---: |");
  for (const [kind, counts] of ledger.ops) console.log(`| ${kind} | ${counts.sent} | ${counts.acknowledged} | ${counts.failed} |`);
  const failures = [...ledger.failures].sort((a, b) => b[1] - a[1]).map(([code, count]) => `${code} ${count}`);
  console.log(`failed operations by error: ${failures.join(", ") || "none"}`);
  console.log(`workflow promise work under way at a kill: ${jobsInterrupted} job(s), ${jobsRerun} of them seen running again after the restart`);
  const passed = [...findings.passed.values()].reduce((a, b) => a + b, 0);
  console.log(`\nchecks: ${passed} passed, ${findings.violations.length} failed`);
  console.log("| invariant | passed | failed |\n| --- | ---: | ---: |");
  for (const invariant of Object.keys(INVARIANTS) as Invariant[]) {
    console.log(`| ${INVARIANTS[invariant]} | ${findings.passed.get(invariant) ?? 0} | ${findings.failedCount(invariant)} |`);
  }
  for (const v of findings.violations) {
    console.log(`VIOLATED: ${INVARIANTS[v.invariant]} — ${v.actor}, ${v.cycle ? `after restart ${v.cycle}` : "during the workload"}: ${v.detail}`);
  }
  if (failure) console.log(`ERROR: the run did not complete: ${failure instanceof Error ? (failure.stack ?? failure.message) : String(failure)}`);
}

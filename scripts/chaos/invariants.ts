// The checks after each restart, through the public API (and, for workflows, what their
// objects have stored, read as the inspector reads it, without waking them): each actor settles, its
// generation and log agree with what was acknowledged, its schedules ran exactly once,
// old ids are gone, workflows' events, timers and promise work hold (workflow-checks.ts),
// and the directory catches up. Every check goes to the findings.
import { ActorError, type DirectoryEntry } from "../../runtime/client/index.ts";
import { chaosClient, listDirectory, type ChaosClient, type ChoreReport } from "./chaos-client.ts";
import type { Findings } from "./findings.ts";
import { WORKFLOW_NAMES, type ActorLedger, type Ledger } from "./ledger.ts";
import { checkErrand, checkTimeline, checkUnattendedWork, type UnattendedWork } from "./workflow-checks.ts";

/** How long each kind of convergence may take before it counts as a violation. */
export interface CheckBounds {
  /** For every actor to answer `running` or `actor/not_found`. */
  settleMs: number;
  /** For due schedules to have run, counted from the last one's due time. */
  scheduleMs: number;
  /** For the directory to agree with the actors. */
  directoryMs: number;
  /** For promise work a kill interrupted to run again and its machine to move on, with nobody calling. */
  workMs: number;
}

/** Where an actor settled: running at a generation, or gone (destroyed or never created). */
type Settled = { running: true; generation: number; actorId: string } | { running: false };

/** How long each phase of the check took, for the summary. */
export interface CheckTimings {
  settleMs: number;
  schedulesMs: number;
  /** Interrupted promise work, and how long it took to resume. */
  work: UnattendedWork;
  workflowsMs: number;
  directoryMs: number;
}

const POLL_MS = 100;
const pause = () => new Promise((resolve) => setTimeout(resolve, POLL_MS));

function codeOf(error: unknown): string {
  return error instanceof ActorError ? error.fullCode : `network (${String(error)})`;
}

/**
 * Run every check against the restarted Worker at `endpoint`. Workflow actors are left
 * alone until promise work the kill interrupted has had its chance to resume by itself
 * (`checkUnattendedWork`, which never wakes them); the plain actors are checked meanwhile.
 */
export async function checkAfterRestart(options: {
  endpoint: string;
  ledger: Ledger;
  findings: Findings;
  cycle: number;
  /** When workerd was dead (epoch ms). */
  killedAt: number;
  bounds: CheckBounds;
}): Promise<CheckTimings> {
  const { ledger, findings, cycle, bounds } = options;
  const client = chaosClient(options.endpoint, "json");
  const actors = [...ledger.actors.values()];
  const plain = actors.filter((actor) => !WORKFLOW_NAMES.has(actor.name));
  const workflows = actors.filter((actor) => WORKFLOW_NAMES.has(actor.name));
  const where = (actor: ActorLedger) => ({ cycle, actor: actor.label });

  const unattended = checkUnattendedWork({
    endpoint: options.endpoint,
    errands: workflows.filter((actor) => actor.name === "errand"),
    findings,
    cycle,
    killedAt: options.killedAt,
    boundMs: bounds.workMs,
  });

  const settled = new Map<ActorLedger, Settled>();
  /** Settle each actor of `group`, then check its generation and its old ids. */
  const settleAll = async (group: ActorLedger[]) => {
    await Promise.all(
      group.map(async (actor) => {
        const outcome = await settle(client, actor, bounds.settleMs);
        findings.check(outcome.settled !== undefined, "settles", where(actor), () => `still ${outcome.last} after ${bounds.settleMs} ms`);
        if (outcome.settled) settled.set(actor, outcome.settled);
      }),
    );
    for (const actor of group) {
      const state = settled.get(actor);
      if (!state) continue;
      if (state.running) checkGeneration(findings, actor, state.generation, cycle);
      else
        findings.check(actor.maxGeneration < 0 || [...actor.destroysSent].some((g) => g >= actor.maxGeneration), "notLost", where(actor), () =>
          `actor/not_found, but generation ${actor.maxGeneration} was acknowledged and no destroy of it (or later) was sent`,
        );
    }
    await Promise.all(
      group.flatMap((actor) => {
        const state = settled.get(actor);
        return state ? [checkOldIds(client, findings, actor, state, cycle)] : [];
      }),
    );
  };

  const started = Date.now();
  await settleAll(plain);
  const settleMs = Date.now() - started;
  for (const [actor, state] of settled) if (state.running && actor.name === "appendLog") await checkLog(client, findings, actor, state, cycle);

  const schedulesStarted = Date.now();
  for (const [actor, state] of settled) if (state.running && actor.name === "chore") await checkSchedules(client, findings, actor, state, cycle, bounds.scheduleMs);
  for (const actor of actors) if (actor.name === "chore") await checkWitness(client, findings, actor, cycle);
  const schedulesMs = Date.now() - schedulesStarted;

  const work = await unattended;
  const workflowsStarted = Date.now();
  await settleAll(workflows);
  for (const actor of workflows) {
    const state = settled.get(actor);
    const live = state?.running ? state : undefined;
    if (actor.name === "timeline" && live) await checkTimeline(options.endpoint, findings, actor, live, cycle, bounds.scheduleMs);
    if (actor.name === "errand" && state) await checkErrand(options.endpoint, findings, actor, live, cycle, bounds.scheduleMs);
  }
  const workflowsMs = Date.now() - workflowsStarted;

  const directoryStarted = Date.now();
  await checkDirectory(options.endpoint, findings, settled, cycle, bounds.directoryMs);
  return { settleMs, schedulesMs, work, workflowsMs, directoryMs: Date.now() - directoryStarted };
}

/** Poll `inspect()` until the actor is running or not found. */
async function settle(client: ChaosClient, actor: ActorLedger, boundMs: number): Promise<{ settled?: Settled; last: string }> {
  const deadline = Date.now() + boundMs;
  let last = "unanswered";
  do {
    try {
      const inspection = await client[actor.name].get(actor.key).inspect();
      if (inspection.lifecycle === "running") return { settled: { running: true, generation: inspection.generation, actorId: inspection.actorId }, last };
      last = `${inspection.lifecycle} at generation ${inspection.generation}`;
    } catch (error) {
      if (codeOf(error) === "actor/not_found") return { settled: { running: false }, last };
      last = codeOf(error);
    }
    await pause();
  } while (Date.now() < deadline);
  return { last };
}

/** The live generation against the destroys and acknowledgements before it. */
function checkGeneration(findings: Findings, actor: ActorLedger, generation: number, cycle: number): void {
  const where = { cycle, actor: actor.label };
  findings.check(generation >= actor.maxGeneration, "generationsForward", where, () => `running at generation ${generation}, but generation ${actor.maxGeneration} was acknowledged before`);
  const undestroyed = [...Array(generation).keys()].filter((g) => !actor.destroysSent.has(g));
  findings.check(!undestroyed.length, "generationsByDestroy", where, () => `running at generation ${generation}, but no destroy was ever sent to generation(s) ${undestroyed.join(", ")}`);
  findings.check(!actor.destroysAcked.has(generation), "destroyedStaysDestroyed", where, () => `generation ${generation} answers running, but its destroy was acknowledged`);
  actor.observeGeneration(generation);
}

/** Every generation known to be gone answers actor/not_found by its id. */
async function checkOldIds(client: ChaosClient, findings: Findings, actor: ActorLedger, state: Settled, cycle: number): Promise<void> {
  if (state.running) actor.observeId(state.actorId);
  const gone = state.running ? [...Array(state.generation).keys()] : [...Array(actor.maxGeneration + 1).keys()];
  for (const generation of gone) {
    const id = actor.idOf(generation);
    if (!id) return;
    const outcome = await client[actor.name].getForId(id).inspect().then(
      (inspection) => `answered ${inspection.lifecycle} at generation ${inspection.generation}`,
      (error: unknown) => codeOf(error),
    );
    findings.check(outcome === "actor/not_found", "oldIdsGone", { cycle, actor: actor.label }, () => `id ${id} ${outcome}`);
  }
}

/** The live generation's log holds every acknowledged append, each once, and nothing else. */
async function checkLog(client: ChaosClient, findings: Findings, actor: ActorLedger, state: Extract<Settled, { running: true }>, cycle: number): Promise<void> {
  const where = { cycle, actor: actor.label };
  const log = await client.appendLog.getForId(state.actorId).entries();
  findings.check(log.created, "createdFully", where, () => `generation ${state.generation} runs, but its onCreate never finished (state.created is false)`);
  const values = log.entries.map(([, value]) => value);
  const present = new Set(values);
  const missing = [...actor.appendsAcked].filter(([value, generation]) => generation === state.generation && !present.has(value)).map(([value]) => value);
  findings.check(!missing.length, "appendsKept", where, () =>
    `${missing.length} acknowledged append(s) of generation ${state.generation} missing from its ${values.length} entries: ${missing.slice(0, 10).join(", ")}${missing.length > 10 ? ", …" : ""}`,
  );
  const duplicates = values.filter((value, i) => values.indexOf(value) !== i);
  const unknown = values.filter((value) => !actor.appendsSent.has(value));
  findings.check(!duplicates.length && !unknown.length, "noDuplicates", where, () => `duplicates: [${duplicates.slice(0, 10).join(", ")}], never sent: [${unknown.slice(0, 10).join(", ")}]`);
  const gaps = log.entries.filter(([seq], i) => seq !== i).length;
  findings.check(log.next === log.entries.length && gaps === 0, "counterMatches", where, () =>
    `counter ${log.next}, ${log.entries.length} entries, ${gaps} out of sequence (first seqs: ${log.entries.slice(0, 5).map(([seq]) => seq).join(", ")})`,
  );
}

/** Wait for the live generation's due schedules, then check each ran exactly once and only its own ran. */
async function checkSchedules(
  client: ChaosClient,
  findings: Findings,
  actor: ActorLedger,
  state: Extract<Settled, { running: true }>,
  cycle: number,
  boundMs: number,
): Promise<void> {
  const where = { cycle, actor: actor.label };
  const handle = client.chore.getForId(state.actorId);
  let report: ChoreReport = await handle.report();
  const lastDue = Math.max(0, ...Object.values(report.planned));
  const deadline = Math.max(Date.now(), lastDue) + boundMs;
  const allRan = (r: ChoreReport) => Object.keys(r.planned).every((label) => r.ran.includes(label));
  while (!allRan(report) && Date.now() < deadline) {
    await pause();
    report = await handle.report();
  }
  const missing = [...actor.plansAcked].filter(([label, generation]) => generation === state.generation && !(label in report.planned)).map(([label]) => label);
  findings.check(!missing.length, "plansKept", where, () => `acknowledged schedule(s) of generation ${state.generation} missing: ${missing.slice(0, 10).join(", ")}`);
  // Past the deadline every planned schedule is overdue by the bound: each must have run once.
  const wrong = Object.keys(report.planned)
    .map((label) => [label, report.ran.filter((ran) => ran === label).length, report.runCounts[label] ?? 0] as const)
    .filter(([, inState, inKv]) => inState !== 1 || inKv !== 1);
  findings.check(!wrong.length, "schedulesOnce", where, () =>
    wrong.slice(0, 10).map(([label, inState, inKv]) => `${label} ran ${inState}× (state) / ${inKv}× (kv)`).join("; ") + ` (${report.pending} still pending)`,
  );
  const foreign = report.ran.filter((label) => !(label in report.planned));
  findings.check(!foreign.length, "schedulesOwnGeneration", where, () => `ran schedules not planned on generation ${state.generation}: ${foreign.slice(0, 10).join(", ")}`);
}

/** No run reached the witness after its generation's destroy was acknowledged. */
async function checkWitness(client: ChaosClient, findings: Findings, actor: ActorLedger, cycle: number): Promise<void> {
  const runs = await client.witness
    .get(["witness", actor.key])
    .runs()
    .catch((error: unknown) => (codeOf(error) === "actor/not_found" ? {} : Promise.reject(error)));
  const late = Object.entries(runs).flatMap(([label, list]) =>
    list.filter((run) => (actor.destroysAcked.get(run.generation) ?? Infinity) < run.at).map((run) => `${label} ran on generation ${run.generation} at ${run.at}, destroyed at ${actor.destroysAcked.get(run.generation)}`),
  );
  findings.check(!late.length, "noRunAfterDestroy", { cycle, actor: actor.label }, () => late.slice(0, 10).join("; "));
}

/** Poll the directory until every actor's entry matches where it settled. */
async function checkDirectory(endpoint: string, findings: Findings, settled: Map<ActorLedger, Settled>, cycle: number, boundMs: number): Promise<void> {
  const deadline = Date.now() + boundMs;
  let mismatches: Array<[ActorLedger, string]> = [];
  let entries = new Map<string, DirectoryEntry>();
  do {
    try {
      entries = new Map();
      for (const name of new Set([...settled.keys()].map((actor) => actor.name))) {
        for (const entry of await listDirectory(endpoint, name)) entries.set(`${name}/${JSON.stringify(entry.key)}`, entry);
      }
      mismatches = [...settled].flatMap(([actor, state]) => {
        const entry = entries.get(`${actor.name}/${JSON.stringify([actor.key])}`);
        const shown = entry ? `${entry.lifecycle} at generation ${entry.generation}` : "no entry";
        if (state.running) return entry?.lifecycle === "running" && entry.generation === state.generation ? [] : [[actor, `running at generation ${state.generation}, directory: ${shown}`] as [ActorLedger, string]];
        if (entry ? entry.lifecycle === "destroyed" : actor.maxGeneration < 0) return [];
        return [[actor, `gone (actor/not_found), directory: ${shown}`] as [ActorLedger, string]];
      });
    } catch (error) {
      mismatches = [...settled.keys()].map((actor) => [actor, `directory unreadable: ${String(error)}`] as [ActorLedger, string]);
    }
    if (!mismatches.length) break;
    await pause();
  } while (Date.now() < deadline);
  const failing = new Map(mismatches);
  for (const actor of settled.keys()) {
    findings.check(!failing.has(actor), "directoryAgrees", { cycle, actor: actor.label }, () => `${failing.get(actor)} after ${boundMs} ms`);
  }
  // A destroyed entry names the tombstone's generation: the generations below it are gone too.
  for (const [actor, state] of settled) {
    const entry = entries.get(`${actor.name}/${JSON.stringify([actor.key])}`);
    if (state.running || entry?.lifecycle !== "destroyed") continue;
    const generation = actor.observeId(entry.actorId);
    findings.check(actor.destroysSent.has(generation), "generationsByDestroy", { cycle, actor: actor.label }, () =>
      `the directory shows generation ${generation} destroyed, but no destroy was sent to it`,
    );
  }
}

// The workflow checks after each restart (the actors of tests/chaos/workflows.ts). First,
// with nobody calling any workflow, promise work that a kill interrupted must run again and
// its machine move on: errands are only read from storage (the chaos Worker's peek route)
// and at their ledger, another object. Then, once the workflows have settled, each
// timeline's events and timers, and each errand's runs and timers at its ledger.
import { ActorError } from "../../runtime/client/index.ts";
import { chaosClient, peek, type ErrandContext, type ErrandLedgerReport, type JobRun, type Peeked, type TimelineContext } from "./chaos-client.ts";
import type { Findings } from "./findings.ts";
import type { ActorLedger } from "./ledger.ts";

const POLL_MS = 250;
const pause = () => new Promise((resolve) => setTimeout(resolve, POLL_MS));

/** A live generation, as the settle check found it. */
export interface LiveGeneration {
  generation: number;
  actorId: string;
}

/** Promise work the kill interrupted: how many jobs storage held as under way, and how many of those ran again. */
export interface UnattendedWork {
  interrupted: number;
  rerun: number;
  ms: number;
}

/** An idempotency key without its 64-hex object id: `…:3/job-j1-7/12` (generation, path, run). */
const shortKey = (key: string | undefined) => (key && key.indexOf(":") > 0 ? `…${key.slice(key.indexOf(":"))}` : String(key));
const short = (runs: JobRun[]) => runs.map((run) => `${run.phase} at ${run.at} (key ${shortKey(run.key)}, process ${run.process.slice(0, 8)})`).join(", ") || "none";

function contextOf<C>(seen: Peeked | null | undefined): C | undefined {
  return seen?.workflow?.view?.context as C | undefined;
}

/** Call `read` until it answers (the server may still be warming up), or the deadline passes. */
async function answer<T>(read: () => Promise<T>, deadline: number): Promise<T | undefined> {
  for (;;) {
    try {
      return await read();
    } catch {
      if (Date.now() >= deadline) return undefined;
      await pause();
    }
  }
}

/** The errand ledger of `key`; empty if no promise of it ever ran. */
async function ledgerOf(endpoint: string, key: string): Promise<ErrandLedgerReport> {
  return chaosClient(endpoint, "json")
    .errandLedger.get(["ledger", key])
    .report()
    .catch((error: unknown) => (error instanceof ActorError && error.fullCode === "actor/not_found" ? { jobs: {}, notified: {} } : Promise.reject(error)));
}

/**
 * Every job an errand's storage holds as under way after the restart must run again — on
 * the alarm that watches promise work, since nobody calls — and its machine take the
 * outcome within `boundMs`. Reads storage (never waking the errand) and the ledger only.
 */
export async function checkUnattendedWork(options: {
  endpoint: string;
  errands: ActorLedger[];
  findings: Findings;
  cycle: number;
  /** When workerd was dead (epoch ms): a run that ended after it ran after the restart. */
  killedAt: number;
  boundMs: number;
}): Promise<UnattendedWork> {
  const { endpoint, findings, cycle, killedAt } = options;
  const started = Date.now();
  const deadline = started + options.boundMs;
  const pending: Array<{ actor: ActorLedger; generation: number; jobs: string[]; work: string }> = [];
  for (const actor of options.errands) {
    const seen = await answer(() => peek(endpoint, "errand", actor.key), deadline);
    const context = contextOf<ErrandContext>(seen);
    // Not running, or no machine: the settle and errand checks judge that later.
    if (!seen || seen.lifecycle !== "running" || !context || seen.workflow?.view?.status !== "active") continue;
    const jobs = Object.entries(context.jobs)
      .filter(([, job]) => job.doneAt === undefined)
      .map(([id]) => id);
    const work = (seen.workflow?.work ?? []).map((w) => `${w.id} since ${w.startedAt}`).join(", ") || "none";
    if (jobs.length) pending.push({ actor, generation: seen.generation, jobs, work });
  }

  // The ledger first (cheap to read): each pending job's run must end after the kill.
  const reports = new Map<ActorLedger, ErrandLedgerReport>();
  const endedSinceKill = (actor: ActorLedger, job: string) => reports.get(actor)?.jobs[job]?.some((run) => run.phase === "end" && run.at > killedAt) ?? false;
  while (Date.now() < deadline) {
    const waiting = pending.filter((entry) => entry.jobs.some((job) => !endedSinceKill(entry.actor, job)));
    if (!waiting.length) break;
    for (const entry of waiting) {
      const report = await ledgerOf(endpoint, entry.actor.key).catch(() => undefined);
      if (report) reports.set(entry.actor, report);
    }
    await pause();
  }
  // Then storage: the machine must have taken each outcome.
  const last = new Map<ActorLedger, Peeked | null>();
  const done = (entry: (typeof pending)[number]) => {
    const seen = last.get(entry.actor);
    const context = contextOf<ErrandContext>(seen);
    return seen?.generation === entry.generation && entry.jobs.every((job) => context?.jobs[job]?.doneAt !== undefined);
  };
  do {
    for (const entry of pending) {
      if (done(entry)) continue;
      const seen = await peek(endpoint, "errand", entry.actor.key).catch(() => undefined);
      if (seen !== undefined) last.set(entry.actor, seen);
    }
    if (pending.every(done)) break;
    await pause();
  } while (Date.now() < deadline);

  let interrupted = 0;
  let rerun = 0;
  for (const entry of pending) {
    const report = reports.get(entry.actor) ?? (await ledgerOf(endpoint, entry.actor.key).catch(() => undefined));
    const seen = last.get(entry.actor);
    for (const job of entry.jobs) {
      interrupted++;
      const runs = report?.jobs[job] ?? [];
      if (runs.some((run) => run.phase === "start" && run.at > killedAt)) rerun++;
      const state = seen?.generation === entry.generation ? contextOf<ErrandContext>(seen)?.jobs[job] : undefined;
      findings.check(state?.doneAt !== undefined && state.failed === undefined, "workResumed", { cycle, actor: entry.actor.label }, () =>
        `job ${job} of generation ${entry.generation} was under way when workerd was killed (stored work: ${entry.work}); ` +
          `${Date.now() - started} ms after the restart, with nobody calling, ${
            state?.failed !== undefined
              ? `it failed: ${state.failed}`
              : seen === undefined || seen === null
                ? "storage could not be read"
                : `storage holds generation ${seen.generation} ${seen.lifecycle}, the job ${state ? "not done" : "absent"}, work under way: ${(seen.workflow?.work ?? []).map((w) => w.id).join(", ") || "none"}`
          }; runs at the ledger: ${short(runs)}`,
      );
    }
  }
  return { interrupted, rerun, ms: Date.now() - started };
}

/**
 * A timeline's live generation: every acknowledged ADD and ARM taken, each ADD once and
 * none never sent, and — once every timer is due by the bound — each ARM's MARK fired
 * exactly once, not before its time, and no MARK armed elsewhere. Read from storage, so
 * the timers must have fired on the alarm.
 */
export async function checkTimeline(endpoint: string, findings: Findings, actor: ActorLedger, live: LiveGeneration, cycle: number, boundMs: number): Promise<void> {
  const where = { cycle, actor: actor.label };
  let seen = await peek(endpoint, "timeline", actor.key);
  let context = contextOf<TimelineContext>(seen);
  const due = (c: TimelineContext) => Math.max(0, ...Object.values(c.armed).map((timer) => timer.at + timer.delayMs));
  const deadline = Math.max(Date.now(), context ? due(context) : 0) + boundMs;
  const allFired = (c: TimelineContext) => Object.keys(c.armed).every((label) => c.fired.some(([fired]) => fired === label));
  while (context && !allFired(context) && Date.now() < deadline) {
    await pause();
    seen = await peek(endpoint, "timeline", actor.key);
    context = contextOf<TimelineContext>(seen);
  }
  const started = findings.check(seen?.generation === live.generation && context?.generation === live.generation, "createdFully", where, () =>
    `generation ${live.generation} runs, but storage holds ${seen ? `generation ${seen.generation} with ${context ? `a machine stamped ${context.generation}` : "no started machine"}` : "nothing"}`,
  );
  if (!started || !context) return;

  const added = context.added;
  const armed = context.armed;
  const missing = [
    ...[...actor.eventsAcked].filter(([id, generation]) => generation === live.generation && !added.includes(id)).map(([id]) => `event ${id}`),
    ...[...actor.timersAcked].filter(([label, generation]) => generation === live.generation && !(label in armed)).map(([label]) => `timer ${label}`),
  ];
  findings.check(!missing.length, "workflowEventsKept", where, () =>
    `${missing.length} acknowledged event(s) of generation ${live.generation} not taken (${added.length} ADDs and ${Object.keys(armed).length} ARMs in its context): ${missing.slice(0, 10).join(", ")}`,
  );
  const duplicates = added.filter((id, i) => added.indexOf(id) !== i);
  const unknown = [...added.filter((id) => !actor.eventsSent.has(id)), ...Object.keys(armed).filter((label) => !actor.timersSent.has(label))];
  findings.check(!duplicates.length && !unknown.length, "workflowEventsOnce", where, () => `taken twice: [${duplicates.slice(0, 10).join(", ")}], never sent: [${unknown.slice(0, 10).join(", ")}]`);

  // One check per timer: each armed one fired once, not early; each fired one was armed here.
  const now = Date.now();
  const pending = seen?.workflow?.timers.length ?? 0;
  for (const [label, timer] of Object.entries(armed)) {
    const fires = context.fired.filter(([fired]) => fired === label).map(([, at]) => at);
    const dueAt = timer.at + timer.delayMs;
    if (fires.length === 0 && dueAt + boundMs > now) continue; // not overdue by the bound yet
    findings.check(fires.length === 1 && (fires[0] as number) >= dueAt && timer.delayMs === actor.timersSent.get(label), "timersOnce", where, () =>
      `timer ${label} (due at ${dueAt}, ${timer.delayMs} ms after it was armed; ${actor.timersSent.get(label)} ms sent) fired ${fires.length}× at [${fires.join(", ")}] (${pending} timer(s) still pending)`,
    );
  }
  for (const [label] of context.fired) {
    findings.check(label in armed, "timersOwnGeneration", where, () => `generation ${live.generation} fired timer ${label}, which it never armed`);
  }
}

/**
 * An errand, at its ledger (every generation) and, if it runs, in storage: its acknowledged
 * events taken once; each job's runs under one idempotency key, the one whose output the
 * machine took; no run started after its machine moved on, after its generation's destroy
 * was acknowledged, or twice in one process; each DOOM timer fired at most once, in its own
 * generation, never after that generation's destroy was acknowledged, and once if it was
 * due by the bound and its generation lives.
 */
export async function checkErrand(endpoint: string, findings: Findings, actor: ActorLedger, live: LiveGeneration | undefined, cycle: number, boundMs: number): Promise<void> {
  const where = { cycle, actor: actor.label };
  const report = await ledgerOf(endpoint, actor.key);
  let context: ErrandContext | undefined;
  if (live) {
    const seen = await peek(endpoint, "errand", actor.key);
    context = contextOf<ErrandContext>(seen);
    const started = findings.check(seen?.generation === live.generation && context?.generation === live.generation, "createdFully", where, () =>
      `generation ${live.generation} runs, but storage holds ${seen ? `generation ${seen.generation} with ${context ? `a machine stamped ${context.generation}` : "no started machine"}` : "nothing"}`,
    );
    if (!started) context = undefined;
    else if (seen?.workflow?.view?.status !== "active") {
      findings.check(false, "workResumed", where, () => `the machine of generation ${live.generation} is ${seen?.workflow?.view?.status}: ${JSON.stringify(seen?.workflow?.view)}`.slice(0, 500));
    }
  }
  if (live && context) {
    const jobs = context.jobs;
    const doomed = context.doomed;
    const missing = [
      ...[...actor.jobsAcked].filter(([job, generation]) => generation === live.generation && !(job in jobs)).map(([job]) => `job ${job}`),
      ...[...actor.timersAcked].filter(([label, generation]) => generation === live.generation && !(label in doomed)).map(([label]) => `timer ${label}`),
    ];
    findings.check(!missing.length, "workflowEventsKept", where, () => `${missing.length} acknowledged event(s) of generation ${live.generation} not taken: ${missing.slice(0, 10).join(", ")}`);
    const unknown = [...Object.keys(jobs).filter((job) => !actor.jobsSent.has(job)), ...Object.keys(doomed).filter((label) => !actor.timersSent.has(label))];
    findings.check(!unknown.length, "workflowEventsOnce", where, () => `taken but never sent: ${unknown.slice(0, 10).join(", ")}`);
  }

  // Every job the ledger heard of, whatever its generation.
  for (const [job, runs] of Object.entries(report.jobs)) {
    const generation = runs[0]?.generation as number;
    const state = live && context && generation === live.generation ? context.jobs[job] : undefined;
    const keys = [...new Set(runs.map((run) => run.key))];
    const tookOutput = state?.doneAt === undefined || (state.failed === undefined && state.key === keys[0] && runs.some((run) => run.phase === "end" && run.key === state.key));
    findings.check(keys.length === 1 && runs.every((run) => run.generation === generation) && tookOutput, "workSameKey", where, () =>
      `job ${job}: runs ${short(runs)}; the machine ${state?.doneAt === undefined ? "has not taken an outcome" : state.failed !== undefined ? `took a failure: ${state.failed}` : `took key ${shortKey(state.key)}`}`,
    );
    const destroyedAt = actor.destroysAcked.get(generation);
    const starts = runs.filter((run) => run.phase === "start");
    const late = starts.filter((run) => (destroyedAt !== undefined && run.at > destroyedAt) || (state?.doneAt !== undefined && run.at > state.doneAt));
    const perProcess = new Map<string, number>();
    for (const run of starts) perProcess.set(run.process, (perProcess.get(run.process) ?? 0) + 1);
    const twice = [...perProcess].filter(([, count]) => count > 1);
    findings.check(!late.length && !twice.length, "workNotRepeated", where, () =>
      `job ${job} of generation ${generation} (destroy acknowledged at ${destroyedAt ?? "never"}, outcome taken at ${state?.doneAt ?? "not yet"}): runs ${short(runs)}`,
    );
  }

  // Every DOOM timer: armed right before its generation's destroy.
  const now = Date.now();
  const labels = new Set([...actor.timersAcked.keys(), ...Object.keys(report.notified)]);
  for (const label of labels) {
    const notified = report.notified[label] ?? [];
    const armedIn = actor.timersAcked.get(label);
    const destroyedAt = armedIn === undefined ? undefined : actor.destroysAcked.get(armedIn);
    findings.check(notified.every((run) => armedIn === undefined || run.generation === armedIn), "timersOwnGeneration", where, () =>
      `timer ${label} armed on generation ${armedIn} fired on generation(s) ${notified.map((run) => run.generation).join(", ")}`,
    );
    if (destroyedAt !== undefined) {
      findings.check(notified.every((run) => run.at <= destroyedAt), "timersNotAfterDestroy", where, () =>
        `timer ${label} of generation ${armedIn}, destroyed at ${destroyedAt}, fired at ${notified.map((run) => run.at).join(", ")}`,
      );
    }
    const keys = new Set(notified.map((run) => run.key));
    const timer = context?.doomed[label];
    const overdue = timer !== undefined && timer.at + timer.delayMs + boundMs < now;
    const failure = context?.failures[`notify-${label}`];
    findings.check(keys.size <= 1 && (!overdue || keys.size === 1) && failure === undefined, "timersOnce", where, () =>
      `timer ${label}${timer ? ` (due at ${timer.at + timer.delayMs})` : ""} fired ${keys.size}× (runs at ${notified.map((run) => run.at).join(", ") || "none"})${failure ? `; its notification failed: ${failure}` : ""}`,
    );
  }
}

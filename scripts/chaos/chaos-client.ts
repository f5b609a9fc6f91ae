// The chaos Worker's actors (tests/chaos/actors.ts) as the Node side calls them. The
// registry's own type cannot be imported here (it brings the Workers types along), so
// this is its shape, written down once.
import { ActorError, createClient, type ActorInspection, type DirectoryEntry } from "../../runtime/client/index.ts";
import type { Encoding } from "../../runtime/protocol/encoding.ts";

export interface AppendAck {
  value: string;
  seq: number;
  generation: number;
}

export interface LogContents {
  generation: number;
  /** Whether this generation's onCreate ran to its end. */
  created: boolean;
  /** The log's counter: the sequence number the next append gets. */
  next: number;
  entries: Array<[seq: number, value: string]>;
}

export interface PlanAck {
  label: string;
  generation: number;
}

export interface ChoreReport {
  generation: number;
  /** Label → when it was due (epoch ms), as planned on this generation. */
  planned: Record<string, number>;
  /** Labels in the order their runs were saved. */
  ran: string[];
  /** Label → how many runs KV counted. */
  runCounts: Record<string, number>;
  pending: number;
}

/** Label → every run the witness heard of. */
export type WitnessRuns = Record<string, Array<{ generation: number; at: number }>>;

interface Lifecycle {
  resolve(): Promise<string>;
  destroy(): Promise<void>;
  inspect(): Promise<ActorInspection>;
}

export interface AppendLogHandle extends Lifecycle {
  append(value: string): Promise<AppendAck>;
  entries(): Promise<LogContents>;
  connect(): AppendLogConnection;
}

export interface AppendLogConnection {
  append(value: string): Promise<AppendAck>;
  ready(): Promise<void>;
  dispose(): Promise<void>;
}

export interface ChoreHandle extends Lifecycle {
  plan(label: string, delayMs: number): Promise<PlanAck>;
  report(): Promise<ChoreReport>;
}

export interface WitnessHandle extends Lifecycle {
  runs(): Promise<WitnessRuns>;
}

/** A workflow actor's snapshot view, as `send` answers. */
export interface WorkflowView<C> {
  value: unknown;
  context: C;
  status: string;
  version: number;
}

/** The timeline workflow's context (tests/chaos/workflows.ts). */
export interface TimelineContext {
  generation: number;
  added: string[];
  armed: Record<string, { at: number; delayMs: number }>;
  fired: Array<[label: string, at: number]>;
}

export type TimelineEvent = { type: "ADD"; id: string } | { type: "ARM"; label: string; delayMs: number };

export interface TimelineHandle extends Lifecycle {
  send(event: TimelineEvent): Promise<WorkflowView<TimelineContext>>;
  connect(): TimelineConnection;
}

export interface TimelineConnection {
  send(event: TimelineEvent): Promise<WorkflowView<TimelineContext>>;
  ready(): Promise<void>;
  dispose(): Promise<void>;
}

export interface ErrandJob {
  ms: number;
  at: number;
  key?: string;
  doneAt?: number;
  failed?: string;
}

/** The errand workflow's context (tests/chaos/workflows.ts). */
export interface ErrandContext {
  generation: number;
  jobs: Record<string, ErrandJob>;
  doomed: Record<string, { at: number; delayMs: number }>;
  failures: Record<string, string>;
}

export interface ErrandHandle extends Lifecycle {
  send(event: { type: "START"; job: string; ms: number } | { type: "DOOM"; label: string; delayMs: number }): Promise<WorkflowView<ErrandContext>>;
}

export interface JobRun {
  phase: "start" | "end";
  key: string;
  generation: number;
  at: number;
  process: string;
}

/** What the errand ledger heard: job id → its runs' starts and ends; DOOM label → the notifications. */
export interface ErrandLedgerReport {
  jobs: Record<string, JobRun[]>;
  notified: Record<string, Array<{ key: string; generation: number; at: number }>>;
}

export interface ErrandLedgerHandle {
  report(): Promise<ErrandLedgerReport>;
}

interface Accessor<H> {
  getOrCreate(key: string): H;
  get(key: string): H;
  getForId(id: string): H;
  create(key: string): Promise<H>;
}

export interface ChaosClient {
  appendLog: Accessor<AppendLogHandle>;
  chore: Accessor<ChoreHandle>;
  witness: {
    get(key: string[]): WitnessHandle;
  };
  timeline: Accessor<TimelineHandle>;
  errand: Accessor<ErrandHandle>;
  errandLedger: {
    get(key: string[]): ErrandLedgerHandle;
  };
}

/**
 * `fetch`, with a failure to reach the server (expected around every kill) turned into an
 * `internal/error` marked `{ network: true }`: the client then passes it on as it is,
 * instead of logging each one as an unexpected error.
 */
const networkFetch: typeof fetch = (input, init) =>
  fetch(input, init).catch((error: unknown) => {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? String(error);
    throw new ActorError("internal/error", `The server could not be reached (${cause}).`, { metadata: { network: cause } });
  });

/** Whether an error is a failure to reach the server rather than an answer from it. */
export function networkFailure(error: unknown): string | undefined {
  return error instanceof ActorError ? ((error.metadata as { network?: string } | undefined)?.network ?? undefined) : undefined;
}

/** The network client for the chaos Worker at `endpoint`. */
export function chaosClient(endpoint: string, encoding: Encoding): ChaosClient {
  return createClient<any>({ endpoint, encoding, fetch: networkFetch }) as unknown as ChaosClient;
}

/** Every directory entry of an actor type, through the chaos Worker's in-Worker listing. */
export async function listDirectory(endpoint: string, name: string): Promise<DirectoryEntry[]> {
  const response = await fetch(`${endpoint}/chaos/directory/${name}`);
  if (!response.ok) throw new Error(`directory of ${name}: ${response.status} ${await response.text()}`);
  return (await response.json()) as DirectoryEntry[];
}

/** What an actor's object has stored, read without waking the actor (the chaos Worker's peek route). */
export interface Peeked {
  lifecycle: string;
  generation: number;
  actorId: string;
  /** For a workflow actor: its stored view (`null` before its machine started), timers and promise work under way. */
  workflow: {
    view: WorkflowView<unknown> | null;
    timers: Array<{ event: string; dueAt: number }>;
    work: Array<{ id: string; src: string; startedAt: number }>;
  } | null;
}

/** Where an actor stands in storage, without waking it; `null` if it was never created. */
export async function peek(endpoint: string, name: string, key: string): Promise<Peeked | null> {
  const response = await fetch(`${endpoint}/chaos/peek/${name}?key=${encodeURIComponent(JSON.stringify([key]))}`);
  if (!response.ok) throw new Error(`peek at ${name} "${key}": ${response.status} ${await response.text()}`);
  return (await response.json()) as Peeked | null;
}

import type { AnyStateMachine } from "xstate";

/** One transition of a state, as the inspector draws it. */
export interface TransitionGraph {
  /** XState's event type (`xstate.after.100.order.review` for a delay). */
  event: string;
  /** What a person reads: `SUBMIT`, `after 24 h`, `charge done`, `charge failed`. */
  label: string;
  /** Target state ids; empty for a targetless transition. */
  targets: string[];
  /** The guard as a person reads it: its name, or what an inline one checks (`context.amount > 100`). */
  guard?: string;
  /** For `after`: the delay in milliseconds. */
  delayMs?: number;
}

/** One state of a machine and everything below it, as plain data. */
export interface StateGraph {
  id: string;
  key: string;
  type: "atomic" | "compound" | "parallel" | "final" | "history";
  /** The initial child's id, for compound states. */
  initial?: string;
  states: StateGraph[];
  transitions: TransitionGraph[];
  /** Actors invoked while in this state. */
  invoke: Array<{ id: string; src: string }>;
  tags: string[];
}

interface DefinitionNode {
  id: string;
  key: string;
  type: StateGraph["type"];
  initial?: { target?: unknown[] };
  states: Record<string, DefinitionNode>;
  transitions?: Array<{ eventType: string; target?: unknown[]; guard?: unknown; delay?: unknown }>;
  invoke?: Array<{ id: string; src: unknown }>;
  tags?: string[];
}

/** A delay as a person says it: `100 ms`, `30 s`, `5 min`, `24 h`. */
export function formatDelay(ms: number): string {
  if (ms < 1_000 || ms % 1_000) return `${ms} ms`;
  if (ms < 60_000 || ms % 60_000) return `${ms / 1_000} s`;
  if (ms < 3_600_000 || ms % 3_600_000) return `${ms / 60_000} min`;
  return `${ms / 3_600_000} h`;
}

/** An event type as a person reads it. */
export function eventLabel(type: string, delayMs?: number): string {
  if (type.startsWith("xstate.after.")) return delayMs === undefined ? "after a delay" : `after ${formatDelay(delayMs)}`;
  if (type.startsWith("xstate.done.actor.")) return `${type.slice("xstate.done.actor.".length)} done`;
  if (type.startsWith("xstate.error.actor.")) return `${type.slice("xstate.error.actor.".length)} failed`;
  if (type.startsWith("xstate.done.state.")) return "done";
  if (type === "xstate.init") return "start";
  return type === "" ? "always" : type;
}

/** A target as XState's definition holds it — a state node, or its `#id` — as a state id. */
const targetId = (target: unknown) =>
  typeof target === "string" ? (target.startsWith("#") ? target.slice(1) : target) : String((target as { id: unknown }).id);

function nameOf(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  const type = (value as { type?: unknown } | null)?.type;
  return typeof type === "string" ? type : value === undefined ? undefined : "inline";
}

/** The longest label an inline guard's source is shortened to. */
const GUARD_LABEL_CHARS = 40;

/** Where a function's parameter list ends in its source: after its first balanced `(…)`. */
function afterParams(source: string): number {
  const open = source.indexOf("(");
  if (open < 0) return -1;
  let depth = 0;
  for (let i = open; i < source.length; i++) {
    if (source[i] === "(") depth++;
    else if (source[i] === ")" && --depth === 0) return i + 1;
  }
  return -1;
}

/**
 * What an inline guard checks, from its source: `({ context }) => context.amount > 100`
 * reads `context.amount > 100`; a body that only returns reads as its expression.
 */
function checkOf(source: string): string {
  const bare = /^(?:async\s*)?[\w$]+\s*=>([^]*)$/.exec(source);
  const end = bare ? -1 : afterParams(source);
  let body = (bare ? bare[1]! : end < 0 ? source : source.slice(end).replace(/^\s*=>/, "")).trim();
  const returned = /^\{\s*return\s+([^;]*);?\s*\}$/.exec(body);
  if (returned) body = returned[1]!;
  body = body.replace(/\s+/g, " ").trim();
  return body.length > GUARD_LABEL_CHARS ? `${body.slice(0, GUARD_LABEL_CHARS - 1)}…` : body;
}

/**
 * A guard as a person reads it: its name (`isReviewer`, `small`), XState's `and`/`or`/`not`
 * and `stateIn` spelled out with what they combine, and for an anonymous function what it
 * checks. XState names an arrow written as `guard: (…) => …` after the property, `guard`,
 * which says nothing.
 */
export function guardLabel(guard: unknown): string | undefined {
  if (guard === undefined) return undefined;
  if (typeof guard !== "function") return nameOf(guard);
  const { guards, stateValue } = guard as { guards?: unknown[]; stateValue?: unknown };
  if (Array.isArray(guards)) return `${guard.name}(${guards.map((inner) => guardLabel(inner) ?? "?").join(", ")})`;
  if (stateValue !== undefined) return `${guard.name}(${typeof stateValue === "string" ? stateValue : JSON.stringify(stateValue)})`;
  if (guard.name && guard.name !== "guard") return guard.name;
  return checkOf(Function.prototype.toString.call(guard)) || "guard";
}

/**
 * `charge done` rather than `0.order.charging done`: an invoke without an `id` gets one
 * XState makes up from its place (`0.order.charging`), so its events go by its `src`.
 */
function unnamedActorLabel(type: string, node: DefinitionNode): string | undefined {
  for (const [index, invoke] of (node.invoke ?? []).entries()) {
    if (invoke.id !== `${index}.${node.id}`) continue;
    const src = nameOf(invoke.src) ?? "inline";
    if (type === `xstate.done.actor.${invoke.id}`) return `${src} done`;
    if (type === `xstate.error.actor.${invoke.id}`) return `${src} failed`;
  }
  return undefined;
}

/** Named delays (`delays: { reviewTimeout: 86_400_000 }`) that are plain numbers. */
type NamedDelays = Record<string, unknown>;

/** A transition's delay in milliseconds, when it is a number or a named constant. */
export function delayOf(delay: unknown, named: NamedDelays): number | undefined {
  if (typeof delay === "number") return delay;
  const value = typeof delay === "string" && Object.hasOwn(named, delay) ? named[delay] : undefined;
  return typeof value === "number" ? value : undefined;
}

function toGraph(node: DefinitionNode, delays: NamedDelays): StateGraph {
  const initial = node.initial?.target?.[0];
  return {
    id: node.id,
    key: node.key,
    type: node.type,
    ...(node.type === "compound" && initial ? { initial: targetId(initial) } : {}),
    states: Object.values(node.states).map((child) => toGraph(child, delays)),
    transitions: (node.transitions ?? []).map((t) => {
      const delayMs = delayOf(t.delay, delays);
      const guard = guardLabel(t.guard);
      return {
        event: t.eventType,
        label: unnamedActorLabel(t.eventType, node) ?? eventLabel(t.eventType, delayMs),
        targets: (t.target ?? []).map(targetId),
        ...(guard ? { guard } : {}),
        ...(delayMs === undefined ? {} : { delayMs }),
      };
    }),
    invoke: (node.invoke ?? []).map((i) => ({ id: i.id, src: nameOf(i.src) ?? "inline" })),
    tags: node.tags ?? [],
  };
}

/**
 * A machine's states and transitions as plain data (no functions): what the inspector
 * draws for a workflow actor, nested states inside their parents.
 */
export function stateTree(machine: AnyStateMachine): StateGraph {
  return toGraph(machine.root.definition as unknown as DefinitionNode, (machine.implementations.delays ?? {}) as NamedDelays);
}

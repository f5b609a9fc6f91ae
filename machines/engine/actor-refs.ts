import type { AnyActorLogic, AnyActorRef, EventObject } from "xstate";

/**
 * Where an actor of a system lives: `""` for the root, the child's id below it, and
 * `"child/grandchild"` further down. Stable across restarts, unlike XState's session ids.
 */
export type ActorPath = string;

/** What an actor ref is to XState's runtime beyond its public face: its parent and logic. */
interface RuntimeRef {
  id: string;
  _parent?: RuntimeRef;
  logic?: unknown;
  src?: unknown;
  options?: { input?: unknown };
  _processingStatus?: number;
}

/** The path of child `id` of the actor at `parent`. */
export function childPath(parent: ActorPath, id: string): ActorPath {
  return parent === "" ? id : `${parent}/${id}`;
}

/** The path of the actor at `path`'s parent. */
export function parentPath(path: ActorPath): ActorPath {
  const slash = path.lastIndexOf("/");
  return slash < 0 ? "" : path.slice(0, slash);
}

/** Where `ref` lives in its system: the ids from the root's child down to it. */
export function pathOf(ref: AnyActorRef): ActorPath {
  const ids: string[] = [];
  for (let at = ref as unknown as RuntimeRef; at._parent; at = at._parent) ids.unshift(at.id);
  return ids.join("/");
}

/** The actor at `path` below `root`, if it is there. */
export function refAt(root: AnyActorRef, path: ActorPath): AnyActorRef | undefined {
  let at: AnyActorRef | undefined = root;
  for (const id of path === "" ? [] : path.split("/")) {
    at = (at?.getSnapshot() as { children?: Record<string, AnyActorRef> } | undefined)?.children?.[id];
  }
  return at;
}

/** The logic a ref runs and how it was named (`src`), as XState's runtime holds them. */
export function logicOf(ref: AnyActorRef): { logic: unknown; src: unknown; input: unknown } {
  const runtime = ref as unknown as RuntimeRef;
  return { logic: runtime.logic, src: runtime.src, input: runtime.options?.input };
}

/** Whether `ref` is stopped (XState's processing status 2). */
export function isStopped(ref: AnyActorRef): boolean {
  return (ref as unknown as RuntimeRef)._processingStatus === 2;
}

export function isActorRef(value: unknown): value is AnyActorRef {
  return typeof value === "object" && value !== null && typeof (value as AnyActorRef).send === "function" && typeof (value as AnyActorRef).sessionId === "string";
}

/** Whether `logic` is a state machine. */
export function isMachineLogic(logic: unknown): boolean {
  return typeof logic === "object" && logic !== null && "root" in logic && typeof (logic as { getStateNodeById?: unknown }).getStateNodeById === "function";
}

/**
 * Whether `logic` is XState's promise logic (`fromPromise`): its pure transition settles on
 * XState's own resolve event, which no other logic does.
 */
export function isPromiseLogic(logic: unknown): logic is AnyActorLogic & { config: (args: Record<string, unknown>) => PromiseLike<unknown> } {
  const candidate = logic as { config?: unknown; transition?: (state: unknown, event: EventObject, scope: unknown) => { status?: string } } | undefined;
  if (typeof candidate?.config !== "function" || typeof candidate.transition !== "function") return false;
  try {
    const settled = candidate.transition({ status: "active", output: undefined, error: undefined, input: undefined }, { type: "xstate.promise.resolve", data: undefined } as EventObject, {});
    return settled?.status === "done";
  } catch {
    return false;
  }
}

/**
 * Whether `logic` does work of its own once started that no snapshot can hold — a callback
 * or an observable actor — so it cannot survive a restart. Machines and promises can (a
 * promise runs again), and so can pure transition logic, which starts nothing.
 */
export function runsUnstorableWork(logic: unknown): boolean {
  if (typeof (logic as { start?: unknown } | null)?.start !== "function") return false;
  return !isMachineLogic(logic) && !isPromiseLogic(logic);
}

/** An error as plain data: what a snapshot can store and a caller can see. */
export function plainError(error: unknown): { name: string; message: string } {
  if (error instanceof Error) return { name: error.name, message: error.message };
  if (typeof error === "object" && error !== null && typeof (error as { message?: unknown }).message === "string") {
    const { name, message } = error as { name?: unknown; message: string };
    return { name: typeof name === "string" ? name : "Error", message };
  }
  return { name: "Error", message: String(error) };
}

/** How a ref inside stored data (a delayed event) is written: the path of the actor it names. */
const REF_MARK = "actorstate$ref";

/**
 * `value` as it can be stored: every actor ref replaced by where it lives, every error by
 * `{ name, message }` (an error event's `error`, say).
 */
export function storeRefs(value: unknown): unknown {
  if (isActorRef(value)) return { [REF_MARK]: pathOf(value) };
  if (value instanceof Error) return plainError(value);
  if (Array.isArray(value)) return value.map(storeRefs);
  if (typeof value === "object" && value !== null && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, storeRefs(inner)]));
  }
  return value;
}

/** Stored data with its refs brought back to the actors of `root`'s system (a ref to an actor that is gone stays a path). */
export function reviveRefs(value: unknown, root: AnyActorRef): unknown {
  if (Array.isArray(value)) return value.map((inner) => reviveRefs(inner, root));
  if (typeof value === "object" && value !== null) {
    const record = value as Record<string, unknown>;
    if (typeof record[REF_MARK] === "string") return refAt(root, record[REF_MARK]) ?? value;
    return Object.fromEntries(Object.entries(record).map(([key, inner]) => [key, reviveRefs(inner, root)]));
  }
  return value;
}

/** XState's mark for an actor ref in a persisted context. */
interface PersistedRef {
  xstate$$type: 1;
  id: string;
  /** Added here: where the actor lives, and whether it had stopped. */
  path?: ActorPath;
  stopped?: boolean;
}

/** How a ref XState cannot bring back by itself waits in a restored context: the path of its actor. */
const CONTEXT_REF_MARK = "actorstate$contextRef";

function isPersistedRef(value: unknown): value is PersistedRef {
  return typeof value === "object" && value !== null && (value as PersistedRef).xstate$$type === 1 && typeof (value as PersistedRef).id === "string";
}

/** The children of a machine actor (none for other actors). */
function childrenOf(ref: AnyActorRef): Record<string, AnyActorRef> {
  return (ref.getSnapshot() as { children?: Record<string, AnyActorRef> }).children ?? {};
}

/** Visit the machine actors of a system below and at `live`, each with its persisted snapshot. */
function eachMachine(live: AnyActorRef, persisted: unknown, visit: (live: AnyActorRef, persisted: { context?: unknown }) => void): void {
  visit(live, persisted as { context?: unknown });
  const stored = (persisted as { children?: Record<string, { snapshot?: unknown }> }).children ?? {};
  for (const [id, child] of Object.entries(childrenOf(live))) {
    if (isMachineLogic(logicOf(child).logic) && stored[id]?.snapshot) eachMachine(child, stored[id].snapshot, visit);
  }
}

/** Visit the live machine actors of a system below and at `live`. */
function eachLiveMachine(live: AnyActorRef, visit: (live: AnyActorRef) => void): void {
  visit(live);
  for (const child of Object.values(childrenOf(live))) if (isMachineLogic(logicOf(child).logic)) eachLiveMachine(child, visit);
}

/** Walk a live context and its persisted copy together, annotating each ref's mark with where its actor lives. */
function annotate(live: unknown, persisted: unknown): void {
  if (typeof live !== "object" || live === null || typeof persisted !== "object" || persisted === null) return;
  for (const key of Object.keys(persisted)) {
    const liveValue = (live as Record<string, unknown>)[key];
    const storedValue = (persisted as Record<string, unknown>)[key];
    if (isActorRef(liveValue) && isPersistedRef(storedValue)) {
      (persisted as Record<string, unknown>)[key] = { ...storedValue, path: pathOf(liveValue), ...(isStopped(liveValue) ? { stopped: true } : {}) };
    } else {
      annotate(liveValue, storedValue);
    }
  }
}

/**
 * XState persists an actor ref in a context by its id alone, and brings back only refs to
 * that machine's own children: a ref to a parent, a sibling or a stopped actor would come
 * back empty. So each mark also says where its actor lives (and whether it had stopped).
 * Call on the persisted snapshot `persisted` just taken of `root`.
 */
export function markContextRefs(root: AnyActorRef, persisted: unknown): unknown {
  eachMachine(root, persisted, (live, stored) => annotate(live.getSnapshot().context, stored.context));
  return persisted;
}

/** Before a restore: the marks XState would revive wrongly are set aside, for {@link reviveContextRefs}. */
export function setAsideContextRefs(persisted: unknown, path: ActorPath = ""): void {
  const node = persisted as { context?: unknown; children?: Record<string, { snapshot?: unknown }> };
  const visit = (part: unknown): void => {
    if (typeof part !== "object" || part === null) return;
    for (const [key, value] of Object.entries(part)) {
      if (isPersistedRef(value)) {
        // Its own live child XState brings back; anything else waits for its path.
        if (value.path !== undefined && (value.stopped || value.path !== childPath(path, value.id))) {
          (part as Record<string, unknown>)[key] = { [CONTEXT_REF_MARK]: value.path, stopped: value.stopped === true, id: value.id };
        }
      } else {
        visit(value);
      }
    }
  };
  visit(node.context);
  for (const [id, child] of Object.entries(node.children ?? {})) if (child?.snapshot) setAsideContextRefs(child.snapshot, childPath(path, id));
}

/**
 * After a restore: the refs set aside become refs again — to the actor at their path, or,
 * for an actor that had stopped, to a stopped actor of the same id and parent (sending to
 * it, or stopping it again, does nothing, as with any stopped actor).
 */
export function reviveContextRefs(root: AnyActorRef, stoppedRef: (id: string, parent: AnyActorRef | undefined) => AnyActorRef): void {
  const seen = new Set<unknown>();
  const visit = (part: unknown): void => {
    // Only the context's own data: never into an actor ref XState put back.
    if (typeof part !== "object" || part === null || isActorRef(part) || seen.has(part)) return;
    seen.add(part);
    for (const [key, value] of Object.entries(part)) {
      const mark = value as { [CONTEXT_REF_MARK]?: unknown; stopped?: boolean; id?: string } | null;
      if (typeof mark?.[CONTEXT_REF_MARK] === "string") {
        const path = mark[CONTEXT_REF_MARK];
        const live = mark.stopped ? undefined : refAt(root, path);
        (part as Record<string, unknown>)[key] = live ?? stoppedRef(String(mark.id), path === "" ? undefined : refAt(root, parentPath(path)));
      } else {
        visit(value);
      }
    }
  };
  eachLiveMachine(root, (live) => visit(live.getSnapshot().context));
}

/**
 * Persisted snapshots carry errors as thrown and inputs as given; stored, errors are
 * `{ name, message }` and refs are paths. Every actor of the tree is visited (a child that
 * failed keeps its error too). Works on a copy: a promise's persisted snapshot is its live one.
 */
export function plainErrors(persisted: unknown): unknown {
  const node = { ...(persisted as Record<string, unknown>) } as { error?: unknown; input?: unknown; children?: Record<string, { snapshot?: unknown }> };
  if (node.error !== undefined) node.error = plainError(node.error);
  // A promise child's input may hold refs (`input: ({ self }) => …`): stored as paths.
  if (node.input !== undefined) node.input = storeRefs(node.input);
  if (node.children) {
    node.children = Object.fromEntries(Object.entries(node.children).map(([id, child]) => [id, child?.snapshot ? { ...child, snapshot: plainErrors(child.snapshot) } : child]));
  }
  return node;
}

/** Where a stored work's promise actor sits in a persisted tree. */
export function persistedChild(root: unknown, path: ActorPath, id: string): { snapshot: Record<string, unknown> } | undefined {
  let node = root as { children?: Record<string, { snapshot: unknown }> } | undefined;
  for (const segment of path === "" ? [] : path.split("/")) node = node?.children?.[segment]?.snapshot as typeof node;
  return node?.children?.[id] as { snapshot: Record<string, unknown> } | undefined;
}

/** Promise children restored but not started yet get their input's actor refs back before they run again. */
export function reviveWorkInputs(root: AnyActorRef): void {
  const visit = (ref: AnyActorRef): void => {
    for (const child of Object.values((ref.getSnapshot() as { children?: Record<string, AnyActorRef> }).children ?? {})) {
      const snapshot = child.getSnapshot() as { input?: unknown };
      if (isPromiseLogic(logicOf(child).logic) && snapshot.input !== undefined) snapshot.input = reviveRefs(snapshot.input, root);
      visit(child);
    }
  };
  visit(root);
}

import { plainError } from "../engine/actor-refs.ts";
import type { PersistedSystem, SnapshotView, WorkflowStatus } from "./types.ts";

/**
 * What callers see of a stored system: the root machine's value, context and status, its
 * output once done, its error once failed, and the workflow version that wrote it. Built
 * from the persisted form, so child refs in the context appear as XState persists them.
 */
export function viewOf(persisted: PersistedSystem, version: number): SnapshotView {
  const root = persisted.root as { value: unknown; context: unknown; status: WorkflowStatus; output?: unknown; error?: unknown };
  return {
    value: root.value,
    context: root.context,
    status: root.status,
    ...(root.status === "done" ? { output: root.output } : {}),
    ...(root.status === "error" ? { error: plainError(root.error) } : {}),
    version,
  };
}

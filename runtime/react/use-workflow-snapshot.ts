import { useEffect, useState } from "react";
import type { SnapshotView } from "../../machines/workflow/types.ts";
import type { WorkflowHandleLike } from "../client/wait-for.ts";

/**
 * The latest snapshot view `{ value, context, status, output?, error?, version }` of a
 * workflow actor, kept current while the component is mounted; `undefined` until the first
 * one arrives. It opens a connection to `handle` (closed on unmount or when `handle`
 * changes), listens for its `"snapshot"` events, and then asks for the current view over
 * that same connection, so no step is missed in between. Typed from the machine.
 *
 * `handle` is compared by identity: make it outside the component or with `useMemo`. For
 * the connection's status and errors, or to send events over it, use {@link useActor} and
 * `useEvent(connection, "snapshot", …)`.
 *
 * @example
 * ```tsx
 * function Expense({ id }: { id: string }) {
 *   const handle = useMemo(() => client.expense.getOrCreate(id), [id]);
 *   const view = useWorkflowSnapshot(handle);
 *   if (!view) return <p>Loading…</p>;
 *   return <p>{String(view.value)}: {view.status === "done" ? JSON.stringify(view.output) : "in progress"}</p>;
 * }
 * ```
 */
export function useWorkflowSnapshot<V extends SnapshotView>(handle: WorkflowHandleLike<V> | undefined): V | undefined {
  const [view, setView] = useState<V | undefined>(undefined);
  useEffect(() => {
    setView(undefined);
    if (!handle) return;
    const connection = handle.connect();
    let live = true;
    // Every stored step is broadcast, so once one has been heard it is at least as new as
    // the answer to snapshot(), whichever arrives first.
    let heard = false;
    connection.on("snapshot", (next) => {
      heard = true;
      if (live) setView(next);
    });
    connection.snapshot().then(
      (current) => {
        if (live && !heard) setView(current);
      },
      // The connection's own error; the view stays the last one known.
      () => undefined,
    );
    return () => {
      live = false;
      void connection.dispose();
    };
  }, [handle]);
  return view;
}

import type { SnapshotView } from "../../machines/workflow/types.ts";
import { ActorError } from "../errors.ts";

/** What {@link waitFor} needs of a handle: a workflow actor's handle from any client. */
export interface WorkflowHandleLike<V extends SnapshotView> {
  connect(): {
    snapshot(): Promise<V>;
    on(event: "snapshot", listener: (view: V) => void): () => void;
    onError(listener: (error: ActorError) => void): () => void;
    dispose(): Promise<void>;
  };
}

/** Options for {@link waitFor}. */
export interface WaitForOptions {
  /** Give up after this long with `machine/wait_timed_out`; by default, wait as long as it takes. */
  timeoutMs?: number;
}

/**
 * Wait until a workflow actor's snapshot matches `predicate`, and resolve with that view.
 * It listens on a connection (closed when done) and asks for the current snapshot over that
 * same connection, after its subscription, so no change is missed in between. A machine that finishes (`done` or `error`)
 * without matching rejects with `machine/finished`, as XState's own `waitFor` does.
 *
 * @example
 * ```ts
 * import { createClient, waitFor } from "actorstate/client";
 *
 * const expense = client.expense.getOrCreate("e-42");
 * await expense.send({ type: "SUBMIT", amount: 120 });
 * const paid = await waitFor(expense, (view) => view.value === "paid", { timeoutMs: 30_000 });
 * ```
 */
export async function waitFor<V extends SnapshotView>(handle: WorkflowHandleLike<V>, predicate: (view: V) => boolean, options: WaitForOptions = {}): Promise<V> {
  const conn = handle.connect();
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await new Promise<V>((resolve, reject) => {
      const check = (view: V) => {
        try {
          if (predicate(view)) resolve(view);
          else if (view.status !== "active") reject(new ActorError("machine/finished", `The machine finished (status "${view.status}") without matching.`, { metadata: { view } }));
        } catch (error) {
          reject(error);
        }
      };
      if (options.timeoutMs !== undefined) {
        timer = setTimeout(() => reject(new ActorError("machine/wait_timed_out", `No matching snapshot within ${options.timeoutMs} ms.`)), options.timeoutMs);
      }
      conn.on("snapshot", check);
      conn.onError(reject);
      conn.snapshot().then(check, reject);
    });
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    await conn.dispose();
  }
}

// Type tests for workflow actors' clients, checked by `npm run typecheck`: each line marked
// with ts-expect-error must stay an error, or the typecheck (and CI) fails. Nothing here runs.
import { createClient } from "actorstate/client";
import type { registry } from "../workflows/fixtures/worker.ts";

declare const endpoint: string;

export async function workflowClientTypes(): Promise<void> {
  const client = createClient<typeof registry>(endpoint);
  // params are typed from the workflow's onBeforeConnect.
  const approval = client.approval.getOrCreate("doc", { input: { owner: "ada", reviewer: "grace" }, params: { token: "t" } });
  // @ts-expect-error the hook's params are { token: string }
  client.approval.getOrCreate("doc", { params: { password: "t" } });

  const view = await approval.send({ type: "COMMENT", text: "looks good" });
  const reviewer: string = view.context.reviewer;
  // @ts-expect-error the machine has no such event
  await approval.send({ type: "REJECT" });
  // @ts-expect-error send takes one event
  await approval.send({ type: "SUBMIT" }, { type: "SUBMIT" });

  const conn = approval.connect({ token: "t" });
  // @ts-expect-error the hook's params are { token: string }
  approval.connect({ token: 1 });
  // The snapshot event carries the view, typed from the machine.
  conn.on("snapshot", (next) => {
    const approvedBy: string | null = next.context.approvedBy;
    // @ts-expect-error the context has no such field
    next.context.amount;
  });
  // Emitted events by their type, each with its own payload (`types.emitted`).
  conn.on("approved", (event) => {
    const by: string = event.by;
    // @ts-expect-error the approved event has no such field
    event.amount;
  });
  // @ts-expect-error the machine emits no such event
  conn.on("rejected", () => {});
  void reviewer;
}

import { describe, expect, inject, it, vi } from "vitest";
import { createClient, waitFor } from "actorstate/client";
import type { registry } from "../workers/fixtures/actors.ts";

const endpoint = inject("endpoint");

describe("workflow actors over HTTP and WebSockets, against wrangler dev", () => {
  it("sends events and reads snapshots over HTTP, in JSON and CBOR", async () => {
    for (const encoding of ["json", "cbor"] as const) {
      const client = createClient<typeof registry>({ endpoint, encoding });
      const order = client.order.getOrCreate(`http-${encoding}-${crypto.randomUUID()}`);
      expect(await order.snapshot()).toMatchObject({ value: "draft", status: "active", version: 1 });
      const refused = await order.send({ type: "SUBMIT", amount: -1 }).catch((error: unknown) => error);
      expect(refused).toMatchObject({ group: "machine", code: "invalid_event" });
      expect(await order.send({ type: "CANCEL" })).toMatchObject({ value: "cancelled" });
      const notAccepted = await order.send({ type: "CANCEL" }).catch((error: unknown) => error);
      expect(notAccepted).toMatchObject({ group: "machine", code: "event_not_accepted" });
    }
  });

  it("pushes every stored change to a connection, and waitFor follows a workflow to its end", async () => {
    const client = createClient<typeof registry>(endpoint);
    const handle = client.finishing.getOrCreate(`ws-${crypto.randomUUID()}`);
    const conn = handle.connect();
    const views: unknown[] = [];
    conn.on("snapshot", (view) => views.push(view));
    await conn.ready();
    const finished = waitFor(handle, (view) => view.status === "done", { timeoutMs: 10_000 });
    await conn.send({ type: "FINISH", result: "over the socket" });
    await expect(finished).resolves.toMatchObject({ output: { result: "over the socket" } });
    await vi.waitFor(() => expect(views).toContainEqual(expect.objectContaining({ status: "done" })));
    await conn.dispose();
  });

  it("fires 1,000 workflows' timers once each, on their alarms", { timeout: 120_000 }, async () => {
    const keys = Array.from({ length: 1_000 }, (_, i) => `many-${i}-${crypto.randomUUID()}`);
    const post = (path: string) => fetch(`${endpoint}${path}`, { method: "POST", body: JSON.stringify({ keys }) }).then((r) => r.json() as Promise<Record<string, number>>);
    expect(await post("/__fixtures/delays")).toEqual({ created: 1_000 });
    // Each `after: 100` fires on the object's alarm; the status route reads storage only.
    await vi.waitFor(async () => expect(await post("/__fixtures/delays/fired")).toEqual({ once: 1_000, twice: 0 }), { timeout: 100_000, interval: 500 });
  });
});

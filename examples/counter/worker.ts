// The Worker `npm start` serves. Actors are served by createHandler(); the routes below
// show a Worker of your own calling them through the in-Worker client.
import { createHandler } from "actorstate";
import { ActorError, createClient } from "actorstate/client";
import { inspector } from "actorstate/inspector";
import { registry } from "./actors.ts";

const { handler, ActorObject } = createHandler(registry, { inspector });
type ActorObject = InstanceType<typeof ActorObject>; // the class as a type too, for `wrangler types`
export { ActorObject };

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const expenseRoute = /^\/expense\/([^/]+)$/.exec(url.pathname);
    if (expenseRoute) return expenseRequest(request, env, expenseRoute[1] ?? "");
    const match = /^\/counter\/([^/]+)(?:\/(increment|destroy))?$/.exec(url.pathname);
    if (!match) return handler.fetch(request, env);
    const client = createClient<typeof registry>({ binding: env.ACTORS });
    try {
      const counter = client.counter.getOrCreate(decodeURIComponent(match[1] ?? ""));
      if (match[2] === "destroy" && request.method === "POST") {
        await counter.destroy();
        return Response.json({ destroyed: true });
      }
      const count = match[2] === "increment" && request.method === "POST" ? await counter.increment(1) : await counter.get();
      return Response.json({ count, actorId: await counter.resolve() });
    } catch (error) {
      return Response.json({ error }, { status: 400 });
    }
  },
} satisfies ExportedHandler<Env>;

/** `GET /expense/:key`: the workflow's snapshot; `POST /expense/:key` with an event as JSON: send it. */
async function expenseRequest(request: Request, env: Env, rawKey: string): Promise<Response> {
  const client = createClient<typeof registry>({ binding: env.ACTORS });
  try {
    const expense = client.expense.getOrCreate(decodeURIComponent(rawKey), { input: { owner: "demo" } });
    if (request.method === "POST") return Response.json(await expense.send(await request.json()));
    return Response.json(await expense.snapshot());
  } catch (error) {
    // An ActorError (a refused event, say) as it is; a malformed key or body as a message.
    return Response.json({ error: error instanceof ActorError ? error : String(error) }, { status: 400 });
  }
}

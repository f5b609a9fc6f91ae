// The Worker `npm start` serves. Actors are served by createHandler(); the routes below
// show a Worker of your own calling them through the in-Worker client.
import { createHandler } from "actorstate";
import { createClient } from "actorstate/client";
import { registry } from "./actors.ts";

const { handler, ActorObject } = createHandler(registry);
export { ActorObject };

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
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

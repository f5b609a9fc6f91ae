// The Worker `npm run chaos` and `npm run soak` run under wrangler dev: the actors of
// actors.ts behind actorstate's handler, the raw contender under /raw, a directory route
// that lists through the in-Worker client, so the listing does not depend on whether the
// HTTP `list` needs a token, and a peek route that reads what an actor's object has stored
// as the inspector does, without waking the actor (the workflow checks need to look
// without calling).
import { createHandler } from "actorstate";
import { createClient } from "actorstate/client";
import type { InspectorSnapshot } from "actorstate/inspector";
import { normalizeKey, objectNameFor } from "../../runtime/identity.ts";
import { registry } from "./actors.ts";
import { rawContender, type RawWireCounter } from "./raw-contender.ts";

export { RawWireCounter } from "./raw-contender.ts";

const { handler, ActorObject } = createHandler(registry);
export { ActorObject };

interface Env {
  ACTORS: DurableObjectNamespace;
  RAW: DurableObjectNamespace<RawWireCounter>;
}

const DIRECTORY_ROUTE = /^\/chaos\/directory\/([A-Za-z][A-Za-z0-9_-]*)$/;
const PEEK_ROUTE = /^\/chaos\/peek\/([A-Za-z][A-Za-z0-9_-]*)$/;

/** The ActorObject's RPC method the inspector reads through: storage only, the actor stays asleep. */
type InspectorStub = { inspector(options: { limit?: number }): Promise<InspectorSnapshot | null> };

/**
 * `GET /chaos/peek/<name>?key=<JSON array>`: where the actor stands in storage — lifecycle,
 * generation, and for a workflow its stored view, timers and work — or `null` if it was
 * never created. The workflow's history is left out (it can be large).
 */
async function peek(env: Env, name: string, url: URL): Promise<Response> {
  const key = normalizeKey(JSON.parse(url.searchParams.get("key") ?? "[]") as unknown[]);
  const stub = env.ACTORS.get(env.ACTORS.idFromName(objectNameFor(name, key))) as unknown as InspectorStub;
  const seen = await stub.inspector({ limit: 1 });
  if (!seen) return Response.json(null);
  const { lifecycle, generation, actorId, workflow } = seen;
  return Response.json({ lifecycle, generation, actorId, workflow: workflow ? { view: workflow.view, timers: workflow.timers, work: workflow.work } : null });
}

export default {
  async fetch(request, env) {
    const raw = await rawContender(request, env);
    if (raw) return raw;
    const url = new URL(request.url);
    const peeked = PEEK_ROUTE.exec(url.pathname);
    if (peeked) return peek(env, peeked[1] as string, url);
    const directory = DIRECTORY_ROUTE.exec(url.pathname);
    if (directory) {
      const client = createClient<typeof registry>({ binding: env.ACTORS });
      const name = directory[1] as keyof typeof registry.actors;
      const actors = [];
      let cursor: string | null = null;
      do {
        const page = await client[name].list({ limit: 1000, ...(cursor ? { cursor } : {}) });
        actors.push(...page.actors);
        cursor = page.cursor;
      } while (cursor);
      return Response.json(actors);
    }
    return handler.fetch(request, env);
  },
} satisfies ExportedHandler<Env>;

// The Worker `npm run chaos` and `npm run soak` run under wrangler dev: the actors of
// actors.ts behind actorstate's handler, the raw contender under /raw, and a directory
// route that lists through the in-Worker client, so the listing does not depend on
// whether the HTTP `list` needs a token.
import { createHandler } from "actorstate";
import { createClient } from "actorstate/client";
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

export default {
  async fetch(request, env) {
    const raw = await rawContender(request, env);
    if (raw) return raw;
    const directory = DIRECTORY_ROUTE.exec(new URL(request.url).pathname);
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

// The example Worker that `npm start` serves: one counter per key, each in its own
// SQLite-backed Durable Object. It is deliberately plain until the actor runtime lands;
// then it becomes an `actor()` definition served by `createHandler()`.
import { DurableObject } from "cloudflare:workers";

/** One counter, kept in the object's SQLite storage. */
export class ActorObject extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS counter (id INTEGER PRIMARY KEY CHECK (id = 0), count INTEGER NOT NULL)");
  }

  increment(by: number): number {
    return this.ctx.storage.sql
      .exec<{ count: number }>(
        "INSERT INTO counter (id, count) VALUES (0, ?) ON CONFLICT (id) DO UPDATE SET count = count + excluded.count RETURNING count",
        by,
      )
      .one().count;
  }

  get(): number {
    return this.ctx.storage.sql.exec<{ count: number }>("SELECT count FROM counter").toArray()[0]?.count ?? 0;
  }
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url);
    const match = /^\/counter\/([^/]+)(\/increment)?$/.exec(url.pathname);
    if (!match) {
      return new Response("actorstate example: GET /counter/<key>, POST /counter/<key>/increment\n", {
        headers: { "content-type": "text/plain; charset=utf-8" },
      });
    }
    const counter = env.ACTORS.get(env.ACTORS.idFromName(decodeURIComponent(match[1] ?? "")));
    const count = match[2] && request.method === "POST" ? await counter.increment(1) : await counter.get();
    return Response.json({ count });
  },
} satisfies ExportedHandler<Env>;

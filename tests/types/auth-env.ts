// Type tests for c.env, auth and onRequest, checked by `npm run typecheck`: each line marked
// with ts-expect-error must stay an error, or the typecheck (and CI) fails. Nothing here runs.
import { actor, createHandler, setup, type AuthorizeTarget } from "actorstate";
import { createClient } from "actorstate/client";

// c.env is Cloudflare.Env: here the example Worker's generated bindings
// (worker-configuration.d.ts) and the var the test fixtures declare.
export const typed = actor({
  createState: (c) => ({ greeting: c.env.GREETING }),
  actions: {
    binding: (c) => {
      const namespace: DurableObjectNamespace = c.env.ACTORS;
      // @ts-expect-error no such binding
      void c.env.NOT_A_BINDING;
      return namespace.idFromName("x").toString();
    },
    who: (c) => {
      // Auth data is what the caller's onBeforeConnect returned: unknown until checked.
      // @ts-expect-error auth is unknown
      void c.caller?.auth.user;
      const fromConnection: unknown = c.conn?.auth;
      return { caller: c.caller?.params ?? null, fromConnection: fromConnection ?? null };
    },
  },
  onCreate: (c) => void c.env.GREETING.toUpperCase(),
  onWake: (c) => void c.env.ACTORS,
  onDestroy: (c) => void c.env.GREETING,
  onBeforeConnect: (c, params: { token: string }, { request }) => {
    const cookie: string | null = request.headers.get("Cookie");
    return { user: params.token, cookie, greeting: c.env.GREETING };
  },
  onConnect: (c, conn) => void [c.env.GREETING, conn.auth],
  onDisconnect: (c) => void c.env.GREETING,
  onRequest: (c, request) => new Response(`${c.env.GREETING} ${new URL(request.url).pathname}`),
});

// @ts-expect-error onRequest must return a Response
actor({ state: {}, actions: {}, onRequest: () => "text" });

const registry = setup({ actors: { typed } });

createHandler(registry, {
  cors: { origins: ["https://app.example"], credentials: true },
  authorize: (request, target: AuthorizeTarget, env) => {
    // @ts-expect-error not an op
    if (target.op === "delete") return false;
    // @ts-expect-error env is the Worker's, typed
    void env.NOT_A_SECRET;
    return target.op !== "destroy" || request.headers.get("Authorization") === `Bearer ${env.GREETING}`;
  },
});
// @ts-expect-error origins is a list or "*"
createHandler(registry, { cors: { origins: "https://app.example" } });

declare const endpoint: string;
declare const id: string;

export function handlesTakeParams(): void {
  const client = createClient<typeof registry>(endpoint);
  client.typed.getOrCreate("k", { params: { token: "t" } });
  client.typed.get("k", { params: { token: "t" } });
  client.typed.getForId(id, { params: { token: "t" } });
  void client.typed.create("k", { params: { token: "t" } });
}

import { eventLabel } from "../../machines/workflow/state-tree.ts";
import type { ActorNamespace } from "../platform.ts";
import { importLegacyDirectory, listDirectory, listEveryType } from "../directory/routing.ts";
import type { ListOptions, ListPage } from "../types/directory.ts";
import { ActorError, toActorError } from "../errors.ts";
import { encodeMessage } from "../protocol/encoding.ts";
import { httpStatus } from "../protocol/http-status.ts";
import { routeTarget } from "../protocol/route.ts";
import { INSPECTOR_HEADER } from "../protocol/wire.ts";
import type { WireTarget } from "../protocol/wire.ts";
import { authorizeInspector, INSPECTOR_PATH, INSPECTOR_PROTOCOL } from "../auth/inspector-access.ts";
// Drawn by `npm run diagram` (a test fails when it is stale), so neither the layout engine
// nor the renderer runs here.
import svg from "./lifecycle-svg.json" with { type: "json" };
import { inspectorPage } from "./page.ts";
import { integerParam, kvCursorParam, lifecycleParam, nameParam } from "./query.ts";
import type { InspectorContext, InspectorKvPage, InspectorRoutes, InspectorSnapshot } from "./types.ts";

interface InspectorStub {
  inspector(options: { before?: number; limit?: number }): Promise<InspectorSnapshot | null>;
  inspectorKv(options: { after?: Uint8Array }): Promise<InspectorKvPage | null>;
  fetch(request: Request): Promise<Response>;
}

const json = (body: unknown, status = 200) =>
  new Response(encodeMessage("json", body) as string, { status, headers: { "Content-Type": "application/json", "Cache-Control": "no-store" } });

/** The actor a query string names: `name` plus `key` (JSON array) or `id`. */
function targetOf(url: URL): WireTarget {
  const name = url.searchParams.get("name") ?? "";
  const id = url.searchParams.get("id");
  if (id) return { name, id };
  let key: unknown;
  try {
    key = JSON.parse(url.searchParams.get("key") ?? "[]");
  } catch {
    throw new ActorError("actor/invalid_key", "`key` must be a JSON array of strings.");
  }
  if (!Array.isArray(key)) throw new ActorError("actor/invalid_key", "`key` must be a JSON array of strings.");
  return { name, key: key as string[] };
}

/** The most actors one page of the inspector's list holds. */
const LIST_LIMIT = 1000;

/**
 * A page of one type's actors, or of every registered type's in one pass over the
 * directory's shards (whatever the number of types). The page comes sorted by type and key
 * for the eye; its cursor is where the pass stopped.
 */
async function listActors(namespace: ActorNamespace, names: readonly string[], options: ListOptions & { name?: string }): Promise<ListPage> {
  const { name, ...list } = options;
  const page = name ? await listDirectory(namespace, name, list) : await listEveryType(namespace, { ...list, types: names });
  const order = (entry: ListPage["actors"][number]) => [entry.name, JSON.stringify(entry.key), entry.actorId] as const;
  const actors = page.actors
    .map((entry) => ({ entry, by: order(entry) }))
    .sort((a, b) => compareTuples(a.by, b.by))
    .map(({ entry }) => entry);
  return { actors, cursor: page.cursor };
}

function compareTuples(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) return (a[i] as string) < (b[i] as string) ? -1 : 1;
  }
  return 0;
}

/** A transition with its event named as the diagram names it (`create done`). */
function labelled<T extends { event: string }>(transition: T): T & { label: string } {
  return { ...transition, label: eventLabel(transition.event) };
}

/**
 * The inspector: its page, the statechart, and the data the page reads. Returns
 * `undefined` for paths that are not the inspector's.
 */
export function inspectorRoutes({ registry, namespaceIn, accessOf, stately }: InspectorContext): InspectorRoutes {
  const names = Object.keys(registry.actors);
  const page = inspectorPage();
  return async (request: Request, env: Record<string, unknown>): Promise<Response | undefined> => {
    const url = new URL(request.url);
    if (url.pathname !== INSPECTOR_PATH && !url.pathname.startsWith(`${INSPECTOR_PATH}/`)) return undefined;
    const path = url.pathname.slice(INSPECTOR_PATH.length);
    // The page and the diagram hold no data; everything under /api needs access.
    if (path === "" ) return Response.redirect(`${url.origin}${INSPECTOR_PATH}/`, 302);
    if (path === "/") return new Response(page, { headers: { "Content-Type": "text/html; charset=utf-8" } });
    if (path === "/lifecycle.svg") return new Response(svg, { headers: { "Content-Type": "image/svg+xml" } });
    try {
      const refused = authorizeInspector(request, accessOf(env));
      if (refused) throw refused;
      const namespace = namespaceIn(env);
      switch (path) {
        case "/api/registry":
          return json({
            actors: names.map((name) => ({ name, actions: Object.keys(registry.actors[name]?.actions ?? {}) })),
            stately,
          });
        case "/api/actors": {
          const lifecycle = lifecycleParam(url);
          const name = nameParam(url, names);
          const cursor = url.searchParams.get("cursor");
          const listed = await listActors(namespace, names, {
            ...(name ? { name } : {}),
            ...(lifecycle ? { lifecycle } : {}),
            ...(cursor ? { cursor } : {}),
            limit: integerParam(url, "limit", LIST_LIMIT, { min: 1, max: LIST_LIMIT }),
          });
          return json({ ...listed, actors: listed.actors.map((entry) => ({ ...entry, last: labelled(entry.last) })) });
        }
        case "/api/directory/import": {
          // Entries older versions kept in per-type shards, copied into the shared ones; a
          // bounded step per request, repeated with the cursor until it comes back null.
          if (request.method !== "POST") throw new ActorError("request/invalid", "Import with POST.");
          const cursor = url.searchParams.get("cursor");
          return json(await importLegacyDirectory(namespace, names, cursor ? { cursor } : {}));
        }
        case "/api/actor": {
          const { stub } = routeTarget(namespace, targetOf(url));
          const before = url.searchParams.has("before") ? integerParam(url, "before", 0, { min: 0 }) : undefined;
          const snapshot = await (stub as unknown as InspectorStub).inspector({ limit: 1000, ...(before !== undefined ? { before } : {}) });
          if (!snapshot) throw new ActorError("actor/not_found", "No actor was ever created there.");
          return json({ ...snapshot, transitions: snapshot.transitions.map(labelled) });
        }
        case "/api/kv": {
          const { stub } = routeTarget(namespace, targetOf(url));
          const after = kvCursorParam(url);
          const kv = await (stub as unknown as InspectorStub).inspectorKv(after ? { after } : {});
          if (!kv) throw new ActorError("actor/not_found", "No actor was ever created there.");
          return json(kv);
        }
        case "/api/watch": {
          if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket") throw new ActorError("request/invalid", "Watch with a WebSocket.");
          const { stub } = routeTarget(namespace, targetOf(url));
          const forwarded = new Request(request);
          forwarded.headers.set(INSPECTOR_HEADER, "1");
          const response = await (stub as unknown as InspectorStub).fetch(forwarded);
          // The browser accepts the socket only if one of its offered subprotocols comes back.
          const headers = new Headers(response.headers);
          headers.set("Sec-WebSocket-Protocol", INSPECTOR_PROTOCOL);
          return new Response(null, { status: response.status, webSocket: (response as Response & { webSocket?: WebSocket | null }).webSocket ?? null, headers });
        }
      }
      throw new ActorError("request/invalid", `No inspector route ${path}.`);
    } catch (error) {
      const shown = toActorError(error, { during: "inspector" });
      return json({ error: shown.toJSON() }, httpStatus(shown));
    }
  };
}

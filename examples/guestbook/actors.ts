// A guestbook: its entries in the actor's own SQL table (`c.sql`), a live feed over raw
// WebSockets (`onWebSocket`), and the feed's open sockets kept in `c.vars`.
import { actor, type ActorWebSocket } from "actorstate";

/** Its schema, in order: each statement runs once, in onWake. Append; never edit. */
const migrations = [
  "CREATE TABLE entry (id INTEGER PRIMARY KEY, name TEXT NOT NULL, message TEXT NOT NULL, at INTEGER NOT NULL)",
  "CREATE INDEX entry_at ON entry (at)",
];

interface Entry extends Record<string, string | number> {
  name: string;
  message: string;
  at: number;
}

export const guestbook = actor({
  state: { signatures: 0 },
  // The feed's sockets: in memory only, filled again by onWebSocket when the actor wakes.
  createVars: () => ({ feed: new Set<ActorWebSocket>() }),
  onWake: (c) => {
    c.sql.exec("CREATE TABLE IF NOT EXISTS migration (version INTEGER NOT NULL)");
    const applied = c.sql.exec<{ n: number }>("SELECT count(*) AS n FROM migration").one().n;
    migrations.slice(applied).forEach((statement, i) => {
      c.sql.exec(statement);
      c.sql.exec("INSERT INTO migration (version) VALUES (?)", applied + i + 1);
    });
  },
  actions: {
    sign: (c, name: string, message: string) => {
      const entry: Entry = { name, message, at: Date.now() };
      c.sql.exec("INSERT INTO entry (name, message, at) VALUES (?, ?, ?)", entry.name, entry.message, entry.at);
      c.state.signatures += 1;
      for (const socket of c.vars.feed) socket.send(JSON.stringify(entry));
      return c.state.signatures;
    },
    latest: (c, limit: number) => c.sql.exec<Entry>("SELECT name, message, at FROM entry ORDER BY id DESC LIMIT ?", limit).toArray(),
  },
  // `/v1/actors/guestbook/key/…/websocket?backlog=5`: the last entries, then each new one.
  onWebSocket: (c, websocket, { request, resumed }) => {
    c.vars.feed.add(websocket);
    websocket.addEventListener("close", () => c.vars.feed.delete(websocket));
    if (resumed) return;
    const backlog = Number(new URL(request.url).searchParams.get("backlog") ?? 0);
    const entries = c.sql.exec<Entry>("SELECT name, message, at FROM entry ORDER BY id DESC LIMIT ?", backlog).toArray();
    for (const entry of entries.reverse()) websocket.send(JSON.stringify(entry));
  },
});

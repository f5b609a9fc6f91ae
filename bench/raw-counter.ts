import { DurableObject } from "cloudflare:workers";
import { decodeValue, encodeValue, toBlob } from "../runtime/codec.ts";

/**
 * The baseline: a hand-written Durable Object doing the same SQLite work as the bench
 * actor (the state encoded with the same codec, one UPDATE per increment), with no
 * lifecycle, validation or generation checks.
 */
export class RawCounter extends DurableObject<Record<string, unknown>> {
  private count = 0;

  constructor(ctx: DurableObjectState, env: Record<string, unknown>) {
    super(ctx, env);
    ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS state (id INTEGER PRIMARY KEY, value BLOB NOT NULL)");
    const row = ctx.storage.sql.exec<{ value: ArrayBuffer }>("SELECT value FROM state WHERE id = 0").toArray()[0];
    if (!row) ctx.storage.sql.exec("INSERT INTO state (id, value) VALUES (0, ?)", encodeValue({ count: 0 }).buffer);
  }

  increment(by: number): number {
    this.count += by;
    this.ctx.storage.sql.exec("UPDATE state SET value = ? WHERE id = 0", encodeValue({ count: this.count }).buffer);
    return this.count;
  }

  /**
   * The raw HTTP baseline (a Worker forwards the request, the object does the same write),
   * and the raw WebSocket baseline: each message is one increment, answered with the count.
   */
  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get("Upgrade")?.toLowerCase() === "websocket") {
      const { 0: client, 1: server } = new WebSocketPair();
      this.ctx.acceptWebSocket(server);
      return new Response(null, { status: 101, webSocket: client });
    }
    return Response.json({ count: this.increment(1) });
  }

  override webSocketMessage(ws: WebSocket): void {
    ws.send(JSON.stringify({ count: this.increment(1) }));
  }

  /** The raw counterpart of a destroy: wipe the row. */
  wipe(): void {
    this.ctx.storage.sql.exec("DELETE FROM state");
    this.count = 0;
  }

  /** The raw counterpart of a workflow timer: one alarm `ms` from now, its due time stored. */
  armAlarm(ms: number): void {
    this.ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS alarm (id INTEGER PRIMARY KEY, due_at INTEGER NOT NULL, fired_at INTEGER)");
    const dueAt = Date.now() + ms;
    this.ctx.storage.sql.exec("INSERT OR REPLACE INTO alarm (id, due_at, fired_at) VALUES (0, ?, NULL)", dueAt);
    void this.ctx.storage.setAlarm(dueAt);
  }

  /** When the alarm armed last came, and when it was due; `firedAt` is null until it fires. */
  alarmTimes(): { dueAt: number; firedAt: number | null } | undefined {
    return this.ctx.storage.sql.exec<{ dueAt: number; firedAt: number | null }>("SELECT due_at AS dueAt, fired_at AS firedAt FROM alarm WHERE id = 0").toArray()[0];
  }

  override alarm(): void {
    this.ctx.storage.sql.exec("UPDATE alarm SET fired_at = ? WHERE id = 0", Date.now());
  }

  /** The raw counterpart of a resurrection: write fresh state. */
  recreate(): void {
    this.ctx.storage.sql.exec("INSERT INTO state (id, value) VALUES (0, ?)", encodeValue({ count: 0 }).buffer);
  }

  /**
   * The raw counterpart of a directory page: rows of encoded entries in one table, ordered
   * by (type, key) as a directory shard orders them.
   */
  seedRows(rows: Array<{ name: string; key: string; entry: unknown }>): void {
    this.ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS rows (name TEXT NOT NULL, key TEXT NOT NULL, entry BLOB NOT NULL, PRIMARY KEY (name, key))");
    this.ctx.storage.transactionSync(() => {
      for (const row of rows) this.ctx.storage.sql.exec("INSERT OR REPLACE INTO rows (name, key, entry) VALUES (?, ?, ?)", row.name, row.key, toBlob(encodeValue(row.entry)));
    });
  }

  /** The first `limit` rows, decoded: one read of as many rows as a page of the directory. */
  readRows(limit: number): unknown[] {
    return [...this.ctx.storage.sql.exec<{ entry: ArrayBuffer }>("SELECT entry FROM rows ORDER BY name, key LIMIT ?", limit)].map((row) => decodeValue(row.entry));
  }
}

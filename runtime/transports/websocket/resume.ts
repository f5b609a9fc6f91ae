// Resuming a connection after its socket dropped: the connection is parked in storage for
// the actor type's `reconnectGraceMs`, and the client's next hello with the secret it was
// welcomed with takes it back (same id, same `conn.state`). A grace that runs out — seen by
// the alarm — or a destroy ends it with onDisconnect, as a close would have.
import type { Connection } from "../../types/actor.ts";
import { decodeValue } from "../../codec.ts";
import { syncAlarm } from "../../storage/alarm.ts";
import { firstEndedParkedConnection, parkConnection, takeParkedConnection, type ParkedConnection } from "../../storage/parked-connections.ts";
import type { Attachment } from "./sockets.ts";

/** A new secret for a connection's client to resume it with. */
export const resumeToken = (): string => crypto.randomUUID();

/** The connection as its onDisconnect sees it once its socket is gone. */
function parkedView(connection: ParkedConnection): Connection {
  return {
    id: connection.id,
    params: connection.params,
    auth: connection.auth,
    state: connection.state ? decodeValue(connection.state) : undefined,
    send: () => undefined,
    close: () => undefined,
  };
}

/** The object's dropped connections, waiting for their clients. */
export class ConnectionResume {
  readonly #storage: DurableObjectStorage;

  constructor(storage: DurableObjectStorage) {
    this.#storage = storage;
  }

  /**
   * Keep the connection of a socket that dropped (not one its client disposed) for
   * `graceMs`; `false` when there is nothing to keep it for.
   */
  park(attachment: Attachment, graceMs: number): boolean {
    if (graceMs <= 0 || !attachment.resume || attachment.generation === undefined) return false;
    // What it listened for is not kept: the client's hello says it again.
    const { id, generation, resume: token, params, auth, state } = attachment;
    this.#storage.transactionSync(() => {
      parkConnection(this.#storage, { id, generation, params, auth, ...(state ? { state } : {}) }, token, Date.now() + graceMs);
      void syncAlarm(this.#storage);
    });
    return true;
  }

  /** The parked connection a hello asks to resume, taken back if its secret matches. */
  claim(resume: { id: string; token: string } | undefined, generation: number): ParkedConnection | undefined {
    if (!resume) return undefined;
    return this.#take({ ...resume, generation });
  }

  /** The first connection whose grace ran out by `now`, still parked. */
  firstEnded(now: number): { id: string; generation: number } | undefined {
    return firstEndedParkedConnection(this.#storage, now);
  }

  /** Take a parked connection by its id (to end it), as `onDisconnect` sees it. */
  take(id: string): Connection | undefined {
    const connection = this.#take({ id });
    return connection && parkedView(connection);
  }

  /** A teardown: end every parked connection of `generation`, one at a time, each forgotten before `disconnected` runs. */
  async endAll(generation: number, disconnected: (conn: Connection) => Promise<void>): Promise<void> {
    for (let connection = this.#take({ generation }); connection; connection = this.#take({ generation })) await disconnected(parkedView(connection));
  }

  #take(which: Parameters<typeof takeParkedConnection>[1]): ParkedConnection | undefined {
    return this.#storage.transactionSync(() => {
      const taken = takeParkedConnection(this.#storage, which);
      if (taken) void syncAlarm(this.#storage);
      return taken;
    });
  }
}

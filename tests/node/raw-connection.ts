// A connection spoken by hand, frame by frame, for tests that send what no client would:
// it keeps every frame the actor sends and the close, and waits on them by event.
import { Encoder } from "cbor-x";
import { decodeMessage, encodeKeySegment, encodeMessage, type Encoding } from "../../runtime/protocol/encoding.ts";

// CBOR written without the codec's plain-data check: a fuzzer sends what no client would.
const anyCbor = new Encoder({ useRecords: false });

/** A frame the actor sent, decoded. */
export type ServerFrame = Record<string, unknown> & { t?: unknown; id?: unknown; error?: { group?: string; code?: string } };

export interface RawConnection {
  readonly received: ServerFrame[];
  /** Set once the socket closed. */
  readonly closed: { code: number; reason: string } | undefined;
  /** Send a message as a frame of the connection's encoding, or raw text or bytes as they are. */
  send(frame: unknown): void;
  sendRaw(data: string | Uint8Array): void;
  /** Resolves once `done()` holds (checked at every frame and at the close); rejects after `timeoutMs`. */
  until(done: () => boolean, timeoutMs?: number): Promise<void>;
  /** Close with 1000 and wait for the close. */
  close(): Promise<void>;
}

/** Open a connection to `name`/`key` (creating it, with `?create=1`, unless told not to). */
export async function openRawConnection(
  endpoint: string,
  options: { name: string; key: string[]; encoding: Encoding; create?: boolean },
): Promise<RawConnection> {
  const url = `${endpoint.replace(/^http/, "ws")}/v1/actors/${options.name}/key/${encodeKeySegment(options.key)}/connect${options.create === false ? "" : "?create=1"}`;
  const socket = new WebSocket(url, `actorstate.v1.${options.encoding}`);
  socket.binaryType = "arraybuffer";
  const received: ServerFrame[] = [];
  let closed: { code: number; reason: string } | undefined;
  const watchers = new Set<() => void>();
  const changed = () => {
    for (const watcher of [...watchers]) watcher();
  };
  socket.addEventListener("message", (event) => {
    received.push(decodeMessage(options.encoding, event.data as string | ArrayBuffer) as ServerFrame);
    changed();
  });
  socket.addEventListener("close", (event) => {
    closed = { code: event.code, reason: event.reason };
    changed();
  });
  await new Promise<void>((resolve, reject) => {
    socket.addEventListener("open", () => resolve());
    socket.addEventListener("error", () => reject(new Error(`could not open ${url}`)));
  });
  const connection: RawConnection = {
    received,
    get closed() {
      return closed;
    },
    send: (frame) => socket.send(options.encoding === "cbor" ? anyCbor.encode(frame) : (encodeMessage("json", frame) as string)),
    sendRaw: (data) => socket.send(data as string),
    until(done, timeoutMs = 10_000) {
      if (done()) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          watchers.delete(check);
          reject(new Error(`timed out after ${timeoutMs} ms; received ${JSON.stringify(received).slice(0, 500)}, closed ${JSON.stringify(closed)}`));
        }, timeoutMs);
        const check = () => {
          if (!done()) return;
          clearTimeout(timer);
          watchers.delete(check);
          resolve();
        };
        watchers.add(check);
      });
    },
    async close() {
      if (!closed) socket.close(1000);
      await connection.until(() => closed !== undefined);
    },
  };
  return connection;
}

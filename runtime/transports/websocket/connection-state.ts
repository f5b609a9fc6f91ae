import { decodeValue, encodeValue, sameBytes } from "../../codec.ts";

/**
 * The most a connection's state may take, CBOR-encoded. It lives in the socket's
 * hibernation attachment, which the platform caps at 16 KiB for everything a connection
 * carries: with the key (1 KiB), params (4 KiB) and subscriptions (64 names) that leaves
 * about this much.
 */
export const MAX_CONN_STATE_BYTES = 2048;

/**
 * Encode a connection's state for its attachment (`undefined` stays absent). Throws when it
 * is not plain data, or is larger than {@link MAX_CONN_STATE_BYTES}.
 */
export function encodeConnState(value: unknown): Uint8Array | undefined {
  if (value === undefined) return undefined;
  const bytes = encodeValue(value, "conn.state");
  if (bytes.byteLength > MAX_CONN_STATE_BYTES) {
    throw new RangeError(
      `conn.state is ${bytes.byteLength} bytes encoded; the limit is ${MAX_CONN_STATE_BYTES} (it is kept in the WebSocket's hibernation attachment). Keep larger per-connection data in c.state or c.kv, keyed by conn.id.`,
    );
  }
  return bytes;
}

/** Where the states are stored: each socket's attachment. */
export interface ConnStateStore {
  read(ws: WebSocket): Uint8Array | undefined;
  write(ws: WebSocket, bytes: Uint8Array | undefined): void;
  /** Whether the socket's connection still counts (a closed one's state is not saved). */
  isOpen(ws: WebSocket): boolean;
}

/**
 * `conn.state` while the object is in memory: decoded once per socket, handed out as the
 * same object so code can mutate it, and saved — like `c.state` — when the action or hook
 * that touched it ends. Only states read or assigned since the last save are encoded again.
 */
export class ConnectionStates {
  readonly #store: ConnStateStore;
  readonly #values = new WeakMap<WebSocket, { value: unknown }>();
  readonly #touched = new Set<WebSocket>();

  constructor(store: ConnStateStore) {
    this.#store = store;
  }

  get(ws: WebSocket): unknown {
    this.#touched.add(ws);
    let held = this.#values.get(ws);
    if (!held) this.#values.set(ws, (held = { value: this.#stored(ws) }));
    return held.value;
  }

  set(ws: WebSocket, value: unknown): void {
    this.#touched.add(ws);
    this.#values.set(ws, { value });
  }

  /**
   * Write every touched state that changed. One that cannot be stored goes back to what its
   * attachment holds, the others are still written, and the first error is rethrown.
   */
  save(): void {
    let failure: { error: unknown } | undefined;
    for (const ws of this.#touched) {
      this.#touched.delete(ws);
      const held = this.#values.get(ws);
      if (!held || !this.#store.isOpen(ws)) continue;
      try {
        const bytes = encodeConnState(held.value);
        const stored = this.#store.read(ws);
        if (bytes === undefined ? stored !== undefined : !sameBytes(stored, bytes)) this.#store.write(ws, bytes);
      } catch (error) {
        held.value = this.#stored(ws);
        failure ??= { error };
      }
    }
    if (failure) throw failure.error;
  }

  #stored(ws: WebSocket): unknown {
    const bytes = this.#store.read(ws);
    return bytes === undefined ? undefined : decodeValue(bytes);
  }
}

/** The most auth data (`onBeforeConnect`'s result) a connection keeps, encoded, in its attachment. */
const MAX_AUTH_BYTES = 1024;

/**
 * The auth data a connection keeps: it lives in the socket's attachment, so it must be plain
 * data of at most {@link MAX_AUTH_BYTES} encoded. Otherwise it is the hook's bug (an
 * internal error, its message shown under the local opt-in).
 */
export function keptAuth(auth: unknown): unknown {
  const bytes = encodeValue(auth, "onBeforeConnect's result").byteLength;
  if (bytes > MAX_AUTH_BYTES) {
    throw new RangeError(`onBeforeConnect returned ${bytes} bytes of auth data (encoded); a connection keeps at most ${MAX_AUTH_BYTES}.`);
  }
  return auth;
}

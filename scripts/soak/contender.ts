// One side of the soak: clients of every transport and encoding calling `increment(1)` on
// a few counters behind one endpoint, in closed loops while a phase lasts. actorstate and
// the raw contender speak the same protocol, so the same client code drives both.
import { createClient } from "../../runtime/client/index.ts";
import type { Encoding } from "../../runtime/protocol/encoding.ts";

/** How a soak client reaches its counter. */
export type Transport = "HTTP JSON" | "HTTP CBOR" | "WebSocket JSON" | "WebSocket CBOR";
export const TRANSPORTS: Transport[] = ["HTTP JSON", "HTTP CBOR", "WebSocket JSON", "WebSocket CBOR"];

interface Counter {
  increment(by: number): Promise<number>;
  get(): Promise<number>;
}
interface CounterConnection extends Counter {
  ready(): Promise<void>;
  dispose(): Promise<void>;
}
interface CounterHandle extends Counter {
  connect(): CounterConnection;
}
interface CounterClient {
  tally: { getOrCreate(key: string): CounterHandle };
}

interface SoakClient {
  transport: Transport;
  key: string;
  call(): Promise<number>;
  dispose(): Promise<void>;
}

/** What one side measured. */
export interface SideResult {
  /** Acknowledged increments per counter key, warm-up included. */
  acknowledged: Map<string, number>;
  /** Latencies (ms) of measured calls, per transport. */
  latencies: Map<Transport, number[]>;
  /** Failed calls, per error message. */
  errors: Map<string, number>;
  /** Time spent in this side's phases. */
  activeMs: number;
}

/** 200 clients (say) over `actors` counters; each transport gets an equal share. */
export class Contender {
  readonly name: string;
  readonly keys: string[];
  readonly result: SideResult;
  private readonly endpoint: string;
  private clients: SoakClient[] = [];

  constructor(name: string, endpoint: string, keys: string[]) {
    this.name = name;
    this.endpoint = endpoint;
    this.keys = keys;
    this.result = { acknowledged: new Map(), latencies: new Map(TRANSPORTS.map((t) => [t, []])), errors: new Map(), activeMs: 0 };
  }

  /** Open every client and make one unmeasured call each: counters exist, sockets are welcomed. */
  async open(count: number): Promise<void> {
    const clients = new Map<Encoding, CounterClient>(
      (["json", "cbor"] as const).map((encoding) => [encoding, createClient<any>({ endpoint: this.endpoint, encoding }) as unknown as CounterClient]),
    );
    this.clients = Array.from({ length: count }, (_, i) => {
      const transport = TRANSPORTS[i % TRANSPORTS.length] as Transport;
      const key = this.keys[i % this.keys.length] as string;
      const handle = (clients.get(transport.endsWith("CBOR") ? "cbor" : "json") as CounterClient).tally.getOrCreate(key);
      if (transport.startsWith("HTTP")) return { transport, key, call: () => handle.increment(1), dispose: async () => {} };
      const conn = handle.connect();
      return { transport, key, call: () => conn.increment(1), dispose: () => conn.dispose() };
    });
    // Warm-up in small batches, so creating 10 counters does not queue 200 calls behind each.
    for (let i = 0; i < this.clients.length; i += 20) {
      await Promise.all(this.clients.slice(i, i + 20).map((client) => this.once(client, false)));
    }
  }

  /** Every client in a closed loop until `durationMs` has passed; returns the phase's calls per second. */
  async phase(durationMs: number): Promise<number> {
    const started = performance.now();
    const until = started + durationMs;
    let calls = 0;
    await Promise.all(
      this.clients.map(async (client) => {
        while (performance.now() < until) {
          await this.once(client, true);
          calls++;
        }
      }),
    );
    const elapsed = performance.now() - started;
    this.result.activeMs += elapsed;
    return calls / (elapsed / 1000);
  }

  /** The counters' final values, read over HTTP. */
  async finalCounts(): Promise<Map<string, number>> {
    const client = createClient<any>({ endpoint: this.endpoint, encoding: "json" }) as unknown as CounterClient;
    return new Map(await Promise.all(this.keys.map(async (key) => [key, await client.tally.getOrCreate(key).get()] as [string, number])));
  }

  async close(): Promise<void> {
    await Promise.all(this.clients.map((client) => client.dispose()));
  }

  private async once(client: SoakClient, measured: boolean): Promise<void> {
    const started = performance.now();
    try {
      await client.call();
      if (measured) this.result.latencies.get(client.transport)?.push(performance.now() - started);
      this.result.acknowledged.set(client.key, (this.result.acknowledged.get(client.key) ?? 0) + 1);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.result.errors.set(message, (this.result.errors.get(message) ?? 0) + 1);
    }
  }
}

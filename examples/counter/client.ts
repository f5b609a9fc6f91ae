// A Node client for the example: `npm start` in one terminal, `npm run example:client` in
// another. In your own project, import from "actorstate/client".
import { createClient } from "../../runtime/client/index.ts";
import type { registry } from "./actors.ts";

// Typechecked with the Worker's types (it imports the registry's type), which lack Node's.
declare const process: { env: Record<string, string | undefined> };

const client = createClient<typeof registry>(process.env.ENDPOINT ?? "http://127.0.0.1:8787");
const counter = client.counter.getOrCreate("demo");

const conn = counter.connect();
conn.on("changed", (count: number) => console.log(`event: changed → ${count}`));
await conn.ready();

console.log(`over HTTP: increment → ${await counter.increment(1)}`);
console.log(`over the connection: increment → ${await conn.increment(10)}`);
console.log(`actor id: ${await counter.resolve()}`);
await conn.dispose();

// The page tests/node/react.test.ts opens in Chromium: a counter and a workflow's view from
// actorstate/react over actorstate/client, bundled with esbuild (in development mode, so
// StrictMode connects, disposes and connects again, as it does for users). The endpoint comes from the page's URL, which
// the test serves at the test Worker's own origin.
import { StrictMode, useMemo, useState } from "react";
import { createRoot } from "react-dom/client";
import { createClient } from "actorstate/client";
import { useActor, useEvent, useWorkflowSnapshot } from "actorstate/react";
import type { registry } from "../workers/fixtures/actors.ts";

// Typed through a cast: this project checks the runtime sources it imports with Workers
// types, which do not mix with the DOM library.
const page = globalThis as unknown as {
  location: { origin: string; search: string };
  document: { getElementById(id: string): Element | null };
};
const client = createClient<typeof registry>(page.location.origin);

function Counter({ id }: { id: string }) {
  const handle = useMemo(() => client.counter.getOrCreate(id), [id]);
  const { status, connStatus, error, actions, connection } = useActor(handle);
  const [count, setCount] = useState<number>();
  const [result, setResult] = useState<string>();
  useEvent(connection, "changed", (next) => setCount(next));
  return (
    <div>
      <p id="status">{status}</p>
      <p id="conn-status">{connStatus}</p>
      {error && <p id="error">{error.fullCode}</p>}
      <p id="count">{count === undefined ? "no event yet" : `count ${count}`}</p>
      <button id="increment" disabled={status !== "open"} onClick={() => actions.increment(2).then((value) => setResult(`returned ${value}`))}>
        +2
      </button>
      <p id="result">{result}</p>
    </div>
  );
}

function Finishing({ id }: { id: string }) {
  const handle = useMemo(() => client.finishing.getOrCreate(id), [id]);
  const view = useWorkflowSnapshot(handle);
  return <p id="view">{view ? `${String(view.value)} ${view.status} ${view.output?.result ?? ""}`.trim() : "loading"}</p>;
}

// ?counter=<key> or ?workflow=<key> (the `finishing` workflow of the test Worker).
const query = new URLSearchParams(page.location.search);
const workflowKey = query.get("workflow");
createRoot(page.document.getElementById("root")!).render(
  <StrictMode>{workflowKey ? <Finishing id={workflowKey} /> : <Counter id={query.get("counter") ?? "react"} />}</StrictMode>,
);

// The object's side of a call over Durable Object RPC (`ActorObject.dispatch`): from the
// in-Worker client, `c.client()`, and the Worker's HTTP route. The request is checked, then
// handed to the host as one of its operations; the answer is a value, never a thrown error,
// because an error crossing RPC would lose its group and code.
import { ActorError, describeIssues, summarizeIssues, toActorError } from "../../errors.ts";
import { targetName } from "../../host/hosted-actor.ts";
import type { CallPort } from "../../host/ports.ts";
import { actorRequest, isActionRequest, type ActorRequest, type ActorResult } from "../../protocol/requests.ts";
import type { PublicCall } from "../../protocol/wire.ts";

function parse(raw: unknown): ActorRequest {
  const parsed = actorRequest.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issues = describeIssues(parsed.error.issues, raw);
  throw new ActorError("request/invalid", `The request does not match the actor protocol: ${summarizeIssues(issues, "request")}.`, {
    metadata: { issues },
  });
}

/**
 * `approval`: a call from outside that `onBeforeConnect` must approve before the operation
 * answers. `call`: any call from outside, approved or not: actions see it as `c.caller`.
 */
function run(host: CallPort, request: ActorRequest, approval: PublicCall | undefined, call: PublicCall | undefined): Promise<unknown> {
  switch (request.op) {
    case "action":
      return host.action(request.target, request.action, request.args, {
        ...(approval ? { publicCall: approval } : call ? { caller: { auth: undefined, params: call.params } } : {}),
      });
    case "create":
      // getOrCreate: the same path as a getOrCreate handle's first call.
      if (request.mode === "getOrCreate") return host.getOrCreate({ name: request.name, key: request.key, create: { input: request.input } }, approval);
      return host.create({ name: request.name, key: request.key }, request.input, approval);
    case "resolve":
      return host.resolve(request.target, approval);
    case "destroy":
      return host.destroy(request.target, approval);
    case "inspect":
      return host.inspect(request.target, approval);
  }
}

/**
 * Answer one request from a client. Never throws. `call` comes with requests from outside
 * the Worker, which `onBeforeConnect` must approve; requests from inside have none.
 */
export async function answerCall(host: CallPort, raw: unknown, call: PublicCall | undefined): Promise<ActorResult> {
  try {
    const request = isActionRequest(raw) ? raw : parse(raw);
    // Without onBeforeConnect there is nothing to ask: a public call runs as any other.
    const approval = call && host.actorType(targetName(request)).onBeforeConnect ? call : undefined;
    return { ok: true, value: await run(host, request, approval, call) };
  } catch (error) {
    return { ok: false, error: toActorError(error, { actorObject: host.objectId }, { reveal: host.revealInternalErrors }).toJSON() };
  }
}

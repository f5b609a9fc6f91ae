import { describe, expect, it } from "vitest";
import { actorRequest, isActionRequest } from "./requests.ts";

// Requests near the action's shape: the hand check must never accept what the schema refuses.
const requests: unknown[] = [
  { op: "action", target: { name: "counter", key: ["a"] }, action: "increment", args: [1] },
  { op: "action", target: { name: "counter", key: [] }, action: "get", args: [] },
  { op: "action", target: { name: "counter", generation: 0 }, action: "get", args: [] },
  { op: "action", target: { name: "counter", generation: 3 }, action: "get", args: [{ deep: [1] }] },
  { op: "action", target: { name: "counter", key: ["a"], create: {} }, action: "get", args: [] },
  { op: "action", target: { name: "counter", key: [1] }, action: "get", args: [] },
  { op: "action", target: { name: "counter", key: "a" }, action: "get", args: [] },
  { op: "action", target: { name: "counter", generation: -1 }, action: "get", args: [] },
  { op: "action", target: { name: "counter", generation: 1.5 }, action: "get", args: [] },
  { op: "action", target: { name: "counter", generation: "1" }, action: "get", args: [] },
  { op: "action", target: { name: "counter" }, action: "get", args: [] },
  { op: "action", target: { name: 7, key: [] }, action: "get", args: [] },
  { op: "action", target: null, action: "get", args: [] },
  { op: "action", target: { name: "counter", key: [] }, action: 5, args: [] },
  { op: "action", target: { name: "counter", key: [] }, action: "get", args: "x" },
  { op: "action", target: { name: "counter", key: [] }, action: "get" },
  { op: "resolve", target: { name: "counter", key: [] } },
  null,
  42,
];

describe("the hand check of an action request", () => {
  it.each(requests.map((request) => [JSON.stringify(request), request]))("agrees with the schema on %s", (_, request) => {
    const parsed = actorRequest.safeParse(request);
    if (isActionRequest(request)) expect(parsed).toEqual({ success: true, data: request });
    // The hand check leaves some valid requests to the schema (a create, other operations), never an invalid one.
    else if (parsed.success) expect((request as { op: string }).op !== "action" || "create" in (request as { target: object }).target).toBe(true);
  });

  it("takes the commonest requests itself", () => {
    expect(requests.slice(0, 4).every(isActionRequest)).toBe(true);
  });
});

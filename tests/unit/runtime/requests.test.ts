import { describe, expect, it } from "vitest";
import { actorRequest, isActionRequest } from "../../../runtime/requests.ts";

// Requests near the action's shape: the hand check must never accept what the schema refuses.
const requests: unknown[] = [
  { op: "action", target: { name: "counter", key: ["a"] }, action: "increment", args: [1] },
  { op: "action", target: { name: "counter", key: [] }, action: "get", args: [] },
  { op: "action", target: { name: "counter", generation: 0 }, action: "get", args: [] },
  { op: "action", target: { name: "counter", generation: 3 }, action: "get", args: [{ deep: [1] }] },
  { op: "action", target: { name: "counter", key: ["a"], create: {} }, action: "get", args: [] },
  { op: "action", target: { name: "counter", key: ["a"], create: { input: { owner: "ada" } } }, action: "get", args: [] },
  { op: "action", target: { name: "counter", key: ["a"], create: { input: undefined } }, action: "get", args: [] },
  { op: "action", target: { name: "counter", key: ["a"], create: { input: 1, extra: true } }, action: "get", args: [] },
  { op: "action", target: { name: "counter", key: ["a"], create: [] }, action: "get", args: [] },
  { op: "action", target: { name: "counter", key: ["a"], create: null }, action: "get", args: [] },
  { op: "action", target: { name: "counter", generation: 2, create: {} }, action: "get", args: [] },
  { op: "action", target: { name: "counter", key: [1] }, action: "get", args: [] },
  // A sparse key (from RPC): its hole is no string.
  { op: "action", target: { name: "counter", key: [, "a"] }, action: "get", args: [] },
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
    if (isActionRequest(request)) expect(parsed).toStrictEqual({ success: true, data: request });
  });

  it("takes the commonest requests itself: by key, from a getOrCreate handle, by id", () => {
    expect(requests.slice(0, 7).every(isActionRequest)).toBe(true);
  });
});

import { describe, expect, it } from "vitest";
import { actorRequest, isActionRequest } from "../../../../runtime/protocol/requests.ts";

// Requests near the action's shape. The first seven the hand check takes itself, exactly as
// the schema returns them; every other one it leaves to the schema (which refuses most, and
// strips or reshapes the rest), so it never accepts what the schema would refuse or change.
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

const taken = requests.slice(0, 7);
const leftToSchema = requests.slice(7);

describe("the hand check of an action request", () => {
  it.each(taken.map((request) => [JSON.stringify(request), request]))("takes %s, as the schema returns it", (_, request) => {
    expect(isActionRequest(request)).toBe(true);
    expect(actorRequest.safeParse(request)).toStrictEqual({ success: true, data: request });
  });

  it.each(leftToSchema.map((request) => [JSON.stringify(request) ?? String(request), request]))("leaves %s to the schema", (_, request) => {
    expect(isActionRequest(request)).toBe(false);
  });
});

// actorstate/stately: the optional Stately Inspector bridge. Import it only if you want it;
// it brings @statelyai/inspect into your Worker. @statelyai/inspect is an optional peer
// dependency of actorstate: install it yourself (`npm install @statelyai/inspect`) to use this.
import { createInspector } from "@statelyai/inspect";
import type { StatelyBridgeFactory } from "./inspector/types.ts";

/**
 * Turns each actor's lifecycle inspection events into Stately's inspection format and hands
 * them to the inspector page, which relays them to Stately's hosted inspector when you open
 * it (that part needs the internet; everything else works offline).
 *
 * @example
 * ```ts
 * import { createHandler } from "actorstate";
 * import { statelyBridge } from "actorstate/stately";
 *
 * const { handler, ActorObject } = createHandler(registry, { stately: statelyBridge });
 * ```
 */
export const statelyBridge: StatelyBridgeFactory = (send) => {
  const inspector = createInspector({ send, start() {}, stop() {} });
  return (inspectionEvent) => inspector.inspect.next?.(inspectionEvent as never);
};

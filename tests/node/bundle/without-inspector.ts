// A Worker that does not use the inspector: what tests/node/bundle.test.ts bundles.
import { createHandler } from "actorstate";
import { registry } from "../../../examples/counter/actors.ts";

const { handler, ActorObject } = createHandler(registry);
export { ActorObject };
export default handler;

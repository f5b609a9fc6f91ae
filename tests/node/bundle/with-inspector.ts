// The same Worker with the inspector: what tests/node/bundle.test.ts bundles.
import { createHandler } from "actorstate";
import { inspector } from "actorstate/inspector";
import { registry } from "../../../examples/counter/actors.ts";

const { handler, ActorObject } = createHandler(registry, { inspector });
export { ActorObject };
export default handler;

// A Worker of its own for the guestbook: `npm start -- --config examples/guestbook/wrangler.json`.
import { createHandler, setup } from "actorstate";
import { inspector } from "actorstate/inspector";
import { guestbook } from "./actors.ts";

export const registry = setup({ actors: { guestbook } });

const { handler, ActorObject } = createHandler(registry, { inspector });
type ActorObject = InstanceType<typeof ActorObject>; // the class as a type too, for `wrangler types`
export { ActorObject };
export default handler;

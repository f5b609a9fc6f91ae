import { env } from "cloudflare:test";
import { createClient } from "actorstate/client";
import type { registry } from "./fixtures/worker.ts";

export { eventually, expectActorError, objectOf, uniqueKey } from "../workers/helpers.ts";

/** The in-Worker client of the workflow tests' registry. */
export const client = createClient<typeof registry>({ binding: env.ACTORS });

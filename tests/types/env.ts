// Type tests for ActorEnv in a Worker's program, checked by `npm run typecheck`. Outside a
// Worker (no Workers types, no declared Env) it is `any`, so a client that reads actors.ts
// for the registry's type checks it: tests/package/client-env.test.ts proves that side.
import type { ActorEnv } from "actorstate";

type IsAny<T> = 0 extends 1 & T ? true : false;
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

// Here, with the Workers types and worker-configuration.d.ts, it is Cloudflare.Env exactly.
export const notAny: IsAny<ActorEnv> = false;
export const isCloudflareEnv: Equal<ActorEnv, Cloudflare.Env> = true;
export const binding: DurableObjectNamespace = ({} as ActorEnv).ACTORS;
// @ts-expect-error no such binding
export const missing: unknown = ({} as ActorEnv).NOT_A_BINDING;

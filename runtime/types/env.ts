// The Worker's env as actors see it: Cloudflare's own `Cloudflare.Env`, found by declaration
// merging, never by importing Workers types, so that a client's program (DOM or Node types
// only) that reads an actors.ts for the registry's type checks it too.
declare global {
  // Cloudflare's type for a Worker's env, the one `import { env } from "cloudflare:workers"`
  // has and `wrangler types` fills in. Declared (empty) here as well, so these types also
  // compile in Node and browser projects, which have no Workers types.
  namespace Cloudflare {
    interface Env {}
  }
}

/**
 * The Worker's env as actors see it (`c.env`): Cloudflare's own `Cloudflare.Env`, which
 * `wrangler types` generates from your wrangler.json — bindings, vars and secrets — with
 * no type argument to pass anywhere. Without `wrangler types`, declare what you use:
 *
 * @example
 * ```ts
 * declare global {
 *   namespace Cloudflare {
 *     interface Env { OPENAI_KEY: string; FILES: R2Bucket }
 *   }
 * }
 * ```
 *
 * In a program that has neither a declared `Cloudflare.Env` nor the Workers types — a
 * browser or Node client's, which checks your actors.ts only for the registry's type — it
 * is `any`, so actors that use `c.env` check there without the Worker's types
 * (docs/client.md, "TypeScript setup"). The Workers types are recognised by their `Request`,
 * which has `cf`; in a Worker `c.env` is always `Cloudflare.Env`, empty or not.
 */
export type ActorEnv = [keyof Cloudflare.Env] extends [never] ? ("cf" extends keyof Request ? Cloudflare.Env : any) : Cloudflare.Env;

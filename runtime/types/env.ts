// The Worker's env as actors see it: Cloudflare's own `Cloudflare.Env`.
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
 */
export type ActorEnv = Cloudflare.Env;

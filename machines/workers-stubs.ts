// Node module hooks (for `module.register`) that let `actorstate diagram` load a machine's
// module in Node when that module, or actorstate itself, imports `cloudflare:*`: Node has no
// such modules, so each resolves to a stand-in whose exports do nothing. Drawing a machine
// only reads its definition; nothing from the stand-ins is ever called for real.

/**
 * What `cloudflare:workers` exports as values (per @cloudflare/workers-types), as inert
 * stand-ins: classes to extend, an empty `env`, functions that do nothing.
 */
const WORKERS_STAND_IN = `
export class DurableObject { constructor(ctx, env) { this.ctx = ctx; this.env = env; } }
export class WorkerEntrypoint { constructor(ctx, env) { this.ctx = ctx; this.env = env; } }
export class WorkflowEntrypoint { constructor(ctx, env) { this.ctx = ctx; this.env = env; } }
export class WorkflowStep {}
export class RpcTarget {}
export class RpcStub {}
export const env = {};
const moduleExports = {};
export { moduleExports as exports };
export const cache = {};
export const tracing = {};
export function waitUntil() {}
export function withEnv(env, fn) { return fn(); }
export function withExports(exports, fn) { return fn(); }
export function withEnvAndExports(env, exports, fn) { return fn(); }
`;

/** The other `cloudflare:*` modules stand in empty: importing a name from one fails by name. */
const EMPTY_STAND_IN = "export {};";

interface Resolved {
  url: string;
  shortCircuit?: boolean;
}

/**
 * Node's `resolve` hook: `cloudflare:*` specifiers become stand-in modules, everything else
 * resolves as usual.
 */
export async function resolve(specifier: string, context: unknown, nextResolve: (specifier: string, context: unknown) => Promise<Resolved>): Promise<Resolved> {
  if (!specifier.startsWith("cloudflare:")) return nextResolve(specifier, context);
  const source = specifier === "cloudflare:workers" ? WORKERS_STAND_IN : EMPTY_STAND_IN;
  // The specifier rides along in a comment so that two empty stand-ins stay two modules.
  return { url: `data:text/javascript,${encodeURIComponent(`// ${specifier}\n${source}`)}`, shortCircuit: true };
}

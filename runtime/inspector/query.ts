import type { ListOptions } from "../types/directory.ts";
import { ActorError } from "../errors.ts";

const LIFECYCLES: ReadonlyArray<NonNullable<ListOptions["lifecycle"]>> = ["running", "destroying", "destroyed"];

/**
 * A whole-number query parameter, or `fallback` when absent. Anything else is
 * `request/invalid`: `Number("abc")` would quietly become NaN and an empty page.
 */
export function integerParam(url: URL, name: string, fallback: number, range: { min: number; max?: number }): number {
  const text = url.searchParams.get(name);
  if (text === null) return fallback;
  const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < range.min) {
    throw new ActorError("request/invalid", `\`${name}\` must be a whole number of at least ${range.min}.`);
  }
  return range.max === undefined ? value : Math.min(value, range.max);
}

/** The `lifecycle` filter of a list, if any; one of the phases the directory records. */
export function lifecycleParam(url: URL): ListOptions["lifecycle"] {
  const text = url.searchParams.get("lifecycle");
  if (text === null || text === "") return undefined;
  const lifecycle = LIFECYCLES.find((phase) => phase === text);
  if (!lifecycle) throw new ActorError("request/invalid", `\`lifecycle\` must be one of ${LIFECYCLES.join(", ")}.`);
  return lifecycle;
}

/** The `name` filter of a list, if any; it must be a registered actor type. */
export function nameParam(url: URL, names: readonly string[]): string | undefined {
  const name = url.searchParams.get("name");
  if (name === null || name === "") return undefined;
  if (!names.includes(name)) throw new ActorError("actor/unknown_name", `No actor type named "${name.slice(0, 100)}" is registered.`);
  return name;
}

/** The longest KV cursor taken: the hex of a key, and keys are far shorter than this. */
const KV_CURSOR_CHARS = 8192;

/** The `after` cursor of a KV page (the hex of the last key shown), if any. */
export function kvCursorParam(url: URL): Uint8Array | undefined {
  const text = url.searchParams.get("after");
  if (text === null || text === "") return undefined;
  if (text.length > KV_CURSOR_CHARS || !/^(?:[0-9a-f]{2})+$/.test(text)) {
    throw new ActorError("request/invalid", "That KV cursor is not one this inspector gave out.");
  }
  const bytes = new Uint8Array(text.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(text.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

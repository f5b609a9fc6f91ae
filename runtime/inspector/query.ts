import type { ListOptions } from "../directory/entry.ts";
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

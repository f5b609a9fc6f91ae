import type { AnyStateNode, AnyTransitionDefinition } from "xstate";

/** A guard as text: its name, or named guards joined by `&` / `|` for and()/or(). */
export function guardText(guard: unknown): string | undefined {
  if (guard === undefined) return undefined;
  if (typeof guard === "string") return guard;
  const combined = (guard as { guards?: unknown[] }).guards;
  if (typeof guard === "function" && Array.isArray(combined)) {
    const joiner = guard.name === "or" ? " | " : " & ";
    return combined.map(guardText).join(joiner);
  }
  return (guard as { type?: string }).type ?? "guard";
}

/** Every transition defined at `node` and below: evented, eventless and work results. */
export function allTransitions(node: AnyStateNode): AnyTransitionDefinition[] {
  const own = [...[...node.transitions.values()].flat(), ...(node.always ?? [])];
  return [...own, ...Object.values(node.states).flatMap(allTransitions)];
}

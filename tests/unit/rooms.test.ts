import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// The rooms of ARCHITECTURE.md: each folder of runtime/ is a room (each folder of
// runtime/transports/ too: one room per transport), each file at its top is one, and
// machines/ is one. Imports between rooms must only go one way.
const root = normalize(join(dirname(fileURLToPath(import.meta.url)), "../.."));

function sources(folder: string): string[] {
  return readdirSync(join(root, folder), { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return sources(path);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith(".test.ts") ? [path] : [];
  });
}

function roomOf(path: string): string {
  const [top, second, third, ...rest] = path.split("/");
  if (top === "machines") return "machines";
  if (second === "transports" && rest.length) return `${top}/${second}/${third}`;
  return third !== undefined ? `${top}/${second}` : path;
}

/** Room → the rooms it imports from (type-only imports count), with one import that shows it. */
function roomImports(): Map<string, Map<string, string>> {
  const rooms = new Map<string, Map<string, string>>();
  for (const file of [...sources("runtime"), ...sources("machines")]) {
    const text = readFileSync(join(root, file), "utf8");
    for (const [, specifier] of text.matchAll(/(?:from|import)\s*\(?\s*"(\.{1,2}\/[^"]+)"/g)) {
      const target = relative(root, join(root, dirname(file), specifier as string));
      const [from, to] = [roomOf(file), roomOf(target)];
      if (from === to) continue;
      const targets = rooms.get(from) ?? new Map<string, string>();
      rooms.set(from, targets.set(to, `${file} imports ${target}`));
    }
  }
  return rooms;
}

/** Every cycle of rooms, as the imports that close it (Tarjan's strongly connected components). */
function cycles(rooms: Map<string, Map<string, string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (room: string) => {
    index.set(room, index.size);
    low.set(room, index.get(room)!);
    stack.push(room);
    for (const next of rooms.get(room)?.keys() ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(room, Math.min(low.get(room)!, low.get(next)!));
      } else if (stack.includes(next)) low.set(room, Math.min(low.get(room)!, index.get(next)!));
    }
    if (low.get(room) !== index.get(room)) return;
    const component = stack.splice(stack.indexOf(room));
    if (component.length > 1) {
      found.push(component.flatMap((from) => component.flatMap((to) => (rooms.get(from)?.has(to) ? [rooms.get(from)!.get(to)!] : []))));
    }
  };
  for (const room of rooms.keys()) if (!index.has(room)) visit(room);
  return found;
}

describe("the rooms", () => {
  it("import each other one way only", () => {
    expect(cycles(roomImports())).toEqual([]);
  });

  it("keep machines/ free of the host and of Cloudflare", () => {
    const machines = roomImports().get("machines") ?? new Map<string, string>();
    expect([...machines.values()]).toEqual([]);
    const cloudflare = sources("machines").filter((file) => /from\s+"cloudflare:/.test(readFileSync(join(root, file), "utf8")));
    expect(cloudflare).toEqual([]);
  });
});

// What each entry point of the package exports, read by the TypeScript compiler: the names
// docs/api.md must describe. `node scripts/api-exports.ts` prints them from the sources.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import ts from "typescript";

/** An entry point's exported names: values (what exists at run time) and types alone. */
export interface EntryExports {
  values: string[];
  types: string[];
}

/** Whether an export is `export type { … }` or `export { type … }`: a type, whatever it names. */
function isTypeOnly(symbol: ts.Symbol): boolean {
  return (symbol.declarations ?? []).some((declaration) => ts.isExportSpecifier(declaration) && (declaration.isTypeOnly || declaration.parent.parent.isTypeOnly));
}

/**
 * The exports of each module in `entries` (entry point → file, a `.ts` source or a `.d.ts`),
 * sorted by name. Imports that do not resolve are fine: only the entry's own re-exports count.
 */
export function exportsOf(entries: Record<string, string>): Record<string, EntryExports> {
  const program = ts.createProgram(Object.values(entries), {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    allowImportingTsExtensions: true,
    jsx: ts.JsxEmit.ReactJSX,
    noEmit: true,
    types: [],
  });
  const checker = program.getTypeChecker();
  const result: Record<string, EntryExports> = {};
  for (const [entry, file] of Object.entries(entries)) {
    const source = program.getSourceFile(file);
    const module = source && checker.getSymbolAtLocation(source);
    if (!module) throw new Error(`${file} (${entry}) is not a module`);
    const values: string[] = [];
    const types: string[] = [];
    for (const symbol of checker.getExportsOfModule(module)) {
      const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
      const value = !isTypeOnly(symbol) && (target.flags & ts.SymbolFlags.Value) !== 0;
      (value ? values : types).push(symbol.name);
    }
    result[entry] = { values: values.sort(), types: types.sort() };
  }
  return result;
}

/**
 * A package's entry points, `actorstate/client` style, with the file of each: the `types`
 * of its exports map, or with `sources`, the `.ts` file that `dist/….js` is built from.
 */
export async function entryPoints(root: string, options: { sources?: boolean } = {}): Promise<Record<string, string>> {
  const manifest = JSON.parse(await readFile(join(root, "package.json"), "utf8")) as { name: string; exports: Record<string, { types: string; default: string }> };
  return Object.fromEntries(
    Object.entries(manifest.exports).map(([path, target]) => {
      const file = options.sources ? target.default.replace(/^\.\/dist\//, "").replace(/\.js$/, ".ts") : target.types;
      return [path === "." ? manifest.name : `${manifest.name}/${path.slice(2)}`, join(root, file)];
    }),
  );
}

if (import.meta.main) {
  const listing = exportsOf(await entryPoints(new URL("..", import.meta.url).pathname, { sources: true }));
  for (const [entry, { values, types }] of Object.entries(listing)) {
    console.log(`${entry}\n  values: ${values.join(", ") || "none"}\n  types:  ${types.join(", ") || "none"}\n`);
  }
}

// What docs/api.md lists of each entry point, against what the entry point exports.
// `node scripts/api-docs.ts` says, from the sources, what to add to the page or remove.
import { readFile } from "node:fs/promises";
import { entryPoints, exportsOf, type EntryExports } from "./api-exports.ts";

/** A code span's name: `createEngine(machine)` → createEngine, `new Lifecycle(…)` → Lifecycle. */
const nameOf = (code: string) => /^(?:new\s+)?([A-Za-z_$][\w$]*)/.exec(code)?.[1];

/** The cells of a Markdown table row; `\|` inside a cell is not a border. */
const cellsOf = (row: string) => row.trim().replace(/^\||\|$/g, "").split(/(?<!\\)\|/).map((cell) => cell.trim());

/**
 * The names docs/api.md lists per entry point, under each `` ## `actorstate/…` `` heading:
 * the code spans in the first column of its tables headed `export`, and in its lines that
 * start with `Types:`.
 */
export function listedNames(markdown: string): Map<string, Set<string>> {
  const listed = new Map<string, Set<string>>();
  for (const section of markdown.split(/^## /m).slice(1)) {
    const [heading = "", ...lines] = section.split("\n");
    const entry = /^`(actorstate(?:\/[\w-]+)?)`$/.exec(heading.trim())?.[1];
    if (!entry) continue;
    const names = new Set<string>();
    let inExportTable = false;
    for (const line of lines) {
      if (!line.startsWith("|")) inExportTable = false;
      else if (/^\|\s*export\s*\|/.test(line)) inExportTable = true;
      else if (inExportTable && !/^\|\s*-+/.test(line)) {
        for (const [, code = ""] of (cellsOf(line)[0] ?? "").matchAll(/`([^`]+)`/g)) names.add(nameOf(code) ?? code);
      }
      if (line.startsWith("Types:")) for (const [, code = ""] of line.matchAll(/`([^`]+)`/g)) names.add(code);
    }
    listed.set(entry, names);
  }
  return listed;
}

/**
 * What docs/api.md gets wrong about the entry points' exports, each as what to do: a value
 * export it does not list, a name it lists that the entry point does not export, an entry
 * point without a section. Types need not be listed; listed ones must exist.
 */
export function apiDocProblems(markdown: string, exports: Record<string, EntryExports>): string[] {
  const listed = listedNames(markdown);
  const problems: string[] = [];
  for (const [entry, { values, types }] of Object.entries(exports)) {
    const names = listed.get(entry);
    if (!names) {
      problems.push(`${entry}: docs/api.md has no "## \`${entry}\`" section; add one with an "| export | |" table of ${values.join(", ")}`);
      continue;
    }
    for (const value of values) {
      if (!names.has(value)) problems.push(`${entry}: exports ${value}, which docs/api.md does not list; add a row for it to an "| export | |" table under "## \`${entry}\`"`);
    }
    for (const name of names) {
      if (!values.includes(name) && !types.includes(name)) problems.push(`${entry}: docs/api.md lists ${name}, which ${entry} does not export; remove it or correct the name`);
    }
  }
  for (const entry of listed.keys()) {
    if (!(entry in exports)) problems.push(`docs/api.md has a "## \`${entry}\`" section, but the package has no such entry point; remove it`);
  }
  return problems;
}

if (import.meta.main) {
  const root = new URL("..", import.meta.url).pathname;
  const problems = apiDocProblems(await readFile(`${root}docs/api.md`, "utf8"), exportsOf(await entryPoints(root, { sources: true })));
  console.log(problems.length ? problems.join("\n") : "docs/api.md lists every export of every entry point, and nothing else.");
  process.exitCode = problems.length ? 1 : 0;
}

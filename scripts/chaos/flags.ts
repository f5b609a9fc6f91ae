// Command-line flags for the chaos and soak scripts: `--name value`, `--name=value`, and
// bare `--name` for booleans. Unknown flags are an error, so a typo never runs a default.

/** A flag's default (which also fixes its type) and its one-line help. */
export type FlagSpec = Record<string, { default: number | string | boolean; help: string }>;

export type Flags<S extends FlagSpec> = { [K in keyof S]: S[K]["default"] extends number ? number : S[K]["default"] extends boolean ? boolean : string };

/** Parse `argv` against `spec`; prints the help and exits on `--help`. */
export function parseFlags<S extends FlagSpec>(argv: string[], spec: S, usage: string): Flags<S> {
  const values: Record<string, number | string | boolean> = Object.fromEntries(Object.entries(spec).map(([name, flag]) => [name, flag.default]));
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "--help" || arg === "-h") {
      console.log(`${usage}\n\n${Object.entries(spec).map(([name, flag]) => `  --${name.padEnd(12)} ${flag.help} (default ${flag.default})`).join("\n")}`);
      process.exit(0);
    }
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    const name = match?.[1];
    if (!match || !name || !Object.hasOwn(spec, name)) throw new Error(`Unknown argument "${arg}"; see --help.`);
    const kind = typeof (spec[name] as FlagSpec[string]).default;
    if (kind === "boolean") {
      values[name] = match[2] === undefined ? true : match[2] !== "false";
      continue;
    }
    const raw = match[2] ?? argv[++i];
    if (raw === undefined) throw new Error(`--${name} needs a value.`);
    if (kind === "number") {
      const number = Number(raw);
      if (!Number.isFinite(number) || number < 0) throw new Error(`--${name} takes a non-negative number, not "${raw}".`);
      values[name] = number;
    } else values[name] = raw;
  }
  return values as Flags<S>;
}

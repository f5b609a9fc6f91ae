import type { ActorLogger } from "../types/actor.ts";

type Level = "debug" | "info" | "warn" | "error";

const sinks: Record<Level, (line: string) => void> = {
  debug: (line) => console.debug(line),
  info: (line) => console.log(line),
  warn: (line) => console.warn(line),
  error: (line) => console.error(line),
};

/**
 * A logger that writes one JSON object per line with `fields` on every line, so Workers
 * Logs and `wrangler tail` can filter by actor.
 */
export function createLogger(fields: Record<string, unknown>): ActorLogger {
  const write = (level: Level) => (message: string, extra?: Record<string, unknown>) =>
    sinks[level](JSON.stringify({ level, message, ...fields, ...extra }));
  return { debug: write("debug"), info: write("info"), warn: write("warn"), error: write("error") };
}

/**
 * Structured logs: one JSON object per line on stdout ({time, level, node, msg, ...fields}), bigints as decimal
 * strings, so a log shipper or `jq` reads them as they are.
 */
export type LogLevel = "debug" | "info" | "warn" | "error";

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

/** A logger writing lines at `level` and above through `write` (default: stdout), each tagged with `base`. */
export function createLogger(
  level: LogLevel,
  base: Record<string, unknown> = {},
  write: (line: string) => void = (line) => process.stdout.write(line + "\n"),
): Logger {
  const emit = (at: LogLevel, msg: string, fields: Record<string, unknown> = {}) => {
    if (RANK[at] < RANK[level]) return;
    const entry = { time: new Date().toISOString(), level: at, ...base, msg, ...fields };
    write(
      JSON.stringify(entry, (_key, value: unknown) => {
        if (typeof value === "bigint") return value.toString();
        if (value instanceof Error) return value.message;
        return value;
      }),
    );
  };
  return {
    debug: (msg, fields) => emit("debug", msg, fields),
    info: (msg, fields) => emit("info", msg, fields),
    warn: (msg, fields) => emit("warn", msg, fields),
    error: (msg, fields) => emit("error", msg, fields),
  };
}

export function isLogLevel(value: string): value is LogLevel {
  return value in RANK;
}

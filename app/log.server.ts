import { env } from "./env.server";

export type Level = "debug" | "info" | "warn" | "error";
const rank: Record<Level | "silent", number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

// Keys whose values must never reach a log line, whatever their nesting.
const SECRET_KEY = /token|secret|password|authorization|hmac|api[-_]?key|cookie|code_verifier/i;
// A request's or webhook's body is never logged: it is the customer's data, or an attacker's.
const BODY_KEY = /^(body|raw_?body|payload)$/i;
/** The longest string a log line carries; what anyone sends us cannot make lines longer. */
export const MAX_LOGGED_CHARS = 200;

const cap = (text: string) =>
  text.length > MAX_LOGGED_CHARS ? `${text.slice(0, MAX_LOGGED_CHARS)}…(${text.length} chars)` : text;

export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return cap(value);
  if (depth > 6 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.slice(0, 20).map((item) => redact(item, depth + 1));
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [
      cap(key),
      SECRET_KEY.test(key) ? "[redacted]" : BODY_KEY.test(key) ? "[body not logged]" : redact(inner, depth + 1),
    ]),
  );
}

/** One log line: JSON, every string capped, secrets and bodies left out. */
export function logLine(level: Level, message: string, fields: Record<string, unknown> = {}, now = new Date()) {
  return JSON.stringify({ time: now.toISOString(), level, message: cap(message), ...(redact(fields) as object) });
}

function write(level: Level, message: string, fields: Record<string, unknown> = {}) {
  if (rank[level] < rank[env.logLevel]) return;
  (level === "error" || level === "warn" ? process.stderr : process.stdout).write(
    `${logLine(level, message, fields)}\n`,
  );
}

export const log = {
  debug: (message: string, fields?: Record<string, unknown>) => write("debug", message, fields),
  info: (message: string, fields?: Record<string, unknown>) => write("info", message, fields),
  warn: (message: string, fields?: Record<string, unknown>) => write("warn", message, fields),
  error: (message: string, fields?: Record<string, unknown>) => write("error", message, fields),
};

/**
 * One readable line for an error. Prisma's messages carry a code frame of its minified runtime
 * before the actual reason, which comes last; that last line is what anyone needs.
 */
export function errorSummary(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const lines = message
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);
  return (lines.length > 1 && /invocation/.test(lines[0]) ? lines[lines.length - 1] : lines.join(" ")).slice(0, 500);
}

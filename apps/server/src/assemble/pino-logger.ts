import type { Logger } from "@countersign/core/server";
import { type DestinationStream, pino } from "pino";

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * Fields no log line may carry, whatever a caller passes: the server never
 * logs keys, tokens, cookies or secrets, and this is the second line of defence.
 */
const REDACT = [
  "authorization",
  "cookie",
  "api_key",
  "token",
  "secret",
  "proof_secret",
  "webhook_secret",
  "*.authorization",
  "*.cookie",
  "*.api_key",
  "*.token",
  "*.secret",
];

/**
 * The server's logger: pino, one JSON line per message on stderr (`level`,
 * `time`, `message` and the fields), at `level` and above.
 */
export function pinoLogger(
  options: { level?: LogLevel; destination?: DestinationStream } = {},
): Logger & { level: string; warn: Logger["info"] } {
  const logger = pino(
    {
      level: options.level ?? "info",
      base: { service: "countersign" },
      timestamp: pino.stdTimeFunctions.isoTime,
      // The same shape as before pino: `"level":"info"` and `"message"`, so log queries keep working.
      messageKey: "message",
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACT, censor: "[redacted]" },
    },
    options.destination ?? pino.destination({ dest: 2, sync: true }),
  );
  return {
    level: logger.level,
    info: (message, fields) => logger.info(fields ?? {}, message),
    warn: (message, fields) => logger.warn(fields ?? {}, message),
    error: (message, fields) => logger.error(fields ?? {}, message),
  };
}

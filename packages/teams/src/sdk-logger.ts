import type { ILogger, ILoggerOptions, LogLevel } from "@microsoft/teams.common";

/**
 * The Teams SDK's logger, pointed at the channel's error log. Only warnings
 * and errors pass; each argument is reduced to text (an error to its name
 * and message, never its request config, which carries the bearer token) and
 * redacted before it is written.
 */
export function createSdkLogger(
  logError: (message: string, details: Record<string, unknown>) => void,
  redact: (text: string) => string,
  name = "teams-sdk",
): ILogger {
  const write = (level: "warn" | "error", parts: unknown[]) => {
    const text = parts.map(describePart).filter(Boolean).join(" ");
    logError(`${name}: ${redact(text)}`, { level });
  };
  const logger: ILogger = {
    loggerOptions: { level: "warn" } as ILoggerOptions,
    debug: () => {},
    info: () => {},
    trace: () => {},
    warn: (...parts) => write("warn", parts),
    error: (...parts) => write("error", parts),
    log: (level: LogLevel, ...parts) => {
      if (level === "warn" || level === "error") write(level, parts);
    },
    child: (child: string) => createSdkLogger(logError, redact, `${name}/${child}`),
  };
  return logger;
}

function describePart(part: unknown): string {
  if (typeof part === "string") return part;
  if (part instanceof Error) return `${part.name}: ${part.message}`;
  if (typeof part === "number" || typeof part === "boolean") return String(part);
  // Objects (activities, responses, configs) are left out: they may carry tokens or personal data.
  return "";
}

import { UsageError } from "../usage-error.ts";
import { LOG_LEVELS, type LogLevel } from "./pino-logger.ts";

/** `--log-level`, else `COUNTERSIGN_LOG_LEVEL`, else `info`; anything else is a usage error naming the choices. */
export function logLevelFrom(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): LogLevel {
  const value = (flag ?? env.COUNTERSIGN_LOG_LEVEL ?? "info").trim().toLowerCase();
  if ((LOG_LEVELS as readonly string[]).includes(value)) return value as LogLevel;
  const source = flag !== undefined ? "--log-level" : "COUNTERSIGN_LOG_LEVEL";
  throw new UsageError(`${source}: ${value} is not one of ${LOG_LEVELS.join(", ")}`);
}

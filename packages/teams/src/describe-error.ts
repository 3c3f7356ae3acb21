/** An error as one log-safe line: its name and message, never its request config or headers. */
export function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

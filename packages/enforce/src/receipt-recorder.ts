import { canonicalJson, sha256Hex } from "@countersign/verify";
import type { CountersignCalls } from "./countersign-calls.ts";
import type { Outcome } from "./verdict.ts";

const MAX_ERROR_LENGTH = 500;

/** Records one receipt for a claimed pause: the first `finish` wins, later ones do nothing. */
export function receiptRecorder(calls: CountersignCalls, pauseId: string) {
  let result: { value: unknown } | undefined;
  let finished: Promise<void> | undefined;
  return {
    setResult(value: unknown): void {
      result = { value };
    },
    finish(outcome: Outcome): Promise<void> {
      finished ??= (async () => {
        const digest =
          result === undefined ? undefined : `sha256:${await sha256Hex(canonicalJson(result.value))}`;
        const recorded = await calls.recordReceipt(pauseId, {
          outcome: outcome.outcome,
          ...(outcome.outcome === "succeeded" && digest !== undefined && { result_digest: digest }),
          ...(outcome.outcome === "failed" && { error: describeError(outcome.error) }),
        });
        if (recorded.kind !== "ok") {
          throw new Error(
            recorded.kind === "refused" ? `${recorded.code}: ${recorded.detail}` : recorded.detail,
          );
        }
      })();
      return finished;
    },
  };
}

function describeError(error: unknown): string {
  const text =
    error instanceof Error
      ? error.message || error.name
      : typeof error === "string"
        ? error
        : "the handler failed";
  return text.length > MAX_ERROR_LENGTH
    ? `${text.slice(0, MAX_ERROR_LENGTH - 3)}...`
    : text || "the handler failed";
}

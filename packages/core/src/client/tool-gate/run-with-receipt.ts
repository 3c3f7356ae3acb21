import { resultDigest } from "../../proof/result-digest.ts";
import type { RecordReceiptOptions } from "../types.ts";

/** Told when a receipt could not be recorded; the action's own outcome stands. */
export type ReceiptErrorHandler = (error: unknown, pauseId: string) => void;

/**
 * Runs a claimed, approved action and records its execution receipt once:
 * `succeeded` with the digest of what it returned, or `failed` with what it
 * threw (which is then thrown on). A receipt that cannot be recorded never
 * changes the action's outcome — the action happened — and the pause then
 * shows up in `GET /v1/pauses?claimed_without_receipt=true`. A client without
 * `recordReceipt` (one that hands the claim to a proof-gated service) records nothing.
 */
export async function runWithReceipt<Result>(
  client: { recordReceipt?(pauseId: string, receipt: RecordReceiptOptions): Promise<unknown> },
  pauseId: string,
  run: () => Promise<Result>,
  onReceiptError: ReceiptErrorHandler = warnReceiptError,
): Promise<Result> {
  const record = async (receipt: RecordReceiptOptions) => {
    if (client.recordReceipt === undefined) return;
    try {
      await client.recordReceipt(pauseId, receipt);
    } catch (error) {
      onReceiptError(error, pauseId);
    }
  };
  let result: Result;
  try {
    result = await run();
  } catch (error) {
    await record({ outcome: "failed", error: errorText(error) });
    throw error;
  }
  await record({ outcome: "succeeded", ...(await digestOf(result)) });
  return result;
}

async function digestOf(result: unknown): Promise<{ resultDigest?: string }> {
  if (result === undefined) return {};
  try {
    return { resultDigest: await resultDigest(result) };
  } catch {
    return {}; // not JSON (a stream, a class instance): the receipt says only that it succeeded
  }
}

function errorText(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.length > 2000 ? `${text.slice(0, 1999)}…` : text;
}

function warnReceiptError(error: unknown, pauseId: string): void {
  const message = error instanceof Error ? error.message : String(error);
  console.warn(`Countersign: the execution receipt for ${pauseId} was not recorded: ${message}`);
}

import { RECEIPT_SIGNING_PREFIX, RECEIPT_VERSION } from "@countersign/verify";
import { z } from "zod";
import { Ed25519SignatureSchema } from "./proof.ts";

export { RECEIPT_SIGNING_PREFIX, RECEIPT_VERSION };

const DIGEST = z.string().regex(/^sha256:[0-9a-f]{64}$/, "sha256:<64 lower-case hex digits>");

export const ExecutionOutcomeSchema = z.enum(["succeeded", "failed"]).meta({ id: "ExecutionOutcome" });
export type ExecutionOutcome = z.infer<typeof ExecutionOutcomeSchema>;

/** `POST /v1/pauses/{id}/receipt`: how the approved action ended, told by whoever claimed it. */
export const ReceiptRequestSchema = z
  .strictObject({
    outcome: ExecutionOutcomeSchema,
    result_digest: DIGEST.optional().describe(
      "`sha256:` of the RFC 8785 canonical JSON of the result (`resultDigest()` in the client).",
    ),
    error: z.string().min(1).max(2000).optional().describe("What went wrong, when `outcome` is `failed`."),
  })
  .meta({ id: "ReceiptRequest" });
export type ReceiptRequest = z.infer<typeof ReceiptRequestSchema>;

export const ReporterSchema = z
  .strictObject({
    kind: z.enum(["agent", "executor"]),
    key_id: z.string(),
    identity: z.string().nullable(),
  })
  .meta({ id: "Reporter" });
export type Reporter = z.infer<typeof ReporterSchema>;

/**
 * The signed execution receipt: the server's statement that the claimer of
 * this pause reported this outcome for the action the proof approved. Signed
 * like a proof (HMAC `signature`, Ed25519 `signatures[]`) over
 * `RECEIPT_SIGNING_PREFIX + JCS(receipt without signature and signatures)`.
 */
const executionFields = {
  v: z.number(),
  receipt_id: z.string().min(1),
  pause_id: z.string().min(1),
  proof_id: z.string().min(1),
  agent_id: z.string(),
  action_digest: DIGEST.describe("The action as approved, copied from the proof."),
  outcome: ExecutionOutcomeSchema,
  result_digest: DIGEST.nullable(),
  error: z.string().nullable(),
  reported_by: ReporterSchema,
  claimed_at: z.iso.datetime(),
  reported_at: z.iso.datetime(),
  kid: z.string().min(1),
  signature: z.string().regex(/^sha256=[0-9a-f]{64}$/),
  signatures: z.array(Ed25519SignatureSchema),
};
export const ExecutionSchema = z.looseObject(executionFields).meta({ id: "Execution" });
export type Execution = z.infer<ReturnType<typeof z.object<typeof executionFields>>>;
export type UnsignedExecution = Omit<Execution, "signature" | "signatures">;

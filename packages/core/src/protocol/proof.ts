import { PROOF_SIGNING_PREFIX, PROOF_VERSION } from "@countersign/verify";
import { z } from "zod";
import { ActionDataSchema } from "./action.ts";

export { PROOF_SIGNING_PREFIX, PROOF_VERSION };

export const ProofDecisionSchema = z.enum(["approved", "rejected", "expired"]).meta({ id: "ProofDecision" });
export type ProofDecision = z.infer<typeof ProofDecisionSchema>;

export const DeciderSchema = z
  .looseObject({
    kind: z
      .enum(["human", "policy", "timeout", "agent", "grant"])
      .describe(
        "`agent` only on a cancelled pause; proofs never carry it. `grant`: a standing grant approved it (`grant_id`, `granted_by`).",
      ),
    id: z.string().min(1),
    channel: z.string().optional(),
    rule: z.string().optional().describe("The policy rule, when `kind` is `policy`."),
    grant_id: z.string().optional().describe("The standing grant, when `kind` is `grant`."),
    granted_by: z
      .string()
      .optional()
      .describe("The approver who granted it, when `kind` is `grant`: accountable for the approval."),
    on_behalf_of: z
      .string()
      .optional()
      .describe(
        "When a delegate decided: the approver they stood in for (`id` is the delegate, who acted). Absent otherwise.",
      ),
  })
  .meta({ id: "Decider" });
export type Decider = z.infer<typeof DeciderSchema>;

export const Ed25519SignatureSchema = z
  .looseObject({ alg: z.literal("Ed25519"), kid: z.string().min(1), sig: z.string().min(1) })
  .meta({ id: "ProofSignature" });

/**
 * The signed decision proof (DESIGN §3). Loose on purpose: a verifier signs
 * over every field it is given, so a field added by a later minor version is
 * still covered by the signature and never silently dropped.
 */
const proofFields = {
  v: z.number(),
  proof_id: z.string().min(1),
  pause_id: z.string().min(1),
  agent_id: z.string(),
  action_digest: z.string().regex(/^sha256:[0-9a-f]{64}$/),
  decision: ProofDecisionSchema,
  human_response: z.boolean(),
  decided_by: DeciderSchema,
  reason: z.string().nullable(),
  data: ActionDataSchema.nullable(),
  issued_at: z.iso.datetime(),
  valid_until: z.iso.datetime(),
  kid: z.string().min(1),
  signature: z.string().regex(/^sha256=[0-9a-f]{64}$/),
  signatures: z.array(Ed25519SignatureSchema),
};
export const ProofSchema = z.looseObject(proofFields).meta({ id: "Proof" });
/** The known fields of a proof (a parsed proof may carry more, all signed). */
export type Proof = z.infer<ReturnType<typeof z.object<typeof proofFields>>>;
export type UnsignedProof = Omit<Proof, "signature" | "signatures">;

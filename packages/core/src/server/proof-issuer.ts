import { actionDigest, approvedAction } from "../proof/action-digest.ts";
import { signProof } from "../proof/sign-proof.ts";
import type { SigningKeys } from "../proof/signing-keys.ts";
import type { ActionData } from "../protocol/action.ts";
import { newId } from "../protocol/ids.ts";
import { type Decider, PROOF_VERSION, type Proof, type ProofDecision } from "../protocol/proof.ts";
import type { PauseRecord } from "../store/records.ts";

export interface ProofInput {
  decision: ProofDecision;
  decidedBy: Decider;
  reason: string | null;
  /** Edited arguments; the digest then covers the action as approved. */
  data: ActionData | null;
  /** Extra signed fields (e.g. `policy`, `override`) from governance. */
  extra?: Record<string, unknown>;
}

/** Signs the decision proof for a pause (DESIGN §3). */
export async function issueProof(
  pause: PauseRecord,
  input: ProofInput,
  options: { keys: SigningKeys; now: Date; ttlSeconds: number },
): Promise<Proof> {
  return signProof(
    {
      ...input.extra,
      v: PROOF_VERSION,
      proof_id: newId("proof"),
      pause_id: pause.pauseId,
      agent_id: pause.agentId,
      action_digest:
        input.data === null
          ? pause.actionDigest
          : await actionDigest(approvedAction(pause.action, input.data)),
      decision: input.decision,
      human_response: input.decidedBy.kind === "human",
      decided_by: input.decidedBy,
      reason: input.reason,
      data: input.data,
      issued_at: options.now.toISOString(),
      valid_until: new Date(options.now.getTime() + options.ttlSeconds * 1000).toISOString(),
    },
    options.keys,
  );
}

import type { Claim, CountersignClient, Proof } from "@countersign/core";
import type { ApprovalClient } from "@countersign/langgraph";

/**
 * When the action happens in a proof-gated service, the service claims the
 * approval (once, where the side effect is) and records the receipt. This
 * client gives the adapter everything it needs, except that its `claim` does
 * not spend the approval: it hands the verified proof to the tool, which
 * forwards it in the `Countersign-Proof` header. The adapter has already
 * checked the proof for this call before it asks to claim.
 *
 * (A stand-in until the adapters have a "the service claims" mode of their own.)
 */
export function serviceClaims(client: CountersignClient): {
  client: ApprovalClient;
  /** The proof for a tool call, once the adapter let it run. */
  proofFor(toolCallId: string | undefined): Proof;
} {
  const proofs = new Map<string, Proof>();
  return {
    client: {
      createPause: client.createPause,
      getPause: client.getPause,
      waitForDecision: client.waitForDecision,
      cancel: client.cancel,
      getKeys: client.getKeys,
      async claim(pauseId, options): Promise<Claim> {
        const pause = await client.getPause(pauseId);
        const toolCallId = pause.context.tool_call_id;
        if (!pause.proof || pause.proof.proof_id !== options?.proofId || typeof toolCallId !== "string") {
          throw new Error(`pause ${pauseId} has no proof to hand over`);
        }
        proofs.set(toolCallId, pause.proof);
        return {
          object: "claim",
          pause_id: pauseId,
          proof_id: pause.proof.proof_id,
          claimed_at: new Date().toISOString(),
        };
      },
    },
    proofFor(toolCallId) {
      const proof = toolCallId === undefined ? undefined : proofs.get(toolCallId);
      if (!proof) throw new Error("no approval was handed over for this tool call");
      return proof;
    },
  };
}

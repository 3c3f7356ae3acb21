import {
  actionDigest,
  approvedAction,
  decodeProofHeader,
  isCountersignError,
  PROOF_HEADER,
  type Proof,
  verifyProof,
} from "@countersign/verify";
import { describeMismatches, findMismatches } from "./action-mismatch.ts";
import { type CallResult, countersignCalls, type PauseView } from "./countersign-calls.ts";
import { checkEnforceOptions, type EnforceOptions } from "./enforce-options.ts";
import type { EnforcedRequest } from "./enforced-request.ts";
import { problem } from "./problem.ts";
import { receiptRecorder } from "./receipt-recorder.ts";
import { trustedKeys } from "./trusted-keys.ts";
import type { RefusedVerdict, Verdict } from "./verdict.ts";

export interface Enforcer<Raw = unknown> {
  /**
   * Verifies the request's proof with the pinned keys, checks that this
   * request is exactly the approved action, and claims the pause (once, ever).
   * Fail-closed: anything short of a claimed approval is a refusal.
   */
  check(request: EnforcedRequest<Raw>): Promise<Verdict>;
}

/** Builds the check once (options checked now: no trust anchor, no enforcer). */
export function createEnforcer<Raw = unknown>(options: EnforceOptions<Raw>): Enforcer<Raw> {
  checkEnforceOptions(options);
  const calls = countersignCalls({
    baseUrl: options.countersignUrl,
    executorKey: options.executorKey,
    timeoutMs: options.timeoutMs ?? 5_000,
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
  });
  const keysFor = trustedKeys(options.verify, calls.getKeys);
  const howToGetOne = `Ask for approval first: open a pause with Countersign for this action, wait for the decision, and send its proof in the ${PROOF_HEADER} header (base64url of the proof's JSON; proofHeaders(proof) from @countersign/core builds it).${options.docsUrl ? ` See ${options.docsUrl}` : ""}`;

  async function check(request: EnforcedRequest<Raw>): Promise<Verdict> {
    const header = request.headers.get(PROOF_HEADER);
    if (header === null || header.trim() === "") {
      return refuse(
        problem(403, "proof_required", `This endpoint runs only approved actions. ${howToGetOne}`),
      );
    }
    const bytes = decodeProofHeader(header);
    if (bytes === null) {
      return refuse(
        problem(403, "proof_invalid", `The ${PROOF_HEADER} header is not base64url: ${howToGetOne}`, {
          proof_code: "proof_malformed",
        }),
      );
    }

    // 1. Offline: authentic (pinned keys), approved, not expired. Nothing is sent anywhere for a bad proof.
    let proof: Proof;
    try {
      const kid = peekKid(bytes);
      const keys = await keysFor(kid);
      if (keys.kind !== "ok") {
        return unavailable("fetch its public keys", { kind: "unreachable", detail: keys.detail });
      }
      ({ proof } = await verifyProof(bytes, {
        keys: keys.body,
        ...(options.clockSkewSeconds !== undefined && { clockSkewSeconds: options.clockSkewSeconds }),
      }));
    } catch (error) {
      if (!isCountersignError(error)) throw error;
      return refuse(
        problem(403, "proof_invalid", `The approval proof was refused (${error.code}): ${error.message}`, {
          proof_code: error.code,
        }),
      );
    }
    const pauseId = proof.pause_id;

    // 2. This request must be the approved action: same type, same arguments (the approver's edits applied).
    let requested: Awaited<ReturnType<typeof options.action>>;
    try {
      requested = await options.action(request);
    } catch (error) {
      return refuse(
        problem(
          400,
          "invalid_request",
          `This request maps to no action: ${(error as Error)?.message ?? "unknown"}`,
          { pause_id: pauseId },
        ),
      );
    }
    const read = await calls.getPause(pauseId);
    if (read.kind === "unreachable") return unavailable("read the pause", read);
    if (read.kind === "refused") return countersignRefused(read, pauseId, "read the pause");
    const pause = read.body;
    const approved = approvedAction(pause.action, proof.data);
    // The pause's action is bound to the signed proof by its digest: a pause that does not hash to it is not this approval.
    if (pause.proof?.proof_id !== proof.proof_id || (await actionDigest(approved)) !== proof.action_digest) {
      return refuse(
        problem(403, "proof_invalid", "The proof is not the current approval of its pause", {
          pause_id: pauseId,
          proof_code: "proof_mismatch",
        }),
      );
    }
    const mismatches = findMismatches(
      { type: approved.type, data: approved.data ?? {} },
      { type: requested.type, data: requested.data ?? {} },
      "",
    ).map((mismatch) => ({ ...mismatch, path: mismatch.path.slice(1) }));
    if (mismatches.length > 0) {
      return refuse(
        problem(
          403,
          "action_mismatch",
          `This request is not the approved action: ${describeMismatches(mismatches)}. Send exactly the approved arguments, or ask for a new approval.`,
          {
            pause_id: pauseId,
            mismatches,
          },
        ),
      );
    }

    // 3. The single-use claim: of every request carrying this proof, exactly one gets past here.
    const claimed = await calls.claim(pauseId, proof.proof_id);
    if (claimed.kind === "unreachable") return unavailable("claim the approval", claimed);
    if (claimed.kind === "refused") return countersignRefused(claimed, pauseId, "claim the approval");

    const recorder = receiptRecorder(calls, pauseId);
    const approval = {
      pauseId,
      idempotencyKey: pauseId,
      proofId: proof.proof_id,
      proof,
      action: approved,
      data: approved.data ?? {},
      setResult: recorder.setResult,
    };
    return {
      ok: true,
      approval,
      async finish(outcome) {
        try {
          await recorder.finish(outcome);
        } catch (error) {
          (options.onReceiptError ?? warn)(error, approval);
        }
      },
    };
  }

  return { check };
}

function refuse(body: ReturnType<typeof problem>): RefusedVerdict {
  return { ok: false, status: body.status, problem: body };
}

function unavailable(
  what: string,
  result: Extract<CallResult<unknown>, { kind: "unreachable" }>,
): RefusedVerdict {
  return refuse(
    problem(
      503,
      "countersign_unavailable",
      `Countersign could not ${what} (${result.detail}); the action was not run. Try again later.`,
    ),
  );
}

function countersignRefused(
  result: Extract<CallResult<unknown>, { kind: "refused" }>,
  pauseId: string,
  what: string,
): RefusedVerdict {
  if (result.code === "already_claimed") {
    return refuse(
      problem(
        409,
        "already_claimed",
        `This approval was already used: ${result.detail}. Each approval runs its action once; ask for a new one.`,
        { pause_id: pauseId },
      ),
    );
  }
  if (result.code === "not_approved") {
    return refuse(problem(403, "not_approved", result.detail, { pause_id: pauseId }));
  }
  if (result.status === 401 || result.status === 403) {
    // The service's own configuration is wrong (revoked key, not an executor key): not the caller's fault, and no pass.
    return refuse(
      problem(
        500,
        "countersign_misconfigured",
        `Countersign refused to let this service ${what}; the action was not run.`,
        { pause_id: pauseId },
      ),
    );
  }
  return refuse(
    problem(403, "proof_invalid", `Countersign refused to ${what}: ${result.detail}`, {
      pause_id: pauseId,
      proof_code: result.code,
    }),
  );
}

/** The `kid` a proof names, to know whether fetched keys need refreshing; verification reads the proof properly. */
function peekKid(bytes: Uint8Array): string | undefined {
  try {
    const parsed = JSON.parse(new TextDecoder().decode(bytes)) as { signatures?: { kid?: unknown }[] };
    const kid = parsed?.signatures?.[0]?.kid;
    return typeof kid === "string" ? kid : undefined;
  } catch {
    return undefined;
  }
}

function warn(error: unknown, approval: { pauseId: string }): void {
  console.warn(
    `@countersign/enforce: the receipt for ${approval.pauseId} was not recorded (${(error as Error)?.message ?? error}); it stays listed under claimed_without_receipt`,
  );
}

export type { PauseView };

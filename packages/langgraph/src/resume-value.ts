import { CountersignError, describeIssues, type Pause, PauseSchema } from "@countersign/core";
import { z } from "zod";

export const DECISION_RESUME_TYPE = "countersign.decision";

/** What `Command({ resume })` carries for a gated call: the decided pause, proof included. */
export interface DecisionResume {
  type: typeof DECISION_RESUME_TYPE;
  pause: Pause;
}

export function decisionResume(pause: Pause): DecisionResume {
  return { type: DECISION_RESUME_TYPE, pause };
}

const DecisionResumeSchema = z.looseObject({ type: z.literal(DECISION_RESUME_TYPE), pause: z.unknown() });

/** `humanInTheLoopMiddleware`'s decision shape, alone or as a one-decision `HITLResponse`. */
const HitlDecisionSchema = z.looseObject({
  type: z.enum(["approve", "edit", "reject"]),
  message: z.string().optional(),
});
const HitlResponseSchema = z.looseObject({ decisions: z.tuple([HitlDecisionSchema]) });

/** What a resume value means for one gated call. */
export type ResumeMeaning =
  /** A decided pause that claims to be this call's: its proof decides. */
  | { kind: "decided"; pause: Pause }
  /** A reviewer said no outside Countersign (a `reject` decision): never run. */
  | { kind: "rejected"; message: string | undefined }
  /** Anything else (another call's decision, an `approve` with no proof): ask the server. */
  | { kind: "ask-server" };

/**
 * Reads a resume value for the pause `pauseId`. Nothing here can make a tool
 * run: only a proof that verifies for this pause and action can.
 */
export function readResume(value: unknown, pauseId: string, toolCallId: string): ResumeMeaning {
  const resume = DecisionResumeSchema.safeParse(value);
  if (resume.success) {
    if (pauseIdOf(resume.data.pause) !== pauseId) return { kind: "ask-server" };
    const pause = PauseSchema.safeParse(resume.data.pause);
    if (pause.success) return { kind: "decided", pause: pause.data };
    const fields = describeIssues(pause.error)
      .map((issue) => issue.path)
      .join(", ");
    throw new CountersignError(
      "proof_malformed",
      `The resume value for pause ${pauseId} is not a decided pause (bad fields: ${fields}); the tool did not run`,
      { pauseId, toolCallId },
    );
  }
  const decision = HitlDecisionSchema.safeParse(value);
  const response = HitlResponseSchema.safeParse(value);
  const hitl = decision.success ? decision.data : response.success ? response.data.decisions[0] : undefined;
  if (hitl?.type === "reject") return { kind: "rejected", message: hitl.message };
  return { kind: "ask-server" };
}

function pauseIdOf(value: unknown): unknown {
  return value !== null && typeof value === "object" ? (value as { pause_id?: unknown }).pause_id : undefined;
}

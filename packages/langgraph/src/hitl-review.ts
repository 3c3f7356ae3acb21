import type { CheckProof } from "@countersign/core";
import {
  type Action,
  CountersignError,
  createProofChecker,
  defaultBody,
  defaultTitle,
  isCountersignError,
  MAX_ACTION_BODY,
  MAX_ACTION_TITLE,
  type Recipient,
  type Risk,
  truncate,
} from "@countersign/core";
import { type ApprovalClient, resolveClient, type WithApprovalOptions } from "./approval-options.ts";
import { toActionData } from "./pause-request.ts";
import { refusalText } from "./tool-messages.ts";

/**
 * The shapes of `humanInTheLoopMiddleware` (langchain): what it interrupts
 * with and what it resumes with. Declared here so this package needs no
 * `langchain` dependency; they match `HITLRequest` and `HITLResponse`.
 */
export interface HitlActionRequest {
  name: string;
  args: Record<string, unknown>;
  description?: string;
}
export interface HitlRequest {
  actionRequests: HitlActionRequest[];
  reviewConfigs: { actionName: string; allowedDecisions: ("approve" | "edit" | "reject")[] }[];
}
export type HitlDecision =
  | { type: "approve" }
  | { type: "edit"; editedAction: { name: string; args: Record<string, unknown> } }
  | { type: "reject"; message?: string };
export interface HitlResponse {
  decisions: HitlDecision[];
}

export interface ReviewHitlRequestOptions {
  client?: ApprovalClient;
  url?: string;
  apiKey?: string;
  agentId: string;
  /** The thread and interrupt being answered: together they make opening the pauses idempotent. */
  threadId: string;
  interruptId: string;
  risk?: Risk;
  recipients?: Recipient[];
  expiresIn?: number;
  /** Overall limit for the wait; past it the review fails with code `timeout`. */
  timeoutMs?: number;
  signal?: AbortSignal;
  verify?: WithApprovalOptions["verify"];
}

/**
 * Routes a `humanInTheLoopMiddleware` interrupt through Countersign: one
 * pause per action request, a wait for the decisions, verified proofs turned
 * into the middleware's decisions (approve, edit, reject with the reason).
 * Each approval is claimed here, since the middleware then runs the tool
 * itself: answering the same interrupt twice fails with `already_claimed`.
 */
export async function reviewHitlRequest(
  request: HitlRequest,
  options: ReviewHitlRequestOptions,
): Promise<HitlResponse> {
  const client = resolveClient(options);
  const review: Review = {
    client,
    checkProof: createProofChecker(options.verify, client, { require: "decided" }),
    options,
  };
  const decisions = await Promise.all(
    request.actionRequests.map((actionRequest, index) => {
      const config = request.reviewConfigs.find((candidate) => candidate.actionName === actionRequest.name);
      return reviewOne(review, actionRequest, index, config?.allowedDecisions.includes("edit") ?? false);
    }),
  );
  return { decisions };
}

interface Review {
  client: ApprovalClient;
  checkProof: CheckProof;
  options: ReviewHitlRequestOptions;
}

async function reviewOne(
  { client, checkProof, options }: Review,
  actionRequest: HitlActionRequest,
  index: number,
  editAllowed: boolean,
): Promise<HitlDecision> {
  const action = hitlAction(actionRequest, options.risk);
  const opened = await client.createPause(
    {
      agent_id: options.agentId,
      action,
      context: {
        framework: "langgraph",
        middleware: "humanInTheLoopMiddleware",
        thread_id: options.threadId,
        interrupt_id: options.interruptId,
      },
      ...(options.recipients === undefined ? {} : { recipients: options.recipients }),
      ...(options.expiresIn === undefined ? {} : { expires_in: options.expiresIn }),
    },
    { idempotencyKey: `langgraph-hitl:${options.threadId}:${options.interruptId}:${index}` },
  );
  const pauseId = opened.pause_id;
  const pause =
    opened.status === "pending"
      ? await client.waitForDecision(pauseId, {
          ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
          ...(options.signal === undefined ? {} : { signal: options.signal }),
        })
      : opened;
  const name = actionRequest.name;
  if (pause.status === "cancelled") return reject(refusalText(name, { kind: "cancelled", reason: null }));
  if (!pause.proof) {
    throw new CountersignError("proof_malformed", `Pause ${pauseId} is ${pause.status} but has no proof`, {
      pauseId,
    });
  }
  const { proof } = await checkProof(pause.proof, { pauseId, action });
  if (proof.decision === "expired") return reject(refusalText(name, { kind: "expired" }));
  if (proof.decision === "rejected") {
    return reject(refusalText(name, { kind: "rejected", reason: proof.reason, decidedBy: proof.decided_by }));
  }
  if (proof.data !== null && !editAllowed) {
    return reject(
      `The reviewer approved ${name} only with changed arguments, which it does not accept, so it was NOT performed.`,
    );
  }
  try {
    await client.claim(pauseId, { proofId: proof.proof_id });
  } catch (error) {
    if (!isCountersignError(error, "already_claimed")) throw error;
    throw new CountersignError("already_claimed", `The approval ${pauseId} was already used to resume`, {
      pauseId,
    });
  }
  return proof.data === null
    ? { type: "approve" }
    : { type: "edit", editedAction: { name, args: proof.data } };
}

function reject(message: string): HitlDecision {
  return { type: "reject", message };
}

function hitlAction(actionRequest: HitlActionRequest, risk: Risk | undefined): Action {
  const data = toActionData(actionRequest.args);
  // The middleware's description defaults to a generic "Tool execution requires approval":
  // the title names the tool and its key arguments instead, and the body lists them all.
  const action: Action = {
    type: actionRequest.name,
    title: truncate(defaultTitle(actionRequest.name, data), MAX_ACTION_TITLE),
    body: truncate(
      [actionRequest.description, defaultBody(actionRequest.name, data)].filter(Boolean).join("\n\n"),
      MAX_ACTION_BODY,
    ),
    data,
  };
  if (risk !== undefined) action.risk = risk;
  return action;
}

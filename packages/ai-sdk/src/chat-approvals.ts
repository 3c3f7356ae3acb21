import type { Pause } from "@countersign/core";
import { isSignedApproval } from "./approval-signature.ts";
import { decideApproval, openPause } from "./decide-approval.ts";
import { type Gate, gateFor } from "./gate.ts";
import { type ApprovalResponsePart, type MessageLike, partsOf } from "./message-parts.ts";
import type { GatedCall } from "./pause-request.ts";
import { unsignedApproval } from "./unsigned-approval.ts";

export interface ChatApprovalsOptions {
  /** The tools passed to `streamText`; only the ones made with `withApproval` are handled. */
  tools: Record<string, unknown>;
  /**
   * Required: the same secret as `experimental_toolApprovalSecret` on `streamText`.
   * The browser sends the history back; an approval request in it that the SDK
   * did not sign is refused before any pause is opened, so a forged history
   * never reaches a reviewer's inbox.
   */
  approvalSecret: string;
  /**
   * How long `prepareMessages` waits for a decision that is still pending.
   * Default 0: a pending approval fails the request at once (`not_approved`).
   */
  waitSeconds?: number;
  signal?: AbortSignal;
}

/** What the browser needs to show "waiting for approval" and to follow the decision. */
export interface PendingApproval {
  pauseId: string;
  status: Pause["status"];
  /** The approver inbox page for this pause. */
  inboxUrl: string;
}

/** Message metadata added to the assistant message that asked for approval. */
export interface ChatApprovalMetadata {
  countersign: { approvals: Record<string, PendingApproval> };
}

export interface ChatApprovals {
  /**
   * Replaces every approval decision the browser sent for a gated tool with
   * the verified Countersign decision (and answers the ones it did not send).
   * Call it on the model messages before `streamText`.
   */
  prepareMessages<MESSAGE extends MessageLike>(messages: readonly MESSAGE[]): Promise<MESSAGE[]>;
  /** For `streamText({ experimental_transform })`: opens a pause as each gated approval request streams by. */
  transform: <PART>(options?: unknown) => TransformStream<PART, PART>;
  /** For `toUIMessageStreamResponse({ messageMetadata })`: the pauses opened, sent with the `finish` event. */
  messageMetadata: (options: { part: { type: string } }) => ChatApprovalMetadata | undefined;
  /** The pauses opened while streaming this response, by approval id. */
  readonly pauses: ReadonlyMap<string, PendingApproval>;
}

/**
 * The server side of a `useChat` app whose approvals come from Slack, e-mail
 * or the inbox instead of the browser. Create one per request.
 */
export function createChatApprovals(options: ChatApprovalsOptions): ChatApprovals {
  if (typeof options.approvalSecret !== "string" || options.approvalSecret === "") {
    throw new TypeError(
      "createChatApprovals needs `approvalSecret` (the same as streamText's experimental_toolApprovalSecret): the browser sends the history back, and only requests the SDK signed may open a pause",
    );
  }
  const pauses = new Map<string, PendingApproval>();
  return {
    pauses,
    prepareMessages: (messages) => prepareMessages(messages, options),
    transform: <PART>() =>
      new TransformStream<PART, PART>({
        async transform(part, controller) {
          controller.enqueue(part);
          const call = gatedCallOf(part, options.tools);
          if (!call) return;
          try {
            const pause = await openPause(call.gate, call.call, options.signal);
            pauses.set(call.call.approvalId, summarize(pause));
          } catch (error) {
            // The request stays in the conversation (nothing runs without a pause);
            // the browser gets an error part it can show, and a retry reopens idempotently.
            controller.enqueue({ type: "error", error } as PART);
          }
        },
      }),
    messageMetadata: ({ part }) =>
      part.type === "finish" && pauses.size > 0
        ? { countersign: { approvals: Object.fromEntries(pauses) } }
        : undefined,
  };
}

function summarize(pause: Pause): PendingApproval {
  return { pauseId: pause.pause_id, status: pause.status, inboxUrl: pause.links.inbox };
}

function gatedCallOf(
  part: unknown,
  tools: Record<string, unknown>,
): { gate: Gate; call: GatedCall } | undefined {
  const candidate = part as {
    type?: unknown;
    approvalId?: unknown;
    isAutomatic?: unknown;
    toolCall?: { toolCallId?: unknown; toolName?: unknown; input?: unknown };
  } | null;
  if (candidate?.type !== "tool-approval-request" || candidate.isAutomatic === true) return undefined;
  const { approvalId, toolCall } = candidate;
  if (typeof approvalId !== "string" || typeof toolCall?.toolCallId !== "string") return undefined;
  if (typeof toolCall.toolName !== "string") return undefined;
  const gate = gateFor(tools, toolCall.toolName);
  if (!gate) return undefined;
  const call = {
    approvalId,
    toolCallId: toolCall.toolCallId,
    toolName: toolCall.toolName,
    input: toolCall.input,
  };
  return { gate, call };
}

async function prepareMessages<MESSAGE extends MessageLike>(
  messages: readonly MESSAGE[],
  options: ChatApprovalsOptions,
): Promise<MESSAGE[]> {
  const assistantIndex = messages.findLastIndex((message) => message.role === "assistant");
  const last = messages.at(-1);
  // The SDK acts on approvals only when the conversation ends with them.
  if (assistantIndex === -1 || !last || (last.role !== "tool" && last !== messages[assistantIndex])) {
    return [...messages];
  }
  const answered = new Set<string>();
  for (const message of messages.slice(assistantIndex + 1)) {
    for (const part of partsOf(message)) {
      if (part.type === "tool-result" && typeof part.toolCallId === "string") answered.add(part.toolCallId);
    }
  }
  const open = openGatedCalls(messages, assistantIndex, options.tools).filter(
    ({ call }) => !answered.has(call.toolCallId),
  );
  if (open.length === 0) return [...messages];
  for (const { call, signature } of open) {
    if (!(await isSignedApproval(options.approvalSecret, { ...call, signature }))) {
      throw unsignedApproval(call.toolName, call.toolCallId);
    }
  }

  const timeoutMs = (options.waitSeconds ?? 0) * 1000;
  const decided = await Promise.all(
    open.map(({ gate, call }) => decideApproval(gate, call, { timeoutMs, signal: options.signal })),
  );
  const responses: ApprovalResponsePart[] = decided.map((decision) => decision.response);
  const decidedIds = new Set(responses.map((response) => response.approvalId));

  if (last.role !== "tool") {
    return [...messages, { role: "tool", content: responses } as unknown as MESSAGE];
  }
  // Whatever the browser said about these approvals is replaced, never merged.
  const kept = partsOf(last).filter(
    (part) => !(part.type === "tool-approval-response" && decidedIds.has(part.approvalId as string)),
  );
  return [...messages.slice(0, -1), { ...last, content: [...kept, ...responses] }];
}

/** The gated calls whose approval was requested in the assistant message at `index`. */
function openGatedCalls(
  messages: readonly MessageLike[],
  index: number,
  tools: Record<string, unknown>,
): { gate: Gate; call: GatedCall; signature: unknown }[] {
  const toolCalls = new Map<string, { toolName: string; input: unknown }>();
  for (const message of messages.slice(0, index + 1)) {
    if (message.role !== "assistant") continue;
    for (const part of partsOf(message)) {
      if (
        part.type === "tool-call" &&
        typeof part.toolCallId === "string" &&
        typeof part.toolName === "string"
      ) {
        toolCalls.set(part.toolCallId, { toolName: part.toolName, input: part.input });
      }
    }
  }
  const open: { gate: Gate; call: GatedCall; signature: unknown }[] = [];
  const seen = new Set<string>();
  for (const part of partsOf(messages[index] as MessageLike)) {
    if (part.type !== "tool-approval-request" || part.isAutomatic === true) continue;
    const { approvalId, toolCallId } = part;
    if (typeof approvalId !== "string" || typeof toolCallId !== "string" || seen.has(toolCallId)) continue;
    const toolCall = toolCalls.get(toolCallId);
    const gate = toolCall && gateFor(tools, toolCall.toolName);
    if (!toolCall || !gate) continue;
    seen.add(toolCallId);
    open.push({ gate, call: { approvalId, toolCallId, ...toolCall }, signature: part.signature });
  }
  return open;
}

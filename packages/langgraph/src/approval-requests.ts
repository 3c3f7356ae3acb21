import { type ApprovalInterrupt, ApprovalInterruptSchema } from "./approval-interrupt.ts";

/** One gated call waiting for a human: where to resume it and what to show. */
export interface ApprovalRequest extends ApprovalInterrupt {
  /** The LangGraph interrupt id: the key of this call's value in `Command({ resume })`. */
  interruptId: string;
}

interface InterruptLike {
  id?: string;
  value?: unknown;
}

/** An `invoke()` result (`__interrupt__`), a `getState()` snapshot (`tasks[].interrupts`), or interrupts. */
export type InterruptSource =
  | readonly InterruptLike[]
  | { readonly __interrupt__?: readonly InterruptLike[] }
  | { readonly tasks: readonly { readonly interrupts?: readonly InterruptLike[] }[] };

/** The Countersign approvals among a graph's pending interrupts; other interrupts are left out. */
export function approvalRequests(source: InterruptSource): ApprovalRequest[] {
  const requests = new Map<string, ApprovalRequest>();
  for (const pending of interruptsOf(source)) {
    const parsed = ApprovalInterruptSchema.safeParse(pending.value);
    if (!parsed.success || pending.id === undefined) continue;
    requests.set(pending.id, { ...parsed.data, interruptId: pending.id });
  }
  return [...requests.values()];
}

function interruptsOf(source: InterruptSource): readonly InterruptLike[] {
  if (Array.isArray(source)) return source;
  if ("tasks" in source) return source.tasks.flatMap((task) => task.interrupts ?? []);
  return "__interrupt__" in source ? (source.__interrupt__ ?? []) : [];
}

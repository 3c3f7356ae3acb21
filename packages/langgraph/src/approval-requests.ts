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

/**
 * An `invoke()` result (`__interrupt__`), a `getState()` snapshot
 * (`tasks[].interrupts`), or a list of interrupts. Typed loosely because each
 * compiled graph types its own state; the shape is checked at run time.
 */
export type InterruptSource = object;

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

function interruptsOf(source: InterruptSource): InterruptLike[] {
  if (Array.isArray(source)) return source.filter(isInterruptLike);
  const { tasks, __interrupt__: interrupts } = source as { tasks?: unknown; __interrupt__?: unknown };
  if (Array.isArray(interrupts)) return interrupts.filter(isInterruptLike);
  if (!Array.isArray(tasks)) return [];
  return tasks.flatMap((task: { interrupts?: unknown }) =>
    Array.isArray(task?.interrupts) ? task.interrupts.filter(isInterruptLike) : [],
  );
}

function isInterruptLike(value: unknown): value is InterruptLike {
  return typeof value === "object" && value !== null;
}

import type { ActionData } from "@countersign/verify";
import type { Approval } from "../approval.ts";
import type { EnforceOptions } from "../enforce-options.ts";

/** One run of the gated handler, as the service saw it. */
export interface PaymentRun {
  pauseId: string;
  idempotencyKey: string;
  data: ActionData;
}

export interface PaymentService {
  url: string;
  runs: PaymentRun[];
  close(): Promise<void>;
}

/** Starts the same payment service on one framework, with `POST /payments` behind the middleware. */
export type StartPaymentService = (options: EnforceOptions<unknown>) => Promise<PaymentService>;

/** The service's body → action mapping: a payment with the body as its arguments. */
export function paymentAction(request: { body: unknown }) {
  return { type: "payment", data: request.body as ActionData };
}

/** What every framework's handler does: pay (or fail for the payee that always fails), and say so. */
export function pay(approval: Approval, runs: PaymentRun[]): Record<string, unknown> {
  runs.push({ pauseId: approval.pauseId, idempotencyKey: approval.idempotencyKey, data: approval.data });
  if (approval.data.payee === "Declines Ltd") throw new Error("card declined");
  const result = {
    payment_id: `pay_${runs.length}`,
    paid: approval.data.amount,
    to: approval.data.payee,
    idempotency_key: approval.idempotencyKey,
  };
  approval.setResult(result);
  return result;
}

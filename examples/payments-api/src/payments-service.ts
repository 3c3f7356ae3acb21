import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { JwkSet } from "@countersign/core";
import { type ApprovalVariables, requireApproval } from "@countersign/enforce/hono";
import { createAdaptorServer } from "@hono/node-server";
import { Hono } from "hono";

export interface Payment {
  payment_id: string;
  payee: string;
  amount: number;
  currency: string;
  /** The Countersign pause id: the payment provider's idempotency key. */
  idempotency_key: string;
}

export interface PaymentsService {
  url: string;
  /** Every payment the service made, in order. */
  ledger: Payment[];
  close(): Promise<void>;
}

/**
 * The payment service. `POST /payments` pays only for a request that carries
 * a proof of approval for exactly this payment, once; anything else is refused
 * before the handler runs. It holds an executor key, never an agent's or an
 * approver's.
 */
export async function startPaymentsService(countersign: {
  url: string;
  executorKey: string;
  jwks: JwkSet;
}): Promise<PaymentsService> {
  const ledger: Payment[] = [];
  const app = new Hono<{ Variables: ApprovalVariables }>();

  app.post(
    "/payments",
    requireApproval({
      countersignUrl: countersign.url,
      executorKey: countersign.executorKey,
      verify: { keys: countersign.jwks }, // pinned: never fetched from whoever answers
      action: (request) => ({ type: "payment", data: request.body as Record<string, never> }),
    }),
    (c) => {
      const { data, idempotencyKey, setResult } = c.get("countersign");
      const payment: Payment = {
        payment_id: `pay_${ledger.length + 1}`,
        payee: String(data.payee),
        amount: Number(data.amount),
        currency: String(data.currency),
        idempotency_key: idempotencyKey,
      };
      ledger.push(payment); // your payment provider, called with the idempotency key
      setResult(payment); // the receipt commits to this result's digest
      return c.json(payment, 201);
    },
  );

  const server = createAdaptorServer({ fetch: app.fetch }) as Server;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    ledger,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

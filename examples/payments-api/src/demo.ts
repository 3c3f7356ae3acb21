import { randomUUID } from "node:crypto";
import { createClient, type Pause, type Proof, proofHeaders } from "@countersign/core";
import { approvalRequests, waitForDecision } from "@countersign/langgraph";
import { MemorySaver } from "@langchain/langgraph";
import { startCountersign } from "./countersign-server.ts";
import { fakeBillingModel, type Invoice, paymentAgent } from "./payment-agent.ts";
import { type Payment, startPaymentsService } from "./payments-service.ts";

export interface DemoResult {
  /** What the payment service paid. */
  ledger: Payment[];
  /** HTTP status of each attempt, by scene. */
  statuses: Record<string, number>;
  /** The agent's last message. */
  answer: string;
  /** The pause, after the service reported its receipt. */
  pause: Pause;
}

type Log = (line: string) => void;

const ACME: Invoice = { payee: "Acme Corp", amount: 12450, currency: "USD" };

/** Four scenes against a real Countersign server and a real payment service, both on loopback. */
export async function runDemo(log: Log = () => {}): Promise<DemoResult> {
  const countersign = await startCountersign();
  const service = await startPaymentsService(countersign);
  const statuses: Record<string, number> = {};
  const post = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${service.url}/payments`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
    });
  try {
    log("1. Someone calls the payment service directly, without approval.");
    const direct = await post(ACME);
    statuses.direct = direct.status;
    log(
      `   ${direct.status} ${((await direct.json()) as { code: string }).code}; paid so far: ${service.ledger.length}`,
    );

    log("2. The agent asks to pay Acme Corp 12,450 USD; Alice approves 12,000 instead.");
    const client = createClient({ baseUrl: countersign.url, apiKey: countersign.agentKey });
    const alice = createClient({ baseUrl: countersign.url, apiKey: countersign.approverKey });
    const agent = paymentAgent({
      client,
      jwks: countersign.jwks,
      paymentsUrl: service.url,
      model: fakeBillingModel(ACME, `call_${randomUUID().slice(0, 8)}`),
      checkpointer: new MemorySaver(),
    });
    const config = { configurable: { thread_id: `billing-${randomUUID()}` } };
    const paused = await agent.invoke(
      { messages: [{ role: "user", content: "Pay the Acme invoice." }] },
      config,
    );
    const [request] = approvalRequests(paused);
    log(`   ⏸  ${request!.card.title} (pause ${request!.pauseId})`);
    await alice.decide(request!.pauseId, { decision: "approve", data: { ...ACME, amount: 12000 } });
    const done = await agent.invoke(await waitForDecision(paused, { client }), config);
    const answer = done.messages.at(-1)!.text;
    log(`   agent: ${answer}`);

    log("3. The service recorded a signed receipt of what happened.");
    const pause = await receiptOf(countersign, request!.pauseId);
    log(
      `   execution: ${pause.execution!.outcome} by ${pause.execution!.reported_by.identity}, result ${pause.execution!.result_digest}`,
    );

    log("4. The same proof is sent again (a replay, a retry, a prompt injection).");
    const proof = pause.proof as Proof;
    const replay = await post({ ...ACME, amount: 12000 }, proofHeaders(proof));
    statuses.replay = replay.status;
    log(`   ${replay.status} ${((await replay.json()) as { code: string }).code}`);
    const asRequested = await post(ACME, proofHeaders(proof));
    statuses.asRequested = asRequested.status;
    log(
      `   with the amount the agent first asked for: ${asRequested.status} ${((await asRequested.json()) as { detail: string }).detail}`,
    );

    log(
      `Paid: ${service.ledger.map((payment) => `${payment.payee} ${payment.amount} ${payment.currency}`).join(", ")}`,
    );
    return { ledger: service.ledger, statuses, answer, pause };
  } finally {
    await service.close();
    await countersign.close();
  }
}

/** The pause once the service's receipt is in (it is recorded just after the response). */
async function receiptOf(countersign: { url: string; adminKey: string }, pauseId: string): Promise<Pause> {
  const admin = createClient({ baseUrl: countersign.url, apiKey: countersign.adminKey });
  const deadline = Date.now() + 10_000;
  for (;;) {
    const pause = await admin.getPause(pauseId);
    if (pause.execution) return pause;
    if (Date.now() > deadline) throw new Error(`no receipt for ${pauseId}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

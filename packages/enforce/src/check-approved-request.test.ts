import type { Server } from "node:http";
import { createAdaptorServer } from "@hono/node-server";
import { checkApprovedRequest, problemResponse } from "./check-approved-request.ts";
import { createEnforcer } from "./enforcer.ts";
import { listening } from "./test-support/listen.ts";
import { type PaymentRun, pay } from "./test-support/payment-service.ts";
import { describeEnforcement } from "./test-support/scenarios.ts";

// No framework: a web-standard fetch handler (as Bun, Deno and Workers serve it), served here by Node.
describeEnforcement("a plain fetch handler (checkApprovedRequest)", async (options) => {
  const runs: PaymentRun[] = [];
  const enforcer = createEnforcer<Request>(options);
  async function handle(request: Request): Promise<Response> {
    const verdict = await checkApprovedRequest(request, enforcer);
    if (!verdict.ok) return problemResponse(verdict);
    try {
      const result = pay(verdict.approval, runs);
      void verdict.finish({ outcome: "succeeded" });
      return Response.json(result);
    } catch (error) {
      void verdict.finish({ outcome: "failed", error });
      return Response.json({ error: "payment failed" }, { status: 500 });
    }
  }
  const server = createAdaptorServer({ fetch: handle }) as Server;
  return { ...(await listening(server)), runs };
});

import Fastify from "fastify";
import { approvalOf, requireApproval } from "./fastify.ts";
import { type PaymentRun, pay } from "./test-support/payment-service.ts";
import { describeEnforcement } from "./test-support/scenarios.ts";

describeEnforcement("Fastify", async (options) => {
  const runs: PaymentRun[] = [];
  const app = Fastify();
  app.post("/payments", { ...requireApproval(options) }, async (request) => pay(approvalOf(request), runs));
  const url = await app.listen({ port: 0, host: "127.0.0.1" });
  return { url, runs, close: () => app.close() };
});

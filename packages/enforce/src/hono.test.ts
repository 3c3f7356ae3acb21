import type { Server } from "node:http";
import { createAdaptorServer } from "@hono/node-server";
import { Hono } from "hono";
import { type ApprovalVariables, requireApproval } from "./hono.ts";
import { listening } from "./test-support/listen.ts";
import { type PaymentRun, pay } from "./test-support/payment-service.ts";
import { describeEnforcement } from "./test-support/scenarios.ts";

describeEnforcement("Hono", async (options) => {
  const runs: PaymentRun[] = [];
  const app = new Hono<{ Variables: ApprovalVariables }>();
  app.onError((_error, c) => c.json({ error: "payment failed" }, 500));
  app.post("/payments", requireApproval(options), (c) => c.json(pay(c.get("countersign"), runs)));
  const server = createAdaptorServer({ fetch: app.fetch }) as Server;
  return { ...(await listening(server)), runs };
});

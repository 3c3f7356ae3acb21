import { createServer } from "node:http";
import express from "express";
import { approvalOf, recordFailures, requireApproval } from "./express.ts";
import { listening } from "./test-support/listen.ts";
import { type PaymentRun, pay } from "./test-support/payment-service.ts";
import { describeEnforcement } from "./test-support/scenarios.ts";

describeEnforcement("Express", async (options) => {
  const runs: PaymentRun[] = [];
  const app = express();
  app.use(express.json());
  app.post("/payments", requireApproval(options), (_request, response) => {
    response.json(pay(approvalOf(response), runs));
  });
  app.use(recordFailures());
  // Express's own error handler would print the stack; answer a plain 500 instead.
  app.use(
    (_error: unknown, _request: express.Request, response: express.Response, _next: express.NextFunction) => {
      response.status(500).json({ error: "payment failed" });
    },
  );
  return { ...(await listening(createServer(app))), runs };
});

import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { signWebhook } from "@countersign/core";
import { loadTestVectors, type ProofVector } from "@countersign/verify/testing";
import { build } from "esbuild";
import type { INode, INodeType, IWebhookFunctions } from "n8n-workflow";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
// @ts-expect-error: a plain ES module script without types
import { buildOptions } from "../scripts/build.mjs";
import type { DecisionJson } from "./shared/decision-item.ts";
import { waitingPauseKey } from "./shared/waiting-pause.ts";
import { createWebhookContext, recordedResponse } from "./testing/execution-contexts.ts";

// The shared proof vectors, through the node as the build bundles it: the
// published build's esbuild options, loaded with require() as n8n loads it,
// driven through its webhook with each vector's proof in a signed event.

// A CommonJS package for TypeScript; vitest provides __dirname and __filename.
const packageDir = join(__dirname, "..");
const webhookSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const node: INode = {
  id: "b7c9d1e2-0000-4000-8000-000000000002",
  name: "Approve payment",
  type: "n8n-nodes-countersign.countersignApproval",
  typeVersion: 1,
  position: [0, 0],
  parameters: {},
};

let outdir: string;
let bundledNode: INodeType;
let claims: Server;
let claimsUrl: string;

beforeAll(async () => {
  // Inside the package, so the bundle's require("n8n-workflow") resolves as in an n8n install.
  mkdirSync(join(packageDir, "node_modules", ".cache"), { recursive: true });
  outdir = mkdtempSync(join(packageDir, "node_modules", ".cache", "bundled-verifier-"));
  await build(buildOptions(outdir));
  const file = join(outdir, "nodes", "CountersignApproval", "CountersignApproval.node.js");
  const requires = [...readFileSync(file, "utf8").matchAll(/require\("([^"]+)"\)/g)].map((match) => match[1]);
  expect(new Set(requires)).toEqual(new Set(["n8n-workflow", "node:crypto"]));
  const { CountersignApproval } = createRequire(__filename)(file);
  bundledNode = new CountersignApproval();
  // Countersign's claim endpoint, on loopback: every claim succeeds.
  claims = createServer((request, response) => {
    const ok = request.method === "POST" && /^\/v1\/pauses\/[^/]+\/claim$/.test(request.url ?? "");
    response.writeHead(ok ? 200 : 404, { "content-type": "application/json" }).end("{}");
  });
  await new Promise<void>((resolve) => claims.listen(0, "127.0.0.1", resolve));
  claimsUrl = `http://127.0.0.1:${(claims.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => claims?.close(resolve));
  if (outdir) rmSync(outdir, { recursive: true, force: true });
});

/** The vectors the node can express: bound to a pause and an action, one secret, default clock skew. */
function applies(vector: ProofVector): boolean {
  const { options } = vector;
  return (
    options.pause_id !== undefined &&
    options.action !== undefined &&
    options.clock_skew_seconds === undefined &&
    (options.secrets?.length ?? 0) <= 1 &&
    (options.secrets ?? []).every((secret) => secret.length >= 32) &&
    (options.secrets !== undefined || options.keys !== undefined)
  );
}

async function deliver(vector: ProofVector) {
  const { options } = vector;
  const proofText = vector.proof_json ?? JSON.stringify(vector.proof);
  const decision = (vector.proof as { decision?: unknown } | undefined)?.decision;
  const pause = {
    object: "pause",
    pause_id: options.pause_id,
    status: typeof decision === "string" ? decision : "approved",
    agent_id: "billing-agent",
    action: options.action,
    webhook_url: null,
    context: {},
    created_at: "2026-11-21T09:55:00.000Z",
    expires_at: "2026-11-21T10:55:00.000Z",
    decision: null,
    links: { self: "", inbox: "" },
  };
  // The proof's exact text goes into the body, so byte-level vectors keep their bytes.
  const body = `{"type":"pause.decided","timestamp":"${options.now}","data":{"pause":${JSON.stringify(pause)},"proof":${proofText}}}`;
  const headers = await signWebhook({
    id: "msg_vector",
    timestamp: Math.floor(Date.parse(options.now) / 1000),
    body,
    secret: webhookSecret,
  });
  const response = recordedResponse();
  const context = createWebhookContext({
    node,
    credentials: {
      serverUrl: claimsUrl,
      apiKey: "csk_agent_vector",
      webhookSecret,
      proofSecret: options.secrets?.[0] ?? "",
      publicKeys: options.keys ? JSON.stringify({ keys: options.keys }) : "",
    },
    executionId: "1",
    workflowId: "wf",
    runData: { resultData: { metadata: { [waitingPauseKey(node)]: String(options.pause_id) } } },
    log: [],
    request: {
      method: "POST",
      headers: { ...headers, "content-type": "application/json" },
      rawBody: Buffer.from(body, "utf8"),
      body: {},
      query: {},
    },
    response,
  });
  vi.useFakeTimers({ now: new Date(options.now), toFake: ["Date"] });
  try {
    const result = await (
      bundledNode.webhook as (this: IWebhookFunctions) => ReturnType<NonNullable<INodeType["webhook"]>>
    ).call(context);
    return { result, response };
  } finally {
    vi.useRealTimers();
  }
}

describe("the shared proof vectors through the bundled node", () => {
  const vectors = loadTestVectors().proofs.vectors.filter(applies);

  it("runs most of them", () => {
    expect(vectors.length).toBeGreaterThan(70);
  });

  for (const vector of vectors) {
    it(vector.name, async () => {
      const { result, response } = await deliver(vector);
      const expected = vector.expect;
      const approvedOutput = result.workflowData?.[0]?.[0]?.json as DecisionJson | undefined;
      const rejectedOutput = result.workflowData?.[1]?.[0]?.json as DecisionJson | undefined;
      if (expected.valid && expected.decision === "approved") {
        // Verified, claimed, and on to Approved with the arguments to act on.
        expect(approvedOutput?.decision).toBe("approved");
        expect(approvedOutput?.data).toEqual(expected.data ?? vector.options.action?.data ?? null);
      } else if (expected.valid || expected.code === "proof_not_approved") {
        // An authentic rejection or expiry: on to Rejected (the node never requires an approval to verify).
        expect(rejectedOutput?.decision).toBe(
          expected.valid ? expected.decision : (vector.proof as { decision: string }).decision,
        );
      } else if (expected.code === "proof_expired") {
        // Authentic but late: Rejected, as "expired", rather than left waiting.
        expect(rejectedOutput?.decision).toBe("expired");
      } else {
        // Refused: 401, the execution stays paused. Byte-level vectors are refused while the body is read.
        expect(result.workflowData).toBeUndefined();
        expect(response.statusCode).toBe(401);
        const code = (response.body as { code: string }).code;
        const codes = vector.proof_json
          ? [expected.code, "webhook_malformed", "proof_missing"]
          : [expected.code];
        expect(codes).toContain(code);
      }
    });
  }
});

import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  runSnippet,
  startTestServer,
  type TestServer,
  typescriptBlockUnder,
} from "@countersign/core/testing";
import { convertArrayToReadableStream, MockLanguageModelV4 } from "ai-v7/test";
import { afterAll, beforeAll, expect, it } from "vitest";
import {
  generateResult,
  nextTurn,
  type ScriptedToolCall,
  streamParts,
} from "./test-support/scripted-model.ts";

// Docs that run: the README's "A complete turn", as written (for ai 7), against a real server,
// with the AI SDK's own mock model in place of the reader's model.

const packageDir = fileURLToPath(new URL("..", import.meta.url));
const quickStart = typescriptBlockUnder(await readFile(`${packageDir}README.md`, "utf8"), "A complete turn");
const imports = { ai: "ai-v7", "@countersign/ai-sdk": `${packageDir}src/index.ts` };

let server: TestServer;
let cwd: string;
beforeAll(async () => {
  server = await startTestServer();
  cwd = await mkdtemp(join(tmpdir(), "countersign-ai-sdk-readme-"));
  // What `countersign keys jwks` saves: the server's public keys, pinned.
  await writeFile(join(cwd, "countersign-keys.json"), JSON.stringify(server.jwks));
  process.env.COUNTERSIGN_URL = server.url;
  process.env.COUNTERSIGN_AGENT_KEY = server.agentKey;
});
afterAll(async () => {
  delete process.env.COUNTERSIGN_URL;
  delete process.env.COUNTERSIGN_AGENT_KEY;
  await rm(cwd, { recursive: true, force: true });
  await server.close();
});

type Prompt = Parameters<typeof nextTurn>[0];

/** The reader's parts: a model that asks for one refund, and the payments service it runs. */
function readersParts(input: { orderId: string; amountUsd: number }) {
  const call: ScriptedToolCall = { toolCallId: `call-${input.orderId}`, toolName: "issue_refund", input };
  const answers: string[] = [];
  const model = new MockLanguageModelV4({
    doGenerate: async (options) => {
      const turn = nextTurn(options.prompt as Prompt, [call]);
      if ("text" in turn) answers.push(turn.text);
      // biome-ignore lint/suspicious/noExplicitAny: the mock's result type is the provider's.
      return generateResult(turn) as any;
    },
    doStream: async (options) => ({
      // biome-ignore lint/suspicious/noExplicitAny: as above.
      stream: convertArrayToReadableStream(streamParts(nextTurn(options.prompt as Prompt, [call])) as any[]),
    }),
  });
  const refunds: { orderId: string; amountUsd: number }[] = [];
  const payments = {
    async refund(orderId: string, amountUsd: number) {
      refunds.push({ orderId, amountUsd });
      return `Refunded $${amountUsd} on order ${orderId}`;
    },
  };
  return { provide: { model, payments }, refunds, answers };
}

it("approved: the refund runs once, and the model reads its result", async () => {
  const reader = readersParts({ orderId: "1001", amountUsd: 120 });
  const human = (async () => {
    const pause = await server.nextPendingPause();
    await server.approve(pause.pause_id);
    return pause;
  })();

  await runSnippet(quickStart, { packageDir, imports, provide: reader.provide, cwd });

  const pause = await human;
  expect(pause.action.title).toBe("Refund $120 on order 1001");
  expect(reader.refunds).toEqual([{ orderId: "1001", amountUsd: 120 }]);
  expect(reader.answers).toEqual(["issue_refund result: Refunded $120 on order 1001"]);
});

it("rejected: the refund never runs, and the model reads the reviewer's reason", async () => {
  const reader = readersParts({ orderId: "1002", amountUsd: 300 });
  const human = (async () => {
    const pause = await server.nextPendingPause();
    await server.reject(pause.pause_id, "Order 1002 was delivered intact");
  })();

  await runSnippet(quickStart, { packageDir, imports, provide: reader.provide, cwd });

  await human;
  expect(reader.refunds).toEqual([]);
  expect(reader.answers).toEqual(["issue_refund denied: Order 1002 was delivered intact"]);
});

it("under the `when` threshold: the refund runs at once, nobody is asked", async () => {
  const reader = readersParts({ orderId: "1003", amountUsd: 20 });
  const before = (await server.server.service.listPauses({ limit: 100 })).items.length;

  await runSnippet(quickStart, { packageDir, imports, provide: reader.provide, cwd });

  expect(reader.refunds).toEqual([{ orderId: "1003", amountUsd: 20 }]);
  // Nothing waited, so the README's loop ends after the one step that ran the tool.
  expect(reader.answers).toEqual([]);
  expect((await server.server.service.listPauses({ limit: 100 })).items).toHaveLength(before);
});

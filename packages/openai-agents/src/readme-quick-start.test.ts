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
import { setDefaultModelProvider, setTracingDisabled } from "@openai/agents";
import { assistantMessage, functionCall, ScriptedModel } from "@openai/agents/testing";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { toolOutputsSeen } from "./test-support/payments-fixture.ts";

// Docs that run: the README's "The one line", as written, against a real server, with the
// SDK's own ScriptedModel as the default model (the snippet names none, as a reader's would not).

const packageDir = fileURLToPath(new URL("..", import.meta.url));
const quickStart = typescriptBlockUnder(await readFile(`${packageDir}README.md`, "utf8"), "The one line");
const imports = { "@countersign/openai-agents": `${packageDir}src/index.ts` };

let server: TestServer;
let cwd: string;
// run() keeps the provider it first saw, so the one provider hands out each test's model.
let model: ScriptedModel;
beforeAll(async () => {
  setTracingDisabled(true);
  setDefaultModelProvider({ getModel: () => model });
  server = await startTestServer();
  cwd = await mkdtemp(join(tmpdir(), "countersign-openai-agents-readme-"));
  // What `countersign keys jwks > countersign-keys.json` saves: the server's public keys, pinned.
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

/** Runs the README's snippet with a model that asks to pay `amount` USD to Acme; returns what it printed. */
async function runQuickStart(amount: number, human: () => Promise<void>) {
  model = new ScriptedModel([
    [
      functionCall(
        "pay_invoice",
        { payee: "Acme Corp", amount, currency: "USD" },
        { callId: `call_${amount}` },
      ),
    ],
    [assistantMessage("Done.")],
  ]);
  const printed = vi.spyOn(console, "log").mockImplementation(() => {});
  try {
    const deciding = human();
    await runSnippet(quickStart, { packageDir, imports, cwd });
    await deciding;
    return {
      printed: printed.mock.calls.map((call) => call.join(" ")),
      toolOutputs: toolOutputsSeen(model, 1),
    };
  } finally {
    printed.mockRestore();
  }
}

it("approved: the payment runs once and the run finishes", async () => {
  let title = "";
  const { printed, toolOutputs } = await runQuickStart(12_450, async () => {
    const pause = await server.nextPendingPause();
    title = pause.action.title ?? "";
    await server.approve(pause.pause_id);
  });

  expect(title).toBe("Pay invoice: payee Acme Corp, amount 12450, currency USD");
  expect(toolOutputs).toEqual(["Sent 12450 USD to Acme Corp."]);
  expect(printed).toEqual(["Done."]);
});

it("rejected: the payment never runs; the model reads the reviewer's reason", async () => {
  const { printed, toolOutputs } = await runQuickStart(5_000, async () => {
    const pause = await server.nextPendingPause();
    await server.reject(pause.pause_id, "Acme was paid yesterday");
  });

  expect(toolOutputs).toHaveLength(1);
  expect(toolOutputs[0]).toContain("Acme was paid yesterday");
  expect(toolOutputs[0]).not.toContain("Sent");
  expect(printed).toEqual(["Done."]);
});

it("under the `when` threshold: the payment runs at once, nobody is asked", async () => {
  const before = (await server.server.service.listPauses({ limit: 100 })).items.length;
  const { printed, toolOutputs } = await runQuickStart(800, async () => {});

  expect(toolOutputs).toEqual(["Sent 800 USD to Acme Corp."]);
  expect(printed).toEqual(["Done."]);
  expect((await server.server.service.listPauses({ limit: 100 })).items).toHaveLength(before);
});

import { afterEach, describe, expect, it } from "vitest";
import { createClient } from "../client/index.ts";
import { startTestServer, type TestServer } from "../testing/test-server.ts";
import type { PolicyHook } from "./policy-hook.ts";

/** "auto" is approved by policy at once; "escalates" goes to bob after a minute; anything else waits for people. */
const policy: PolicyHook = {
  evaluate(request) {
    if (request.action.type === "auto") return { outcome: "auto_approve", rule: "auto", version: "v1" };
    if (request.action.type === "escalates")
      return {
        outcome: "require",
        rule: "escalates",
        version: "v1",
        routing: {
          approvers: ["alice@example.com"],
          escalation: { after_seconds: 60, to: ["bob@example.com"], recipients: [] },
        },
      };
    return null;
  },
};

let t: TestServer | undefined;
afterEach(() => t?.close());

describe("service.onPauseRouted", () => {
  it("tells a listener once when a pause waits for people and once when it escalates, never when policy decided it or when it settles", async () => {
    let clock = Date.now();
    // No sweep timer: a tick racing runBackgroundOnce() could escalate after idle() resolved.
    t = await startTestServer({ policy, now: () => new Date(clock), serverOptions: { background: false } });
    const told: string[] = [];
    const stop = t.server.service.onPauseRouted(async (pause, event) => {
      told.push(`${event} ${pause.action.type} ${pause.status}`);
    });
    const agent = createClient({ baseUrl: t.url, apiKey: t.agentKey });
    const open = (type: string) => agent.createPause({ agent_id: "billing-agent", action: { type } });

    await open("auto");
    const waiting = await open("payment");
    await open("escalates");
    await t.server.idle();
    expect(told).toEqual(["opened payment pending", "opened escalates pending"]);

    await t.approve(waiting.pause_id);
    clock += 61_000;
    await t.server.runBackgroundOnce();
    await t.server.idle();
    expect(told).toEqual([
      "opened payment pending",
      "opened escalates pending",
      "escalated escalates pending",
    ]);

    stop();
    await open("payment");
    await t.server.idle();
    expect(told).toHaveLength(3);
  });

  it("logs a failing listener and still answers the agent", async () => {
    t = await startTestServer();
    t.server.service.onPauseRouted(() => {
      throw new Error("push service down");
    });
    const agent = createClient({ baseUrl: t.url, apiKey: t.agentKey });
    const pause = await agent.createPause({ agent_id: "billing-agent", action: { type: "payment" } });
    await t.server.idle();
    expect(pause.status).toBe("pending");
  });
});

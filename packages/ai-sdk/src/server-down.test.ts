import { createClient, isCountersignError } from "@countersign/core";
import { startTestServer } from "@countersign/core/testing";
import { describe, expect, it } from "vitest";
import { resolveApprovals } from "./resolve-approvals.ts";
import {
  approvalIdsIn,
  pendingPauseFor,
  refundCall,
  refundTools,
  userAsksForRefund,
} from "./test-support/refund-fixture.ts";
import { type Mode, SDK_VERSIONS } from "./test-support/sdk-versions.ts";

const cases = SDK_VERSIONS.flatMap((sdk) =>
  (["generateText", "streamText"] as Mode[]).map((mode) => ({ sdk, mode, name: `${mode} on ${sdk.name}` })),
);

/** Fail closed: with Countersign unreachable nothing runs, and the error says why. */
describe.each(cases)("Countersign down, $name", ({ sdk, mode }) => {
  it("asking for approval fails with network_error and runs nothing", async () => {
    const server = await startTestServer();
    const client = createClient({ baseUrl: server.url, apiKey: server.agentKey, timeoutMs: 2_000 });
    const { tools, runs } = refundTools(sdk, { client, server });
    const model = sdk.model([refundCall()]);
    const first = await sdk.run(mode, { model, tools, messages: userAsksForRefund });
    await server.close();

    const error = await resolveApprovals(first, { tools }).catch((failure: unknown) => failure);

    expect(isCountersignError(error, "network_error")).toBe(true);
    expect((error as Error).message).toMatch(/failed/);
    expect(runs).toEqual([]);
  });

  it("resuming an approved call fails with a clear error and runs nothing", async () => {
    const server = await startTestServer();
    const client = createClient({ baseUrl: server.url, apiKey: server.agentKey, timeoutMs: 2_000 });
    const { tools, runs } = refundTools(sdk, { client, server });
    const model = sdk.model([refundCall()]);
    const first = await sdk.run(mode, { model, tools, messages: userAsksForRefund });
    const approvalMessage = resolveApprovals(first, { tools });
    await server.approve((await pendingPauseFor(server, approvalIdsIn(first.content)[0] as string)).pause_id);
    const history = [...userAsksForRefund, ...first.responseMessages, await approvalMessage];
    await server.close();

    const turn = await sdk.run(mode, { model, tools, messages: history });

    expect(runs).toEqual([]);
    expect(turn.text).toMatch(/^issue_refund error: (CountersignError: )?POST .*failed/);
  });
});

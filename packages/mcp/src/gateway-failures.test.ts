import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { join } from "node:path";
import {
  actionDigest,
  generateEd25519Jwk,
  loadSigningKeys,
  type Pause,
  type Proof,
  signProof,
} from "@countersign/core";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type Connected, connectStdio } from "./test-support/connect-client.ts";
import { type Fixture, filesystemConfig, startFixture } from "./test-support/fixture.ts";
import { meta, text } from "./test-support/results.ts";
import { startTamperingProxy, type Tampering } from "./test-support/tampering-proxy.ts";

/** A port nothing listens on: Countersign is down. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const isFor = (file: string) => (pause: Record<string, unknown>) =>
  ((pause.action as Pause["action"]).data as { arguments?: { path?: string } } | undefined)?.arguments
    ?.path === file;

describe("the gateway fails closed", () => {
  let fixture: Fixture;
  const open: { close(): Promise<void> }[] = [];

  beforeAll(async () => {
    fixture = await startFixture();
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((item) => item.close()));
  });
  afterAll(async () => {
    await fixture?.close();
  });

  async function gatewayVia(
    countersignUrl: string,
    overrides: Record<string, unknown> = {},
  ): Promise<Connected> {
    const gateway = await connectStdio("gateway", {
      config: filesystemConfig(fixture, overrides),
      countersignUrl,
      jwks: fixture.jwksFile,
      apiKey: fixture.countersign.agentKey,
    });
    open.push(gateway);
    return gateway;
  }

  async function proxied(tampering: Tampering): Promise<Connected> {
    const proxy = await startTamperingProxy(fixture.countersign.url, tampering);
    open.push(proxy);
    return gatewayVia(proxy.url);
  }

  it("writes nothing when Countersign is unreachable, and still serves allowed reads", async () => {
    const gateway = await gatewayVia(`http://127.0.0.1:${await closedPort()}`);
    const file = join(fixture.folder, "while-down.txt");
    const result = (await gateway.client.callTool({
      name: "write_file",
      arguments: { path: file, content: "x" },
    })) as CallToolResult;
    expect(result.isError).toBe(true);
    expect(text(result)).toContain("Countersign could not be asked for approval (network_error");
    expect(text(result)).toContain("did not run");
    expect(existsSync(file)).toBe(false);
    await writeFile(join(fixture.folder, "readme.txt"), "still readable");
    const read = (await gateway.client.callTool({
      name: "read_text_file",
      arguments: { path: join(fixture.folder, "readme.txt") },
    })) as CallToolResult;
    expect(text(read)).toBe("still readable");
  });

  it("writes nothing when the claim cannot be made after the approval", async () => {
    const gateway = await proxied({
      unavailable: (method, path) => method === "POST" && path.endsWith("/claim"),
    });
    const file = join(fixture.folder, "claim-down.txt");
    const call = gateway.client.callTool({ name: "write_file", arguments: { path: file, content: "x" } });
    const pause = await fixture.pendingPause((data) => data.arguments.path === file);
    await fixture.countersign.approve(pause.pause_id);
    const result = (await call) as CallToolResult;
    expect(result.isError).toBe(true);
    expect(meta(result)).toMatchObject({ status: "error", code: "store_unavailable" });
    expect(existsSync(file)).toBe(false);
  });

  it("writes nothing on an approval forged with a key that is not pinned", async () => {
    const file = join(fixture.folder, "forged.txt");
    const attacker = await loadSigningKeys({
      secret: "attacker-secret-0123456789abcdef0123",
      ed25519: await generateEd25519Jwk(),
    });
    const gateway = await proxied({
      pause: async (pause) => {
        if (!isFor(file)(pause)) return pause;
        const now = new Date();
        const proof = await signProof(
          {
            v: 1,
            proof_id: "prf_forged",
            pause_id: pause.pause_id as string,
            agent_id: pause.agent_id as string,
            action_digest: await actionDigest(pause.action as Pause["action"]),
            decision: "approved",
            human_response: true,
            decided_by: { kind: "human", id: "alice@example.com", channel: "api" },
            reason: null,
            data: null,
            issued_at: now.toISOString(),
            valid_until: new Date(now.getTime() + 600_000).toISOString(),
          },
          attacker,
        );
        return {
          ...pause,
          status: "approved",
          decision: {
            status: "approved",
            decided_by: proof.decided_by,
            reason: null,
            data: null,
            decided_at: proof.issued_at,
          },
          proof,
        };
      },
    });
    const result = (await gateway.client.callTool({
      name: "write_file",
      arguments: { path: file, content: "forged" },
    })) as CallToolResult;
    expect(result.isError).toBe(true);
    expect(meta(result)).toMatchObject({ status: "error", code: "proof_unknown_key" });
    expect(text(result)).toContain("could not be verified");
    expect(existsSync(file)).toBe(false);
  });

  it("writes nothing when the approved proof's arguments are swapped in transit", async () => {
    const file = join(fixture.folder, "tampered.txt");
    const gateway = await proxied({
      pause: (pause) => {
        if (!isFor(file)(pause) || !pause.proof) return pause;
        const data = {
          server: "fs",
          tool: "write_file",
          arguments: { path: file, content: "attacker's content" },
        };
        return { ...pause, proof: { ...(pause.proof as Proof), data } };
      },
    });
    const call = gateway.client.callTool({
      name: "write_file",
      arguments: { path: file, content: "reviewed" },
    });
    const pause = await fixture.pendingPause((data) => data.arguments.path === file);
    await fixture.countersign.approve(pause.pause_id);
    const result = (await call) as CallToolResult;
    expect(result.isError).toBe(true);
    expect(meta(result)).toMatchObject({ code: "proof_invalid_signature" });
    expect(existsSync(file)).toBe(false);
    expect(await fixture.audit(pause.pause_id, "pause.claimed")).toHaveLength(0);
  });

  it("writes nothing when a rejection is dressed up as an approval", async () => {
    const file = join(fixture.folder, "flipped.txt");
    const gateway = await proxied({
      pause: (pause) => {
        if (!isFor(file)(pause) || pause.status !== "rejected") return pause;
        return {
          ...pause,
          status: "approved",
          proof: { ...(pause.proof as Proof), decision: "approved", reason: null },
        };
      },
    });
    const call = gateway.client.callTool({ name: "write_file", arguments: { path: file, content: "x" } });
    const pause = await fixture.pendingPause((data) => data.arguments.path === file);
    await fixture.countersign.reject(pause.pause_id, "No");
    const result = (await call) as CallToolResult;
    expect(result.isError).toBe(true);
    expect(meta(result)).toMatchObject({ code: "proof_invalid_signature" });
    expect(existsSync(file)).toBe(false);
  });

  it("writes nothing with another pause's genuine approval", async () => {
    const file = join(fixture.folder, "borrowed.txt");
    let borrowed: Proof | undefined;
    const gateway = await proxied({
      pause: (pause) => {
        if (isFor(join(fixture.folder, "donor.txt"))(pause) && pause.proof) borrowed = pause.proof as Proof;
        if (!isFor(file)(pause) || !borrowed) return pause;
        return { ...pause, status: "approved", proof: borrowed };
      },
    });
    const donor = gateway.client.callTool({
      name: "write_file",
      arguments: { path: join(fixture.folder, "donor.txt"), content: "fine" },
    });
    const donorPause = await fixture.pendingPause(
      (data) => data.arguments.path === join(fixture.folder, "donor.txt"),
    );
    await fixture.countersign.approve(donorPause.pause_id);
    expect(((await donor) as CallToolResult).isError).toBeFalsy();
    expect(borrowed).toBeDefined();
    const result = (await gateway.client.callTool({
      name: "write_file",
      arguments: { path: file, content: "fine" },
    })) as CallToolResult;
    expect(result.isError).toBe(true);
    expect(meta(result)).toMatchObject({ code: "proof_wrong_pause" });
    expect(existsSync(file)).toBe(false);
  });
});

import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyCheckpoint } from "../audit/audit-checkpoint.ts";
import { generateEd25519Jwk, publicJwkOf } from "../proof/signing-keys.ts";
import { startTestServer, type TestServer } from "../testing/test-server.ts";
import { call, seedRequest } from "./server-test-helpers.ts";

let dir: string;
let receiver: Server;
let receiverUrl: string;
const received: unknown[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "countersign-witness-"));
  receiver = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => {
      body += chunk;
    });
    request.on("end", () => {
      received.push(JSON.parse(body));
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/witness`;
});
afterAll(async () => {
  await new Promise((resolve) => receiver.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

describe("checkpoints witnessed outside the store, signed with a key kept outside it", () => {
  let t: TestServer;
  const witnessFile = () => join(dir, "witness.jsonl");

  it("appends every checkpoint that grows the log to the file and the webhook, signed with the external key", async () => {
    const checkpointKey = await generateEd25519Jwk();
    const pinned = { keys: [await publicJwkOf(checkpointKey)] };
    t = await startTestServer({
      serverOptions: { audit: { checkpointKey, witness: { file: witnessFile(), url: receiverUrl } } },
    });
    await call(t, "POST", "/v1/pauses", { body: seedRequest() });
    const first = (await call(t, "GET", "/v1/audit/checkpoint", { key: t.adminKey })).body;
    const again = (await call(t, "GET", "/v1/audit/checkpoint", { key: t.adminKey })).body;
    await call(t, "POST", "/v1/pauses", { body: seedRequest() });
    const second = (await call(t, "GET", "/v1/audit/checkpoint", { key: t.adminKey })).body;

    expect((await verifyCheckpoint(second, pinned)).ok).toBe(true);
    expect(first.kid).toBe(pinned.keys[0]!.kid);
    expect(again.size).toBe(first.size);
    const lines = (await readFile(witnessFile(), "utf8"))
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    // The same size is not witnessed twice.
    expect(lines).toEqual([first, second]);
    expect(received).toEqual([
      { type: "countersign.checkpoint", checkpoint: first },
      { type: "countersign.checkpoint", checkpoint: second },
    ]);
    await t.close();
  });

  it("refuses to sign when the witness holds a checkpoint the log does not extend", async () => {
    t = await startTestServer();
    await call(t, "POST", "/v1/pauses", { body: seedRequest() });
    const genuine = (await call(t, "GET", "/v1/audit/checkpoint", { key: t.adminKey })).body;
    // The witness holds a checkpoint of a log that this store (another, fresh one) does not extend.
    await writeFile(
      witnessFile(),
      `${JSON.stringify({ ...genuine, root_hash: `sha256:${"ab".repeat(32)}` })}\n`,
    );
    await t.close();
    t = await startTestServer({ serverOptions: { audit: { witness: { file: witnessFile() } } } });
    const refused = await call(t, "GET", "/v1/audit/checkpoint", { key: t.adminKey });
    expect(refused.status).toBe(500);
    expect(refused.body).toMatchObject({ code: "audit_inconsistent" });
    await t.close();
  });
});

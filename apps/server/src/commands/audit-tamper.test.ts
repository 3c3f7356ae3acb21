import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import type { AuditEvent } from "@countersign/core";
import { auditEventHash, GENESIS_HASH, treeNodesFor } from "@countersign/core/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, startServe, stop } from "../test-support/cli-process.ts";

// An attacker with write access to the data directory, against a server whose checkpoint key
// and witness live outside it (issue 13, item 6). Each step goes through the real CLI and server.
let dir: string;
let dataDir: string;
let keyFile: string;
let witnessFile: string;
let pinnedFile: string;
let oldCheckpointFile: string;
let pinnedKid: string;

function cli(args: string[]) {
  return runCli(args);
}

async function http(url: string, key: string, method = "GET", body?: unknown) {
  const response = await fetch(url, {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      ...(body !== undefined && { "content-type": "application/json" }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

function createKey(role: string, identity: string): string {
  const binding = role === "agent" ? ["--agent-id", "*"] : [];
  const made = cli([
    "keys",
    "create",
    "--role",
    role,
    "--identity",
    identity,
    ...binding,
    "--data-dir",
    dataDir,
    "--init",
  ]);
  expect(made.code).toBe(0);
  return String(JSON.parse(made.stdout).key);
}

/** What a careful forger does: edits one event, re-hashes every later link and rebuilds the Merkle tree. */
function rewrite(databaseFile: string, edit: (event: AuditEvent) => AuditEvent | null): void {
  const database = new DatabaseSync(databaseFile);
  try {
    database.exec(`DROP TRIGGER audit_events_no_update; DROP TRIGGER audit_events_no_delete;
      DROP TRIGGER audit_nodes_no_update; DROP TRIGGER audit_nodes_no_delete;`);
    const rows = database.prepare("SELECT * FROM audit_events ORDER BY seq").all();
    database.exec("DELETE FROM audit_events; DELETE FROM audit_nodes;");
    const insert = database.prepare(
      `INSERT INTO audit_events (seq, event_id, type, pause_id, agent_id, actor, actor_id, at, at_ms, data, prev_hash, hash)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const kept: AuditEvent[] = [];
    for (const row of rows) {
      const original: AuditEvent = {
        seq: Number(row.seq),
        event_id: String(row.event_id),
        type: String(row.type) as AuditEvent["type"],
        pause_id: row.pause_id === null ? null : String(row.pause_id),
        agent_id: row.agent_id === null ? null : String(row.agent_id),
        actor: JSON.parse(String(row.actor)),
        at: String(row.at),
        data: JSON.parse(String(row.data)),
        prev_hash: String(row.prev_hash),
        hash: String(row.hash),
      };
      const edited = edit(original);
      if (edited === null) continue;
      const { hash: _hash, ...unhashed } = {
        ...edited,
        seq: kept.length + 1,
        prev_hash: kept.at(-1)?.hash ?? GENESIS_HASH,
      };
      const event = { ...unhashed, hash: auditEventHash(unhashed) };
      insert.run(
        event.seq,
        event.event_id,
        event.type,
        event.pause_id,
        event.agent_id,
        JSON.stringify(event.actor),
        event.actor.id,
        event.at,
        Date.parse(event.at),
        JSON.stringify(event.data),
        event.prev_hash,
        event.hash,
      );
      kept.push(event);
    }
    const insertNode = database.prepare("INSERT INTO audit_nodes (level, idx, hash) VALUES (?, ?, ?)");
    for (const node of treeNodesFor([], 0, kept).nodes) insertNode.run(node.level, node.index, node.hash);
  } finally {
    database.close();
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "countersign-tamper-"));
  dataDir = join(dir, "data");
  await mkdir(join(dir, "keys"));
  await mkdir(join(dir, "witness"));
  keyFile = join(dir, "keys", "checkpoint.jwk");
  witnessFile = join(dir, "witness", "checkpoints.jsonl");
  pinnedFile = join(dir, "checkpoint-key.json");
  oldCheckpointFile = join(dir, "old-checkpoint.json");

  const generated = cli(["audit", "keygen", "--out", keyFile]);
  expect(generated.code).toBe(0);
  await writeFile(pinnedFile, generated.stdout);
  pinnedKid = JSON.parse(generated.stdout).keys[0].kid;

  const agent = createKey("agent", "owner@example.com");
  const approver = createKey("approver", "alice@example.com");
  const admin = createKey("admin", "admin@example.com");
  const { url, child } = await startServe([
    "--data-dir",
    dataDir,
    "--checkpoint-key",
    keyFile,
    "--audit-witness",
    witnessFile,
  ]);
  try {
    for (let index = 0; index < 3; index++) {
      const opened = await http(`${url}/v1/pauses`, agent, "POST", {
        agent_id: "billing-agent",
        action: { type: "payment", data: { amount: 100 + index } },
      });
      expect(opened.status).toBe(202);
      const decided = await http(`${url}/v1/pauses/${opened.body.pause_id}/decision`, approver, "POST", {
        decision: "approve",
        reason: `ok ${index}`,
      });
      expect(decided.status).toBe(200);
    }
    const checkpoint = await http(`${url}/v1/audit/checkpoint`, admin);
    expect(checkpoint.body).toMatchObject({ v: 2, size: 6, kid: pinnedKid });
    await writeFile(oldCheckpointFile, JSON.stringify(checkpoint.body));
    // The public checkpoint key is published beside the proof key.
    const published = await http(`${url}/v1/keys`, admin);
    expect((published.body.keys as { kid: string }[]).map((key) => key.kid)).toContain(pinnedKid);
  } finally {
    await stop(child);
  }
}, 180_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

// Each step spawns the real CLI: seconds apiece on a busy machine.
describe("an audit log that survives its own database", { timeout: 120_000 }, () => {
  it("keeps the checkpoint key out of the store and appends every checkpoint to the witness outside it", async () => {
    const database = new DatabaseSync(join(dataDir, "countersign.db"), { readOnly: true });
    const settings = database.prepare("SELECT name, value FROM settings").all();
    database.close();
    const privateD = JSON.parse(await readFile(keyFile, "utf8")).d;
    expect(settings.some((row) => String(row.value).includes(privateD))).toBe(false);
    expect(settings).toContainEqual({ name: "audit_checkpoint_key", value: `external:${pinnedKid}` });

    const witnessed = (await readFile(witnessFile, "utf8"))
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(witnessed.at(-1)).toEqual(JSON.parse(await readFile(oldCheckpointFile, "utf8")));
  });

  it("refuses UPDATE and DELETE on audit rows in the database itself", () => {
    const database = new DatabaseSync(join(dataDir, "countersign.db"));
    try {
      expect(() => database.exec(`UPDATE audit_events SET data = '{"reason":"x"}' WHERE seq = 2`)).toThrow(
        /append-only/,
      );
      expect(() => database.exec("DELETE FROM audit_events WHERE seq = 6")).toThrow(/append-only/);
      expect(() => database.exec("UPDATE audit_nodes SET hash = x'00' WHERE level = 0")).toThrow(
        /append-only/,
      );
      expect(() => database.exec("DELETE FROM audit_nodes")).toThrow(/append-only/);
    } finally {
      database.close();
    }
  });

  describe("after an event is edited and everything after it re-hashed, tree included", () => {
    let rewritten: string;
    beforeAll(async () => {
      rewritten = join(dir, "rewritten");
      await cp(dataDir, rewritten, { recursive: true });
      rewrite(join(rewritten, "countersign.db"), (event) =>
        event.type === "pause.decided" && event.seq === 2
          ? { ...event, data: { ...event.data, reason: "approved by the CFO" } }
          : event,
      );
    }, 60_000);

    it("signs no fresh checkpoint without the key that lives outside the store", () => {
      const result = cli(["audit", "checkpoint", "--data-dir", rewritten]);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/kept outside it/);
      expect(result.stdout).toBe("");
    });

    it("signs none with the key either, because the log no longer extends the witnessed checkpoint", () => {
      const result = cli([
        "audit",
        "checkpoint",
        "--data-dir",
        rewritten,
        "--checkpoint-key",
        keyFile,
        "--audit-witness",
        witnessFile,
      ]);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/rewritten or truncated/);
    });

    it("fails `audit verify --checkpoint old.json` on an export, and `audit prove --from old.json`", async () => {
      const exportFile = join(dir, "rewritten.jsonl");
      // An auditor holding the key but not the witness can still export; the saved checkpoint catches the rewrite.
      expect(
        cli(["audit", "export", "--data-dir", rewritten, "--checkpoint-key", keyFile, "--out", exportFile])
          .code,
      ).toBe(0);
      expect(cli(["audit", "verify", exportFile, "--jwks", pinnedFile]).code).toBe(0);
      const verified = cli([
        "audit",
        "verify",
        exportFile,
        "--jwks",
        pinnedFile,
        "--checkpoint",
        oldCheckpointFile,
      ]);
      expect(verified.code).toBe(1);
      expect(JSON.parse(verified.stdout)).toMatchObject({
        valid: false,
        problem: { kind: "checkpoint_mismatch" },
      });

      const proven = cli([
        "audit",
        "prove",
        "--from",
        oldCheckpointFile,
        "--data-dir",
        rewritten,
        "--checkpoint-key",
        keyFile,
      ]);
      expect(proven.code).toBe(1);
      expect(proven.stderr).toMatch(/rewritten/);
    });
  });

  describe("after the newest events are cut off and the tree rebuilt", () => {
    let truncated: string;
    beforeAll(async () => {
      truncated = join(dir, "truncated");
      await cp(dataDir, truncated, { recursive: true });
      rewrite(join(truncated, "countersign.db"), (event) => (event.seq > 4 ? null : event));
    }, 60_000);

    it("refuses to sign over it against the witness, and an export fails against the saved checkpoint", () => {
      const signed = cli([
        "audit",
        "checkpoint",
        "--data-dir",
        truncated,
        "--checkpoint-key",
        keyFile,
        "--audit-witness",
        witnessFile,
      ]);
      expect(signed.code).toBe(1);
      const exportFile = join(dir, "truncated.jsonl");
      expect(
        cli(["audit", "export", "--data-dir", truncated, "--checkpoint-key", keyFile, "--out", exportFile])
          .code,
      ).toBe(0);
      const verified = cli([
        "audit",
        "verify",
        exportFile,
        "--jwks",
        pinnedFile,
        "--checkpoint",
        oldCheckpointFile,
      ]);
      expect(verified.code).toBe(1);
      expect(JSON.parse(verified.stdout)).toMatchObject({ problem: { kind: "truncated" } });
    });
  });

  it("proves the genuine log consistent with the saved checkpoint, and `audit verify` checks that proof", async () => {
    const proofFile = join(dir, "consistency.json");
    const proven = cli([
      "audit",
      "prove",
      "--from",
      oldCheckpointFile,
      "--data-dir",
      dataDir,
      "--checkpoint-key",
      keyFile,
      "--out",
      proofFile,
    ]);
    expect(proven.code).toBe(0);
    const checked = cli([
      "audit",
      "verify",
      proofFile,
      "--jwks",
      pinnedFile,
      "--checkpoint",
      oldCheckpointFile,
    ]);
    expect(checked.code).toBe(0);
    expect(JSON.parse(checked.stdout)).toMatchObject({ kind: "consistency_proof", valid: true });

    const forged = JSON.parse(await readFile(proofFile, "utf8"));
    forged.to.size += 1;
    await writeFile(proofFile, JSON.stringify(forged));
    expect(cli(["audit", "verify", proofFile, "--jwks", pinnedFile]).code).toBe(1);
  });
});

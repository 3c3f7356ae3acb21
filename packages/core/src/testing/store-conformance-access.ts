import { describe, expect, it } from "vitest";
import type { ApiKeyRecord, WebSessionRecord } from "../store/records.ts";
import { at, type StoreHarness } from "./store-conformance-fixtures.ts";

/** Key bindings, identity lookups, web sessions and the readiness probe. */
export function describeAccessConformance(harness: StoreHarness): void {
  const agentKey: ApiKeyRecord = {
    keyId: "key_bound_agent",
    hash: "a".repeat(64),
    role: "agent",
    identity: "Owner@Example.com",
    name: "billing agent",
    agentIds: ["billing-*", "refunds"],
    actionTypes: ["payment"],
    createdAt: at(0),
    revokedAt: null,
  };
  const adminKey: ApiKeyRecord = {
    keyId: "key_admin",
    hash: "b".repeat(64),
    role: "admin",
    identity: "owner@example.com",
    name: null,
    agentIds: null,
    actionTypes: null,
    createdAt: at(1),
    revokedAt: null,
  };

  describe("API key bindings", () => {
    it("keeps an agent key's agent ids and action types", async () => {
      await harness.store.createApiKey(agentKey);
      expect(await harness.store.findApiKeyByHash(agentKey.hash)).toEqual(agentKey);
    });

    it("finds the keys of an identity without letter case, revoked ones included", async () => {
      await harness.store.createApiKey(agentKey);
      await harness.store.createApiKey(adminKey);
      await harness.store.createApiKey({
        ...adminKey,
        keyId: "key_other",
        hash: "c".repeat(64),
        identity: "x@y",
      });
      await harness.store.revokeApiKey(adminKey.keyId, at(5));
      const keys = await harness.store.listApiKeysByIdentity(" OWNER@example.COM ");
      expect(keys.map((key) => key.keyId).sort()).toEqual([adminKey.keyId, agentKey.keyId].sort());
      expect(keys.find((key) => key.keyId === adminKey.keyId)?.revokedAt).toBe(at(5));
      expect(await harness.store.listApiKeysByIdentity("nobody@example.com")).toEqual([]);
    });

    it("rebinds a live key and refuses to rebind a revoked or unknown one", async () => {
      const legacy: ApiKeyRecord = { ...agentKey, identity: null, agentIds: null, actionTypes: null };
      await harness.store.createApiKey(legacy);
      const binding = { identity: "owner@example.com", agentIds: ["billing-agent"], actionTypes: null };
      expect(await harness.store.updateApiKeyBinding(legacy.keyId, binding)).toBe(true);
      expect(await harness.store.findApiKeyByHash(legacy.hash)).toEqual({ ...legacy, ...binding });
      await harness.store.revokeApiKey(legacy.keyId, at(9));
      expect(await harness.store.updateApiKeyBinding(legacy.keyId, binding)).toBe(false);
      expect(await harness.store.updateApiKeyBinding("key_unknown", binding)).toBe(false);
    });
  });

  describe("web sessions", () => {
    const session: WebSessionRecord = {
      sessionHash: "d".repeat(64),
      identity: "alice@example.com",
      via: "link",
      keyHash: null,
      createdAt: at(0),
      expiresAt: at(3600),
      endedAt: null,
    };

    it("stores a session, reads it back, and ends it once", async () => {
      await harness.store.createWebSession(session);
      await harness.store.createWebSession({
        ...session,
        sessionHash: "e".repeat(64),
        via: "api_key",
        keyHash: "f".repeat(64),
      });
      expect(await harness.store.getWebSession(session.sessionHash)).toEqual(session);
      expect(await harness.store.endWebSession(session.sessionHash, at(60))).toBe(true);
      expect(await harness.store.endWebSession(session.sessionHash, at(90))).toBe(true);
      expect((await harness.store.getWebSession(session.sessionHash))?.endedAt).toBe(at(60));
      expect((await harness.store.getWebSession("e".repeat(64)))?.keyHash).toBe("f".repeat(64));
      expect(await harness.store.getWebSession("0".repeat(64))).toBeNull();
      expect(await harness.store.endWebSession("0".repeat(64), at(60))).toBe(false);
    });

    it("purges sessions that expired long ago when a new one starts", async () => {
      await harness.store.createWebSession(session);
      await harness.store.createWebSession({
        ...session,
        sessionHash: "9".repeat(64),
        createdAt: at(3 * 86_400),
        expiresAt: at(3 * 86_400 + 3600),
      });
      expect(await harness.store.getWebSession(session.sessionHash)).toBeNull();
    });
  });

  describe("settings", () => {
    it("replaces a setting on put, unlike put-if-absent", async () => {
      expect(await harness.store.putSettingIfAbsent("rotating", "one")).toBe("one");
      expect(await harness.store.putSettingIfAbsent("rotating", "two")).toBe("one");
      await harness.store.putSetting("rotating", "three");
      expect(await harness.store.getSetting("rotating")).toBe("three");
      await harness.store.putSetting("fresh", "new");
      expect(await harness.store.getSetting("fresh")).toBe("new");
    });
  });

  describe("readiness", () => {
    it("commits a probe write, again and again", async () => {
      await harness.store.probeWrite(at(0));
      await harness.store.probeWrite(at(1));
    });
  });
}

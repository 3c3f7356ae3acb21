import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Store, sqliteStore } from "@countersign/core/server";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import webPush from "web-push";
import { loadConfigFile } from "../config/config-file.ts";
import { UsageError } from "../usage-error.ts";
import { pushOptionsFromEnv } from "./push-from-env.ts";
import { loadVapidKeys } from "./vapid-keys.ts";

let dir: string;
let store: Store;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "countersign-vapid-"));
  store = sqliteStore(join(dir, "countersign.db"));
  await store.migrate();
});
afterEach(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

describe("the VAPID keys", () => {
  it("are made on first start, kept in the store, and the same for every later start and instance", async () => {
    const first = await loadVapidKeys(store);
    expect(Buffer.from(first.publicKey, "base64url")).toHaveLength(65);
    expect(Buffer.from(first.privateKey, "base64url")).toHaveLength(32);
    const other = sqliteStore(join(dir, "countersign.db"));
    try {
      expect(await loadVapidKeys(other)).toEqual(first);
    } finally {
      await other.close();
    }
  });

  it("come from the configuration when given, and the store is not touched", async () => {
    const configured = webPush.generateVAPIDKeys();
    expect(await loadVapidKeys(store, configured)).toEqual(configured);
    expect(await store.getSetting("push.vapid")).toBeNull();
  });

  it("refuse a configured pair that cannot work", async () => {
    const good = webPush.generateVAPIDKeys();
    await expect(loadVapidKeys(store, { ...good, publicKey: good.privateKey })).rejects.toThrow(/public key/);
    await expect(loadVapidKeys(store, { ...good, privateKey: "short" })).rejects.toThrow(/private key/);
  });
});

describe("Web Push from the environment", () => {
  it("is on by default, and off with COUNTERSIGN_WEB_PUSH=off", () => {
    expect(pushOptionsFromEnv({})).toEqual({});
    expect(pushOptionsFromEnv({ COUNTERSIGN_WEB_PUSH: "off" })).toBe(false);
  });

  it("takes a key pair, a contact, and loopback endpoints only when asked", () => {
    const keys = webPush.generateVAPIDKeys();
    expect(
      pushOptionsFromEnv({
        COUNTERSIGN_VAPID_PUBLIC_KEY: keys.publicKey,
        COUNTERSIGN_VAPID_PRIVATE_KEY: keys.privateKey,
        COUNTERSIGN_VAPID_SUBJECT: "mailto:ops@example.com",
        COUNTERSIGN_WEB_PUSH_ALLOW_LOOPBACK: "1",
      }),
    ).toEqual({ vapidKeys: keys, subject: "mailto:ops@example.com", allowLoopbackEndpoints: true });
  });

  it("refuses half a key pair, a broken key and a subject push services would refuse", () => {
    const keys = webPush.generateVAPIDKeys();
    expect(() => pushOptionsFromEnv({ COUNTERSIGN_VAPID_PUBLIC_KEY: keys.publicKey })).toThrow(UsageError);
    expect(() =>
      pushOptionsFromEnv({
        COUNTERSIGN_VAPID_PUBLIC_KEY: "abc",
        COUNTERSIGN_VAPID_PRIVATE_KEY: keys.privateKey,
      }),
    ).toThrow(/public key/);
    expect(() => pushOptionsFromEnv({ COUNTERSIGN_VAPID_SUBJECT: "http://example.com" })).toThrow(/mailto/);
  });
});

describe("Web Push in countersign.yaml", () => {
  it("stands for the same variables: off, or a key pair and a contact", async () => {
    const keys = webPush.generateVAPIDKeys();
    const file = join(dir, "countersign.yaml");
    await writeFile(
      file,
      `web_push:\n  vapid_public_key: ${keys.publicKey}\n  vapid_private_key: ${keys.privateKey}\n  subject: mailto:ops@example.com\n`,
    );
    expect(pushOptionsFromEnv(await loadConfigFile(file))).toEqual({
      vapidKeys: keys,
      subject: "mailto:ops@example.com",
    });
    await writeFile(file, "web_push: { enabled: false }\n");
    expect(pushOptionsFromEnv(await loadConfigFile(file))).toBe(false);
  });
});

import { existsSync, statSync } from "node:fs";
import { copyFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openStore } from "./open-store.ts";
import { runCli } from "./test-support/cli-process.ts";

let root: string;
let dataDir: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "countersign-open-store-"));
  dataDir = join(root, "data");
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("the data directory", () => {
  it("is created owner-only on the server's first start, with an owner-only database", async () => {
    const { store } = await openStore({ dataDir, create: "if-new" });
    await store.close();
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dataDir, "countersign.db")).mode & 0o777).toBe(0o600);
    expect(statSync(join(dataDir, "store.json")).mode & 0o777).toBe(0o600);
  });

  it("refuses to start on a directory whose store was deleted, unless told to start a new one", async () => {
    const first = await openStore({ dataDir, create: "if-new" });
    await first.store.putSettingIfAbsent("proof_secret", "old-secret-that-proofs-were-signed-with");
    await first.store.close();
    await rm(join(dataDir, "countersign.db"));
    await expect(openStore({ dataDir, create: "if-new" })).rejects.toThrow(
      /is gone\. Restore it from a backup/,
    );
    expect(existsSync(join(dataDir, "countersign.db"))).toBe(false);
    const fresh = await openStore({ dataDir, create: "init" });
    expect(await fresh.store.getSetting("proof_secret")).toBeNull();
    await fresh.store.close();
    const again = await openStore({ dataDir, create: "if-new" });
    await again.store.close();
  });

  it("refuses a database file swapped in from another store", async () => {
    const other = join(root, "other");
    await (await openStore({ dataDir, create: "if-new" })).store.close();
    await (await openStore({ dataDir: other, create: "if-new" })).store.close();
    await rm(join(dataDir, "countersign.db"));
    await copyFile(join(other, "countersign.db"), join(dataDir, "countersign.db"));
    await expect(openStore({ dataDir, create: "if-new" })).rejects.toThrow(/is not the store that lived in/);
  });

  it("never creates a store for a command that only reads one (keys list in the wrong directory)", () => {
    const result = runCli(["keys", "list", "--data-dir", dataDir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("No Countersign store in");
    expect(existsSync(dataDir)).toBe(false);
  });
});

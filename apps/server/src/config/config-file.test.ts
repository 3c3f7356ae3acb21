import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCli, startServe, stop } from "../test-support/cli-process.ts";
import { applyConfig, loadConfigFile } from "./config-file.ts";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "countersign-config-"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

async function configFile(text: string): Promise<string> {
  const file = join(dir, "countersign.yaml");
  await writeFile(file, text);
  return file;
}

describe("countersign.yaml", () => {
  it("stands for the environment variables, with paths relative to the file", async () => {
    const file = await configFile(
      [
        "port: 9000",
        "base_url: https://approvals.example.com",
        "data_dir: state",
        "policy: policy.yaml",
        "allow_private_webhooks: true",
        "log: { level: debug }",
        "metrics: { port: 9464 }",
        "smtp: { url: 'smtp://mail.example.com:587', from: countersign@example.com }",
        "slack:",
        "  bot_token: xoxb-1",
        "  signing_secret: s3cret",
        "  channels: ['#finance', '#ops']",
        "  summary_threshold: 5",
        "teams:",
        "  app_id: app",
        "  tenant_id: tenant",
        "  app_password: pw",
        "  targets: { finance: { conversation_id: '19:x@thread.tacv2' } }",
        "",
      ].join("\n"),
    );
    expect(await loadConfigFile(file)).toEqual({
      PORT: "9000",
      COUNTERSIGN_BASE_URL: "https://approvals.example.com",
      COUNTERSIGN_DATA_DIR: join(dir, "state"),
      COUNTERSIGN_POLICY: join(dir, "policy.yaml"),
      COUNTERSIGN_ALLOW_PRIVATE_WEBHOOKS: "1",
      COUNTERSIGN_LOG_LEVEL: "debug",
      COUNTERSIGN_METRICS_PORT: "9464",
      COUNTERSIGN_SMTP_URL: "smtp://mail.example.com:587",
      COUNTERSIGN_SMTP_FROM: "countersign@example.com",
      COUNTERSIGN_SLACK_BOT_TOKEN: "xoxb-1",
      COUNTERSIGN_SLACK_SIGNING_SECRET: "s3cret",
      COUNTERSIGN_SLACK_CHANNELS: "#finance,#ops",
      COUNTERSIGN_SLACK_SUMMARY_THRESHOLD: "5",
      COUNTERSIGN_TEAMS_APP_ID: "app",
      COUNTERSIGN_TEAMS_TENANT_ID: "tenant",
      COUNTERSIGN_TEAMS_APP_PASSWORD: "pw",
      COUNTERSIGN_TEAMS_TARGETS: JSON.stringify({ finance: { conversation_id: "19:x@thread.tacv2" } }),
    });
  });

  it("lets a variable already set win over the file", () => {
    const env: NodeJS.ProcessEnv = { COUNTERSIGN_LOG_LEVEL: "error" };
    applyConfig({ COUNTERSIGN_LOG_LEVEL: "debug", PORT: "9000" }, env);
    expect(env).toEqual({ COUNTERSIGN_LOG_LEVEL: "error", PORT: "9000" });
  });

  it("names the line, column and field of each mistake", async () => {
    const file = await configFile(
      [
        "port: eighty",
        "smtp:",
        "  url: smtp://mail.example.com",
        "slack_bot: xoxb-1",
        "log: { level: loud }",
        "",
      ].join("\n"),
    );
    const error = await loadConfigFile(file).then(
      () => null,
      (thrown: Error) => thrown,
    );
    expect(error?.name).toBe("UsageError");
    const message = error!.message;
    expect(message).toContain(`${file}:1:7 port:`);
    expect(message).toContain(`${file}:3:3 smtp.from:`);
    expect(message).toMatch(/countersign\.yaml:1:1 .*slack_bot/);
    expect(message).toContain(`${file}:5:15 log.level:`);
  });

  it("refuses a file that is not YAML, with its line", async () => {
    const file = await configFile("port: 1\nport: 2\n");
    await expect(loadConfigFile(file)).rejects.toThrow(/countersign\.yaml:2:1/);
  });
});

describe("countersign serve --config", () => {
  it("runs from the file alone, flags and variables winning over it; warns when approvers have e-mail but there is no SMTP", async () => {
    const file = await configFile(["port: 1", "data_dir: state", "log: { level: info }", ""].join("\n"));
    const put = runCli([
      "identities",
      "put",
      "alice@example.com",
      "--data-dir",
      join(dir, "state"),
      "--init",
    ]);
    expect(put.code).toBe(0);
    // --port 0 (startServe) wins over port: 1; COUNTERSIGN_LOG_LEVEL wins over log.level.
    const { url, child, stderr } = await startServe(["--config", file], { COUNTERSIGN_LOG_LEVEL: "warn" });
    try {
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      expect(await readdir(join(dir, "state"))).toContain("countersign.db");
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(stderr()).toContain("SMTP is not configured");
      expect(stderr()).not.toContain('"message":"request"');
    } finally {
      await stop(child);
    }
  }, 60_000);

  it("stops with exit 2 naming the field when the file is wrong", async () => {
    const file = await configFile("port: 1\nhost: 127.0.0.1\nbase_url: not a url\n");
    const result = runCli(["serve", "--config", file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("countersign.yaml:3:11 base_url:");
  }, 60_000);
});

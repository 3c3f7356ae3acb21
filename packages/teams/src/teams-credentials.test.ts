import { constants, createVerify, X509Certificate } from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";
import { teamsChannel } from "./teams-channel.ts";
import { activitiesPath, botToken } from "./test-support/bot-connector-api.ts";
import {
  APP_ID,
  cardActionActivity,
  connectorToken,
  EMEA_SERVICE_URL,
  FINANCE_CONVERSATION,
  postActivity,
  TENANT_ID,
} from "./test-support/teams-activities.ts";
import { APP_PASSWORD, startTeamsHarness, type TeamsHarness } from "./test-support/teams-harness.ts";
import { TEST_CERTIFICATE, TEST_PRIVATE_KEY } from "./test-support/test-certificate.ts";

let harness: TeamsHarness | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await harness?.close();
  harness = undefined;
});

function decodePart(part: string | undefined): Record<string, unknown> {
  return JSON.parse(Buffer.from(part ?? "", "base64url").toString("utf8")) as Record<string, unknown>;
}

describe("the app's credentials", () => {
  it("signs in with a certificate: a client assertion signed by its key, naming it by SHA-256 thumbprint", async () => {
    harness = await startTeamsHarness({
      appPassword: undefined,
      certificate: { certificate: TEST_CERTIFICATE, privateKey: TEST_PRIVATE_KEY },
    });
    await harness.openPause();
    const [request] = harness.api.tokenRequests;
    expect(request?.path).toBe(`/${TENANT_ID}/oauth2/v2.0/token`);
    expect(request?.form).toMatchObject({
      grant_type: "client_credentials",
      client_id: APP_ID,
      scope: "https://api.botframework.com/.default",
      client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
    });
    expect(request?.form).not.toHaveProperty("client_secret");
    const [header, payload, signature] = String(request?.form.client_assertion).split(".");
    const certificate = new X509Certificate(TEST_CERTIFICATE);
    expect(decodePart(header)).toMatchObject({
      alg: "PS256",
      "x5t#S256": Buffer.from(certificate.fingerprint256.replaceAll(":", ""), "hex").toString("base64url"),
    });
    expect(decodePart(payload)).toMatchObject({
      aud: `https://login.microsoftonline.com/${TENANT_ID}/oauth2/v2.0/token`,
      iss: APP_ID,
      sub: APP_ID,
    });
    const valid = createVerify("RSA-SHA256")
      .update(`${header}.${payload}`)
      .verify(
        { key: certificate.publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 },
        Buffer.from(signature ?? "", "base64url"),
      );
    expect(valid).toBe(true);
    // And the card went out with the token Entra issued for it.
    expect(harness.api.posts()[0]?.authorization).toBe(`Bearer ${botToken(1)}`);
  });

  it("needs exactly one credential and a tenant", () => {
    const base = { appId: APP_ID, tenantId: TENANT_ID, targets: {}, approvers: {} };
    expect(() => teamsChannel(base)).toThrow(/exactly one of appPassword or certificate/);
    expect(() =>
      teamsChannel({
        ...base,
        appPassword: "x",
        certificate: { certificate: TEST_CERTIFICATE, privateKey: TEST_PRIVATE_KEY },
      }),
    ).toThrow(/exactly one/);
    expect(() => teamsChannel({ ...base, appPassword: "x", tenantId: "" })).toThrow(/tenantId/);
    expect(() =>
      teamsChannel({
        ...base,
        certificate: { certificate: "not a certificate", privateKey: TEST_PRIVATE_KEY },
      }),
    ).toThrow(/not a PEM X.509 certificate/);
  });
});

describe("secrets never reach the logs", () => {
  it("keeps the app password, the app's tokens and inbound tokens out of every log line, also on failures", async () => {
    const lines: string[] = [];
    const collect = (...parts: unknown[]) =>
      lines.push(parts.map((part) => JSON.stringify(part) ?? String(part)).join(" "));
    for (const method of ["log", "info", "warn", "error", "debug"] as const) {
      vi.spyOn(console, method).mockImplementation(collect);
    }
    harness = await startTeamsHarness(
      { logError: (message, details) => collect(message, details) },
      { updateStatus: 500 },
      { log: { info: collect, error: collect } },
    );
    const pause = await harness.openPause();
    // A forged click (the SDK logs the failed validation) and a real one whose card update fails.
    const activity = cardActionActivity({
      user: "alice",
      verb: "countersign.approve",
      pauseId: pause.pause_id,
      activityId: "1795255200001",
    });
    const forged = connectorToken(harness.issuer, EMEA_SERVICE_URL, {}, { forged: true });
    expect((await postActivity(harness.messagesUrl, activity, forged)).status).toBe(401);
    const genuine = connectorToken(harness.issuer, EMEA_SERVICE_URL);
    expect((await postActivity(harness.messagesUrl, activity, genuine)).status).toBe(200);
    await harness.settle();
    // Every attempt to update the card failed (each later change retries it).
    const updates = harness.api.updates();
    expect(updates.length).toBeGreaterThan(0);
    for (const update of updates) {
      expect(update.path).toBe(activitiesPath("/emea/", FINANCE_CONVERSATION, "1795255200001"));
    }

    const everything = lines.join("\n");
    expect(everything).toContain("could not be updated: AxiosError: Request failed with status code 500");
    expect(everything).toContain("JWT verification failed");
    for (const secret of [APP_PASSWORD, botToken(1), forged, genuine]) {
      expect(everything).not.toContain(secret);
    }
  });

  it("does not log the password when Entra refuses it, and tells the operator the card was not posted", async () => {
    const lines: string[] = [];
    const collect = (...parts: unknown[]) =>
      lines.push(parts.map((part) => JSON.stringify(part) ?? String(part)).join(" "));
    vi.spyOn(console, "error").mockImplementation(collect);
    harness = await startTeamsHarness(
      { logError: (message, details) => collect(message, details) },
      { tokenStatus: 401 },
      { log: { info: collect, error: collect } },
    );
    await harness.openPause();
    expect(harness.api.posts()).toEqual([]);
    const everything = lines.join("\n");
    expect(everything).toContain("could not post the card to finance-approvals");
    expect(everything).not.toContain(APP_PASSWORD);
  });
});

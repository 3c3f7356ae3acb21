import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { CountersignError } from "../errors/countersign-error.ts";
import type { WebhookEvent } from "../protocol/webhook-event.ts";
import { generateWebhookSecret, signWebhook, verifyWebhook } from "./standard-webhooks.ts";

const event: WebhookEvent = {
  type: "pause.decided",
  timestamp: "2026-11-21T10:00:00.000Z",
  data: {
    pause: {
      object: "pause",
      pause_id: "pau_test",
      status: "rejected",
      agent_id: "billing-agent",
      action: { type: "payment", data: { payee: "Acme Corp", amount: 12450 } },
      recipients: [],
      webhook_url: "https://acme.example/hooks",
      context: {},
      metadata: {},
      created_at: "2026-11-21T09:55:00.000Z",
      expires_at: "2026-11-21T10:55:00.000Z",
      decision: {
        status: "rejected",
        decided_by: { kind: "human", id: "alice@acme.com", channel: "web" },
        reason: "Wrong payee",
        data: null,
        decided_at: "2026-11-21T10:00:00.000Z",
      },
      proof: null,
      claimed_at: null,
      links: { self: "/v1/pauses/pau_test", events: "/e", decision: "/d", inbox: "/i" },
    },
    proof: null,
  },
};
const body = JSON.stringify(event);
const nowSeconds = () => Math.floor(Date.now() / 1000);

async function codeOf(promise: Promise<unknown>): Promise<string | null> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(CountersignError);
  return (error as CountersignError).code;
}

describe("generateWebhookSecret", () => {
  it("is whsec_ and 32 random bytes of base64, different each time", () => {
    const secret = generateWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(secret.slice(6), "base64")).toHaveLength(32);
    expect(generateWebhookSecret()).not.toBe(secret);
  });
});

describe("signWebhook", () => {
  it("produces headers the standardwebhooks library verifies", async () => {
    const secret = generateWebhookSecret();
    const headers = await signWebhook({ id: "msg_1", timestamp: nowSeconds(), body, secret });
    expect(headers["webhook-id"]).toBe("msg_1");
    expect(headers["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(new Webhook(secret).verify(body, { ...headers })).toEqual(event);
  });

  it("signs id.timestamp.body exactly like the library", async () => {
    const secret = generateWebhookSecret();
    const timestamp = 1_795_000_000;
    const headers = await signWebhook({ id: "msg_2", timestamp, body, secret });
    expect(headers["webhook-timestamp"]).toBe("1795000000");
    expect(headers["webhook-signature"]).toBe(
      new Webhook(secret).sign("msg_2", new Date(timestamp * 1000), body),
    );
  });

  it("refuses a secret that is not base64", async () => {
    expect(await codeOf(signWebhook({ id: "msg", timestamp: 1, body, secret: "whsec_not base64!" }))).toBe(
      "invalid_request",
    );
  });
});

describe("verifyWebhook", () => {
  it("accepts what the standardwebhooks library signs and returns the parsed event", async () => {
    const secret = generateWebhookSecret();
    const timestamp = new Date();
    const signature = new Webhook(secret).sign("msg_lib", timestamp, body);
    const headers = new Headers({
      "Webhook-Id": "msg_lib",
      "Webhook-Timestamp": String(Math.floor(timestamp.getTime() / 1000)),
      "Webhook-Signature": signature,
    });
    await expect(verifyWebhook(body, headers, secret)).resolves.toEqual(event);
  });

  it("reads a plain header object case-insensitively", async () => {
    const secret = generateWebhookSecret();
    const signed = await signWebhook({ id: "msg_obj", timestamp: nowSeconds(), body, secret });
    const headers = {
      "WEBHOOK-ID": signed["webhook-id"],
      "Webhook-Timestamp": signed["webhook-timestamp"],
      "webhook-signature": signed["webhook-signature"],
    };
    const verified = await verifyWebhook(body, headers, secret);
    expect(verified.data.pause.pause_id).toBe("pau_test");
  });

  it("accepts any one of several space-separated signatures", async () => {
    const oldSecret = generateWebhookSecret();
    const newSecret = generateWebhookSecret();
    const timestamp = nowSeconds();
    const fromOld = await signWebhook({ id: "msg_rot", timestamp, body, secret: oldSecret });
    const fromNew = await signWebhook({ id: "msg_rot", timestamp, body, secret: newSecret });
    const headers = {
      ...fromOld,
      "webhook-signature": `v2,ignored ${fromOld["webhook-signature"]} ${fromNew["webhook-signature"]}`,
    };
    await expect(verifyWebhook(body, headers, oldSecret)).resolves.toEqual(event);
    await expect(verifyWebhook(body, headers, newSecret)).resolves.toEqual(event);
    expect(await codeOf(verifyWebhook(body, headers, generateWebhookSecret()))).toBe(
      "webhook_invalid_signature",
    );
  });

  describe("refuses", () => {
    const secret = generateWebhookSecret();

    async function signedNow(): Promise<Record<string, string>> {
      return { ...(await signWebhook({ id: "msg_ok", timestamp: nowSeconds(), body, secret })) };
    }

    it("a tampered body", async () => {
      const tampered = body.replace("Wrong payee", "Right payee");
      expect(tampered).not.toBe(body);
      expect(await codeOf(verifyWebhook(tampered, await signedNow(), secret))).toBe(
        "webhook_invalid_signature",
      );
    });

    it("a tampered id", async () => {
      const headers = { ...(await signedNow()), "webhook-id": "msg_other" };
      expect(await codeOf(verifyWebhook(body, headers, secret))).toBe("webhook_invalid_signature");
    });

    it("a tampered timestamp", async () => {
      const headers = await signedNow();
      headers["webhook-timestamp"] = String(Number(headers["webhook-timestamp"]) - 1);
      expect(await codeOf(verifyWebhook(body, headers, secret))).toBe("webhook_invalid_signature");
    });

    it("the wrong secret", async () => {
      expect(await codeOf(verifyWebhook(body, await signedNow(), generateWebhookSecret()))).toBe(
        "webhook_invalid_signature",
      );
    });

    it("a missing or malformed signature header", async () => {
      const { "webhook-signature": _signature, ...withoutSignature } = await signedNow();
      expect(await codeOf(verifyWebhook(body, withoutSignature, secret))).toBe("webhook_invalid_signature");
      const garbage = { ...(await signedNow()), "webhook-signature": "v1,@@@ v1, nonsense" };
      expect(await codeOf(verifyWebhook(body, garbage, secret))).toBe("webhook_invalid_signature");
    });

    it("a stale timestamp, even correctly signed", async () => {
      const headers = await signWebhook({ id: "msg_old", timestamp: 1_795_000_000, body, secret });
      const now = new Date((1_795_000_000 + 301) * 1000);
      expect(await codeOf(verifyWebhook(body, headers, secret, { now }))).toBe(
        "webhook_timestamp_out_of_range",
      );
      await expect(
        verifyWebhook(body, headers, secret, { now: new Date((1_795_000_000 + 300) * 1000) }),
      ).resolves.toEqual(event);
    });

    it("a future timestamp beyond the tolerance", async () => {
      const headers = await signWebhook({ id: "msg_new", timestamp: 1_795_000_000, body, secret });
      const now = new Date((1_795_000_000 - 61) * 1000);
      expect(await codeOf(verifyWebhook(body, headers, secret, { now, toleranceSeconds: 60 }))).toBe(
        "webhook_timestamp_out_of_range",
      );
    });

    it("a correctly signed body that is not a webhook event, as invalid_request", async () => {
      for (const wrong of ["not json", JSON.stringify({ ...event, type: "pause.opened" })]) {
        const headers = await signWebhook({ id: "msg_bad", timestamp: nowSeconds(), body: wrong, secret });
        expect(await codeOf(verifyWebhook(wrong, headers, secret))).toBe("invalid_request");
      }
    });
  });
});

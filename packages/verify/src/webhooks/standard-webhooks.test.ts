import { describe, expect, it } from "vitest";
import * as nodeEntry from "../index.node.ts";
import * as webEntry from "../index.ts";
import { loadTestVectors } from "../testing/index.ts";
import { decodeWebhookSecret } from "./standard-webhooks.ts";

const vector = loadTestVectors().webhooks.vectors.find((entry) => entry.name === "a signed delivery")!;
const now = new Date(vector.now);

for (const [label, entry] of [
  ["node:crypto", nodeEntry],
  ["WebCrypto", webEntry],
] as const) {
  describe(`verifyWebhookSignature on ${label}`, () => {
    it("reads headers from a Headers object, and from Node's and n8n's header records", async () => {
      const expected = { id: "msg_vector", timestamp: Date.parse(vector.now) / 1000 };
      const verify = (headers: Parameters<typeof entry.verifyWebhookSignature>[1]) =>
        entry.verifyWebhookSignature(vector.body, headers, vector.secret, { now });
      expect(await verify(new Headers(vector.headers))).toEqual(expected);
      const asArrays = Object.fromEntries(
        Object.entries(vector.headers).map(([key, value]) => [key, [value]]),
      );
      expect(await verify(asArrays)).toEqual(expected);
    });

    it("refuses a header sent twice rather than pick one", async () => {
      const twice = {
        ...vector.headers,
        "webhook-signature": [vector.headers["webhook-signature"]!, "v1,AAAA"],
      };
      await expect(
        entry.verifyWebhookSignature(vector.body, twice, vector.secret, { now }),
      ).rejects.toMatchObject({
        code: "webhook_invalid_signature",
      });
    });

    it("refuses a secret that is not base64, as the caller's error", async () => {
      await expect(
        entry.verifyWebhookSignature(vector.body, vector.headers, "whsec_!!!", { now }),
      ).rejects.toMatchObject({ code: "invalid_request" });
    });
  });
}

describe("decodeWebhookSecret", () => {
  it("takes whsec_ + base64, or the base64 alone", () => {
    expect(decodeWebhookSecret("whsec_AAEC")).toEqual(new Uint8Array([0, 1, 2]));
    expect(decodeWebhookSecret("AAEC")).toEqual(new Uint8Array([0, 1, 2]));
    expect(() => decodeWebhookSecret("whsec_")).toThrow(/whsec_/);
  });
});

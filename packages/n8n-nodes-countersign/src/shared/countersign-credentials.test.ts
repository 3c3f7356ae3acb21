import { describe, expect, it } from "vitest";
import { parseCredentials } from "./countersign-credentials.ts";

const good = {
  serverUrl: "https://countersign.example.com/",
  apiKey: "csk_agent_abc",
  webhookSecret: "whsec_c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0",
  proofSecret: "a-proof-secret-of-at-least-32-characters",
  publicKeys: "",
};
const jwk = { kty: "OKP", crv: "Ed25519", x: "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo", kid: "key-1" };

describe("parseCredentials", () => {
  it("accepts a complete credential and trims the server URL", () => {
    expect(parseCredentials(good)).toEqual({
      serverUrl: "https://countersign.example.com",
      apiKey: "csk_agent_abc",
      webhookSecret: good.webhookSecret,
      proofSecret: good.proofSecret,
      publicKeys: [],
    });
  });

  it("accepts public keys as a JWK set or a bare array, instead of the proof secret", () => {
    const asSet = parseCredentials({ ...good, proofSecret: "", publicKeys: JSON.stringify({ keys: [jwk] }) });
    expect(asSet.proofSecret).toBeUndefined();
    expect(asSet.publicKeys).toEqual([jwk]);
    expect(
      parseCredentials({ ...good, proofSecret: "", publicKeys: JSON.stringify([jwk]) }).publicKeys,
    ).toEqual([jwk]);
  });

  const broken: [string, Record<string, string>, RegExp][] = [
    ["a server URL that is not http(s)", { serverUrl: "countersign.example.com" }, /Server URL/],
    ["an empty API key", { apiKey: " " }, /Agent API Key/],
    ["a webhook secret that is not base64", { webhookSecret: "whsec_not base64!" }, /Webhook Secret/],
    ["no webhook secret", { webhookSecret: "" }, /Webhook Secret/],
    ["a short proof secret", { proofSecret: "short" }, /shorter than 32/],
    ["public keys that are not JSON", { publicKeys: "{keys" }, /not JSON/],
    ["public keys that are not Ed25519", { publicKeys: '{"keys":[{"kty":"RSA"}]}' }, /entry 0/],
    [
      "neither proof secret nor public keys",
      { proofSecret: "", publicKeys: "" },
      /Proof Secret or the Public Keys/,
    ],
  ];
  for (const [what, overrides, message] of broken) {
    it(`refuses ${what}, naming the field`, () => {
      expect(() => parseCredentials({ ...good, ...overrides })).toThrow(message);
    });
  }
});

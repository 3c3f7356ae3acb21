import { describe, expect, it } from "vitest";
import { openSealedToken, sealToken } from "./sealed-token.ts";

const SECRET = "sealed-token-test-secret-0123456789abcdef";
const PAYLOAD = { pause_id: "pau_123", identity: "carol@example.com" };

describe("sealed tokens", () => {
  it("open with the same secret and purpose, and reveal nothing readable", () => {
    const token = sealToken(SECRET, "email.link", PAYLOAD);
    expect(openSealedToken(SECRET, "email.link", token)).toEqual(PAYLOAD);
    const decoded = Buffer.from(token, "base64url").toString("latin1");
    expect(decoded).not.toContain("carol");
    expect(decoded).not.toContain("pau_123");
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it("differ every time, even for the same payload", () => {
    expect(sealToken(SECRET, "email.link", PAYLOAD)).not.toBe(sealToken(SECRET, "email.link", PAYLOAD));
  });

  it("refuse another secret, another purpose, a changed byte, a cut token and junk", () => {
    const token = sealToken(SECRET, "email.link", PAYLOAD);
    const bytes = Buffer.from(token, "base64url");
    const flipped = Buffer.from(bytes);
    flipped[20] = (flipped[20] ?? 0) ^ 1;
    const wrongVersion = Buffer.from(bytes);
    wrongVersion[0] = 2;
    for (const [secret, purpose, candidate] of [
      [`${SECRET}x`, "email.link", token],
      [SECRET, "inbox.sign-in", token],
      [SECRET, "email.link", flipped.toString("base64url")],
      [SECRET, "email.link", wrongVersion.toString("base64url")],
      [SECRET, "email.link", token.slice(0, -4)],
      [SECRET, "email.link", ""],
      [SECRET, "email.link", "not a token!"],
      [SECRET, "email.link", "eyJ2IjoxfQ.c2ln"],
    ] as const) {
      expect(openSealedToken(secret, purpose, candidate)).toBeNull();
    }
  });
});

import { describe, expect, it } from "vitest";
import { checkPushEndpoint, pushLookup } from "./push-endpoint-policy.ts";

const production = { allowLoopback: false };
const testing = { allowLoopback: true };

describe("the push endpoint policy", () => {
  it("takes the https endpoints browsers' push services hand out", () => {
    for (const endpoint of [
      "https://fcm.googleapis.com/fcm/send/dXNlcg:APA91b",
      "https://updates.push.services.mozilla.com/wpush/v2/gAAAAAB",
      "https://web.push.apple.com/QGd8u2",
      "https://wns2-by3p.notify.windows.com/w/?token=BQYAAAB",
    ]) {
      expect(checkPushEndpoint(endpoint, production).href).toBe(endpoint);
    }
  });

  it("refuses anything else in production, saying why", () => {
    const refusals: [string, RegExp][] = [
      ["http://push.example.com/send", /https/],
      ["https://localhost/send", /loopback/],
      ["http://127.0.0.1:8090/notify/x", /loopback/],
      ["https://[::1]/send", /loopback/],
      ["https://push.localhost/send", /loopback/],
      ["https://192.168.1.10/send", /private address/],
      ["https://[fe80::1]/send", /link-local/],
      ["https://[::ffff:10.0.0.1]/send", /private/],
      ["https://0.0.0.0/send", /unspecified/],
      ["https://user:pw@push.example.com/send", /user name or password/],
      ["javascript:alert(1)", /https/],
      ["/relative/path", /absolute URL/],
      [`https://push.example.com/${"x".repeat(2048)}`, /at most 2048/],
    ];
    for (const [endpoint, why] of refusals) {
      expect(() => checkPushEndpoint(endpoint, production), endpoint).toThrow(why);
    }
  });

  it("takes loopback (over http too) only when told to, and still no other private address", () => {
    expect(checkPushEndpoint("http://127.0.0.1:8090/notify/x", testing).port).toBe("8090");
    expect(checkPushEndpoint("http://localhost:8090/notify/x", testing).hostname).toBe("localhost");
    expect(() => checkPushEndpoint("http://10.0.0.5/notify/x", testing)).toThrow(/https/);
    expect(() => checkPushEndpoint("https://10.0.0.5/notify/x", testing)).toThrow(/private address/);
  });

  it("refuses, on the socket's own lookup, a name that resolves to a non-public address", async () => {
    // What DNS rebinding would do: a name that passed the check above, resolving to this machine.
    const lookup = (policy: { allowLoopback: boolean }) =>
      new Promise<{ error: Error | null; addresses: unknown }>((resolve) =>
        pushLookup(policy)("localhost", { all: true }, (error, addresses) => resolve({ error, addresses })),
      );
    const refused = await lookup(production);
    expect(refused.error?.message).toMatch(
      /Refusing to send a push to localhost: it resolves to a loopback address/,
    );
    const allowed = await lookup(testing);
    expect(allowed.error).toBeNull();
    expect(allowed.addresses).toContainEqual(
      expect.objectContaining({ address: expect.stringMatching(/^(127\.|::1)/) }),
    );
  });
});

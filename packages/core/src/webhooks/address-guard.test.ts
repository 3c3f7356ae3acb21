import type { LookupAddress } from "node:dns";
import type { LookupFunction } from "node:net";
import { describe, expect, it } from "vitest";
import { CountersignError } from "../errors/countersign-error.ts";
import { type AddressKind, classifyAddress, createGuardedLookup, isPrivateAddress } from "./address-guard.ts";

const refused: [string, AddressKind][] = [
  ["127.0.0.1", "loopback"],
  ["127.255.0.9", "loopback"],
  ["10.0.0.1", "private"],
  ["10.255.255.255", "private"],
  ["172.16.0.1", "private"],
  ["172.31.255.254", "private"],
  ["192.168.1.10", "private"],
  ["169.254.169.254", "link-local"],
  ["100.64.0.1", "carrier-grade-nat"],
  ["100.127.255.254", "carrier-grade-nat"],
  ["0.0.0.0", "unspecified"],
  ["224.0.0.251", "multicast"],
  ["255.255.255.255", "reserved"],
  ["::", "unspecified"],
  ["::1", "loopback"],
  ["[::1]", "loopback"],
  ["0:0:0:0:0:0:0:1", "loopback"],
  ["fc00::", "unique-local"],
  ["fd12:3456:789a::1", "unique-local"],
  ["fe80::", "link-local"],
  ["fe80::1%eth0", "link-local"],
  ["ff02::1", "multicast"],
  ["::ffff:127.0.0.1", "loopback"],
  ["::ffff:7f00:1", "loopback"],
  ["::ffff:10.1.2.3", "private"],
  ["::ffff:169.254.169.254", "link-local"],
  ["64:ff9b::a9fe:a9fe", "link-local"],
  ["2002:c0a8:0101::1", "private"],
  ["::127.0.0.1", "reserved"],
  ["2001:db8::1", "reserved"],
];

const allowed = [
  "8.8.8.8",
  "1.1.1.1",
  "172.15.255.255",
  "172.32.0.1",
  "100.63.255.255",
  "100.128.0.1",
  "169.253.0.1",
  "11.0.0.1",
  "2606:4700:4700::1111",
  "2001:4860:4860::8888",
  "::ffff:8.8.8.8",
  "64:ff9b::808:808",
];

describe("classifyAddress", () => {
  it.each(refused)("refuses %s (%s)", (address, kind) => {
    expect(classifyAddress(address)).toBe(kind);
    expect(isPrivateAddress(address)).toBe(true);
  });

  it.each(allowed)("allows the public address %s", (address) => {
    expect(classifyAddress(address)).toBe("public");
    expect(isPrivateAddress(address)).toBe(false);
  });

  it.each(["example.com", "", "1.2.3", "256.1.1.1", "1::2::3", "12345::", "1:2:3:4:5:6:7:8:9", ":1"])(
    "treats %j, not an IP address, as refused",
    (text) => {
      expect(classifyAddress(text)).toBe("invalid");
      expect(isPrivateAddress(text)).toBe(true);
    },
  );
});

type LookupResult = {
  error: NodeJS.ErrnoException | null;
  address: string | LookupAddress[];
  family?: number;
};

function callLookup(lookup: LookupFunction, hostname: string, all: boolean): Promise<LookupResult> {
  return new Promise((resolve) => {
    lookup(hostname, { all }, (error, address, family) =>
      resolve(family === undefined ? { error, address } : { error, address, family }),
    );
  });
}

describe("createGuardedLookup", () => {
  it("refuses a name that resolves to loopback", async () => {
    const result = await callLookup(createGuardedLookup(), "localhost", false);
    expect(result.error).toBeInstanceOf(CountersignError);
    expect((result.error as unknown as CountersignError).code).toBe("forbidden");
    expect(result.error?.message).toMatch(/localhost.*127\.0\.0\.1.*loopback.*allowPrivateTargets/);
  });

  it("refuses when any one of several resolved addresses is private (DNS rebinding)", async () => {
    const lookup = createGuardedLookup({
      resolve: async () => [
        { address: "8.8.8.8", family: 4 },
        { address: "::ffff:192.168.0.1", family: 6 },
      ],
    });
    const result = await callLookup(lookup, "rebind.example", true);
    expect(result.error?.message).toMatch(/rebind\.example.*192\.168\.0\.1.*private/);
  });

  it("answers a public address in the shape Node asks for", async () => {
    const lookup = createGuardedLookup();
    // dns.lookup answers an IP literal without any network traffic.
    expect(await callLookup(lookup, "8.8.8.8", false)).toEqual({
      error: null,
      address: "8.8.8.8",
      family: 4,
    });
    const all = await callLookup(lookup, "8.8.8.8", true);
    expect(all.error).toBeNull();
    expect(all.address).toEqual([{ address: "8.8.8.8", family: 4 }]);
  });

  it("lets private targets through when allowed", async () => {
    const result = await callLookup(createGuardedLookup({ allowPrivateTargets: true }), "localhost", false);
    expect(result).toEqual({ error: null, address: "127.0.0.1", family: 4 });
  });

  it("passes resolver failures on", async () => {
    const lookup = createGuardedLookup({
      resolve: async () => {
        throw Object.assign(new Error("getaddrinfo ENOTFOUND nowhere.invalid"), { code: "ENOTFOUND" });
      },
    });
    const result = await callLookup(lookup, "nowhere.invalid", false);
    expect(result.error?.code).toBe("ENOTFOUND");
  });
});

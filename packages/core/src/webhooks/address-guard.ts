import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import type { LookupFunction } from "node:net";
import { CountersignError } from "../errors/countersign-error.ts";

// SSRF protection for outbound webhooks. The check runs inside the socket's
// own DNS lookup, on the addresses it then connects to, so a name that
// resolves to a public address at validation time and to 127.0.0.1 at
// connect time (DNS rebinding) is still refused.

export type AddressKind =
  | "public"
  | "unspecified"
  | "loopback"
  | "private"
  | "link-local"
  | "unique-local"
  | "multicast"
  | "carrier-grade-nat"
  | "reserved"
  | "invalid";

type Range = readonly [prefix: string, bits: number, kind: AddressKind | "embedded-ipv4"];

const IPV4_RANGES: readonly Range[] = [
  ["0.0.0.0", 8, "unspecified"],
  ["10.0.0.0", 8, "private"],
  ["100.64.0.0", 10, "carrier-grade-nat"],
  ["127.0.0.0", 8, "loopback"],
  ["169.254.0.0", 16, "link-local"],
  ["172.16.0.0", 12, "private"],
  ["192.0.0.0", 24, "reserved"],
  ["192.0.2.0", 24, "reserved"],
  ["192.168.0.0", 16, "private"],
  ["198.18.0.0", 15, "reserved"],
  ["198.51.100.0", 24, "reserved"],
  ["203.0.113.0", 24, "reserved"],
  ["224.0.0.0", 4, "multicast"],
  ["240.0.0.0", 4, "reserved"],
];

// First match wins. "embedded-ipv4": the last 32 bits (or, for 6to4, bits 16..48) are an IPv4 address judged as such.
const IPV6_RANGES: readonly Range[] = [
  ["::", 128, "unspecified"],
  ["::1", 128, "loopback"],
  ["::ffff:0:0", 96, "embedded-ipv4"], // IPv4-mapped
  ["::ffff:0:0:0", 96, "embedded-ipv4"], // IPv4-translated
  ["64:ff9b::", 96, "embedded-ipv4"], // NAT64
  ["64:ff9b:1::", 48, "reserved"],
  ["::", 96, "reserved"], // IPv4-compatible, deprecated
  ["100::", 64, "reserved"],
  ["2001:db8::", 32, "reserved"],
  ["2002::", 16, "embedded-ipv4"], // 6to4
  ["fc00::", 7, "unique-local"],
  ["fe80::", 10, "link-local"],
  ["fec0::", 10, "private"], // site-local, deprecated
  ["ff00::", 8, "multicast"],
];

function parseIpv4(text: string): Uint8Array | null {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!match) return null;
  const bytes = match.slice(1).map(Number);
  if (bytes.some((byte) => byte > 255)) return null;
  return Uint8Array.from(bytes);
}

function parseIpv6(text: string): Uint8Array | null {
  let rest = text.replace(/^\[(.*)\]$/, "$1").split("%")[0] ?? "";
  const tail: number[] = [];
  if (rest.includes(".")) {
    // A trailing dotted IPv4 address ("::ffff:127.0.0.1") is the last two words.
    const lastColon = rest.lastIndexOf(":");
    const ipv4 = lastColon < 0 ? null : parseIpv4(rest.slice(lastColon + 1));
    if (!ipv4) return null;
    tail.push(((ipv4[0] ?? 0) << 8) | (ipv4[1] ?? 0), ((ipv4[2] ?? 0) << 8) | (ipv4[3] ?? 0));
    rest = rest.slice(0, lastColon);
    if (rest.endsWith(":")) rest += ":";
  }
  const halves = rest.split("::");
  if (halves.length > 2) return null;
  const words = (half: string | undefined): number[] | null => {
    if (!half) return [];
    const groups = half.split(":");
    if (groups.some((group) => !/^[0-9a-fA-F]{1,4}$/.test(group))) return null;
    return groups.map((group) => Number.parseInt(group, 16));
  };
  const head = words(halves[0]);
  const after = words(halves[1]);
  if (!head || !after) return null;
  const given = head.length + after.length + tail.length;
  if (halves.length === 1 ? given !== 8 : given > 7) return null;
  const all = [...head, ...new Array<number>(8 - given).fill(0), ...after, ...tail];
  const bytes = new Uint8Array(16);
  all.forEach((word, index) => {
    bytes[index * 2] = word >> 8;
    bytes[index * 2 + 1] = word & 0xff;
  });
  return bytes;
}

function inRange(bytes: Uint8Array, prefix: Uint8Array, bits: number): boolean {
  for (let bit = 0; bit < bits; bit++) {
    const mask = 0x80 >> (bit % 8);
    if (((bytes[bit >> 3] ?? 0) & mask) !== ((prefix[bit >> 3] ?? 0) & mask)) return false;
  }
  return true;
}

function classifyBytes(bytes: Uint8Array, ranges: readonly Range[]): AddressKind {
  for (const [prefix, bits, kind] of ranges) {
    const prefixBytes = (bytes.length === 4 ? parseIpv4(prefix) : parseIpv6(prefix)) as Uint8Array;
    if (!inRange(bytes, prefixBytes, bits)) continue;
    if (kind !== "embedded-ipv4") return kind;
    const embedded = prefix === "2002::" ? bytes.subarray(2, 6) : bytes.subarray(12, 16);
    return classifyBytes(embedded, IPV4_RANGES);
  }
  return "public";
}

/** What kind of address `address` is (IPv4, or IPv6 with or without brackets and zone); `invalid` when it is not an IP. */
export function classifyAddress(address: string): AddressKind {
  const ipv4 = parseIpv4(address);
  if (ipv4) return classifyBytes(ipv4, IPV4_RANGES);
  const ipv6 = address.includes(":") ? parseIpv6(address) : null;
  if (ipv6) return classifyBytes(ipv6, IPV6_RANGES);
  return "invalid";
}

/** True for every address a webhook must not reach by default; fails closed on anything that is not a public IP. */
export function isPrivateAddress(address: string): boolean {
  return classifyAddress(address) !== "public";
}

/** The error for a refused target; `null` when `address` is public. */
export function privateTargetError(hostname: string, address: string): CountersignError | null {
  const kind = classifyAddress(address);
  if (kind === "public") return null;
  const resolved = hostname === address ? "" : ` resolves to ${address}, which`;
  return new CountersignError(
    "forbidden",
    `Refusing to send a webhook to ${hostname}:${resolved} is a ${kind} address. Set allowPrivateTargets to allow private targets.`,
  );
}

export type ResolveHost = (
  hostname: string,
  options: { family?: number; hints?: number },
) => Promise<LookupAddress[]>;

export interface GuardedLookupOptions {
  allowPrivateTargets?: boolean;
  /** Resolves every address of a host; `dns.lookup` with `all: true` by default. */
  resolve?: ResolveHost;
}

const resolveWithDns: ResolveHost = (hostname, options) =>
  new Promise((resolve, reject) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) =>
      error ? reject(error) : resolve(addresses),
    );
  });

/**
 * A `lookup` for node:http / node:net that resolves the host and fails when any
 * of its addresses is private (unless `allowPrivateTargets`). Answers in both
 * shapes Node asks for: one address, or all of them (`options.all`, used by
 * happy eyeballs).
 */
export function createGuardedLookup(options: GuardedLookupOptions = {}): LookupFunction {
  const resolve = options.resolve ?? resolveWithDns;
  return (hostname, lookupOptions, callback) => {
    const family = typeof lookupOptions.family === "number" ? lookupOptions.family : undefined;
    resolve(hostname, {
      ...(family ? { family } : {}),
      ...(lookupOptions.hints ? { hints: lookupOptions.hints } : {}),
    }).then(
      (addresses) => {
        if (addresses.length === 0) {
          callback(
            Object.assign(new Error(`No address found for ${hostname}.`), { code: "ENOTFOUND" }),
            "",
            0,
          );
          return;
        }
        if (!options.allowPrivateTargets) {
          for (const entry of addresses) {
            const refused = privateTargetError(hostname, entry.address);
            if (refused) {
              callback(refused as NodeJS.ErrnoException, "", 0);
              return;
            }
          }
        }
        if (lookupOptions.all) callback(null, addresses);
        else callback(null, addresses[0]?.address ?? "", addresses[0]?.family ?? 4);
      },
      (error: NodeJS.ErrnoException) => callback(error, "", 0),
    );
  };
}

import { describe, expect, it } from "vitest";
import { parseGatewayConfig } from "../config/load-gateway-config.ts";
import { createMasker } from "./create-masker.ts";
import { maskPath, parseJsonPath } from "./json-path.ts";
import { passesLuhn } from "./patterns.ts";

const masker = createMasker(
  parseGatewayConfig(
    [
      "masking:",
      "  - name: everywhere",
      "    patterns: [card_number, api_key, email]",
      "    regex: [{ name: employee-id, pattern: 'EMP-\\d{5}' }]",
      "  - name: db-reads",
      "    tool: query*",
      "    paths: ['$..password', '$.rows[*].ssn']",
    ].join("\n"),
  ).masking,
);

describe("masking", () => {
  it("masks card numbers that pass the Luhn check, and leaves other long numbers alone", () => {
    expect(passesLuhn("4242 4242 4242 4242")).toBe(true);
    expect(passesLuhn("4242 4242 4242 4243")).toBe(false);
    const { value, entries } = masker.mask(
      { tool: "read", server: "fs" },
      { content: [{ type: "text", text: "Paid with 4242-4242-4242-4242, order 4242424242424243." }] },
    );
    expect(value.content[0]!.text).toBe("Paid with [masked:card_number], order 4242424242424243.");
    expect(entries).toEqual([{ rule: "everywhere", matcher: "card_number", count: 1 }]);
  });

  it("masks API keys, e-mail addresses and custom patterns in every text, but not binary data", () => {
    const input = {
      content: [
        {
          type: "text",
          text: "key sk-proj-abcdefghijklmnopqrstuvwx, ghp_abcdefghijklmnopqrstuvwxyz0123456789 for ops@acme.io",
        },
        { type: "image", data: "b3BzQGFjbWUuaW8=", mimeType: "image/png" },
        { type: "resource", resource: { uri: "file:///people@acme.io", text: "EMP-12345 joined" } },
      ],
    };
    const { value } = masker.mask({ tool: "read", server: "fs" }, input);
    expect(value.content[0]).toEqual({
      type: "text",
      text: "key [masked:api_key], [masked:api_key] for [masked:email]",
    });
    expect(value.content[1]).toEqual(input.content[1]);
    expect(value.content[2]).toEqual({
      type: "resource",
      resource: { uri: "file:///people@acme.io", text: "[masked:employee-id] joined" },
    });
    expect(input.content[0]!.text).toContain("sk-proj-");
  });

  it("masks JSON paths in structured content and in JSON text, only for the tools the rule names", () => {
    const result = {
      content: [
        {
          type: "text",
          text: JSON.stringify({ rows: [{ name: "a", ssn: "078-05-1120" }], db: { password: "pw" } }),
        },
      ],
      structuredContent: { rows: [{ name: "a", ssn: "078-05-1120" }], db: { password: "pw" } },
    };
    const masked = masker.mask({ tool: "query_db", server: "pg" }, result);
    expect(masked.value.structuredContent).toEqual({
      rows: [{ name: "a", ssn: "[masked]" }],
      db: { password: "[masked]" },
    });
    expect(JSON.parse(masked.value.content[0]!.text)).toEqual(masked.value.structuredContent);
    expect(masker.appliesTo({ tool: "query_db", server: "pg" })).toEqual({
      rules: ["everywhere", "db-reads"],
      paths: true,
    });
    const other = masker.mask({ tool: "read_file", server: "pg" }, result);
    expect(other.value.structuredContent).toEqual(result.structuredContent);
  });

  it("parses the JSON path subset and refuses the rest", () => {
    expect(parseJsonPath("$.a['b c'][0][*]..d")).toEqual({
      ok: true,
      segments: [
        { kind: "key", name: "a" },
        { kind: "key", name: "b c" },
        { kind: "index", index: 0 },
        { kind: "wildcard" },
        { kind: "descend", name: "d" },
      ],
    });
    expect(parseJsonPath("$").ok).toBe(false);
    expect(parseJsonPath("$.a[?(@.b)]").ok).toBe(false);
    expect(
      maskPath(
        { a: [{ b: 1 }, { b: 2 }] },
        [{ kind: "key", name: "a" }, { kind: "wildcard" }, { kind: "key", name: "b" }],
        "x",
      ),
    ).toEqual({
      value: { a: [{ b: "x" }, { b: "x" }] },
      count: 2,
    });
  });
});

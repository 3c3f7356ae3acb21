import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { z } from "zod";

const folder = new URL("../manifest/", import.meta.url);
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const https = z.url({ protocol: /^https$/ });

/**
 * The rules of the Teams app manifest schema (v1.19) that this manifest uses:
 * the official JSON schema is served from the internet, which tests cannot reach.
 */
const ManifestSchema = z.strictObject({
  $schema: z.literal(
    "https://developer.microsoft.com/en-us/json-schemas/teams/v1.19/MicrosoftTeams.schema.json",
  ),
  manifestVersion: z.literal("1.19"),
  version: z.string().regex(/^\d+\.\d+\.\d+$/),
  id: z.string().regex(GUID),
  developer: z.strictObject({
    name: z.string().max(32),
    websiteUrl: https,
    privacyUrl: https,
    termsOfUseUrl: https,
  }),
  name: z.strictObject({ short: z.string().max(30), full: z.string().max(100) }),
  description: z.strictObject({ short: z.string().max(80), full: z.string().max(4000) }),
  icons: z.strictObject({ color: z.literal("color.png"), outline: z.literal("outline.png") }),
  accentColor: z.string().regex(/^#[0-9a-fA-F]{6}$/),
  bots: z
    .array(
      z.strictObject({
        botId: z.string().regex(GUID),
        scopes: z.array(z.enum(["team", "groupChat", "personal"])).min(1),
        supportsFiles: z.boolean(),
        isNotificationOnly: z.boolean(),
      }),
    )
    .length(1),
  permissions: z.array(z.enum(["identity", "messageTeamMembers"])),
  validDomains: z.array(z.string()),
});

/** Width, height and colour type from a PNG's IHDR chunk. */
function pngHeader(file: string) {
  const bytes = readFileSync(new URL(file, folder));
  expect(bytes.subarray(0, 8)).toEqual(Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]));
  expect(bytes.subarray(12, 16).toString("latin1")).toBe("IHDR");
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20), colorType: bytes[25] };
}

describe("the Teams app manifest", () => {
  it("follows the manifest schema's rules, with the bot in channels, group chats and personal chats", () => {
    const manifest = ManifestSchema.parse(JSON.parse(readFileSync(new URL("manifest.json", folder), "utf8")));
    // One placeholder, the Microsoft App ID, in both places the docs say to replace it.
    expect(manifest.bots[0]?.botId).toBe(manifest.id);
    expect(manifest.bots[0]?.scopes).toEqual(["team", "groupChat", "personal"]);
  });

  it("ships the icons Teams requires: 192×192 colour, 32×32 transparent outline", () => {
    expect(pngHeader("color.png")).toMatchObject({ width: 192, height: 192 });
    // Colour type 6 is RGBA: the outline needs transparency.
    expect(pngHeader("outline.png")).toEqual({ width: 32, height: 32, colorType: 6 });
  });
});

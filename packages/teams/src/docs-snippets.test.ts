import { fileURLToPath } from "node:url";
import { typecheckSnippets } from "@countersign/core/testing";
import { expect, it } from "vitest";

const packageDir = fileURLToPath(new URL("..", import.meta.url));

// Docs that run: every TypeScript block of docs/teams.md type-checks as a reader would paste it.
it("every TypeScript snippet in docs/teams.md type-checks", async () => {
  const check = await typecheckSnippets(`${packageDir}../../docs/teams.md`, packageDir);
  expect(check.snippets).toBeGreaterThan(0);
  expect(check.errors).toBe("");
}, 300_000);

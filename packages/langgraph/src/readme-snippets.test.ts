import { fileURLToPath } from "node:url";
import { typecheckSnippets } from "@countersign/core/testing";
import { expect, it } from "vitest";

const packageDir = fileURLToPath(new URL("..", import.meta.url));

// Docs that run: every TypeScript block of the README, and of docs/enforcement.md (its
// examples forward an approval from a LangGraph tool), type-checks as a reader would paste it.
it.each(["README.md", "../../docs/enforcement.md"])(
  "every TypeScript snippet in %s type-checks",
  async (file) => {
    const check = await typecheckSnippets(`${packageDir}${file}`, packageDir);
    expect(check.snippets).toBeGreaterThan(0);
    expect(check.errors).toBe("");
  },
  300_000,
);

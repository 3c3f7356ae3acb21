import { fileURLToPath } from "node:url";
import { typecheckSnippets } from "@countersign/core/testing";
import { expect, it } from "vitest";

const packageDir = fileURLToPath(new URL("..", import.meta.url));

// Docs that run: every TypeScript block of the README and docs/ai-sdk.md type-checks
// as a reader would paste it. Both are written for ai 7 (toolApproval, responseMessages).
const ai7 = { paths: { ai: [`${packageDir}node_modules/ai-v7/dist/index.d.ts`] } };

it.each(["README.md", "../../docs/ai-sdk.md"])(
  "every TypeScript snippet in %s type-checks",
  async (file) => {
    const check = await typecheckSnippets(`${packageDir}${file}`, packageDir, ai7);
    expect(check.snippets).toBeGreaterThan(0);
    expect(check.errors).toBe("");
  },
  300_000,
);

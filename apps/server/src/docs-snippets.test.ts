import { readdir, readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { typecheckSnippets, typescriptBlocks } from "@countersign/core/testing";
import { expect, it } from "vitest";

const packageDir = fileURLToPath(new URL("..", import.meta.url));
const repoDir = fileURLToPath(new URL("../../..", import.meta.url));

// Docs that run: the docs/ pages about the server type-check as a reader would paste them
// into an app that depends on `countersign` (and so on @countersign/core and yaml).
it.each(["docs/email.md", "docs/inbox.md", "docs/policy.md", "docs/webhooks.md"])(
  "every TypeScript snippet in %s type-checks",
  async (page) => {
    const check = await typecheckSnippets(`${repoDir}${page}`, packageDir);
    expect(check.snippets).toBeGreaterThan(0);
    expect(check.errors).toBe("");
  },
  300_000,
);

// Each page is checked in the package whose imports it uses (docs/slack.md in packages/slack, …).
// A new page with TypeScript in it fails here until a snippets test names it.
it("every docs/ page with TypeScript blocks is type-checked by some package's snippets test", async () => {
  const pages: string[] = [];
  for (const name of await readdir(`${repoDir}docs`)) {
    if (!name.endsWith(".md")) continue;
    if (typescriptBlocks(await readFile(`${repoDir}docs/${name}`, "utf8")).length > 0)
      pages.push(`docs/${name}`);
  }
  const snippetTests: string[] = [];
  for (const folder of ["packages", "apps"]) {
    for (const pkg of await readdir(`${repoDir}${folder}`)) {
      const src = `${repoDir}${folder}/${pkg}/src`;
      const files = await readdir(src).catch(() => [] as string[]);
      for (const file of files.filter((name) => name.endsWith("snippets.test.ts")))
        snippetTests.push(await readFile(`${src}/${file}`, "utf8"));
    }
  }
  const unchecked = pages.filter((page) => !snippetTests.some((test) => test.includes(page)));
  expect(pages.length).toBeGreaterThan(0);
  expect(unchecked).toEqual([]);
});

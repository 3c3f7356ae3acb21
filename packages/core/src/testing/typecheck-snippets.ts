import { execFile } from "node:child_process";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { basename, join, relative } from "node:path";
import { promisify } from "node:util";
import { typescriptBlocks } from "./markdown-snippets.ts";

const run = promisify(execFile);

export interface SnippetCheck {
  /** How many ```ts / ```typescript blocks were found. */
  snippets: number;
  /** tsc's report; empty when every snippet type-checks. */
  errors: string;
}

/**
 * Type-checks every ```ts (or ```typescript) block of a markdown file as its own module, as
 * a reader would paste it into `packageDir` (so imports resolve as the
 * package's own dependencies do). `paths` remaps imports, e.g. `ai` to the
 * package's `ai-v7` alias for a snippet written for ai 7. ```tsx blocks
 * (browser components) are left out: they need a UI framework the package
 * does not depend on.
 */
export async function typecheckSnippets(
  markdownPath: string,
  packageDir: string,
  options: { paths?: Record<string, string[]> } = {},
): Promise<SnippetCheck> {
  const markdown = await readFile(markdownPath, "utf8");
  const blocks = typescriptBlocks(markdown);
  const dir = join(packageDir, ".snippets", basename(markdownPath, ".md"));
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  try {
    for (const [index, block] of blocks.entries()) {
      await writeFile(join(dir, `snippet-${index + 1}.ts`), `${block}\nexport {};\n`);
    }
    const base = relative(dir, join(packageDir, "..", "..", "tsconfig.base.json"));
    const tsconfig = {
      extends: base,
      compilerOptions: { noEmit: true, declaration: false, sourceMap: false, paths: options.paths },
      include: ["*.ts"],
    };
    await writeFile(join(dir, "tsconfig.json"), JSON.stringify(tsconfig));
    const tsc = createRequire(join(packageDir, "package.json")).resolve("typescript/bin/tsc");
    try {
      await run(process.execPath, [tsc, "-p", dir], { cwd: dir });
      return { snippets: blocks.length, errors: "" };
    } catch (error) {
      const { stdout = "", stderr = "" } = error as { stdout?: string; stderr?: string };
      return { snippets: blocks.length, errors: `${stdout}${stderr}`.trim() || String(error) };
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

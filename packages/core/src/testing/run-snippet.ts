import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";

export interface SnippetRunOptions {
  /** The package a reader pastes the snippet into: its imports resolve as that package's do. */
  packageDir: string;
  /**
   * Import specifiers to rewrite before running, e.g. `ai` → `ai-v7` for a snippet written
   * for ai 7, or the package's own name → its `src/index.ts`.
   */
  imports?: Record<string, string>;
  /**
   * What the reader supplies: the values of the snippet's `declare const` names (a model,
   * a payments service). `declare` compiles to nothing, so they are read as globals while
   * the snippet runs.
   */
  provide?: Record<string, unknown>;
  /** The working directory while it runs (where it reads `countersign-keys.json` from). */
  cwd?: string;
}

let runs = 0;

/**
 * Runs a markdown snippet as written, as a module, and returns its exports: "docs that
 * run". The test plays everything outside the snippet (the server, the humans, the model);
 * the snippet's own lines run unchanged apart from the `imports` rewrites.
 */
export async function runSnippet(code: string, options: SnippetRunOptions): Promise<Record<string, unknown>> {
  let source = code;
  for (const [from, to] of Object.entries(options.imports ?? {})) {
    const quoted = new RegExp(`(\\bfrom\\s*|\\bimport\\s*\\(\\s*)(["'])${escapeRegExp(from)}\\2`, "g");
    source = source.replace(
      quoted,
      (_match, prefix: string, quote: string) => `${prefix}${quote}${to}${quote}`,
    );
  }
  const dir = join(options.packageDir, ".snippets", "run");
  await mkdir(dir, { recursive: true });
  const file = join(dir, `snippet-${process.pid}-${++runs}.ts`);
  await writeFile(file, `${source}\nexport {};\n`);

  const globals = globalThis as Record<string, unknown>;
  const previous = Object.entries(options.provide ?? {}).map(([name]) => [name, globals[name]] as const);
  Object.assign(globals, options.provide);
  const previousCwd = process.cwd();
  if (options.cwd) process.chdir(options.cwd);
  try {
    return (await import(/* @vite-ignore */ file)) as Record<string, unknown>;
  } finally {
    process.chdir(previousCwd);
    for (const [name, value] of previous) {
      if (value === undefined) delete globals[name];
      else globals[name] = value;
    }
    await rm(file, { force: true });
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The TypeScript blocks (```ts or ```typescript) of a markdown text, in order. */
export function typescriptBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```(?:ts|typescript)\n([\s\S]*?)^```/gm)].map((match) => match[1] ?? "");
}

/**
 * The first TypeScript block under the heading `heading` (the heading's text, e.g.
 * "A complete turn"), so a test names the snippet the way a reader finds it.
 */
export function typescriptBlockUnder(markdown: string, heading: string): string {
  const lines = markdown.split("\n");
  const start = lines.findIndex(
    (line) => /^#{1,6} /.test(line) && line.replace(/^#+ /, "").trim() === heading,
  );
  if (start === -1) throw new Error(`no heading "${heading}"`);
  const nextHeading = lines.findIndex((line, index) => index > start && /^#{1,6} /.test(line));
  const section = lines.slice(start + 1, nextHeading === -1 ? undefined : nextHeading).join("\n");
  const block = typescriptBlocks(`${section}\n`)[0];
  if (block === undefined) throw new Error(`no TypeScript block under "${heading}"`);
  return block;
}

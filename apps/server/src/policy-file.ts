import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import { type CompiledPolicy, compilePolicy } from "@countersign/core/server";
import { isNode, LineCounter, parseDocument } from "yaml";

/** One problem in a policy file, located where a person would look. */
export interface PolicyFileIssue {
  line: number | null;
  column: number | null;
  /** The field, e.g. `rules.2.when.0`; empty for the whole file. */
  path: string;
  message: string;
}

export type PolicyFileResult =
  | { ok: true; policy: CompiledPolicy }
  | { ok: false; issues: PolicyFileIssue[] };

/**
 * Parses a policy from YAML or JSON text (JSON is read by the same YAML 1.2
 * parser, so both get line numbers) and validates it. Every issue names the
 * field and the line where it is written, or the nearest enclosing one.
 */
export function parsePolicyText(text: string): PolicyFileResult {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (document.errors.length > 0) {
    return {
      ok: false,
      issues: document.errors.map((error) => {
        const position = lineCounter.linePos(error.pos[0]);
        return {
          line: position.line,
          column: position.col,
          path: "",
          message: error.message.split("\n")[0]!,
        };
      }),
    };
  }
  const compiled = compilePolicy(document.toJS() ?? {});
  if (compiled.ok) return compiled;
  return {
    ok: false,
    issues: compiled.issues.map((issue) => {
      const position = locate(document, lineCounter, issue.path);
      return { ...position, path: issue.path.join("."), message: issue.message };
    }),
  };
}

/** The line of the deepest node along `path` that the file has (a missing field points at its parent); config files use it too. */
export function locate(
  document: ReturnType<typeof parseDocument>,
  lineCounter: LineCounter,
  path: (string | number)[],
): { line: number | null; column: number | null } {
  for (let length = path.length; length >= 0; length--) {
    const node = length === 0 ? document.contents : document.getIn(path.slice(0, length), true);
    if (isNode(node) && node.range) {
      const { line, col } = lineCounter.linePos(node.range[0]);
      return { line, column: col };
    }
  }
  return { line: null, column: null };
}

export async function loadPolicyFile(file: string): Promise<PolicyFileResult> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, issues: [{ line: null, column: null, path: "", message: `cannot read: ${reason}` }] };
  }
  return parsePolicyText(text);
}

/** `policy.yaml:12:7 rules.2.when.0: message`, one line per issue, as compilers print them. */
export function formatPolicyFileIssues(file: string, issues: readonly PolicyFileIssue[]): string {
  return issues
    .map((issue) => {
      const where = issue.line === null ? basename(file) : `${basename(file)}:${issue.line}:${issue.column}`;
      return `${where} ${issue.path ? `${issue.path}: ` : ""}${issue.message}`;
    })
    .join("\n");
}

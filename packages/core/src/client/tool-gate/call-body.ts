import type { ActionData } from "../../protocol/action.ts";

/**
 * The markdown an approver reads under the title: the tool and every argument.
 * Strings are shown as code spans too, so text the model wrote cannot pose as
 * formatting (a fake "Approved by finance" heading, a link).
 */
export function defaultBody(toolName: string, args: ActionData): string {
  const lines = Object.entries(args).map(
    ([key, value]) => `- **${escapeMarkdown(key)}**: ${codeSpan(value)}`,
  );
  const intro = `The agent wants to run ${codeSpan(toolName)}`;
  return lines.length === 0 ? `${intro} with no arguments.` : [`${intro} with:`, "", ...lines].join("\n");
}

function codeSpan(value: unknown): string {
  const text = (typeof value === "string" ? value : JSON.stringify(value)).replace(/[\r\n]+/g, " ");
  // A code span is closed by a run of backticks of its own length: use a longer one.
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  const pad = text.startsWith("`") || text.endsWith("`") ? " " : "";
  return `${fence}${pad}${text}${pad}${fence}`;
}

function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]{}()#+\-.!|<>]/g, (character) => `\\${character}`);
}

import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { META_KEY } from "../gateway/tool-results.ts";

/** The text blocks of a tool result, joined: what the model reads. */
export function text(result: unknown): string {
  return (result as CallToolResult).content
    .map((block) => (block.type === "text" ? block.text : ""))
    .join("\n");
}

/** The gateway's facts about a result (`_meta["countersign/approval"]`). */
export function meta(result: unknown): Record<string, unknown> | undefined {
  return (result as CallToolResult)._meta?.[META_KEY] as Record<string, unknown> | undefined;
}

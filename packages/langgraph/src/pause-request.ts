import type { ActionData } from "@countersign/core";

/** Where in a graph a gated call happens: what makes a re-run open no second pause. */
export interface CallSite {
  threadId: string;
  toolCallId: string;
  toolName: string;
}

/** The arguments as JSON: what the approver reads and what the proof's digest covers. */
export function toActionData(args: unknown): ActionData {
  const json: unknown = JSON.parse(JSON.stringify(args ?? {}));
  if (json !== null && typeof json === "object" && !Array.isArray(json)) return json as ActionData;
  return { input: json as ActionData[string] };
}

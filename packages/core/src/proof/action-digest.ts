import type { Action, ActionData } from "../protocol/action.ts";
import { canonicalJson } from "./canonical-json.ts";
import { sha256Hex } from "./encoding.ts";

/** `sha256:<hex>` of the RFC 8785 canonical JSON of an action: what a proof is bound to. */
export async function actionDigest(action: Action): Promise<string> {
  return `sha256:${await sha256Hex(canonicalJson(action))}`;
}

/** The action as approved: the requested one, with its data replaced by the approver's edits. */
export function approvedAction(action: Action, editedData: ActionData | null | undefined): Action {
  return editedData == null ? action : { ...action, data: editedData };
}

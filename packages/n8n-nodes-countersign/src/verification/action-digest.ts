import { createHash } from "node:crypto";
import { canonicalJson } from "./canonical-json.ts";
import type { Action, ActionData } from "./wire-types.ts";

/** `sha256:<hex>` of the canonical JSON of an action: what a proof is bound to. */
export function actionDigest(action: Action): string {
  return `sha256:${createHash("sha256").update(canonicalJson(action), "utf8").digest("hex")}`;
}

/** The action as approved: the requested one, with its data replaced by the approver's edits. */
export function approvedAction(action: Action, editedData: ActionData | null | undefined): Action {
  return editedData == null ? action : { ...action, data: editedData };
}

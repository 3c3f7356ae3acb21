import type { AnyCryptoBackend } from "../crypto/crypto-backend.ts";
import { CountersignError } from "../errors/countersign-error.ts";
import { canonicalJson } from "../json/canonical-json.ts";
import type { Action, ActionData } from "../protocol/action.ts";

/** The action as approved: the requested one, with its data replaced by the approver's edits. */
export function approvedAction<Type extends Action>(
  action: Type,
  editedData: ActionData | null | undefined,
): Type {
  return editedData == null ? action : { ...action, data: editedData };
}

/** `sha256:<hex>` of the RFC 8785 canonical JSON of an action: what a proof is bound to. */
export function createActionDigest(backend: AnyCryptoBackend): (action: Action) => Promise<string> {
  return async function actionDigest(action) {
    let canonical: string;
    try {
      canonical = canonicalJson(action);
    } catch (error) {
      throw new CountersignError(
        "invalid_request",
        `The action cannot be canonicalised: ${(error as Error).message}`,
        {
          errors: [{ path: "action", message: (error as Error).message }],
        },
      );
    }
    return `sha256:${await backend.sha256Hex(canonical)}`;
  };
}

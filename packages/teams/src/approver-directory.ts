/** The Teams account behind a click, as the Bot Connector delivered it. */
export interface TeamsUser {
  /** Teams' id of the user for this app (`29:…`). */
  id: string;
  /** Microsoft Entra object id (`from.aadObjectId`), lower case; null when Teams sent none. */
  aadObjectId: string | null;
  /** User principal name from the conversation's roster; only looked up with `matchEmail`. */
  userPrincipalName?: string | null;
  /** E-mail address from the conversation's roster; only looked up with `matchEmail`. */
  email?: string | null;
}

/**
 * Who may decide from Teams: an Entra object id maps to a Countersign
 * identity (the id a proof names in `decided_by.id`). Anyone not mapped
 * decides nothing. A function may also use the UPN or e-mail (see `matchEmail`).
 */
export type TeamsApproverDirectory =
  | Readonly<Record<string, string>>
  | ((user: TeamsUser) => string | null | undefined | Promise<string | null | undefined>);

export async function resolveTeamsApprover(
  directory: TeamsApproverDirectory,
  user: TeamsUser,
): Promise<string | null> {
  if (typeof directory === "function") {
    const identity = await directory(user);
    return identity?.trim() ? identity : null;
  }
  if (!user.aadObjectId) return null;
  // Own properties only, compared in lower case: Entra object ids are GUIDs.
  for (const [objectId, identity] of Object.entries(directory)) {
    if (objectId.toLowerCase() === user.aadObjectId && typeof identity === "string" && identity.trim()) {
      return identity;
    }
  }
  return null;
}

/**
 * Who may decide from Slack: a Slack user id maps to a Countersign identity
 * (the id a proof names in `decided_by.id`). Anyone not mapped decides nothing.
 */
export type ApproverDirectory =
  | Readonly<Record<string, string>>
  | ((slackUserId: string) => string | null | undefined | Promise<string | null | undefined>);

export async function resolveApprover(
  directory: ApproverDirectory,
  slackUserId: string,
): Promise<string | null> {
  if (typeof directory === "function") {
    const identity = await directory(slackUserId);
    return identity?.trim() ? identity : null;
  }
  // Own properties only: "constructor" or "__proto__" must not map to anything.
  if (!Object.hasOwn(directory, slackUserId)) return null;
  const identity = directory[slackUserId];
  return typeof identity === "string" && identity.trim() ? identity : null;
}

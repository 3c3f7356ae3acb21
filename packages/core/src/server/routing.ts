/** Whether `identity` (with its groups) is among `approvers` (names and `group:<name>`). */
export function isRoutedApprover(
  approvers: readonly string[],
  identity: string,
  groups: readonly string[],
): boolean {
  return approvers.some((reference) =>
    reference.startsWith("group:")
      ? groups.includes(reference.slice("group:".length))
      : sameIdentity(reference, identity),
  );
}

/** Identities are e-mail addresses in practice: `Alice@Acme.com` and `alice@acme.com` are one person. */
export function sameIdentity(left: string, right: string): boolean {
  return left.trim().toLowerCase() === right.trim().toLowerCase();
}

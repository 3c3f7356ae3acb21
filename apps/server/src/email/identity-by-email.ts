import type { Store } from "@countersign/core/server";

/**
 * Maps an e-mail address to the governance identity that has it (by e-mail,
 * or an identity id equal to the address), case-insensitively; `null` (the
 * address is the identity) when none does. Read on every send, so identities
 * edited while the server runs count at once.
 */
export function identityByEmail(store: Store): (email: string) => Promise<string | null> {
  return async (email) => {
    const wanted = email.trim().toLowerCase();
    const identities = await store.listIdentities();
    const match =
      identities.find((record) => record.email?.toLowerCase() === wanted) ??
      identities.find((record) => record.identity.toLowerCase() === wanted);
    return match?.identity ?? null;
  };
}

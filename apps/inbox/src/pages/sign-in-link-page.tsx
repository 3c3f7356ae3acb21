import { useState } from "preact/hooks";
import { postJson } from "../api/http.ts";
import type { InboxSession } from "../api/types.ts";
import { PageHeading } from "../components/page-heading.tsx";
import { Link } from "../router.tsx";

/**
 * Where a sign-in link lands. Opening it signs nobody in (mail scanners open
 * links too): the approver presses Continue, which spends the link.
 */
export function SignInLinkPage({ onSignedIn }: { onSignedIn: (session: InboxSession) => void }) {
  const [token] = useState(() => new URLSearchParams(location.hash.slice(1)).get("token") ?? "");
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);
  const identity = identityIn(token);

  async function proceed() {
    setBusy(true);
    setError("");
    try {
      const session = await postJson<InboxSession>("/inbox/api/session/link", { token });
      onSignedIn(session);
    } catch (caught) {
      setError((caught as Error).message);
    } finally {
      setBusy(false);
    }
  }

  if (!token) {
    return (
      <>
        <PageHeading title="Sign in">This sign-in link is incomplete</PageHeading>
        <p>
          Copy the whole link from the e-mail, or <Link href="/inbox/sign-in">ask for a new one</Link>.
        </p>
      </>
    );
  }
  return (
    <div class="sign-in">
      <PageHeading title="Sign in">Sign in to Countersign</PageHeading>
      <p>{identity ? `Continue as ${identity}?` : "Continue to sign in?"}</p>
      <button type="button" class="button" disabled={busy} onClick={() => void proceed()}>
        Continue
      </button>
      {error && (
        <p role="alert" class="error">
          {error} <Link href="/inbox/sign-in">Sign in another way</Link>
        </p>
      )}
    </div>
  );
}

/** The identity the link names, for display only (the server checks the signature). */
function identityIn(token: string): string | null {
  try {
    const body = token.split(".")[0]!.replaceAll("-", "+").replaceAll("_", "/");
    const json = new TextDecoder().decode(
      Uint8Array.from(atob(body), (character) => character.charCodeAt(0)),
    );
    const identity = (JSON.parse(json) as { identity?: unknown }).identity;
    return typeof identity === "string" ? identity : null;
  } catch {
    return null;
  }
}

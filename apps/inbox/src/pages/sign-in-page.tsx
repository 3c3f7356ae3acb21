import { useEffect, useState } from "preact/hooks";
import { ApiError, getJson, postJson } from "../api/http.ts";
import type { InboxSession } from "../api/types.ts";
import { PageHeading } from "../components/page-heading.tsx";

/**
 * Sign in with a one-time link by e-mail (offered only when the server can
 * send e-mail), or by pasting an approver API key.
 */
export function SignInPage({ onSignedIn }: { onSignedIn: (session: InboxSession) => void }) {
  const [emailLink, setEmailLink] = useState(false);
  const [email, setEmail] = useState("");
  const [apiKey, setApiKey] = useState("");
  const [linkMessage, setLinkMessage] = useState("");
  const [keyError, setKeyError] = useState("");
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    getJson<{ email_link: boolean }>("/inbox/api/sign-in-options").then(
      (options) => setEmailLink(options.email_link),
      () => setEmailLink(false),
    );
  }, []);

  async function requestLink(event: Event) {
    event.preventDefault();
    setBusy(true);
    try {
      const result = await postJson<{ message: string }>("/inbox/api/session/link-request", { email });
      setLinkMessage(result.message);
    } catch (caught) {
      setLinkMessage((caught as Error).message);
    } finally {
      setBusy(false);
    }
  }

  async function signInWithKey(event: Event) {
    event.preventDefault();
    setBusy(true);
    setKeyError("");
    try {
      onSignedIn(await postJson<InboxSession>("/inbox/api/session", { api_key: apiKey }));
    } catch (caught) {
      setKeyError(
        caught instanceof ApiError && caught.status === 401
          ? "That key is unknown or revoked."
          : (caught as Error).message,
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="sign-in">
      <PageHeading title="Sign in">Sign in to approve</PageHeading>
      {emailLink && (
        <form class="panel" onSubmit={requestLink}>
          <h2>E-mail me a sign-in link</h2>
          <label for="sign-in-email">Work e-mail</label>
          <input
            id="sign-in-email"
            type="email"
            autocomplete="email"
            required
            value={email}
            onInput={(event) => setEmail(event.currentTarget.value)}
          />
          <button type="submit" class="button" disabled={busy}>
            Send link
          </button>
          {linkMessage && <p role="status">{linkMessage}</p>}
        </form>
      )}
      <form class="panel" onSubmit={signInWithKey}>
        <h2>{emailLink ? "Or use an approver API key" : "Sign in with an approver API key"}</h2>
        <label for="sign-in-key">API key</label>
        <input
          id="sign-in-key"
          type="password"
          autocomplete="off"
          spellcheck={false}
          required
          value={apiKey}
          aria-invalid={keyError !== ""}
          aria-describedby={keyError ? "sign-in-key-error" : undefined}
          onInput={(event) => setApiKey(event.currentTarget.value)}
        />
        {keyError && (
          <p id="sign-in-key-error" class="field-error" role="alert">
            {keyError}
          </p>
        )}
        <button type="submit" class="button" disabled={busy}>
          Sign in
        </button>
      </form>
    </div>
  );
}

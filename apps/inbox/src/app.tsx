import type { JSX } from "preact";
import { useEffect, useState } from "preact/hooks";
import { turnOffDevicePush } from "./api/device-push.ts";
import { ApiError, getJson, postJson, setCsrfToken, whenUnauthorized } from "./api/http.ts";
import { connectLiveUpdates } from "./api/live-updates.ts";
import type { InboxSession } from "./api/types.ts";
import { Announcer } from "./components/announcer.tsx";
import { DeviceNotifications } from "./components/device-notifications.tsx";
import { PageHeading } from "./components/page-heading.tsx";
import { AuditPage } from "./pages/audit-page.tsx";
import { DelegationPage } from "./pages/delegation-page.tsx";
import { GrantsPage } from "./pages/grants-page.tsx";
import { InsightsPage } from "./pages/insights-page.tsx";
import { PauseCardPage } from "./pages/pause-card-page.tsx";
import { PauseListPage } from "./pages/pause-list-page.tsx";
import { SignInLinkPage } from "./pages/sign-in-link-page.tsx";
import { SignInPage } from "./pages/sign-in-page.tsx";
import { Link, navigate, useLocation } from "./router.tsx";

const PAUSE_PATH = /^\/inbox\/pauses\/([^/]+)$/;

export function App() {
  const { path } = useLocation();
  // undefined: still asking the server; null: signed out.
  const [session, setSession] = useState<InboxSession | null | undefined>(undefined);
  const [failure, setFailure] = useState("");

  useEffect(() => {
    whenUnauthorized(() => setSession(null));
    getJson<InboxSession>("/inbox/api/session").then(setSession, (caught: unknown) => {
      if (caught instanceof ApiError && caught.status === 401) setSession(null);
      else setFailure((caught as Error).message);
    });
  }, []);

  useEffect(() => {
    if (session) setCsrfToken(session.csrf_token);
  }, [session]);

  const identity = session?.identity;
  useEffect(() => {
    if (!identity) return;
    return connectLiveUpdates(() => setSession(null));
  }, [identity]);

  const signedIn = (next: InboxSession) => {
    setCsrfToken(next.csrf_token);
    setSession(next);
    if (path.startsWith("/inbox/sign-in")) navigate(next.next ?? "/", { replace: true });
  };

  const signOut = async () => {
    // A shared device stops notifying whoever signs out (best effort: sign-out goes on regardless).
    await turnOffDevicePush().catch(() => {});
    await postJson("/inbox/api/session/sign-out", {}).catch(() => {});
    setSession(null);
    navigate("/", { replace: true });
  };

  let page: JSX.Element;
  if (path === "/inbox/sign-in/link") page = <SignInLinkPage onSignedIn={signedIn} />;
  else if (failure) page = <p role="alert">The inbox cannot reach its server: {failure}</p>;
  else if (session === undefined) page = <p class="muted">Loading…</p>;
  else if (session === null) page = <SignInPage onSignedIn={signedIn} />;
  else page = route(path, session);

  return (
    <>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="top-bar">
        <Link href="/" class="brand">
          Countersign
        </Link>
        {session && (
          <nav aria-label="Main" class="top-nav">
            <Link href="/">Inbox</Link>
            <Link href="/inbox/insights">Insights</Link>
            <Link href="/inbox/grants">Grants</Link>
            <Link href="/inbox/delegations">Away?</Link>
            {session.role === "admin" && <Link href="/inbox/audit">Audit</Link>}
            <span class="who" title={`Signed in as ${session.identity}`}>
              {session.identity}
            </span>
            <button type="button" class="link-button" onClick={() => void signOut()}>
              Sign out
            </button>
          </nav>
        )}
      </header>
      <main id="main">{page}</main>
      {session && <DeviceNotifications identity={session.identity} />}
      <Announcer />
    </>
  );
}

function route(path: string, session: InboxSession) {
  const pause = PAUSE_PATH.exec(path);
  if (pause) return <PauseCardPage pauseId={decodeURIComponent(pause[1]!)} />;
  if (path === "/inbox/grants") return <GrantsPage />;
  if (path === "/inbox/delegations") return <DelegationPage identity={session.identity} />;
  if (path === "/inbox/audit") {
    return session.role === "admin" ? <AuditPage /> : <p role="alert">Only admins can read the audit log.</p>;
  }
  if (path === "/inbox/insights") return <InsightsPage />;
  if (path === "/" || path === "/inbox" || path === "/inbox/" || path.startsWith("/inbox/sign-in"))
    return <PauseListPage />;
  return (
    <>
      <PageHeading title="Not found">Nothing here</PageHeading>
      <Link href="/">Go to the inbox</Link>
    </>
  );
}

import { escapeHtml } from "./escape-html.ts";
import { htmlPage } from "./page-layout.ts";

/**
 * Reads the link token from the URL's fragment (which browsers never send to
 * a server, a proxy or a `Referer`), wipes it from the address bar and the
 * history, and posts it to the page that shows the request. A constant: the
 * page's policy allows exactly this script, by hash.
 */
const OPEN_FROM_FRAGMENT = `(function(){var show=function(id){document.getElementById(id).hidden=false};document.getElementById("needs-script").hidden=true;var token=new URLSearchParams(location.hash.slice(1)).get("token");if(!token){show("missing");return}show("opening");history.replaceState(null,"",location.pathname);var form=document.getElementById("open");form.elements.token.value=token;form.submit()})();`;

/**
 * Where an e-mail's link lands (`GET`). It shows nothing of the request and
 * decides nothing: its script posts the token from the fragment to
 * `openPath`, which shows the confirmation page. Mail scanners that fetch
 * the link get this page; those that run its script get the confirmation
 * page, which decides nothing either.
 */
export function landingPage(openPath: string, inboxUrl: string): Response {
  const inbox = `<a href="${escapeHtml(inboxUrl)}">Countersign inbox</a>`;
  // What shows without script; the script hides it at once.
  const main = `<div class="card" role="status">
<div id="needs-script">
<h1>This page needs JavaScript</h1>
<p>It reads its link with a little script, so the link never reaches a server log. Nothing was decided. Turn JavaScript on for this site, or decide in the ${inbox}.</p>
</div>
<h1 id="opening" hidden>Opening the request…</h1>
<div id="missing" hidden>
<h1>This link is incomplete</h1>
<p>Nothing was decided. Open the link straight from the e-mail (the whole of it), or decide in the ${inbox}.</p>
</div>
<form id="open" method="post" action="${escapeHtml(openPath)}"><input type="hidden" name="token" value=""></form>
</div>`;
  return htmlPage(200, "Opening the request", main, OPEN_FROM_FRAGMENT);
}

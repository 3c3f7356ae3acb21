import { parseJson } from "@countersign/verify";
import type { EnforceOptions } from "./enforce-options.ts";
import type { EnforcedRequest } from "./enforced-request.ts";
import { createEnforcer, type Enforcer } from "./enforcer.ts";
import { PROBLEM_CONTENT_TYPE, problem } from "./problem.ts";
import type { RefusedVerdict, Verdict } from "./verdict.ts";

// One enforcer per options object, so fetched keys are reused across calls.
const enforcers = new WeakMap<object, Enforcer<Request>>();

/**
 * The framework-free check, for a web-standard `Request` (Bun, Deno,
 * Workers, Node's `fetch` servers): verifies the `Countersign-Proof` header
 * with pinned keys, checks that this request is exactly the approved action,
 * and claims the pause. On `ok`, run the action and call `verdict.finish(…)`;
 * otherwise answer `verdict.status` with `verdict.problem`. The JSON body is
 * read from a clone, so the request can still be read.
 */
export async function checkApprovedRequest(
  request: Request,
  options: EnforceOptions<Request> | Enforcer<Request>,
): Promise<Verdict> {
  const enforcer = "check" in options ? options : enforcerFor(options);
  const body = await readJsonBody(request);
  if (!body.ok) return body.refused;
  const url = new URL(request.url);
  return enforcer.check({
    method: request.method,
    path: url.pathname,
    headers: request.headers,
    body: body.value,
    params: {},
    raw: request,
  });
}

/** The refusal as a web `Response` (`application/problem+json`). */
export function problemResponse(verdict: RefusedVerdict): Response {
  return new Response(JSON.stringify(verdict.problem), {
    status: verdict.status,
    headers: {
      "content-type": PROBLEM_CONTENT_TYPE,
      ...(verdict.status === 503 && { "retry-after": "1" }),
    },
  });
}

function enforcerFor(options: EnforceOptions<Request>): Enforcer<Request> {
  let enforcer = enforcers.get(options);
  if (!enforcer) {
    enforcer = createEnforcer(options);
    enforcers.set(options, enforcer);
  }
  return enforcer;
}

/** A JSON body read with the strict reader (duplicate members and `__proto__` refused); no body is `undefined`. */
export async function readJsonBody(
  request: Request,
): Promise<{ ok: true; value: unknown } | { ok: false; refused: RefusedVerdict }> {
  const text = await request.clone().text();
  if (text.trim() === "") return { ok: true, value: undefined };
  try {
    return { ok: true, value: parseJson(text, "request body") };
  } catch (error) {
    const refused = problem(400, "invalid_request", (error as Error).message);
    return { ok: false, refused: { ok: false, status: 400, problem: refused } };
  }
}

export type { EnforcedRequest };

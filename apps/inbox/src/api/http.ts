/** A failed inbox API call, with the problem's stable `code` and its body. */
export class ApiError extends Error {
  override readonly name = "ApiError";
  readonly status: number;
  readonly code: string;
  readonly body: Record<string, unknown>;

  constructor(status: number, body: Record<string, unknown>) {
    super(typeof body.detail === "string" ? body.detail : `The server answered ${status}`);
    this.status = status;
    this.code = typeof body.code === "string" ? body.code : "unknown";
    this.body = body;
  }
}

let csrfToken = "";
let onUnauthorized: () => void = () => {};

export function setCsrfToken(token: string): void {
  csrfToken = token;
}

/** Called when the server says the session is gone, so the page can ask to sign in again. */
export function whenUnauthorized(callback: () => void): void {
  onUnauthorized = callback;
}

export function getJson<Result>(path: string): Promise<Result> {
  return send<Result>(path, { method: "GET" });
}

export function postJson<Result>(path: string, body: unknown): Promise<Result> {
  return send<Result>(path, {
    method: "POST",
    headers: { "content-type": "application/json", "x-csrf-token": csrfToken },
    body: JSON.stringify(body),
  });
}

export function deleteJson<Result>(path: string, body: unknown): Promise<Result> {
  return send<Result>(path, {
    method: "DELETE",
    headers: { "content-type": "application/json", "x-csrf-token": csrfToken },
    body: JSON.stringify(body),
  });
}

async function send<Result>(path: string, init: RequestInit): Promise<Result> {
  let response: Response;
  try {
    response = await fetch(path, {
      ...init,
      credentials: "same-origin",
      headers: { accept: "application/json", ...init.headers },
    });
  } catch {
    throw new ApiError(0, {
      code: "network_error",
      detail: "Cannot reach the server; check your connection.",
    });
  }
  const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok) {
    const error = new ApiError(response.status, body);
    if (response.status === 401 && !path.startsWith("/inbox/api/session")) onUnauthorized();
    throw error;
  }
  return body as Result;
}

import type { ICredentialDataDecryptedObject, INode, JsonObject, RequestHelperFunctions } from "n8n-workflow";
import { NodeApiError } from "n8n-workflow";

export const ADMIN_CREDENTIAL_TYPE = "countersignAdminApi";

const REQUEST_TIMEOUT_MS = 10_000;

/** The "Countersign Admin API" credential, checked. */
export interface AdminCredentials {
  serverUrl: string;
  apiKey: string;
}

export function parseAdminCredentials(raw: ICredentialDataDecryptedObject): AdminCredentials {
  const serverUrl = String(raw.serverUrl ?? "")
    .trim()
    .replace(/\/+$/, "");
  if (!/^https?:\/\/[^/]+/.test(serverUrl)) {
    throw new Error("Countersign Admin API credential: Server URL must be an http(s) URL");
  }
  const apiKey = String(raw.apiKey ?? "").trim();
  if (apiKey === "") throw new Error("Countersign Admin API credential: Admin API Key is empty");
  return { serverUrl, apiKey };
}

interface AdminContext {
  helpers: Pick<RequestHelperFunctions, "httpRequest">;
  getNode(): INode;
}

/**
 * One admin API call through n8n's HTTP helper. Resolves with the body, or
 * `null` for a 404 when `missingOk`; any other failure is a `NodeApiError`
 * with the server's problem detail.
 */
export async function adminRequest(
  context: AdminContext,
  credentials: AdminCredentials,
  method: "GET" | "POST" | "DELETE",
  path: string,
  options: { body?: object; missingOk?: boolean } = {},
): Promise<JsonObject | null> {
  let response: { body: unknown; statusCode: number };
  try {
    response = (await context.helpers.httpRequest({
      method,
      url: `${credentials.serverUrl}${path}`,
      headers: { Authorization: `Bearer ${credentials.apiKey}` },
      ...(options.body !== undefined && { body: options.body }),
      json: true,
      returnFullResponse: true,
      ignoreHttpStatusErrors: true,
      timeout: REQUEST_TIMEOUT_MS,
    })) as { body: unknown; statusCode: number };
  } catch (error) {
    throw new NodeApiError(context.getNode(), error as JsonObject, {
      message: `Countersign at ${credentials.serverUrl} could not be reached`,
    });
  }
  if (response.statusCode === 404 && options.missingOk) return null;
  const body = (
    typeof response.body === "object" && response.body !== null ? response.body : {}
  ) as JsonObject;
  if (response.statusCode < 200 || response.statusCode > 299) {
    const detail = typeof body.detail === "string" ? body.detail : `HTTP ${response.statusCode}`;
    throw new NodeApiError(context.getNode(), body, {
      httpCode: String(response.statusCode),
      message: `Countersign refused the request: ${detail}`,
    });
  }
  return body;
}

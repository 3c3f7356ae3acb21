import type { IDataObject, IHttpRequestOptions, IN8nHttpFullResponse } from "n8n-workflow";

/**
 * The parts of n8n-core's `helpers.httpRequest` the node relies on, over
 * fetch: JSON bodies, `qs`, `json`, `returnFullResponse` ({ body, headers,
 * statusCode, statusMessage }), `ignoreHttpStatusErrors` (otherwise a non-2xx
 * rejects, as axios does) and `timeout`. A network failure rejects.
 */
export async function n8nHttpRequest(options: IHttpRequestOptions): Promise<unknown> {
  const url = new URL(options.url, options.baseURL);
  for (const [key, value] of Object.entries(options.qs ?? {})) url.searchParams.set(key, String(value));
  const headers = new Headers();
  for (const [key, value] of Object.entries(options.headers ?? {})) headers.set(key, String(value));
  let body: string | undefined;
  if (options.body !== undefined && options.method !== "GET") {
    if (typeof options.body === "string") body = options.body;
    else {
      body = JSON.stringify(options.body);
      if (!headers.has("content-type")) headers.set("content-type", "application/json");
    }
  }
  if (options.json && !headers.has("accept")) headers.set("accept", "application/json");
  const response = await fetch(url, {
    method: options.method ?? "GET",
    headers,
    ...(body !== undefined && { body }),
    signal: AbortSignal.timeout(options.timeout ?? 300_000),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text === "" ? "" : JSON.parse(text);
  } catch {
    // Not JSON: axios hands back the text as is.
  }
  if (!options.ignoreHttpStatusErrors && !response.ok) {
    throw Object.assign(new Error(`Request failed with status code ${response.status}`), {
      httpCode: String(response.status),
      response: { status: response.status, data: parsed },
    });
  }
  if (!options.returnFullResponse) return parsed;
  const full: IN8nHttpFullResponse = {
    body: parsed as IDataObject,
    headers: Object.fromEntries(response.headers),
    statusCode: response.status,
    statusMessage: response.statusText,
  };
  return full;
}

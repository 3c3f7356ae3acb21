import { timingSafeEqual, toBase64Url, utf8 } from "@countersign/core";

/**
 * Checks the signature the AI SDK puts on a `tool-approval-request` when it is
 * given `experimental_toolApprovalSecret` (ai 6.0.202+ and 7): HMAC-SHA256 over
 * the approval id, tool call id, tool name and base64url(SHA-256(canonical JSON
 * of the input)) — as a versioned JSON array in ai 7, newline-separated in ai 6.
 * The adapter checks it before it opens or looks up any pause for a request
 * taken from a client-supplied history, so a forged history cannot put a
 * request into a reviewer's inbox. Tested against both SDK majors' own signing.
 */
export async function isSignedApproval(
  secret: string,
  request: { approvalId: string; toolCallId: string; toolName: string; input: unknown; signature?: unknown },
): Promise<boolean> {
  if (typeof request.signature !== "string" || request.signature === "") return false;
  const { approvalId, toolCallId, toolName } = request;
  const key = await crypto.subtle.importKey("raw", utf8(secret), { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
  ]);
  const sign = async (payload: string) =>
    toBase64Url(new Uint8Array(await crypto.subtle.sign("HMAC", key, utf8(payload))));
  // ai 7: a versioned JSON array.
  const digest = await inputDigest(canonicalJson(request.input, "null"));
  const versioned = JSON.stringify(["ai-sdk-tool-approval-v1", approvalId, toolCallId, toolName, digest]);
  if (timingSafeEqual(await sign(versioned), request.signature)) return true;
  // ai 6 (and ai 7 for requests signed before it upgraded): newline-separated.
  if ([approvalId, toolCallId, toolName].some((field) => field.includes("\n"))) return false;
  const legacyDigest = await inputDigest(canonicalJson(request.input, ""));
  const legacy = `${approvalId}\n${toolCallId}\n${toolName}\n${legacyDigest}`;
  return timingSafeEqual(await sign(legacy), request.signature);
}

async function inputDigest(canonical: string | undefined): Promise<string> {
  return toBase64Url(new Uint8Array(await crypto.subtle.digest("SHA-256", utf8(canonical ?? ""))));
}

/** The SDK's canonical JSON, ported as it is (sorted keys, `JSON.stringify` for the rest, `undefined` included). */
function canonicalJson(value: unknown, undefinedInArray: string): string | undefined {
  if (value === null || value === undefined || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) {
    const elements = value.map((element) =>
      element === undefined ? undefinedInArray : canonicalJson(element, undefinedInArray),
    );
    return `[${elements.join(",")}]`;
  }
  const record = value as Record<string, unknown>;
  const entries = Object.keys(record)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key], undefinedInArray)}`);
  return `{${entries.join(",")}}`;
}

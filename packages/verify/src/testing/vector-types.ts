import type { Action, ActionData } from "../protocol/action.ts";
import type { PublicJwk } from "../protocol/keys.ts";

// The shape of the shared test vectors in packages/verify/test-vectors/*.json
// (see the README there). Every verifier in the repository runs them.

/** What a verifier must answer: the result, or the error code. */
export type ProofOutcome =
  | {
      valid: true;
      approved: boolean;
      decision: string;
      data: ActionData | null;
      verified_with: ("hmac" | "ed25519")[];
    }
  | { valid: false; code: string };

export type ProofVector = {
  name: string;
  description: string;
  /** The proof as a JSON value, or… */
  proof?: unknown;
  /** …its exact text, where the bytes matter (duplicate names, escapes, nesting). */
  proof_json?: string;
  options: {
    secrets?: string[];
    keys?: PublicJwk[];
    pause_id?: string;
    action?: Action;
    action_digest?: string;
    require?: "approved" | "decided";
    /** ISO time to verify at. */
    now: string;
    clock_skew_seconds?: number;
  };
  expect: ProofOutcome;
};

export type WebhookOutcome = { valid: true; id: string; timestamp: number } | { valid: false; code: string };

export type WebhookVector = {
  name: string;
  description: string;
  body: string;
  headers: Record<string, string>;
  secret: string;
  now: string;
  tolerance_seconds?: number;
  expect: WebhookOutcome;
};

export type CanonicalJsonVector = {
  name: string;
  /** JSON text; parsed with JSON.parse, then canonicalised. */
  input_json: string;
  /** The RFC 8785 form, or `null` when canonicalisation must refuse the value. */
  canonical: string | null;
};

export type DigestVector = { name: string; action: Action; edited_data: ActionData | null; digest: string };

export type TestVectorFiles = {
  proofs: { description: string; vectors: ProofVector[] };
  webhooks: { description: string; vectors: WebhookVector[] };
  canonicalJson: { description: string; vectors: CanonicalJsonVector[] };
  digests: { description: string; vectors: DigestVector[] };
};

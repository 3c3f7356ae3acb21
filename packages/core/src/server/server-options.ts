import type { AuditWitnessOptions } from "../audit/audit-witness.ts";
import type { PrivateEd25519Jwk } from "../proof/signing-keys.ts";
import type { Channel } from "../protocol/pause-request.ts";
import type { Store } from "../store/store.ts";
import type { ChannelPlugin } from "./channel-plugin.ts";
import type { PolicyHook } from "./policy-hook.ts";
import type { Logger } from "./service-context.ts";

export interface ApprovalServerOptions {
  store: Store;
  /** HMAC proof secret (≥ 32 characters). Default: generated once and kept in the store. */
  proofSecret?: string;
  /** `whsec_…` secret for outgoing webhooks. Default: generated once and kept in the store. */
  webhookSecret?: string;
  /** Ed25519 private key (JWK). Default: generated once and kept in the store. */
  ed25519Key?: PrivateEd25519Jwk;
  /** Public URL for links; `listen()` fills it in when absent. */
  baseUrl?: string;
  /** How long an approval may be acted on, in seconds. Default 900. */
  proofTtlSeconds?: number;
  /** Largest request body, in bytes. Default 256 KiB. */
  maxBodyBytes?: number;
  channels?: ChannelPlugin[];
  policy?: PolicyHook;
  /**
   * Channel targets (Slack channels, Teams conversations) agents may name in
   * `recipients`, besides those the policy file names. E-mail and web
   * recipients need no list: they must be known approvers. Anything else an
   * agent names is dropped with a warning.
   */
  allowedRecipientTargets?: Partial<Record<Channel, string[]>>;
  webhooks?: {
    /** Allow webhook URLs that resolve to private or loopback addresses (tests, internal receivers). Default false. */
    allowPrivateTargets?: boolean;
    timeoutMs?: number;
    intervalMs?: number;
  };
  /** How often overdue pauses are expired and due escalations made, in ms. Default 1000. */
  expirySweepMs?: number;
  /** How often a signed audit checkpoint is written to the log (when the log grew), in ms; 0 turns it off. Default one hour. */
  checkpointIntervalMs?: number;
  /** Where the audit log's checkpoints are signed and witnessed, outside the store. */
  audit?: {
    /**
     * Ed25519 private key (JWK) that signs audit checkpoints, kept out of the
     * store: someone who can rewrite the database then cannot sign a
     * checkpoint over the rewrite. Its public key is added to `/v1/keys`; pin
     * it alone to check checkpoints. Once a store has been used with one, the
     * server refuses to start without it. Default: the server's Ed25519 key.
     */
    checkpointKey?: PrivateEd25519Jwk;
    /** Every checkpoint is also appended here (file and/or webhook), outside the data directory. */
    witness?: AuditWitnessOptions;
  };
  /** Run the expiry and escalation sweeper, the checkpointer and the webhook worker. Default true. */
  background?: boolean;
  now?: () => Date;
  log?: Logger;
}

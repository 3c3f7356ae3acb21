import type { ActionData } from "../../protocol/action.ts";
import type { AdapterOptions } from "../adapter-options.ts";
import type { CountersignClient } from "../types.ts";

/** The client calls the gate makes; a `createClient(...)` result has them all. */
export type ToolGateClient = Pick<
  CountersignClient,
  "createPause" | "getPause" | "claim" | "cancel" | "getKeys"
> &
  /** Without it (a client that hands the claim to a proof-gated service) no receipt is recorded here. */
  Partial<Pick<CountersignClient, "recordReceipt">>;

/**
 * The adapter options every framework shares (`AdapterOptions`), plus what
 * only the gate needs. Everything that goes into the pause must be
 * deterministic: the gate opens the pause again (same key, same body) when
 * the call resumes, in whichever process resumes it.
 */
export interface ToolGateOptions<Args = ActionData> extends AdapterOptions<Args, ToolGateClient> {
  /** Written into the pause's context and the idempotency key: `langgraph`, `ai-sdk`, `openai-agents`. */
  framework: string;
  /**
   * A title with `{argument}` placeholders, e.g. `Refund {amount} {currency} to {customer}`.
   * `title` wins when both are given. Default: the tool's name in words and its first plain arguments.
   */
  titleTemplate?: string;
  /**
   * How long `wait()` waits for a human, in milliseconds. Default: the pause's
   * own lifetime (`expiresIn`, else the server's default hour) plus a minute —
   * past it the pause has expired anyway.
   */
  waitTimeoutMs?: number;
  /**
   * How long the server may stay unreachable (network errors, 5xx) during a
   * wait before it fails with an `outage` error; it retries with backoff
   * until then. Default 60 000. The approval stays resumable either way.
   */
  outageTimeoutMs?: number;
}

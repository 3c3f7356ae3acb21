import type { CountersignClient } from "@countersign/core";
import type { ServerCapabilities } from "@modelcontextprotocol/sdk/types.js";
import type { TrustedKeys } from "../countersign/trusted-keys.ts";
import type { Masker } from "../masking/create-masker.ts";
import type { ToolPolicy } from "../policy/tool-policy.ts";
import type { CallLedger } from "./call-ledger.ts";
import type { Mounts } from "./mounts.ts";
import type { GatewayRecorder } from "./recorder.ts";

/** What every session of one gateway shares: the upstreams, the policy, the ledger of gated calls. */
export interface GatewayRuntime {
  version: string;
  mounts: Mounts;
  capabilities: ServerCapabilities;
  instructions: string | undefined;
  policy: ToolPolicy;
  masker: Masker;
  /** Names of the masking rules that apply to a tool (recorded on its pauses). */
  maskingRulesFor(tool: string, server: string): string[];
  recorder: GatewayRecorder;
  recordUngated: boolean;
  ledger: CallLedger;
  trustedKeys: TrustedKeys;
  agentId: string;
  waitMs: number;
  elicitation: boolean;
  /** While a gated call waits, how often a client that asked for progress hears from the gateway. */
  progressIntervalMs: number;
  /** A Countersign client acting with this agent key. */
  countersignFor(apiKey: string): CountersignClient;
}

// @countersign/mcp: human approvals for MCP agents.
export { type ApprovalServerOptions, createApprovalServer } from "./approvals/approval-server.ts";
export {
  type RunningApprovalServer,
  type StartApprovalServerOptions,
  startApprovalServer,
} from "./approvals/start-approval-server.ts";
export {
  type GatewayConfig,
  type GatewayConfigInput,
  GatewayConfigSchema,
  type GatewayDecision,
  type GatewayRule,
} from "./config/gateway-config-schema.ts";
export { loadGatewayConfig, parseGatewayConfig } from "./config/load-gateway-config.ts";
export { splitCommand, type UpstreamFlags, upstreamSpecs } from "./config/upstream-specs.ts";
export {
  type CountersignSettings,
  type CountersignSettingsInput,
  keyChecker,
  resolveCountersignSettings,
} from "./countersign/countersign-settings.ts";
export {
  pinnedKeys,
  readJwks,
  serverKeys,
  type TrustedKeys,
  verifyPause,
} from "./countersign/trusted-keys.ts";
export { createGateway, type Gateway, type GatewayOptions } from "./gateway/create-gateway.ts";
export type { SessionOptions } from "./gateway/gateway-server.ts";
export {
  type GatewayEvent,
  type GatewayRecorder,
  jsonlRecorder,
  memoryRecorder,
} from "./gateway/recorder.ts";
export { type RunningGateway, type StartGatewayOptions, startGateway } from "./gateway/start-gateway.ts";
export { META_KEY } from "./gateway/tool-results.ts";
export type { UpstreamSpec, UpstreamTransportSpec } from "./gateway/upstream.ts";
export { createMasker, type Masker, type MaskingEntry } from "./masking/create-masker.ts";
export { BUILT_IN_PATTERNS } from "./masking/patterns.ts";
export { compileToolPolicy, type ToolCall, type ToolPolicy, type ToolVerdict } from "./policy/tool-policy.ts";
export { type HttpServeOptions, type HttpServing, serveStreamableHttp } from "./transports/serve-http.ts";
export { serveStdio } from "./transports/serve-stdio.ts";

export { typescriptBlocks, typescriptBlockUnder } from "./markdown-snippets.ts";
export { runSnippet, type SnippetRunOptions } from "./run-snippet.ts";
export { type ConformanceStore, describeStoreConformance } from "./store-conformance.ts";
export { startTestServer, type TestServer, type TestServerOptions } from "./test-server.ts";
export { type SnippetCheck, typecheckSnippets } from "./typecheck-snippets.ts";
export {
  describeWebhookEndpointScenarios,
  type ScenarioServer,
  type WebhookEndpointScenarioOptions,
} from "./webhook-endpoint-scenarios.ts";
export { type ReceivedWebhook, startWebhookReceiver, type WebhookReceiver } from "./webhook-receiver.ts";

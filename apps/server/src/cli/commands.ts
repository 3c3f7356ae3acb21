import { auditCommand } from "../commands/audit.ts";
import { delegationsCommand } from "../commands/delegations.ts";
import { grantsCommand } from "../commands/grants.ts";
import { identitiesCommand } from "../commands/identities.ts";
import { insightsCommand } from "../commands/insights.ts";
import { keysCommand } from "../commands/keys.ts";
import { mcpCommand } from "../commands/mcp.ts";
import { policyCommand } from "../commands/policy.ts";
import { serveCommand } from "../commands/serve.ts";
import { verifyCommand } from "../commands/verify.ts";
import { webhookEndpointsCommand } from "../commands/webhook-endpoints.ts";
import type { CliCommand } from "./cli-command.ts";

/** Every `countersign` command, in the order `--help` lists them. */
export const COMMANDS: readonly CliCommand[] = [
  serveCommand,
  keysCommand,
  identitiesCommand,
  grantsCommand,
  webhookEndpointsCommand,
  delegationsCommand,
  policyCommand,
  verifyCommand,
  auditCommand,
  insightsCommand,
  mcpCommand,
];

export const ENVIRONMENT_HELP = `Environment (a config file may set each; the variable wins, a flag wins over both):
  COUNTERSIGN_CONFIG            the config file (serve --config)
  PORT, COUNTERSIGN_HOST        where serve listens (default 8787, 127.0.0.1)
  COUNTERSIGN_BASE_URL          the public URL, for links
  COUNTERSIGN_DATA_DIR          the SQLite store's directory (default .countersign)
  COUNTERSIGN_DATABASE_URL      a Postgres store, for several instances
  COUNTERSIGN_URL, COUNTERSIGN_API_KEY   the server and key for grants, delegations, insights and webhook-endpoints
  COUNTERSIGN_POLICY            the policy file
  COUNTERSIGN_LOG_LEVEL         fatal, error, warn, info (default), debug, trace, silent
  COUNTERSIGN_METRICS_PORT, COUNTERSIGN_METRICS_HOST     /metrics without a key on a port of its own
  COUNTERSIGN_PROOF_SECRET, COUNTERSIGN_WEBHOOK_SECRET   secrets (default: generated once, kept in the store)
  COUNTERSIGN_ALLOW_PRIVATE_WEBHOOKS=1                   webhooks to private and loopback addresses
  COUNTERSIGN_CHECKPOINT_KEY, COUNTERSIGN_AUDIT_WITNESS, COUNTERSIGN_AUDIT_WITNESS_URL   audit trust
  COUNTERSIGN_SMTP_URL + COUNTERSIGN_SMTP_FROM           e-mail approvals and sign-in links
  COUNTERSIGN_SLACK_BOT_TOKEN with COUNTERSIGN_SLACK_SIGNING_SECRET (HTTP) or COUNTERSIGN_SLACK_APP_TOKEN
    (Socket Mode); COUNTERSIGN_SLACK_CHANNELS              Slack approvals (docs/slack.md)
  COUNTERSIGN_TEAMS_APP_ID, _TENANT_ID, _TARGETS, _APP_PASSWORD or _CERTIFICATE_FILE   Teams (docs/teams.md)
Commands that open a store refuse a directory without one unless --init says to create it.
`;

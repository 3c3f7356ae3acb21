#!/usr/bin/env node
import { runAudit } from "./commands/audit.ts";
import { runGrants } from "./commands/grants.ts";
import { runIdentities } from "./commands/identities.ts";
import { runInsights } from "./commands/insights.ts";
import { runKeys } from "./commands/keys.ts";
import { runMcp } from "./commands/mcp.ts";
import { runPolicy } from "./commands/policy.ts";
import { runServe } from "./commands/serve.ts";
import { runVerify } from "./commands/verify.ts";
import { UsageError } from "./usage-error.ts";

const USAGE = `countersign — human sign-off for AI agent actions

Usage:
  countersign serve [--port 8787] [--host 127.0.0.1] [--data-dir .countersign | --database-url URL] [--base-url URL]
                    [--allow-private-webhooks] [--policy POLICY.yaml] [--init]   (the policy reloads on change)
  countersign keys create --role agent --identity OWNER --agent-id ID... [--action-type TYPE...] [--name TEXT]
  countersign keys create --role approver|admin --identity EMAIL [--name TEXT]
  countersign keys update KEY_ID [--identity EMAIL] [--agent-id ID...] [--action-type TYPE...]
                    bind a key made before keys were bound to agent ids
  countersign keys list | revoke KEY_ID
  countersign keys rotate                          a new Ed25519 signing key; old public keys stay published
  countersign keys jwks                            public keys for verifying proofs: save them, pin them
  countersign keys secrets                         the proof and webhook secrets (keep them secret)
  countersign verify PROOF.json (--secret S | --jwks KEYS.json) --pause-id ID (--action ACTION.json |
                    --action-digest sha256:…) [--require approved|decided]   exit 0 only when the proof is valid
                    (--any-pause instead of the binding: only that the proof is authentic)
  countersign policy check POLICY.yaml             validate a policy (errors name the line and field)
  countersign policy test POLICY.yaml REQUEST.json [--expect RULE] [--json]
                    which rule fires for a pause request, and why
  countersign identities list|get ID|remove ID [--data-dir DIR]
  countersign identities put ID [--email E] [--slack-user U] [--teams-user OID] [--name N] [--group G]... [--data-dir DIR]
  countersign grants create --agent-id ID... --action-type TYPE [--when COND]... [--max-count N]
                    [--max-total FIELD=MAX] (--for 1h | --until ISO) [--reason TEXT]
  countersign grants list [--status active] | get GRANT_ID | revoke GRANT_ID [--reason TEXT]
                    standing approvals, through the server (--url, --key or COUNTERSIGN_URL, COUNTERSIGN_API_KEY)
  countersign insights [--window 30d] [--json]     per agent × action type, with suggested policy rules
  countersign insights denials --jsonl [--mask FIELD]...   every denial, for prompt and eval work
  countersign audit export [--out LOG.jsonl] [--checkpoint CHECKPOINT.json] [--data-dir DIR]
  countersign audit checkpoint [--out FILE] [--data-dir DIR]     a signed checkpoint of the log now
  countersign audit bundle PAUSE_ID [--out FILE] [--data-dir DIR]  evidence for one pause
  countersign audit verify (LOG.jsonl [--checkpoint CHECKPOINT.json] | BUNDLE.json) --jwks KEYS.json
                    exit 0 when intact, 1 when edited, dropped, inserted, reordered or truncated
  countersign mcp gateway|approvals …              MCP: a gateway that enforces approvals, or the
                    approval tools for self-gating agents (countersign mcp --help)

Environment: PORT, COUNTERSIGN_DATA_DIR, COUNTERSIGN_DATABASE_URL (Postgres, for several instances),
COUNTERSIGN_BASE_URL, COUNTERSIGN_PROOF_SECRET, COUNTERSIGN_WEBHOOK_SECRET, COUNTERSIGN_ALLOW_PRIVATE_WEBHOOKS=1,
COUNTERSIGN_SMTP_URL + COUNTERSIGN_SMTP_FROM (e-mail approvals), COUNTERSIGN_SLACK_BOT_TOKEN with
COUNTERSIGN_SLACK_SIGNING_SECRET (HTTP) or COUNTERSIGN_SLACK_APP_TOKEN (Socket Mode),
COUNTERSIGN_SLACK_CHANNELS (channels agents may name as recipients),
COUNTERSIGN_TEAMS_APP_ID + COUNTERSIGN_TEAMS_TENANT_ID + COUNTERSIGN_TEAMS_TARGETS with
COUNTERSIGN_TEAMS_APP_PASSWORD or COUNTERSIGN_TEAMS_CERTIFICATE_FILE (Microsoft Teams, see docs/teams.md).
Every command that opens the store takes --data-dir or --database-url, and refuses a directory
without a store unless --init says to create one.
`;

const commands: Record<string, (args: string[]) => Promise<number>> = {
  serve: runServe,
  keys: runKeys,
  verify: runVerify,
  policy: runPolicy,
  identities: runIdentities,
  grants: runGrants,
  insights: runInsights,
  audit: runAudit,
  mcp: runMcp,
};

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "help" || name === "--help" || name === "-h") {
    process.stdout.write(USAGE);
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`countersign: unknown command ${name}\n\n${USAGE}`);
    return 2;
  }
  try {
    return await command(rest);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`countersign ${name}: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`countersign: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);

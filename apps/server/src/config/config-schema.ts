import { z } from "zod";
import { LOG_LEVELS } from "../assemble/pino-logger.ts";

const text = z.string().trim().min(1);

/**
 * `countersign.yaml`: every `serve` setting. Each field has an environment
 * variable (in `CONFIG_ENV`), which wins over the file; a command-line flag
 * wins over both. Relative paths are relative to the file.
 */
export const ConfigSchema = z.strictObject({
  port: z.number().int().min(0).max(65_535).optional(),
  host: text.optional(),
  base_url: z.url({ protocol: /^https?$/ }).optional(),
  data_dir: text.optional(),
  database_url: text.optional(),
  policy: text.optional(),
  allow_private_webhooks: z.boolean().optional(),
  proof_secret: z.string().min(32).optional(),
  webhook_secret: z.string().startsWith("whsec_").optional(),
  log: z.strictObject({ level: z.enum(LOG_LEVELS).optional() }).optional(),
  metrics: z
    .strictObject({ port: z.number().int().min(0).max(65_535).optional(), host: text.optional() })
    .optional(),
  audit: z
    .strictObject({
      checkpoint_key: text.optional(),
      witness: text.optional(),
      witness_url: z.url({ protocol: /^https?$/ }).optional(),
    })
    .optional(),
  smtp: z.strictObject({ url: text, from: text }).optional(),
  web_push: z
    .strictObject({
      enabled: z.boolean().optional(),
      vapid_public_key: text.optional(),
      vapid_private_key: text.optional(),
      subject: text.optional(),
    })
    .optional(),
  slack: z
    .strictObject({
      bot_token: text,
      signing_secret: text.optional(),
      app_token: text.optional(),
      channels: z.array(text).optional(),
      summary_threshold: z.number().int().min(1).max(1_000).optional(),
      summary_window_seconds: z.number().int().min(1).max(86_400).optional(),
    })
    .optional(),
  teams: z
    .strictObject({
      app_id: text,
      tenant_id: text,
      app_password: text.optional(),
      certificate_file: text.optional(),
      private_key_file: text.optional(),
      targets: z.record(
        z.string(),
        z.strictObject({ conversation_id: text, service_url: z.url().optional() }),
      ),
      service_url: z.url().optional(),
      match_email: z.boolean().optional(),
    })
    .optional(),
});

export type CountersignConfig = z.output<typeof ConfigSchema>;

type Path = string;
/** Each setting's environment variable, and whether it is a path (resolved against the file's folder). */
export const CONFIG_ENV: Record<Path, { env: string; path?: boolean }> = {
  port: { env: "PORT" },
  host: { env: "COUNTERSIGN_HOST" },
  base_url: { env: "COUNTERSIGN_BASE_URL" },
  data_dir: { env: "COUNTERSIGN_DATA_DIR", path: true },
  database_url: { env: "COUNTERSIGN_DATABASE_URL" },
  policy: { env: "COUNTERSIGN_POLICY", path: true },
  allow_private_webhooks: { env: "COUNTERSIGN_ALLOW_PRIVATE_WEBHOOKS" },
  proof_secret: { env: "COUNTERSIGN_PROOF_SECRET" },
  webhook_secret: { env: "COUNTERSIGN_WEBHOOK_SECRET" },
  "log.level": { env: "COUNTERSIGN_LOG_LEVEL" },
  "metrics.port": { env: "COUNTERSIGN_METRICS_PORT" },
  "metrics.host": { env: "COUNTERSIGN_METRICS_HOST" },
  "audit.checkpoint_key": { env: "COUNTERSIGN_CHECKPOINT_KEY", path: true },
  "audit.witness": { env: "COUNTERSIGN_AUDIT_WITNESS", path: true },
  "audit.witness_url": { env: "COUNTERSIGN_AUDIT_WITNESS_URL" },
  "smtp.url": { env: "COUNTERSIGN_SMTP_URL" },
  "smtp.from": { env: "COUNTERSIGN_SMTP_FROM" },
  "web_push.enabled": { env: "COUNTERSIGN_WEB_PUSH" },
  "web_push.vapid_public_key": { env: "COUNTERSIGN_VAPID_PUBLIC_KEY" },
  "web_push.vapid_private_key": { env: "COUNTERSIGN_VAPID_PRIVATE_KEY" },
  "web_push.subject": { env: "COUNTERSIGN_VAPID_SUBJECT" },
  "slack.bot_token": { env: "COUNTERSIGN_SLACK_BOT_TOKEN" },
  "slack.signing_secret": { env: "COUNTERSIGN_SLACK_SIGNING_SECRET" },
  "slack.app_token": { env: "COUNTERSIGN_SLACK_APP_TOKEN" },
  "slack.channels": { env: "COUNTERSIGN_SLACK_CHANNELS" },
  "slack.summary_threshold": { env: "COUNTERSIGN_SLACK_SUMMARY_THRESHOLD" },
  "slack.summary_window_seconds": { env: "COUNTERSIGN_SLACK_SUMMARY_WINDOW_SECONDS" },
  "teams.app_id": { env: "COUNTERSIGN_TEAMS_APP_ID" },
  "teams.tenant_id": { env: "COUNTERSIGN_TEAMS_TENANT_ID" },
  "teams.app_password": { env: "COUNTERSIGN_TEAMS_APP_PASSWORD" },
  "teams.certificate_file": { env: "COUNTERSIGN_TEAMS_CERTIFICATE_FILE", path: true },
  "teams.private_key_file": { env: "COUNTERSIGN_TEAMS_PRIVATE_KEY_FILE", path: true },
  "teams.targets": { env: "COUNTERSIGN_TEAMS_TARGETS" },
  "teams.service_url": { env: "COUNTERSIGN_TEAMS_SERVICE_URL" },
  "teams.match_email": { env: "COUNTERSIGN_TEAMS_MATCH_EMAIL" },
};

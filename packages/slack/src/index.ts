export { type ApproverDirectory, resolveApprover } from "./approver-directory.ts";
export {
  approvableInSlack,
  type CardOptions,
  cardTitle,
  type HiddenContent,
  renderCard,
  type SlackMessage,
} from "./card-blocks.ts";
export type { CardGovernance, GovernanceSource } from "./card-governance.ts";
export type { EmailMatchingOptions, IdentityEmail } from "./email-matching.ts";
export { escapeMrkdwn } from "./escape-mrkdwn.ts";
export { markdownToMrkdwnBlocks } from "./markdown-mrkdwn.ts";
export { buildReasonModal, REJECT_REASON_PRESETS } from "./reason-modal.ts";
export { type SlackChannel, type SlackChannelOptions, slackChannel } from "./slack-channel.ts";
export {
  SLACK_SIGNATURE_TOLERANCE_SECONDS,
  signSlackRequest,
  verifySlackSignature,
} from "./slack-signature.ts";
export type { SummaryOptions as SlackSummaryOptions } from "./summary-window.ts";

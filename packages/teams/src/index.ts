export {
  type CardActionResponse,
  NOT_AN_APPROVER_TEXT,
  REASON_REQUIRED_TEXT,
} from "./action-handler.ts";
export { APPROVE_VERB, REASON_INPUT_ID, REJECT_VERB } from "./action-verbs.ts";
export { resolveTeamsApprover, type TeamsApproverDirectory, type TeamsUser } from "./approver-directory.ts";
export { type CardOptions, cardTitle, renderCard, type TeamsCard } from "./card/adaptive-card.ts";
export type { CardGovernance, GovernanceSource } from "./card/card-governance.ts";
export { neutralize } from "./card/card-text.ts";
export type { TeamsCertificate } from "./certificate-credential.ts";
export {
  type ConversationTarget,
  type ConversationTargets,
  ConversationTargetsSchema,
  parseConversationTargets,
} from "./conversation-targets.ts";
export {
  DEFAULT_SERVICE_URL,
  type TeamsChannel,
  type TeamsChannelOptions,
  teamsChannel,
} from "./teams-channel.ts";

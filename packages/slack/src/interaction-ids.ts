/** Ids Slack echoes back in interaction payloads; they route clicks and submissions. */
export const APPROVE_ACTION_ID = "countersign_approve";
export const REJECT_ACTION_ID = "countersign_reject";
export const OPEN_INBOX_ACTION_ID = "countersign_open_inbox";
export const ACTIONS_BLOCK_ID = "countersign_actions";
export const REJECT_MODAL_CALLBACK_ID = "countersign_reject_reason";
export const REASON_PRESET_BLOCK_ID = "reason_preset";
export const REASON_PRESET_ACTION_ID = "preset";
export const REASON_TEXT_BLOCK_ID = "reason_text";
export const REASON_TEXT_ACTION_ID = "text";
/** Prefix of every action id this app owns (Socket Mode listens for it). */
export const ACTION_ID_PREFIX = "countersign_";
export const SUMMARY_APPROVE_ALL_ACTION_ID = "countersign_summary_approve_all";
export const SUMMARY_REVIEW_ACTION_ID = "countersign_summary_review";
export const SUMMARY_ACTIONS_BLOCK_ID = "countersign_summary_actions";

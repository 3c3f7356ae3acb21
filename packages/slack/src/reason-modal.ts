import type { Pause } from "@countersign/core";
import type { types } from "@slack/bolt";
import { cardTitle } from "./card-blocks.ts";
import { plainText } from "./escape-mrkdwn.ts";
import {
  REASON_PRESET_ACTION_ID,
  REASON_PRESET_BLOCK_ID,
  REASON_TEXT_ACTION_ID,
  REASON_TEXT_BLOCK_ID,
  REJECT_MODAL_CALLBACK_ID,
} from "./interaction-ids.ts";

/** Preset reasons an approver picks from; "other" needs an explanation. */
export const REJECT_REASON_PRESETS = [
  { value: "wrong_details", label: "The amount or details are wrong" },
  { value: "not_authorised", label: "Not authorised or against policy" },
  { value: "needs_information", label: "Needs more information" },
  { value: "unexpected", label: "Unexpected or suspicious request" },
  { value: "other", label: "Other (explain below)" },
] as const;

/** Where the card that opened the modal lives, carried through `private_metadata`. */
export interface ReasonModalContext {
  pauseId: string;
  channel: string | null;
  ts: string | null;
  responseUrl?: string | null;
}

/** The explanation fits the 2,000-character reason limit together with the preset label. */
const EXPLANATION_MAX = 1_500;

export function buildReasonModal(pause: Pause, context: ReasonModalContext): types.ModalView {
  return {
    type: "modal",
    callback_id: REJECT_MODAL_CALLBACK_ID,
    private_metadata: JSON.stringify({
      pause_id: context.pauseId,
      channel: context.channel,
      ts: context.ts,
      response_url: context.responseUrl ?? null,
    }),
    title: { type: "plain_text", text: "Reject action" },
    submit: { type: "plain_text", text: "Reject" },
    close: { type: "plain_text", text: "Cancel" },
    blocks: [
      { type: "section", text: plainText(`Reject: ${cardTitle(pause)}`) },
      {
        type: "input",
        block_id: REASON_PRESET_BLOCK_ID,
        label: { type: "plain_text", text: "Reason" },
        element: {
          type: "static_select",
          action_id: REASON_PRESET_ACTION_ID,
          placeholder: { type: "plain_text", text: "Choose a reason" },
          options: REJECT_REASON_PRESETS.map((preset) => ({
            text: { type: "plain_text", text: preset.label },
            value: preset.value,
          })),
        },
      },
      {
        type: "input",
        block_id: REASON_TEXT_BLOCK_ID,
        optional: true,
        label: { type: "plain_text", text: "Explanation" },
        hint: { type: "plain_text", text: "Required for \u201cOther\u201d. The agent reads this." },
        element: {
          type: "plain_text_input",
          action_id: REASON_TEXT_ACTION_ID,
          multiline: true,
          max_length: EXPLANATION_MAX,
        },
      },
    ],
  };
}

export interface ReasonModalValues {
  presetValue: string | null;
  explanation: string | null;
}

export type ReasonResult = { ok: true; reason: string } | { ok: false; errors: Record<string, string> };

/** The reason the approver gave, or the errors Slack shows under the fields (a reason is required). */
export function reasonFromValues(values: ReasonModalValues): ReasonResult {
  const preset = REJECT_REASON_PRESETS.find((candidate) => candidate.value === values.presetValue);
  const explanation = values.explanation?.trim().slice(0, EXPLANATION_MAX) ?? "";
  if (!preset) return { ok: false, errors: { [REASON_PRESET_BLOCK_ID]: "Choose a reason." } };
  if (preset.value === "other") {
    if (!explanation)
      return { ok: false, errors: { [REASON_TEXT_BLOCK_ID]: "Explain why you reject this action." } };
    return { ok: true, reason: explanation };
  }
  return { ok: true, reason: explanation ? `${preset.label}: ${explanation}` : preset.label };
}

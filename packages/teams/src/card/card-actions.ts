import type { Pause } from "@countersign/core";
import type { ActionArray, IExecuteAction } from "@microsoft/teams.cards";
import { APPROVE_VERB, REASON_INPUT_ID, REASON_MAX_LENGTH, REJECT_VERB } from "../action-verbs.ts";
import { safeText } from "./card-text.ts";

/**
 * The card's buttons. While pending: Approve (behind a confirmation for high
 * and critical risk), Reject (opens a required reason), Open in inbox. Once
 * decided only Open in inbox remains, so a stale card offers nothing to click.
 */
export function cardActions(pause: Pause, title: string, inboxUrl: string | null): ActionArray {
  const actions: ActionArray = [];
  if (pause.status === "pending") {
    const data = { pause_id: pause.pause_id };
    const approve: IExecuteAction = {
      type: "Action.Execute",
      title: "Approve",
      verb: APPROVE_VERB,
      data,
      style: "positive",
      // The reason box belongs to Reject: an approval never carries it.
      associatedInputs: "none",
    };
    const risky = pause.action.risk === "high" || pause.action.risk === "critical";
    actions.push(
      risky
        ? {
            type: "Action.ShowCard",
            title: "Approve…",
            card: {
              type: "AdaptiveCard",
              body: [
                { type: "TextBlock", text: "Approve this action?", weight: "Bolder", wrap: true },
                { type: "TextBlock", text: safeText(title, 300), wrap: true },
              ],
              actions: [approve],
            },
          }
        : approve,
      {
        type: "Action.ShowCard",
        title: "Reject…",
        card: {
          type: "AdaptiveCard",
          body: [
            {
              type: "Input.Text",
              id: REASON_INPUT_ID,
              label: "Reason (the agent sees it)",
              placeholder: "Why reject this request?",
              isMultiline: true,
              isRequired: true,
              errorMessage: "A reason is required to reject.",
              maxLength: REASON_MAX_LENGTH,
            },
          ],
          actions: [
            {
              type: "Action.Execute",
              title: "Reject",
              verb: REJECT_VERB,
              data,
              style: "destructive",
              associatedInputs: "auto",
            },
          ],
        },
      },
    );
  }
  if (inboxUrl) actions.push({ type: "Action.OpenUrl", title: "Open in inbox", url: inboxUrl });
  return actions;
}

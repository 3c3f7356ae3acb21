/** Verbs of the card's `Action.Execute` buttons; Teams echoes them in `adaptiveCard/action` invokes. */
export const APPROVE_VERB = "countersign.approve";
export const REJECT_VERB = "countersign.reject";
/** Id of the reason input on the reject card; its value arrives in the action's `data`. */
export const REASON_INPUT_ID = "reason";
/** Longest reason the card accepts (the server's own limit is higher). */
export const REASON_MAX_LENGTH = 1_000;

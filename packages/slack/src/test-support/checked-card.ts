import type { Pause } from "@countersign/core";
import type { types } from "@slack/bolt";
import { type CardOptions, renderCard as renderUnchecked, type SlackMessage } from "../card-blocks.ts";
import { buildReasonModal as buildUnchecked, type ReasonModalContext } from "../reason-modal.ts";
import { assertWithinBlockKitLimits } from "./block-kit-limits.ts";

/** `renderCard`, failing the test when the card breaks any Block Kit limit. */
export function renderCard(pause: Pause, options: CardOptions): SlackMessage {
  return assertWithinBlockKitLimits(renderUnchecked(pause, options));
}

/** `buildReasonModal`, failing the test when the view breaks any Block Kit limit. */
export function buildReasonModal(pause: Pause, context: ReasonModalContext): types.ModalView {
  const view = buildUnchecked(pause, context);
  assertWithinBlockKitLimits({ view });
  return view;
}

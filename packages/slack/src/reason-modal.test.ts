import { describe, expect, it } from "vitest";
import { REJECT_REASON_PRESETS, reasonFromValues } from "./reason-modal.ts";
import { buildReasonModal } from "./test-support/checked-card.ts";
import { pauseFixture } from "./test-support/pause-fixture.ts";

describe("the reject-reason modal", () => {
  it("carries the pause and card location, shows the title as plain text and offers every preset", () => {
    const modal = buildReasonModal(pauseFixture({}, { title: "<!channel> Pay" }), {
      pauseId: "pau_test123",
      channel: "C0FINANCE",
      ts: "1700000000.000100",
      responseUrl: "https://hooks.slack.com/actions/T0TEAM/1/abc",
    });
    expect(modal.callback_id).toBe("countersign_reject_reason");
    expect(JSON.parse(modal.private_metadata ?? "")).toEqual({
      pause_id: "pau_test123",
      channel: "C0FINANCE",
      ts: "1700000000.000100",
      response_url: "https://hooks.slack.com/actions/T0TEAM/1/abc",
    });
    expect(modal.blocks[0]).toEqual({
      type: "section",
      text: { type: "plain_text", text: "Reject: <!channel> Pay", emoji: false },
    });
    const select = modal.blocks[1] as { optional?: boolean; element: { options: { value: string }[] } };
    expect(select.optional).toBeUndefined();
    expect(select.element.options.map((option) => option.value)).toEqual(
      REJECT_REASON_PRESETS.map((p) => p.value),
    );
  });
});

describe("the reason from a submission", () => {
  it("requires a preset", () => {
    expect(reasonFromValues({ presetValue: null, explanation: "because" })).toEqual({
      ok: false,
      errors: { reason_preset: "Choose a reason." },
    });
    expect(reasonFromValues({ presetValue: "made_up", explanation: null }).ok).toBe(false);
  });

  it("requires an explanation for Other", () => {
    expect(reasonFromValues({ presetValue: "other", explanation: "   " })).toEqual({
      ok: false,
      errors: { reason_text: "Explain why you reject this action." },
    });
    expect(
      reasonFromValues({ presetValue: "other", explanation: " Duplicate of last week's payment " }),
    ).toEqual({
      ok: true,
      reason: "Duplicate of last week's payment",
    });
  });

  it("uses the preset's words, followed by the explanation when given", () => {
    expect(reasonFromValues({ presetValue: "wrong_details", explanation: null })).toEqual({
      ok: true,
      reason: "The amount or details are wrong",
    });
    expect(reasonFromValues({ presetValue: "wrong_details", explanation: "Invoice says $1,245" })).toEqual({
      ok: true,
      reason: "The amount or details are wrong: Invoice says $1,245",
    });
  });
});

import { PRESET_REJECT_REASONS } from "../lib/reject-reasons.ts";

/** The common reject reasons as chips: one tap fills the reason, which stays editable. */
export function RejectReasonPresets(props: { reason: string; onPick: (reason: string) => void }) {
  return (
    <fieldset class="presets">
      <legend>Common reasons</legend>
      {PRESET_REJECT_REASONS.map((preset) => (
        <button
          type="button"
          class="chip"
          aria-pressed={props.reason === preset}
          key={preset}
          onClick={() => props.onPick(preset)}
        >
          {preset}
        </button>
      ))}
    </fieldset>
  );
}

import type { ComponentChildren } from "preact";
import { useEffect, useRef } from "preact/hooks";

interface ConfirmDialogProps {
  title: string;
  children: ComponentChildren;
  confirmLabel: string;
  /** `approve` or `reject`: the confirm button's colour, as on the card. */
  tone: "approve" | "reject";
  /** Nothing to confirm yet (e.g. every item of a batch left out). */
  confirmDisabled?: boolean;
  /** The element that describes the dialog, when not its whole body (a long list is no description). */
  describedBy?: string;
  onConfirm: () => void;
  onCancel: () => void;
}

const FOCUSABLE =
  "button:not([disabled]), [href], input, select, textarea, summary, [tabindex]:not([tabindex='-1'])";

/**
 * A modal second step before a decision that is hard to undo. The native modal
 * `<dialog>` makes the page behind it inert; Tab and Shift+Tab also wrap inside
 * it, Esc cancels, focus starts on Cancel (the safe choice) and returns to
 * whatever opened the dialog.
 */
export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  tone,
  confirmDisabled = false,
  describedBy = "confirm-body",
  onConfirm,
  onCancel,
}: ConfirmDialogProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    const element = dialog.current;
    if (!element) return;
    if (!element.open) element.showModal();
    cancel.current?.focus();
    return () => {
      if (element.open) element.close();
      if (opener?.isConnected) opener.focus();
    };
  }, []);

  const wrapFocus = (event: KeyboardEvent) => {
    if (event.key !== "Tab" || !dialog.current) return;
    const focusable = [...dialog.current.querySelectorAll<HTMLElement>(FOCUSABLE)];
    const first = focusable[0];
    const last = focusable.at(-1);
    if (!first || !last) return;
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  };

  return (
    <dialog
      ref={dialog}
      class="confirm-dialog"
      aria-labelledby="confirm-title"
      aria-describedby={describedBy}
      onKeyDown={wrapFocus}
      onCancel={(event) => {
        // Esc: the parent closes the dialog by unmounting it, so state and screen agree.
        event.preventDefault();
        onCancel();
      }}
    >
      <h2 id="confirm-title">{title}</h2>
      <div id="confirm-body">{children}</div>
      <div class="actions">
        <button type="button" class={`button ${tone}`} disabled={confirmDisabled} onClick={onConfirm}>
          {confirmLabel}
        </button>
        <button type="button" class="button secondary" ref={cancel} onClick={onCancel}>
          Cancel
        </button>
      </div>
    </dialog>
  );
}

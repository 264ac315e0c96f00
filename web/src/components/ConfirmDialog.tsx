import { useLayoutEffect, useRef, type ReactNode } from 'react';

interface ConfirmDialogProps {
  title: string;
  children?: ReactNode;
  confirmLabel: string;
  cancelLabel: string;
  busy?: boolean;
  /** The confirm button waits for something more (a word typed in the dialog). */
  confirmDisabled?: boolean;
  onConfirm: () => void;
  onClose: () => void;
}

/**
 * A modal <dialog> (role=dialog) asking to confirm something destructive. Escape or the second button closes it.
 * It opens on the safe button, and gives the focus back to what opened it when it closes.
 */
export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  cancelLabel,
  busy,
  confirmDisabled,
  onConfirm,
  onClose,
}: ConfirmDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const safe = useRef<HTMLButtonElement>(null);
  // Layout effects: the dialog is closed while still in the page, before React takes it out.
  useLayoutEffect(() => {
    const dialog = ref.current;
    const opener = document.activeElement;
    if (dialog && !dialog.open) dialog.showModal();
    // showModal focuses the first button, the destructive one.
    safe.current?.focus();
    return () => {
      dialog?.close();
      if (opener instanceof HTMLElement && opener.isConnected) opener.focus({ preventScroll: true });
    };
  }, []);
  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby="confirm-title"
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <h2 id="confirm-title">{title}</h2>
      {children}
      <div className="actions">
        <button type="button" className="button danger" disabled={busy || confirmDisabled} onClick={onConfirm}>
          {confirmLabel}
        </button>
        <button ref={safe} type="button" className="button secondary" disabled={busy} onClick={onClose}>
          {cancelLabel}
        </button>
      </div>
    </dialog>
  );
}

"use client";

import type { ReactNode } from "react";
import { ConfirmDialog } from "./Dialog";
import { ErrorMessage } from "./ErrorMessage";

/**
 * Confirms enabling or disabling `target` (closed while it is null). The title is
 * "Enable|Disable <subject>?", the confirming button "Enable|Disable <noun>", the body
 * `enableText` or `disableText`. Disabling is styled as dangerous; `dangerOnEnable` makes
 * enabling so too. `onConfirm` gets the target and the `disabled` value to set.
 */
export function ConfirmToggleDialog<T extends { disabled: boolean }>({
  target,
  subject,
  noun,
  enableText,
  disableText,
  dangerOnEnable = false,
  busy,
  error,
  onConfirm,
  onClose,
}: {
  target: T | null;
  subject: (target: T) => string;
  noun: string;
  enableText: ReactNode;
  disableText: ReactNode;
  dangerOnEnable?: boolean;
  busy?: boolean;
  error?: { message: string } | null;
  onConfirm: (target: T, disabled: boolean) => void;
  onClose: () => void;
}) {
  if (!target) return null;
  const verb = target.disabled ? "Enable" : "Disable";
  return (
    <ConfirmDialog
      open
      title={`${verb} ${subject(target)}?`}
      confirmLabel={`${verb} ${noun}`}
      danger={!target.disabled || dangerOnEnable}
      busy={busy}
      error={error && <ErrorMessage>{error.message}</ErrorMessage>}
      onClose={onClose}
      onConfirm={() => onConfirm(target, !target.disabled)}
    >
      <p>{target.disabled ? enableText : disableText}</p>
    </ConfirmDialog>
  );
}

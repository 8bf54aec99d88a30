"use client";

import { useEffect, type RefObject } from "react";

/**
 * Closes a popover while it is open: a mouse press outside `ref`, or Escape (then `onEscape`,
 * e.g. to give focus back to the button that opened it).
 */
export function useDismiss(open: boolean, ref: RefObject<HTMLElement | null>, close: () => void, onEscape?: () => void): void {
  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      if (ref.current && !ref.current.contains(e.target as Node)) close();
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== "Escape") return;
      close();
      onEscape?.();
    };
    document.addEventListener("mousedown", onDown);
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("mousedown", onDown);
      document.removeEventListener("keydown", onKey);
    };
  }, [open, ref, close, onEscape]);
}

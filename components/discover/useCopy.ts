"use client";

import { useCallback, useEffect, useRef, useState } from "react";

/** Copies text to the clipboard; `copied` is true for a moment afterwards (button feedback). */
export function useCopy(): { copy: (text: string) => Promise<void>; copied: boolean; failed: boolean } {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => void (timer.current && clearTimeout(timer.current)), []);
  const copy = useCallback(async (text: string) => {
    try {
      await navigator.clipboard.writeText(text);
      setState("copied");
    } catch {
      setState("failed");
    }
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => setState("idle"), 2000);
  }, []);
  return { copy, copied: state === "copied", failed: state === "failed" };
}

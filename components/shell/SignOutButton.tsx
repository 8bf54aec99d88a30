"use client";

import { useState } from "react";
import { Button } from "@/components/ui/Button";

export function SignOutButton() {
  const [busy, setBusy] = useState(false);
  async function signOut() {
    setBusy(true);
    try {
      await fetch("/api/auth/sign-out", { method: "POST", headers: { "content-type": "application/json" }, body: "{}", credentials: "same-origin" });
    } finally {
      window.location.assign("/login");
    }
  }
  return (
    <Button size="sm" variant="ghost" onClick={signOut} busy={busy}>
      Sign out
    </Button>
  );
}
